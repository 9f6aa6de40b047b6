"""Every guard's refusal: 422 with the reason in Chinese, and the case exactly as it was.

Then the other answers an operation gives to input it cannot use: 400 (InvalidInput) with a
message naming the field, never another exception.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from mediation.cases import operations as ops
from mediation.errors import InvalidInput, OperationError, Refused
from mediation.extensions import db
from mediation.models import Case, IssuedDocument
from tests.factories import (
    COURT,
    OTHER_COURT,
    agreement,
    beijing,
    events,
    fire,
    gen_case,
    gen_session,
    gen_user,
    gen_visit,
    later,
    payload_for,
    person,
    reload,
    sign,
    sign_all,
    signers,
    snapshot,
    user,
)
from workflows import TRANSITIONS
from workflows.table import DECLINE_REASONS


def refused(case: Case, who: str | None, trigger: str, payload: dict, now=None) -> list[str]:
    """Fire trigger with exactly this payload, expect Refused and no change; return reasons."""
    before = snapshot(case)
    actor = None if who is None else user(who)
    with pytest.raises(Refused) as refusal:
        ops.apply_transition(actor, case.id, trigger, case.version, payload, now=now or later(case))
    assert refusal.value.status == 422
    assert snapshot(case) == before
    return refusal.value.reasons


def without(trigger: str, *keys: str) -> dict:
    """trigger's valid payload less some keys."""
    return {k: v for k, v in payload_for(trigger).items() if k not in keys}


# ---------------------------------------------------------------------------- accept


@pytest.mark.parametrize(
    ("missing", "reason"),
    [("respondent", "请先登记至少一名被申请人。"), ("applicant", "请先登记至少一名申请人。")],
)
def test_accept_needs_an_applicant_and_a_respondent(missing, reason):
    """Intake insists on both, so the party is removed behind its back (an imported case)."""
    case = gen_case()
    case.parties.remove(next(p for p in case.parties if p.role == missing))
    db.session.commit()
    assert reason in refused(case, "mediator_demo", "accept", payload_for("accept"))


def test_accept_needs_a_mediator():
    """A grid worker's case has no mediator: accept must name one."""
    case = gen_case("grid_demo")
    assert refused(case, "grid_demo", "accept", {}) == ["请指派一名人民调解员。"]


def test_no_mediation_when_a_party_refuses_it():
    """人民调解法 Art 17: a party who refuses may not be mediated; decline instead."""
    parties = [person("applicant", "王建国"), person("respondent", "李秀英", "female")]
    parties[1]["refuses_mediation"] = True
    case = gen_case(parties=parties)
    assert refused(case, "mediator_demo", "accept", payload_for("accept")) == [
        "当事人一方已明确拒绝调解，不得调解（人民调解法第十七条），请改为不予受理。"
    ]


@pytest.mark.parametrize(
    "mediator",
    ["mediator_other", "mediator_tiansheng", "mediator_retired", "grid_demo", "nobody", "  "],
)
def test_accept_refuses_a_mediator_outside_the_area_inactive_or_unknown(mediator):
    """Another district's or community's mediator, a deactivated one, a grid worker, nobody."""
    gen_user("mediator_tiansheng", "mediator", committee="420102002002-tw")
    gen_user("mediator_retired", "mediator", active=False, committee="420102002001-tw")
    case = gen_case("grid_demo")
    reasons = refused(case, "grid_demo", "accept", {"mediator": mediator})
    if mediator.strip():
        assert reasons == [f"调解员“{mediator}”不存在、已停用，或不负责本案所在辖区，请重新指派。"]
    else:
        assert reasons == ["请指派一名人民调解员。"]
    assert reload(case).mediator is None


