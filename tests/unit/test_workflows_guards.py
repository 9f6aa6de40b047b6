"""Each guard of DESIGN §2 refuses with a Chinese sentence that says what to fix."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.unit.ready_facts import NOW, ready
from workflows import (
    DECLINE_REASONS,
    ESCALATE_REASONS,
    EXCLUDED_MATTERS,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
    CaseFacts,
    GuardRefused,
    TimeLimits,
    WorkflowError,
    refusals,
)


def refused(trigger: str, facts: CaseFacts | None = None, now: datetime = NOW, **payload):
    """The refusals of trigger on facts (ready by default) with payload."""
    return refusals(trigger, facts or ready(), payload, now, TimeLimits())


def only(reasons: list[str]) -> str:
    """The single refusal in reasons."""
    assert len(reasons) == 1, reasons
    return reasons[0]


# accept


def test_accept_needs_an_applicant():
    """Nobody to mediate for without an applicant."""
    assert "申请人" in only(refused("accept", ready(has_applicant=False)))


def test_accept_needs_a_respondent():
    """A dispute has another side."""
    assert "被申请人" in only(refused("accept", ready(has_respondent=False)))


def test_accept_needs_a_mediator():
    """Someone must be assigned to mediate."""
    assert "请指派一名人民调解员" in only(refused("accept", ready(mediator_assigned=False)))


def test_accept_takes_the_mediator_from_the_payload():
    """Choosing the mediator while accepting is enough."""
    assert refused("accept", ready(mediator_assigned=False), mediator="wangfang") == []


def test_blank_mediator_name_is_no_mediator():
    """Whitespace does not assign anybody."""
    assert refused("accept", ready(mediator_assigned=False), mediator="  ")


def test_party_refusing_mediation_blocks_accept():
    """人民调解法 Art 17: a party's express refusal forbids mediation."""
    assert "第十七条" in only(refused("accept", ready(party_refused=True)))


# decline


def test_decline_needs_a_reason_code():
    """The user must pick a reason."""
    assert "请选择不予受理的理由" in only(refused("decline"))


def test_decline_with_unknown_reason_names_the_allowed_ones():
    """The message lists every valid choice in words; the codes travel beside it."""
    reason = only(refused("decline", reason_code="too_busy"))
    assert reason.startswith("所选的不予受理的理由无效")
    assert "too_busy" not in reason
    for code, label in DECLINE_REASONS:
        assert label in reason and code not in reason
    assert (reason.field, reason.allowed) == ("reason_code", tuple(dict(DECLINE_REASONS)))


@pytest.mark.parametrize("code", [code for code, _ in DECLINE_REASONS])
def test_decline_accepts_each_listed_reason(code):
    """Every listed reason is enough."""
    assert refused("decline", reason_code=code) == []


# escalate


def test_escalate_needs_a_reason_code():
    """The user must say why the case goes to the street."""
    assert "请选择上报街道的理由" in only(refused("escalate", reason="说明"))


def test_escalate_with_unknown_reason_names_the_allowed_ones():
    """The message lists 激化风险 among the choices."""
    reason = only(refused("escalate", reason_code="bored", reason="说明"))
    assert "有激化风险" in reason and "escalation_risk" not in reason


def test_escalate_needs_an_explanation():
    """A code alone is not enough; blank text does not count."""
    assert "请填写上报说明" in only(refused("escalate", reason_code="complex", reason=" "))


@pytest.mark.parametrize("code", [code for code, _ in ESCALATE_REASONS])
def test_escalate_accepts_each_listed_reason(code):
    """Every listed reason with an explanation is enough."""
    assert refused("escalate", reason_code=code, reason="说明") == []


# auto_escalate


def test_auto_escalate_needs_a_grid_deadline():
    """A case without a grid clock never escalates by itself."""
    assert "没有网格调处期限" in only(refused("auto_escalate", ready(grid_deadline_at=None)))


def test_grid_case_does_not_escalate_before_its_deadline():
    """A minute early is too early, and the message gives the date."""
    facts = ready(grid_deadline_at=NOW + timedelta(minutes=1))
    assert "尚未届满" in only(refused("auto_escalate", facts))


