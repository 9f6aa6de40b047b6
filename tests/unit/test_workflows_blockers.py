"""What a trigger needs that no form can give (issue 10, item 3): the guards' standing part.

The case page disables a trigger for these reasons instead of offering a form the guard would
then refuse; the reasons are the guard's own, so the two can never disagree.
"""

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.unit.ready_facts import NOW, ready
from workflows import TRANSITIONS, CaseFacts, TimeLimits, UnknownTrigger, blockers, refusals
from workflows.errors import Coded, Words

LIMITS = TimeLimits()
TRIGGERS = [t.trigger for t in TRANSITIONS]


def blocked(trigger: str, facts: CaseFacts) -> list[str]:
    """The standing refusals of trigger on facts."""
    return blockers(trigger, facts, NOW, LIMITS)


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_nothing_blocks_a_trigger_when_the_case_holds_everything(trigger):
    """The facts under which every guard passes block no trigger."""
    assert blocked(trigger, ready()) == []


NOTHING_RECORDED = [
    CaseFacts(status=status)
    for status in ("intake", "grid_mediation", "agreement_drafted", "agreement_effective")
]


@pytest.mark.parametrize("facts", NOTHING_RECORDED, ids=lambda f: f.status)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_blocker_is_one_of_the_guards_refusals(trigger, facts):
    """A blocked trigger would be refused with the same words, whatever the form says."""
    reasons = blocked(trigger, facts)
    for payload in ({}, {"reason": "说明", "mediator": "wangfang", "court": "c1"}):
        assert set(reasons) <= set(refusals(trigger, facts, payload, NOW, LIMITS))


def test_drafting_is_blocked_until_a_session_is_recorded():
    """No 调解记录 yet: the agreement cannot be drafted, and the page says why."""
    reasons = blocked("draft_agreement", ready(session_count=0))
    assert reasons == ["请先记录至少一次调解（调解记录）。"]
    assert blocked("draft_agreement", ready(session_count=1)) == []


def test_drafting_is_not_blocked_by_the_fields_its_form_asks_for():
    """The agreement's fields are filled on the drafting form itself."""
    facts = ready(agreement_missing=("facts", "terms"))
    assert blocked("draft_agreement", facts) == []
    assert refusals("draft_agreement", facts, {}, NOW, LIMITS)


def test_closing_is_blocked_until_a_visit_records_performance():
    """结案 needs the 履行情况 of a 回访."""
    assert blocked("close", ready(performance_recorded=False)) == ["请先在回访中登记协议履行情况。"]


def test_accepting_is_blocked_by_missing_parties_and_a_refusal_not_by_the_mediator():
    """Parties are not added on the accept form; the mediator is chosen on it."""
    facts = ready(has_applicant=False, party_refused=True, mediator_assigned=False)
    reasons = blocked("accept", facts)
    assert len(reasons) == 2
    assert "申请人" in reasons[0] and "第十七条" in reasons[1]
    assert blocked("accept", ready(mediator_assigned=False)) == []


def test_confirmation_is_blocked_after_its_window_not_before_the_consents():
    """The 30-day window is a fact of the case; consents and the court are the form's."""
    late = ready(effective_on=NOW.date() - timedelta(days=60))
    assert "已超过司法确认申请期限" in blocked("request_confirmation", late)[0]
    unsigned = ready(joint_application=False, court_chosen=False, consents_missing=("李强",))
    assert blocked("request_confirmation", unsigned) == []


@pytest.mark.parametrize(
    "trigger", ["decline", "escalate", "withdraw", "terminate", "remediate", "reject_confirmation"]
)
def test_triggers_that_only_ask_for_words_are_never_blocked(trigger):
    """A reason, a choice or the routes told are typed on the trigger's own form."""
    assert blocked(trigger, replace(CaseFacts(), status="confirmation_requested")) == []


def test_an_unknown_trigger_is_refused_as_unknown():
    """The same error as refusals gives."""
    with pytest.raises(UnknownTrigger):
        blocked("fly_away", ready())


def test_a_reason_keeps_its_message_and_values_for_another_language():
    """The window's reason reads in Chinese and carries its catalogue message and values."""
    late = ready(effective_on=NOW.date() - timedelta(days=60))
    (reason,) = blocked("request_confirmation", late)
    assert isinstance(reason, Words)
    assert "%(day)s" in reason.msgid and "%(days)s" in reason.msgid
    assert reason.params["days"] == LIMITS.confirmation_days
    assert f"至{reason.params['day'].year}年" in reason


def test_an_excluded_matter_is_named_by_its_label_and_kept_as_its_code():
    """The matter reads as its label; the page in English looks its code up."""
    (reason,) = blocked("request_confirmation", ready(agreement_matter="adoption"))
    matter = reason.params["matter"]
    assert matter == Coded("excluded_matters", "adoption", matter.label)
    assert matter.label in reason and "adoption" not in reason