def test_a_mediator_who_names_herself_is_not_read_again_but_must_still_mediate():
    """The case was taken in her reach, so naming herself costs no read of her; a deactivated
    mediator of the area, naming herself, is refused as if another had named her."""
    case, actor = gen_case("grid_demo"), user("mediator_demo")
    now = later(case)
    assert actor.role == "mediator"  # loaded, as a request has her
    read = []

    def note(_conn, _cursor, statement, *_args):
        read.append(statement.lstrip().startswith("SELECT users."))

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        ops.apply_transition(actor, case.id, "accept", 1, {"mediator": " mediator_demo "}, now)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert reload(case).mediator.username == "mediator_demo"
    assert read and not any(read)
    gen_user("mediator_retired", "mediator", active=False, committee="420102002001-tw")
    retired = gen_case("grid_demo")
    assert refused(retired, "mediator_retired", "accept", {"mediator": "mediator_retired"}) == [
        "调解员“mediator_retired”不存在、已停用，或不负责本案所在辖区，请重新指派。"
    ]


# ---------------------------------------------------------------------------- decline, escalate


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({}, "请选择不予受理的理由："),
        ({"reason_code": "too_busy"}, "所选的不予受理的理由无效，请从以下选择："),
    ],
)
def test_decline_needs_a_reason_from_the_fixed_list(payload, reason):
    """Only the three reasons of the law: before an authority, not civil, a party refuses."""
    (answer,) = refused(gen_case(), "mediator_demo", "decline", payload)
    assert answer.startswith(reason)
    assert "已由人民法院、公安机关或者其他行政机关受理或者解决" in answer
    assert "before_authority" not in answer and "too_busy" not in answer
    assert answer.allowed == tuple(code for code, _label in DECLINE_REASONS)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"reason_code": "complex"}, "请填写上报说明。"),
        ({"reason_code": "complex", "reason": "   "}, "请填写上报说明。"),
        ({"reason": "双方僵持"}, "请选择上报街道的理由："),
        (
            {"reason_code": "bored", "reason": "双方僵持"},
            "所选的上报街道的理由无效，请从以下选择：",
        ),
    ],
)
def test_escalate_needs_a_reason_code_and_an_explanation(payload, reason):
    """上报街道 says why, from the list, and in words."""
    case = gen_case(status="grid_mediation")
    assert any(r.startswith(reason) for r in refused(case, "grid_demo", "escalate", payload))


def test_system_cannot_escalate_before_the_grid_deadline():
    """auto_escalate one second early is refused, naming the deadline's date."""
    case = gen_case(status="grid_mediation")
    early = case.grid_deadline_at - timedelta(seconds=1)
    assert refused(case, None, "auto_escalate", {}, now=early) == [
        "网格调处期限（2026年5月18日）尚未届满，不能自动上报。"
    ]


# ---------------------------------------------------------------------------- the agreement


def test_draft_agreement_needs_a_recorded_session():
    """No agreement without at least one 调解记录."""
    case = gen_case(status="grid_mediation")
    assert refused(case, "mediator_demo", "draft_agreement", agreement()) == [
        "请先记录至少一次调解（调解记录）。"
    ]


def test_draft_agreement_names_the_missing_fields():
    """Every required field of §4 that is empty is named, in Chinese."""
    case = gen_case(status="grid_mediation")
    gen_session(case)
    payload = without("draft_agreement", "performance_place", "performance_deadline")
    payload["terms"] = ["  "]
    assert refused(case, "mediator_demo", "draft_agreement", payload) == [
        "调解协议尚未填写完整，请补充：协议条款、履行地点、履行期限。"
    ]


def test_reopen_needs_a_reason():
    """退回重新调解 says why."""
    case = gen_case(status="agreement_drafted")
    assert "请填写退回重新调解的原因。" in refused(case, "mediator_demo", "reopen", {"reason": ""})


def test_the_system_cannot_make_an_agreement_effective_before_everyone_signed():
    """make_effective fired directly with signatures missing names who has not signed."""
    case = gen_case(status="agreement_drafted")
    sign(case, "mediator")
    (reason,) = refused(case, None, "make_effective", {})
    assert reason == "尚缺签名或印章：申请人王建国、被申请人李秀英、调委会印章。"


# ---------------------------------------------------------------------------- the court


def test_request_confirmation_needs_the_joint_application_of_all_parties():
    """Nothing recorded, or one party's consent only: refused (人民调解法 Art 33)."""
    case = gen_case(status="agreement_effective")
    one = {"court": COURT, "consents": [{"party_id": case.parties[0].id, "method": "signed"}]}
    start = (
        "司法确认须由双方当事人共同申请（人民调解法第三十三条），请登记每一方当事人的同意，尚缺："
    )
    assert refused(case, "mediator_demo", "request_confirmation", {"court": COURT}) == [
        start + "申请人王建国、被申请人李秀英。"
    ]
    assert refused(case, "mediator_demo", "request_confirmation", one) == [
        start + "被申请人李秀英。"
    ]