def test_grid_case_escalates_at_its_deadline():
    """The deadline moment itself is overdue."""
    assert refused("auto_escalate", ready(grid_deadline_at=NOW)) == []


# draft_agreement


def test_draft_agreement_needs_a_recorded_session():
    """No agreement without a 调解记录."""
    assert "调解记录" in only(refused("draft_agreement", ready(session_count=0)))


def test_draft_agreement_names_the_missing_fields_in_chinese():
    """Known field identifiers are shown with their labels, others as given."""
    facts = ready(agreement_missing=("terms", "performance_deadline", "甲方签名栏"))
    reason = only(refused("draft_agreement", facts))
    assert "协议条款、履行期限、甲方签名栏" in reason


# reopen


def test_reopen_needs_a_reason():
    """The signatures are voided, so say why."""
    assert "请填写退回重新调解的原因" in only(refused("reopen"))


def test_reopen_needs_to_know_where_the_agreement_came_from():
    """Without came_from the case has nowhere to go back to."""
    assert "调解阶段" in only(refused("reopen", ready(came_from=None), reason="异议"))


# make_effective


def test_agreement_is_not_effective_while_signatures_are_missing():
    """The message names who has still to sign or seal."""
    facts = ready(signatures_missing=("张三", "调委会印章"))
    assert "张三、调委会印章" in only(refused("make_effective", facts))


def test_agreement_with_every_signature_becomes_effective():
    """Nothing missing, nothing refused."""
    assert refused("make_effective") == []


# request_confirmation


def test_confirmation_needs_a_joint_application():
    """人民调解法 Art 33: both parties apply together."""
    assert "共同申请" in only(refused("request_confirmation", ready(joint_application=False)))


def test_confirmation_needs_an_effective_date():
    """The window runs from the effective date."""
    assert "生效日期" in only(refused("request_confirmation", ready(effective_on=None)))


def test_confirmation_needs_a_court():
    """The application goes to a chosen court."""
    assert "人民法院" in only(refused("request_confirmation", ready(court_chosen=False)))


@pytest.mark.parametrize(("code", "label"), EXCLUDED_MATTERS)
def test_agreement_about_an_excluded_matter_cannot_be_confirmed(code, label):
    """身份关系, 婚姻, 收养, 物权确权 … are not for confirmation."""
    reason = only(refused("request_confirmation", ready(agreement_matter=code)))
    assert f"协议内容涉及{label}" in reason


def test_agreement_about_an_ordinary_matter_can_be_confirmed():
    """A debt is fine."""
    assert refused("request_confirmation", ready(agreement_matter="debt")) == []


def test_confirmation_is_refused_after_the_thirty_day_window():
    """Effective 2026-03-02: the window ends 2026-04-01 and the message says so."""
    facts = ready(effective_on=date(2026, 3, 2))
    on_last_day = datetime(2026, 4, 1, 15, 59, tzinfo=UTC)  # 23:59 in Beijing
    day_after = datetime(2026, 4, 1, 16, 0, tzinfo=UTC)  # 00:00 on 2 April in Beijing
    assert refused("request_confirmation", facts, now=on_last_day) == []
    assert "至2026年4月1日止" in only(refused("request_confirmation", facts, now=day_after))


def test_confirmation_window_ending_in_national_day_holiday_stays_open_until_after_it():
    """The 30th day is 3 October 2026, a holiday: applying on 8 October is still in time."""
    facts = ready(effective_on=date(2026, 9, 3))
    assert refused("request_confirmation", facts, now=datetime(2026, 10, 8, 8, tzinfo=UTC)) == []
    late = refused("request_confirmation", facts, now=datetime(2026, 10, 9, 8, tzinfo=UTC))
    assert "至2026年10月8日止" in only(late)


# court


@pytest.mark.parametrize("trigger", ["accept_application", "confirm"])
def test_the_court_number_and_ruling_text_are_optional(trigger):
    """The service assigns the next 民特 number and supplies the standard ruling text."""
    assert refused(trigger, court_case_number=" ", ruling_text="") == []


