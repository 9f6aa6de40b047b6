"""Every trigger's allowed path through the real operations: state, version, side records, log.

Each transition must move the case, raise its version by one, write its side records and
append exactly one audit event naming the trigger, the states and the actor.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mediation.audit import verify_all
from mediation.cases import sla
from mediation.models import AuditEvent, Case
from tests.factories import (
    COURT,
    T0,
    agreement,
    beijing,
    end_of_day,
    events,
    fire,
    gen_case,
    gen_session,
    gen_visit,
    later,
    payload_for,
    reload,
    seal,
    sign,
    signers,
    user,
)
from workflows import TERMINAL_STATES, TRANSITION_BY_TRIGGER, TRANSITIONS, available_triggers

HUMAN_TRIGGERS = [t for t in TRANSITIONS if t.trigger not in ("auto_escalate", "make_effective")]
PATHS = [(t.trigger, source) for t in HUMAN_TRIGGERS for source in t.sources]


def actor_for(trigger: str) -> str:
    """A demo user who may fire trigger on a case of the first street."""
    return "judge_demo" if "judge" in TRANSITION_BY_TRIGGER[trigger].roles else "mediator_demo"


def transit(case: Case, who: str | None, trigger: str, now=None, **payload) -> AuditEvent:
    """Fire trigger and check the common rules: version + 1 and exactly one new event."""
    version, status, logged = case.version, case.status, len(events(case))
    fire(case, who, trigger, now, **payload)
    case = reload(case)
    assert case.version == version + 1
    new = events(case)[logged:]
    assert len(new) == 1, [e.action for e in new]
    event = new[0]
    assert (event.action, event.from_state, event.to_state) == (trigger, status, case.status)
    assert event.actor_role == (user(who).role if who else "system")
    assert event.actor_id == (user(who).id if who else None)
    return event


def ready(case: Case, trigger: str) -> Case:
    """Record what the trigger's guard needs besides the payload: a session, or a visit."""
    if trigger == "draft_agreement" and not case.sessions:
        gen_session(case)
    if trigger == "close":
        gen_visit(case)
    return reload(case)


@pytest.mark.parametrize(("trigger", "source"), PATHS, ids=[f"{t}-from-{s}" for t, s in PATHS])
def test_trigger_moves_the_case_from_each_of_its_source_states(trigger, source):
    """The table's arrows, walked with the operations: from each source to the destination."""
    case = ready(gen_case(status=source), trigger)
    transit(case, actor_for(trigger), trigger)
    # gen_case drafts its agreements at grid level, so that is where reopen returns.
    expected = "grid_mediation" if trigger == "reopen" else TRANSITION_BY_TRIGGER[trigger].dest
    assert reload(case).status == expected
    assert list(verify_all()) == []


OTHER_ROLES = [
    (t.trigger, who)
    for t in HUMAN_TRIGGERS
    for role, who in (("grid_worker", "grid_demo"), ("street_officer", "street_demo"))
    if role in t.roles
]


@pytest.mark.parametrize(
    ("trigger", "who"), OTHER_ROLES, ids=[f"{t}-by-{w}" for t, w in OTHER_ROLES]
)
def test_every_role_the_table_lists_may_fire_the_trigger(trigger, who):
    """Besides the mediator: the grid worker and the street officer where the table says so."""
    source = TRANSITION_BY_TRIGGER[trigger].sources[0]
    case = ready(gen_case(status=source), trigger)
    event = transit(case, who, trigger)
    assert event.actor_role == user(who).role


def test_accept_by_the_grid_worker_assigns_the_named_mediator_and_starts_the_clocks():
    """A grid worker's case has no mediator until accept names one; both clocks start."""
    case = gen_case("grid_demo")
    assert case.mediator is None
    now = beijing(2026, 5, 11, 10, 30)
    event = transit(case, "grid_demo", "accept", now, mediator="mediator_demo")
    case = reload(case)
    assert case.status == "grid_mediation"
    assert case.mediator.username == "mediator_demo"
    assert case.accepted_at == now
    assert case.grid_deadline_at == beijing(2026, 5, 18, 23, 59, 59)
    assert case.mediation_deadline_at == beijing(2026, 6, 10, 23, 59, 59)
    assert case.deadline_at == case.grid_deadline_at
    assert case.overdue is False
    assert event.payload == {"mediator": "mediator_demo"}


def test_accept_can_hand_the_case_to_the_street_officer():
    """A street officer may mediate: accept may name her."""
    case = gen_case("grid_demo")
    transit(case, "grid_demo", "accept", mediator="street_demo")
    assert reload(case).mediator.username == "street_demo"


def test_decline_keeps_the_reason_and_ends_the_case():
    """不予受理: the reason code is kept, the case is concluded and no clock runs."""
    case = gen_case()
    now = later(case)
    event = transit(case, "mediator_demo", "decline", now, reason_code="party_refuses")
    case = reload(case)
    assert case.status == "declined"
    assert case.decline_reason == "party_refuses"
    assert (case.concluded_at, case.deadline_at) == (now, None)
    assert event.payload == {"reason_code": "party_refuses"}