def test_confirmation_window_ends_thirty_days_on_rolled_past_national_day():
    """Effective Sat 5 Sep 2026: day 30 is 5 Oct (国庆), so the last day is Thu 8 Oct."""
    case = gen_case(status="agreement_effective", now=beijing(2026, 9, 5, 9))
    assert reload(case).effective_on.isoformat() == "2026-09-05"
    assert refused(
        case,
        "mediator_demo",
        "request_confirmation",
        payload_for("request_confirmation", case),
        now=beijing(2026, 10, 9, 0, 0, 1),
    ) == ["已超过司法确认申请期限（协议生效之日起30日，至2026年10月8日止），不能再申请司法确认。"]
    fire(case, "mediator_demo", "request_confirmation", now=beijing(2026, 10, 8, 23, 59, 59))
    assert reload(case).status == "confirmation_requested"


def test_agreement_on_marriage_cannot_go_to_the_court():
    """A court does not confirm agreements about 身份关系, 婚姻, 收养 or 物权确权."""
    case = gen_case(status="agreement_effective", draft={"matter": "marriage"})
    assert refused(
        case, "mediator_demo", "request_confirmation", payload_for("request_confirmation", case)
    ) == ["协议内容涉及婚姻关系，人民法院不予确认，不能申请司法确认。"]


@pytest.mark.parametrize(
    ("court", "reason"),
    [
        (None, "请选择受理司法确认申请的人民法院。"),
        (OTHER_COURT, f"法院“{OTHER_COURT}”不存在，或不管辖本案所在地区，请重新选择。"),
        ("moon-court", "法院“moon-court”不存在，或不管辖本案所在地区，请重新选择。"),
    ],
)
def test_request_confirmation_needs_a_court_serving_the_area(court, reason):
    """No court, 武昌's court for a 江岸 case, or a court that does not exist."""
    case = gen_case(status="agreement_effective")
    payload = {**payload_for("request_confirmation", case), "court": court}
    assert refused(case, "mediator_demo", "request_confirmation", payload) == [reason]
    assert reload(case).court_id is None


def test_a_ground_for_dismissal_cannot_refuse_acceptance():
    """Before acceptance only 不予受理 grounds apply: 驳回's violates_mandatory_law is refused."""
    case = gen_case(status="confirmation_requested")
    (reason,) = refused(
        case, "judge_demo", "reject_confirmation", {"ground": "violates_mandatory_law"}
    )
    assert reason.startswith("所选的不予受理理由无效，请从以下选择：")
    assert "violates_mandatory_law" not in reason
    assert reason.field == "ground" and "violates_mandatory_law" not in reason.allowed


@pytest.mark.parametrize(
    ("ground", "reason"),
    [(None, "请选择驳回理由："), ("whim", "所选的驳回理由无效，请从以下选择：")],
)
def test_dismissal_needs_a_ground_from_its_list(ground, reason):
    """After acceptance: a 驳回 ground, named."""
    case = gen_case(status="confirmation_accepted")
    payload = {"ground": ground} if ground else {}
    (answer,) = refused(case, "judge_demo", "reject_confirmation", payload)
    assert answer.startswith(reason)


# ---------------------------------------------------------------------------- reasons


@pytest.mark.parametrize(
    ("trigger", "source", "reason"),
    [
        ("withdraw_confirmation", "confirmation_requested", "请填写当事人撤回司法确认申请的情况。"),
        ("remediate", "confirmation_rejected", "请填写重新调解的原因。"),
        ("withdraw", "intake", "请填写申请人撤回的情况。"),
        ("withdraw", "street_mediation", "请填写申请人撤回的情况。"),
        ("terminate", "grid_mediation", "请填写终止调解的原因。"),
    ],
)
def test_a_reason_is_required(trigger, source, reason):
    """Withdrawals, remediation and termination are explained in words."""
    case = gen_case(status=source)
    assert reason in refused(case, "street_demo", trigger, without(trigger, "reason"))