def test_rejection_needs_a_ground():
    """The judge picks a ground."""
    facts = ready(status="confirmation_requested")
    assert "请选择不予受理理由" in only(refused("reject_confirmation", facts))


def test_rejection_before_acceptance_takes_only_inadmissibility_grounds():
    """违反自愿原则 is a 驳回 ground, not a 不予受理 ground."""
    facts = ready(status="confirmation_requested")
    reason = only(refused("reject_confirmation", facts, ground="not_voluntary"))
    assert "所选的不予受理理由无效" in reason and "not_voluntary" not in reason
    assert "not_voluntary" not in reason.allowed


@pytest.mark.parametrize("code", [code for code, _ in REJECT_GROUNDS_BEFORE_ACCEPTANCE])
def test_rejection_before_acceptance_accepts_each_inadmissibility_ground(code):
    """法释〔2011〕5号 Art 4, 民诉法解释 Art 357."""
    facts = ready(status="confirmation_requested")
    assert refused("reject_confirmation", facts, ground=code) == []


@pytest.mark.parametrize("code", [code for code, _ in REJECT_GROUNDS_AFTER_ACCEPTANCE])
def test_rejection_after_acceptance_accepts_each_rejection_ground(code):
    """法释〔2011〕5号 Art 7, and inadmissibility found late (Art 357)."""
    facts = ready(status="confirmation_accepted")
    assert refused("reject_confirmation", facts, ground=code) == []


def test_rejection_after_acceptance_with_unknown_ground_names_the_allowed_ones():
    """The 驳回 list is offered."""
    facts = ready(status="confirmation_accepted")
    reason = only(refused("reject_confirmation", facts, ground="dislike"))
    assert "所选的驳回理由无效" in reason and "dislike" not in reason
    assert "内容不明确，无法确认" in reason and "unclear_content" not in reason
    assert "unclear_content" in reason.allowed


# reasons given as free text


@pytest.mark.parametrize(
    ("trigger", "text"),
    [
        ("withdraw_confirmation", "当事人撤回司法确认申请的情况"),
        ("remediate", "重新调解的原因"),
        ("withdraw", "申请人撤回的情况"),
    ],
    ids=["withdraw_confirmation", "remediate", "withdraw"],
)
def test_trigger_that_records_a_reason_refuses_without_one(trigger, text):
    """Withdrawals and re-mediation are recorded with their reason."""
    assert f"请填写{text}" in only(refused(trigger))


# terminate


def test_termination_needs_a_reason():
    """Why mediation failed goes on record."""
    reason = only(refused("terminate", routes_told=["litigation"]))
    assert "请填写终止调解的原因" in reason


def test_termination_needs_the_other_routes_told():
    """人民调解法 Art 26: the parties are told of 诉讼, 仲裁, 行政."""
    reason = only(refused("terminate", reason="分歧过大"))
    assert "第二十六条" in reason
    assert "诉讼" in reason and "litigation" not in reason
    assert "litigation" in reason.allowed


def test_termination_with_unknown_route_names_the_allowed_ones():
    """Only the three routes are recorded."""
    reason = only(refused("terminate", reason="分歧过大", routes_told=["prayer"]))
    assert "所选的告知途径中有无效项" in reason and "prayer" not in reason


def test_termination_accepts_a_single_route_as_text():
    """A form posting one checkbox sends a string."""
    assert refused("terminate", reason="分歧过大", routes_told="administrative") == []


# close


def test_case_is_not_closed_before_performance_is_recorded():
    """Closing follows a 回访 that recorded 履行情况."""
    reason = only(refused("close", ready(performance_recorded=False)))
    assert "履行情况" in reason


def test_guard_refused_carries_its_reasons_and_joins_them():
    """str() of the error is the reasons in a row."""
    error = GuardRefused(["请先登记至少一名申请人。", "请指派一名人民调解员。"])
    assert isinstance(error, WorkflowError)
    assert error.reasons == ["请先登记至少一名申请人。", "请指派一名人民调解员。"]
    assert str(error) == "请先登记至少一名申请人。请指派一名人民调解员。"