def test_escalate_moves_the_case_to_the_street_clock():
    """上报街道: the whole-mediation deadline now applies; the reason is logged."""
    case = gen_case(status="grid_mediation")
    now = later(case)
    event = transit(case, "grid_demo", "escalate", now, reason_code="cross_region", reason="跨社区")
    case = reload(case)
    assert case.status == "street_mediation"
    assert case.escalated_at == now
    assert case.deadline_at == case.mediation_deadline_at
    assert event.reason == "跨社区"
    assert event.payload == {"reason_code": "cross_region", "reason": "跨社区"}


def test_grid_case_escalates_itself_when_the_system_fires_after_the_deadline():
    """auto_escalate, fired directly with user=None, is logged as the system's."""
    case = gen_case(status="grid_mediation")
    now = case.grid_deadline_at + timedelta(seconds=1)
    event = transit(case, None, "auto_escalate", now)
    case = reload(case)
    assert case.status == "street_mediation"
    assert case.escalated_at == now
    assert case.deadline_at == case.mediation_deadline_at
    assert (event.actor_id, event.actor_role) == (None, "system")


def test_sweep_escalates_an_overdue_grid_case_as_the_system():
    """auto_escalate through sla.sweep: the same transition, one event."""
    case = gen_case(status="grid_mediation")
    logged = len(events(case))
    result = sla.sweep(now=case.grid_deadline_at + timedelta(hours=1))
    case = reload(case)
    assert result.escalated == 1
    assert (case.status, case.version) == ("street_mediation", 3)
    (event,) = events(case)[logged:]
    assert (event.action, event.actor_role, event.actor_id) == ("auto_escalate", "system", None)


@pytest.mark.parametrize("via", ["grid_mediation", "street_mediation"])
def test_draft_agreement_saves_the_agreement_and_remembers_where_it_came_from(via):
    """The draft is stored field by field; came_from names the mediation stage it left."""
    case = gen_case(status=via)
    gen_session(case)
    now = later(case)
    fields = agreement(now, amount="3500.50", matter="")
    transit(case, "mediator_demo", "draft_agreement", now, **fields)
    case = reload(case)
    draft = case.agreement
    assert case.status == "agreement_drafted"
    assert draft.facts == fields["facts"]
    assert draft.terms == fields["terms"]
    assert draft.performance_method == "银行转账"
    assert draft.performance_place == "工农兵社区人民调解委员会"
    assert draft.performance_deadline == date.fromisoformat(fields["performance_deadline"])
    assert draft.amount == Decimal("3500.50")
    assert draft.drafted_at == now
    assert case.came_from == via


@pytest.mark.parametrize("via", ["grid_mediation", "street_mediation"])
def test_reopen_voids_the_signatures_and_returns_to_where_the_draft_came_from(via):
    """退回重新调解: back to grid or street mediation; what was signed no longer counts."""
    case = gen_case(status="agreement_drafted", via=via)
    first, second = signers(case)[:2]
    sign(case, first)
    sign(case, second)
    now = later(case)
    transit(case, "mediator_demo", "reopen", now)
    case = reload(case)
    assert case.status == via
    assert case.came_from is None
    assert [s.voided_at for s in case.agreement.signatures] == [now, now]


def test_the_seal_makes_the_agreement_effective_after_the_last_signature():
    """The last signature leaves the draft waiting; the seal is one make_effective event by
    the mediator who sealed, carrying the sealed file's hash, and dates the agreement."""
    case = gen_case(status="agreement_drafted")
    for signer in signers(case):
        sign(case, signer)
    case = reload(case)
    assert case.status == "agreement_drafted"
    version, logged = case.version, len(events(case))
    # 00:30 in China is still the previous day in UTC: the effective date is China's.
    now = beijing(2026, 5, 12, 0, 30)
    seal(case, "mediator_demo", now=now)
    case = reload(case)
    assert case.status == "agreement_effective"
    assert case.version == version + 1
    assert case.effective_on == date(2026, 5, 12)
    (effective,) = events(case)[logged:]
    assert (effective.action, effective.from_state, effective.to_state) == (
        "make_effective",
        "agreement_drafted",
        "agreement_effective",
    )
    document = case.agreement.sealed_document
    assert (effective.actor_role, effective.actor_id) == ("mediator", user("mediator_demo").id)
    assert effective.payload == {"sha256": document.sha256, "public_id": document.public_id}
    assert document.effective_on == date(2026, 5, 12)
    # 30 days to apply for judicial confirmation, from the day after: Thu 11 June.
    assert (case.clock, case.deadline_at) == ("confirmation_window", end_of_day(date(2026, 6, 11)))


@pytest.mark.parametrize("how", ["consent records", "party ids"])
def test_request_confirmation_sends_the_case_to_the_chosen_court(how):
    """The court is kept and has three days to decide; every party's consent counts."""
    case = gen_case(status="agreement_effective")
    ids = [p.id for p in case.parties]
    consent = {
        "consent records": {"consents": [{"party_id": i, "method": "in_person"} for i in ids]},
        "party ids": {"consents": ids},
    }[how]
    now = beijing(2026, 5, 12, 9)
    event = transit(case, "mediator_demo", "request_confirmation", now, court=COURT, **consent)
    case = reload(case)
    assert case.status == "confirmation_requested"
    assert case.court.code == COURT
    assert case.deadline_at == beijing(2026, 5, 15, 23, 59, 59)
    assert event.payload["court"] == COURT