@pytest.mark.parametrize(
    ("routes", "reason"),
    [
        (None, "请告知当事人可以通过其他途径维护权利（人民调解法第二十六条），并勾选已告知的途径"),
        ([], "请告知当事人可以通过其他途径维护权利"),
        (["litigation", "carrier_pigeon"], "所选的告知途径中有无效项，请从以下选择："),
    ],
)
def test_terminate_needs_the_other_routes_told_to_the_parties(routes, reason):
    """人民调解法 Art 26: 诉讼, 仲裁 or 行政, ticked."""
    case = gen_case(status="street_mediation")
    payload = {"reason": "双方分歧过大", **({"routes_told": routes} if routes is not None else {})}
    (answer,) = refused(case, "street_demo", "terminate", payload)
    assert answer.startswith(reason)


def test_close_needs_performance_recorded_at_a_visit():
    """结案归档 only once a follow-up visit says whether the agreement was performed."""
    case = gen_case(status="agreement_effective")
    assert refused(case, "mediator_demo", "close", {}) == ["请先在回访中登记协议履行情况。"]
    gen_visit(case, performed=False)
    ops.apply_transition(user("mediator_demo"), case.id, "close", reload(case).version, {})
    assert reload(case).status == "closed"


# ---------------------------------------------------------------------------- states


def test_a_trigger_from_another_state_is_refused():
    """上报街道 on a case still at intake: not available in this state."""
    assert refused(gen_case(), "grid_demo", "escalate", payload_for("escalate")) == [
        "案件当前状态为“待受理”，不能执行“上报街道”。"
    ]


@pytest.mark.parametrize("final", ["closed", "declined", "withdrawn", "mediation_failed"])
def test_a_concluded_case_refuses_every_trigger(final):
    """A terminal state is a source of nothing, for anyone allowed to fire anything."""
    case = gen_case(status=final)
    for transition in TRANSITIONS:
        role = transition.roles[0]
        who = {"grid_worker": "grid_demo", "mediator": "mediator_demo", "judge": "judge_demo"}
        if role == "judge":
            continue  # the judge cannot see a case that never went to her court
        (reason,) = refused(
            case, who.get(role), transition.trigger, payload_for(transition.trigger)
        )
        assert reason.endswith(f"不能执行“{transition.label}”。")


# ---------------------------------------------------------------------------- bad input: 400


def field_ids(cases) -> list[str]:
    """Readable test ids: the field and a short repr of the bad value."""
    return [f"{field}={value!r}"[:40] for field, value, _ in cases]


def test_version_must_be_an_integer():
    """The version comes from the form or the JSON body: "2", 2.0, True and None are refused."""
    case = gen_case(status="grid_mediation")
    for version in ("2", 2.0, True, None):
        with pytest.raises(InvalidInput) as bad:
            ops.apply_transition(user("grid_demo"), case.id, "escalate", version, {})
        assert bad.value.fields == {"version": "必填，整数"}


def test_an_unknown_trigger_or_a_payload_that_is_not_an_object_is_bad_input():
    """400, not 500, with a message."""
    case = gen_case()
    with pytest.raises(InvalidInput, match="^未知的操作。$") as unknown:
        ops.apply_transition(user("mediator_demo"), case.id, "fly", 1, {})
    assert "accept" in unknown.value.fields["trigger"].allowed
    with pytest.raises(InvalidInput, match="请求内容应为对象。"):
        ops.apply_transition(user("mediator_demo"), case.id, "accept", 1, ["mediator_demo"])


BAD_AGREEMENTS = [
    ("terms", 5, "协议条款应为文字列表"),
    ("terms", [1, 2], "协议条款应为文字列表"),
    ("performance_deadline", "next week", "履行期限应为日期"),
    ("performance_deadline", "2026-02-30", "履行期限应为日期"),
    ("amount", "three thousand", "金额应为数字"),
    ("amount", "-5", "金额应为 0 至 1 万亿元之间的数字"),
    ("amount", "10.001", "金额最多保留两位小数"),
    ("facts", ["事实"], "纠纷事实应为文字"),
    ("facts", "事" * 5001, "纠纷事实不能超过 5000 个字"),
    ("performance_method", 7, "履行方式应为文字"),
    ("matter", "divorce", "请选择协议涉及事项"),
    ("matter", ["marriage"], "请选择协议涉及事项"),
]


