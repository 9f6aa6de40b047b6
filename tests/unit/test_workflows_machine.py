"""Firing triggers: who may, from where, where to, and in which order refusals come."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.unit.ready_facts import NOW, ready
from workflows import (
    MACHINE,
    ROLES,
    STATES,
    SYSTEM,
    TERMINAL_STATES,
    TRANSITION_BY_TRIGGER,
    TRANSITIONS,
    CaseFacts,
    GuardRefused,
    NotAvailableInState,
    RoleNotAllowed,
    UnknownTrigger,
    WorkflowError,
    available_triggers,
    fire,
)

HUMAN_ROLES = [code for code, _ in ROLES]
ALL_ROLES = [*HUMAN_ROLES, SYSTEM]

PAYLOADS = {
    "accept": {"mediator": "wangfang"},
    "decline": {"reason_code": "not_civil_dispute"},
    "escalate": {"reason_code": "complex", "reason": "涉及三户，网格层面难以协调"},
    "reopen": {"reason": "被申请人对赔偿金额提出异议"},
    "accept_application": {"court_case_number": "（2026）京0105民特123号"},
    "confirm": {"ruling_text": "本院认为，申请人达成的调解协议符合司法确认条件。"},
    "reject_confirmation": {"ground": "no_jurisdiction"},
    "withdraw_confirmation": {"reason": "双方当事人书面撤回申请"},
    "remediate": {"reason": "法院驳回后双方同意重新调解"},
    "terminate": {"reason": "双方分歧过大", "routes_told": ["litigation", "arbitration"]},
    "withdraw": {"reason": "申请人书面撤回调解申请"},
}


def fire_ready(trigger: str, status: str, role: str, **changes) -> str:
    """Fire trigger on a ready case with a valid payload."""
    return fire(trigger, ready(status, **changes), role, PAYLOADS.get(trigger, {}), NOW)


ALLOWED = [
    pytest.param(t.trigger, source, role, id=f"{t.trigger}-{source}-{role}")
    for t in TRANSITIONS
    for source in t.sources
    for role in t.roles
]


@pytest.mark.parametrize(("trigger", "source", "role"), ALLOWED)
def test_every_trigger_fires_from_each_of_its_sources_for_each_allowed_role(trigger, source, role):
    """A ready case moves to the table's destination."""
    expected = TRANSITION_BY_TRIGGER[trigger].dest or "grid_mediation"
    assert fire_ready(trigger, source, role) == expected


def test_reopen_returns_a_grid_agreement_to_grid_mediation():
    """An agreement drafted at grid level goes back to 网格调处."""
    dest = fire_ready("reopen", "agreement_drafted", "mediator", came_from="grid_mediation")
    assert dest == "grid_mediation"


def test_reopen_returns_a_street_agreement_to_street_mediation():
    """An agreement drafted at street level goes back to 街道联调."""
    dest = fire_ready("reopen", "agreement_drafted", "street_officer", came_from="street_mediation")
    assert dest == "street_mediation"


FORBIDDEN = [
    pytest.param(role, t.trigger, id=f"{role}-{t.trigger}")
    for t in TRANSITIONS
    for role in ALL_ROLES
    if role not in t.roles
]


@pytest.mark.parametrize(("role", "trigger"), FORBIDDEN)
def test_role_not_listed_for_a_trigger_is_refused(role, trigger):
    """Every role outside the trigger's list gets RoleNotAllowed, naming the action."""
    source = TRANSITION_BY_TRIGGER[trigger].sources[0]
    with pytest.raises(RoleNotAllowed, match=TRANSITION_BY_TRIGGER[trigger].label):
        fire_ready(trigger, source, role)


def test_mediator_cannot_confirm_agreement():
    """Only a judge confirms; the mediator is told so in Chinese."""
    with pytest.raises(RoleNotAllowed, match="人民调解员无权执行“裁定协议有效”"):
        fire_ready("confirm", "confirmation_accepted", "mediator")


def test_grid_worker_cannot_decline_a_case():
    """Declining is for mediators and street officers."""
    with pytest.raises(RoleNotAllowed):
        fire_ready("decline", "intake", "grid_worker")


def test_admin_can_fire_nothing():
    """The administrator manages, she does not handle cases."""
    for t in TRANSITIONS:
        with pytest.raises(RoleNotAllowed):
            fire_ready(t.trigger, t.sources[0], "admin")


WRONG_STATE = [
    pytest.param(t.trigger, s.name, id=f"{t.trigger}-{s.name}")
    for t in TRANSITIONS
    for s in STATES
    if s.name not in t.sources
]


@pytest.mark.parametrize(("trigger", "status"), WRONG_STATE)
def test_trigger_from_a_state_that_is_not_its_source_is_not_available(trigger, status):
    """A trigger fired from any other state is NotAvailableInState."""
    role = TRANSITION_BY_TRIGGER[trigger].roles[0]
    with pytest.raises(NotAvailableInState, match="案件当前状态为"):
        fire_ready(trigger, status, role)