def test_accept_application_keeps_the_court_case_number_and_starts_the_ruling_clock():
    """法院已受理: the number as given (trimmed), fifteen days to rule."""
    case = gen_case(status="confirmation_requested")
    now = beijing(2026, 5, 13, 9)
    transit(
        case, "judge_demo", "accept_application", now, court_case_number=" （2026）鄂0102民特7号 "
    )
    case = reload(case)
    assert case.court_case_number == "（2026）鄂0102民特7号"
    assert case.deadline_at == beijing(2026, 5, 28, 23, 59, 59)


def test_confirm_keeps_the_ruling_text():
    """裁定协议有效: the ruling is kept; what remains is the follow-up visit."""
    case = gen_case(status="confirmation_accepted")
    ruling = "经审查，申请人达成的调解协议符合司法确认条件，确认有效。"
    transit(case, "judge_demo", "confirm", ruling_text=ruling)
    case = reload(case)
    assert (case.status, case.ruling_text) == ("confirmed", ruling)
    performance = case.agreement.performance_deadline
    assert case.deadline_at == end_of_day(performance + timedelta(days=15))


@pytest.mark.parametrize(
    ("source", "ground"),
    [("confirmation_requested", "no_jurisdiction"), ("confirmation_accepted", "harms_others")],
)
def test_reject_confirmation_keeps_the_ground_and_stops_the_court_clock(source, ground):
    """不予受理 before acceptance, 驳回 after: the ground is kept, no deadline remains."""
    case = gen_case(status=source)
    event = transit(case, "judge_demo", "reject_confirmation", ground=ground)
    case = reload(case)
    assert (case.status, case.rejection_ground, case.deadline_at) == (
        "confirmation_rejected",
        ground,
        None,
    )
    document = case.application.ruling_document
    assert event.payload["ground"] == ground
    assert event.payload["ruling_text"] == case.application.ruling_text
    assert (event.payload["sha256"], event.payload["public_id"]) == (
        document.sha256,
        document.public_id,
    )


@pytest.mark.parametrize("source", ["confirmation_requested", "confirmation_accepted"])
def test_withdraw_confirmation_puts_the_agreement_back_in_force(source):
    """撤回确认申请: back to 协议生效, with its confirmation window running again (it has not
    closed: the parties may still apply)."""
    case = gen_case(status=source)
    transit(case, "street_demo", "withdraw_confirmation")
    case = reload(case)
    assert case.status == "agreement_effective"
    window = end_of_day(case.effective_on + timedelta(days=30))
    assert (case.clock, case.deadline_at) == ("confirmation_window", window)


def test_remediate_starts_street_mediation_again_with_a_fresh_clock():
    """重新调解 after a rejection: street level, thirty days from now."""
    case = gen_case(status="confirmation_rejected")
    now = beijing(2026, 6, 1, 9)
    transit(case, "mediator_demo", "remediate", now)
    case = reload(case)
    assert case.status == "street_mediation"
    assert case.mediation_deadline_at == beijing(2026, 7, 1, 23, 59, 59)
    assert case.deadline_at == case.mediation_deadline_at
    assert case.came_from is None


@pytest.mark.parametrize(
    ("trigger", "source"),
    [
        ("decline", "intake"),
        ("terminate", "grid_mediation"),
        ("terminate", "street_mediation"),
        ("terminate", "agreement_drafted"),
        ("withdraw", "intake"),
        ("withdraw", "agreement_drafted"),
        ("close", "agreement_effective"),
        ("close", "confirmed"),
        ("close", "confirmation_rejected"),
    ],
)
def test_terminal_states_record_when_the_case_was_concluded(trigger, source):
    """A case that ends gets concluded_at, loses its deadline and offers nothing more."""
    case = ready(gen_case(status=source), trigger)
    now = later(case)
    event = transit(case, actor_for(trigger), trigger, now)
    case = reload(case)
    assert case.status in TERMINAL_STATES
    assert (case.concluded_at, case.deadline_at, case.overdue) == (now, None, False)
    payload = payload_for(trigger, case, now)
    assert (event.reason, event.payload) == (payload.get("reason"), payload)
    assert all(
        available_triggers(case.status, role) == []
        for role in ("grid_worker", "mediator", "street_officer", "judge", "admin", "system")
    )


def test_a_case_lives_from_intake_to_closing_with_one_event_per_step():
    """The whole story at street level: every step logged, the chain intact."""
    case = gen_case("grid_demo", status="closed", mediator="mediator_demo", via="street_mediation")
    actions = [e.action for e in events(case)]
    assert actions == [
        "create",
        "accept",
        "escalate",
        "session",
        "draft_agreement",
        "sign",
        "sign",
        "sign",
        "make_effective",
        "visit",
        "close",
    ]
    assert case.version == 6
    assert case.created_at == T0
    assert list(verify_all()) == []