@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_AGREEMENTS, ids=field_ids(BAD_AGREEMENTS)
)
def test_bad_agreement_fields_are_bad_input(field, value, message):
    """Each malformed field of the draft: 400 naming it, and nothing saved."""
    case = gen_case(status="grid_mediation")
    gen_session(case)
    before = snapshot(case)
    payload = {**payload_for("draft_agreement"), field: value}
    with pytest.raises(InvalidInput) as bad:
        ops.apply_transition(user("mediator_demo"), case.id, "draft_agreement", 2, payload)
    assert message in bad.value.message
    assert field in bad.value.fields
    assert snapshot(case) == before


@pytest.mark.parametrize("routes", [5, [["litigation"]], [None]], ids=["number", "nested", "null"])
def test_malformed_routes_told_are_refused_not_a_crash(routes):
    """routes_told that is not a list of codes: an answer the user can act on, never a 500."""
    case = gen_case(status="grid_mediation")
    payload = {"reason": "双方分歧过大", "routes_told": routes}
    before = snapshot(case)
    with pytest.raises(OperationError) as answer:
        ops.apply_transition(user("mediator_demo"), case.id, "terminate", 2, payload)
    assert answer.value.status in (400, 422)
    assert snapshot(case) == before


def test_a_performance_deadline_that_ends_no_clock_is_refused_or_harmless():
    """A deadline of 9999-12-31 must either be refused as a draft or not crash the signing."""
    case = gen_case(status="grid_mediation")
    gen_session(case)
    payload = {**payload_for("draft_agreement"), "performance_deadline": "9999-12-31"}
    try:
        ops.apply_transition(user("mediator_demo"), case.id, "draft_agreement", 2, payload)
    except InvalidInput:
        return
    sign_all(case)
    assert reload(case).status == "agreement_effective"


SESSION_FIELDS = [
    ("held_at", "yesterday", "请填写调解时间"),
    ("held_at", None, "请填写调解时间"),
    ("held_at", "2099-01-01T09:00", "调解时间不能晚于现在"),
    ("held_at", "0001-01-01T00:00", "调解时间"),
    ("location", "", "请填写调解地点"),
    ("attendees", None, "请填写参加人"),
    ("summary", 42, "各方陈述及调解经过应为文字"),
    ("outcome", "maybe", "请选择调解结果"),
    ("outcome", ["agreed"], "请选择调解结果"),
]


@pytest.mark.parametrize(
    ("field", "value", "message"), SESSION_FIELDS, ids=field_ids(SESSION_FIELDS)
)
def test_bad_session_fields_are_bad_input(field, value, message):
    """调解记录: each bad field named; nothing recorded."""
    case = gen_case(status="grid_mediation")
    before = snapshot(case)
    with pytest.raises(InvalidInput) as bad:
        gen_session(case, **{field: value})
    assert message in bad.value.message
    assert field in bad.value.fields
    assert snapshot(case) == before


VISIT_FIELDS = [
    ("performed", "yes", "请选择协议是否已履行"),
    ("performed", None, "请选择协议是否已履行"),
    ("visited_at", "", "请填写回访时间"),
    ("visited_at", "0001-01-01T00:00", "回访时间"),
    ("satisfaction", "ecstatic", "请选择满意程度"),
    ("satisfaction", {"level": 1}, "请选择满意程度"),
    ("notes", 3, "回访情况应为文字"),
]


@pytest.mark.parametrize(("field", "value", "message"), VISIT_FIELDS, ids=field_ids(VISIT_FIELDS))
def test_bad_visit_fields_are_bad_input(field, value, message):
    """回访记录: each bad field named; nothing recorded."""
    case = gen_case(status="agreement_effective")
    before = snapshot(case)
    with pytest.raises(InvalidInput) as bad:
        gen_visit(case, **{field: value})
    assert message in bad.value.message
    assert field in bad.value.fields
    assert snapshot(case) == before