def test_closed_case_cannot_be_closed_again():
    """The message names the current state and the action."""
    with pytest.raises(NotAvailableInState, match="案件当前状态为“结案归档”，不能执行“结案归档”"):
        fire_ready("close", "closed", "mediator")


def test_unknown_trigger_is_refused_before_anything_else():
    """An unknown trigger is reported even for a role that could do nothing."""
    with pytest.raises(UnknownTrigger, match="未知的操作"):
        fire("seal", CaseFacts(status="nowhere"), "admin")


def test_role_is_checked_before_state():
    """A judge confirming an intake case hears about the state, a mediator about her role."""
    with pytest.raises(RoleNotAllowed):
        fire("confirm", CaseFacts(status="intake"), "mediator")
    with pytest.raises(NotAvailableInState):
        fire("confirm", CaseFacts(status="intake"), "judge")


def test_state_is_checked_before_guards():
    """An empty case in the wrong state is not asked for its applicant."""
    with pytest.raises(NotAvailableInState):
        fire("accept", CaseFacts(status="grid_mediation"), "mediator")


def test_refused_accept_lists_every_missing_fact():
    """All reasons come back together, in Chinese."""
    with pytest.raises(GuardRefused) as refused:
        fire("accept", CaseFacts(), "grid_worker", {}, NOW)
    assert refused.value.reasons == [
        "请先登记至少一名申请人。",
        "请先登记至少一名被申请人。",
        "请指派一名人民调解员。",
    ]
    assert str(refused.value) == "".join(refused.value.reasons)


def test_every_workflow_error_is_a_workflow_error():
    """The web layer can catch one base class."""
    for error in (UnknownTrigger, RoleNotAllowed, NotAvailableInState, GuardRefused):
        assert issubclass(error, WorkflowError)


def test_firing_does_not_change_the_facts():
    """fire returns the destination; the caller's facts stay as they were."""
    facts = ready("grid_mediation")
    before = replace(facts)
    assert fire("escalate", facts, "grid_worker", PAYLOADS["escalate"], NOW) == "street_mediation"
    assert facts == before


def test_machine_keeps_no_case_between_calls():
    """The one machine binds nothing permanently."""
    fire_ready("accept", "intake", "mediator")
    with pytest.raises(GuardRefused):
        fire("accept", CaseFacts(), "mediator", {}, NOW)
    assert MACHINE.models == []


def test_overdue_grid_case_escalates_with_default_clock_and_limits():
    """Without now or limits, fire uses the current time and default limits."""
    facts = ready("grid_mediation", grid_deadline_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert fire("auto_escalate", facts, SYSTEM) == "street_mediation"


def test_naive_deadline_from_the_database_is_read_as_utc():
    """A naive stored deadline compares with the aware current time."""
    facts = ready("grid_mediation", grid_deadline_at=datetime(2020, 1, 1))
    assert fire("auto_escalate", facts, SYSTEM) == "street_mediation"


@pytest.mark.parametrize("status", sorted(TERMINAL_STATES))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_terminal_states_offer_no_triggers(status, role):
    """Nothing can be done on a finished case."""
    assert available_triggers(status, role) == []


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        ("intake", "grid_worker", ["accept"]),
        ("intake", "mediator", ["accept", "decline", "withdraw"]),
        ("grid_mediation", "grid_worker", ["escalate"]),
        ("grid_mediation", "mediator", ["escalate", "draft_agreement", "terminate", "withdraw"]),
        ("grid_mediation", SYSTEM, ["auto_escalate"]),
        ("agreement_drafted", "street_officer", ["reopen", "terminate", "withdraw"]),
        ("agreement_drafted", SYSTEM, ["make_effective"]),
        ("agreement_effective", "mediator", ["request_confirmation", "close"]),
        ("agreement_effective", "judge", []),
        ("confirmation_requested", "judge", ["accept_application", "reject_confirmation"]),
        ("confirmation_requested", "mediator", ["withdraw_confirmation"]),
        ("confirmation_accepted", "judge", ["confirm", "reject_confirmation"]),
        ("confirmation_rejected", "street_officer", ["remediate", "close"]),
        ("street_mediation", "admin", []),
    ],
)
def test_available_triggers_per_role(status, role, expected):
    """The buttons a user sees, in table order."""
    assert available_triggers(status, role) == expected


@pytest.mark.parametrize("status", [s.name for s in STATES])
@pytest.mark.parametrize("role", HUMAN_ROLES)
def test_system_triggers_are_never_offered_to_people(status, role):
    """Nobody gets an auto_escalate or make_effective button."""
    offered = available_triggers(status, role)
    assert "auto_escalate" not in offered
    assert "make_effective" not in offered