def test_sessions_and_visits_only_in_their_states():
    """A session before accept, a visit before the agreement is in force: 422."""
    case = gen_case()
    with pytest.raises(Refused, match="不能记录调解"):
        gen_session(case)
    case = gen_case(status="street_mediation")
    with pytest.raises(Refused, match="协议生效后才能回访"):
        gen_visit(case)


def test_signatures_are_checked():
    """An unknown signer is bad input, a second signature is refused, a drawing needs an image."""
    case = gen_case(status="agreement_drafted")
    with pytest.raises(InvalidInput, match="签名人应为"):
        sign(case, "party:999999")
    with pytest.raises(InvalidInput, match="签名人应为"):
        sign(case, "seal")
    sign(case, "mediator")
    with pytest.raises(Refused, match="调解员已签署，无需重复签名。"):
        sign(case, "mediator")
    with pytest.raises(InvalidInput, match="手写签名须附签名图片。"):
        ops.sign_agreement(
            user("mediator_demo"), case.id, {"signer": "mediator", "method": "drawn"}
        )
    with pytest.raises(InvalidInput, match="签名图片应为不超过 300 KB 的 PNG 图片"):
        ops.sign_agreement(
            user("mediator_demo"),
            case.id,
            {"signer": "mediator", "method": "drawn", "image": "data:image/svg+xml,<svg/>"},
        )
    assert signers(case) == [f"party:{p.id}" for p in reload(case).parties]


def test_no_signature_outside_a_drafted_agreement():
    """Signing an effective agreement again is refused."""
    case = gen_case(status="agreement_effective")
    with pytest.raises(Refused, match="没有待签署的协议"):
        sign(case, "mediator")


def test_remediated_case_needs_fresh_signatures_on_its_new_agreement():
    """After a rejection and new mediation, the new draft is signed anew and can take effect.

    The old agreement's signatures were given to other terms: they must not count, and
    every party must be able to sign the new draft.
    """
    case = gen_case(status="confirmation_rejected")
    ops.apply_transition(
        user("mediator_demo"), case.id, "remediate", case.version, payload_for("remediate")
    )
    gen_session(case)
    ops.apply_transition(
        user("mediator_demo"),
        case.id,
        "draft_agreement",
        reload(case).version,
        agreement(terms=["被申请人赔偿申请人维修费3000元。"]),
    )
    assert len(signers(case)) == len(reload(case).parties) + 1
    old = reload(case).agreement
    assert old.sealed_document is None
    sign_all(case)
    case = reload(case)
    assert case.status == "agreement_effective"
    issued = sa.select(IssuedDocument.kind).where(IssuedDocument.case_id == case.id)
    # The first agreement, the court's ruling on it, and the new agreement.
    assert sorted(db.session.scalars(issued)) == ["agreement", "agreement", "ruling"]


# ---------------------------------------------------------------------------- assign_mediator


def test_a_case_can_be_handed_to_another_mediator_of_the_area():
    """指派调解员: the street officer gives the case to herself; the log says so."""
    case = gen_case(status="street_mediation")
    ops.assign_mediator(user("street_demo"), case.id, "street_demo", now=later(case))
    case = reload(case)
    assert case.mediator.username == "street_demo"
    event = events(case)[-1]
    assert (event.action, event.actor_role, event.payload) == (
        "assign_mediator",
        "street_officer",
        {"mediator": "street_demo"},
    )
    assert case.version == 3  # not a transition


@pytest.mark.parametrize("mediator", ["mediator_other", "grid_demo", "nobody", None])
def test_a_case_cannot_be_handed_to_someone_outside_the_area(mediator):
    """The same rule as accept's: an active mediator or officer who works where the case is."""
    case = gen_case(status="grid_mediation")
    before = snapshot(case)
    with pytest.raises(Refused, match="不存在、已停用，或不负责本案所在辖区"):
        ops.assign_mediator(user("mediator_demo"), case.id, mediator)
    assert snapshot(case) == before


def test_a_concluded_case_gets_no_new_mediator():
    """Once closed, the file is archived as it is."""
    case = gen_case(status="mediation_failed")
    with pytest.raises(Refused, match="案件已办结，不能再指派调解员。"):
        ops.assign_mediator(user("street_demo"), case.id, "street_demo")
