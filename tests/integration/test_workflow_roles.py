"""Roles: whoever the table does not list for a trigger gets 403, even where she may look.

Each refusal is tried by a demo user who can see the case (so the answer is 403, not 404),
with a payload every guard accepts and, where the role can see it, the case in a state the
trigger leaves from: only the role stands in the way.
"""

import pytest

from mediation.cases import operations as ops
from mediation.errors import Forbidden
from tests.factories import (
    DEMO_USER,
    case_data,
    events,
    gen_case,
    gen_session,
    later,
    payload_for,
    reload,
    signers,
    snapshot,
    user,
)
from workflows import ROLES, SYSTEM, TRANSITIONS

HUMAN_ROLES = [code for code, _ in ROLES]
COURT_STATES = ("confirmation_requested", "confirmation_accepted", "confirmed")
NOT_ALLOWED = [
    (t.trigger, role) for t in TRANSITIONS for role in HUMAN_ROLES if role not in t.roles
]


def state_for(trigger: str, role: str) -> str:
    """A state the trigger leaves from, or, for a judge, one where the case is at her court."""
    sources = next(t.sources for t in TRANSITIONS if t.trigger == trigger)
    if role != "judge":
        return sources[0]
    return next((s for s in sources if s in COURT_STATES), "confirmation_requested")


def forbidden(case, who, trigger: str, now=None) -> Forbidden:
    """Fire trigger with a valid payload; expect 403 and the case untouched."""
    case = reload(case)
    before = snapshot(case)
    actor = None if who is None else user(who)
    with pytest.raises(Forbidden) as refusal:
        ops.apply_transition(
            actor, case.id, trigger, case.version, payload_for(trigger, case), now=now
        )
    assert snapshot(case) == before
    assert refusal.value.status == 403
    return refusal.value


@pytest.mark.parametrize(("trigger", "role"), NOT_ALLOWED, ids=[f"{t}-{r}" for t, r in NOT_ALLOWED])
def test_role_not_in_the_table_may_not_fire_the_trigger(trigger, role):
    """403 with the trigger's name, whatever the state and the payload would allow."""
    case = gen_case(status=state_for(trigger, role))
    if trigger == "draft_agreement" and role != "judge":
        gen_session(case)
    # A month on, the grid deadline has passed: auto_escalate's guard would let it through.
    now = later(case, minutes=60 * 24 * 30) if trigger == "auto_escalate" else later(case)
    label = next(t.label for t in TRANSITIONS if t.trigger == trigger)
    refusal = forbidden(case, DEMO_USER[role], trigger, now)
    assert refusal.message == f"您的角色无权执行“{label}”。"


@pytest.mark.parametrize("role", HUMAN_ROLES)
def test_only_the_system_escalates_an_overdue_grid_case_by_itself(role):
    """auto_escalate a month after the grid deadline: still 403 for every person."""
    case = gen_case(status="grid_mediation" if role != "judge" else "confirmation_requested")
    forbidden(case, DEMO_USER[role], "auto_escalate", later(case, minutes=60 * 24 * 30))


@pytest.mark.parametrize("role", HUMAN_ROLES)
def test_only_the_system_makes_an_agreement_effective(role):
    """make_effective is the last signature's doing, never a person's button."""
    case = gen_case(status="agreement_drafted" if role != "judge" else "confirmation_requested")
    forbidden(case, DEMO_USER[role], "make_effective")


HUMAN_TRIGGERS = [t for t in TRANSITIONS if SYSTEM not in t.roles]


@pytest.mark.parametrize("trigger", [t.trigger for t in HUMAN_TRIGGERS])
def test_the_system_may_not_fire_a_persons_trigger(trigger):
    """user=None is the sweep: it may escalate and make effective, nothing else."""
    case = gen_case(status=state_for(trigger, "mediator"))
    forbidden(case, None, trigger)


def test_every_demo_user_sees_the_case_used_for_these_tests():
    """The premise of this file: a case at court on GRID is visible to every staff role."""
    case = gen_case(status="confirmation_requested")
    for username in DEMO_USER.values():
        assert ops.get_case(user(username), case.id).id == case.id


# ---------------------------------------------------------------------------- other operations


@pytest.mark.parametrize("who", ["judge_demo", "admin_demo"])
def test_judges_and_admins_do_not_register_disputes(who):
    """Intake is for grid workers, mediators and street officers."""
    with pytest.raises(Forbidden, match="您的角色不能登记纠纷。"):
        ops.create_case(user(who), case_data())


@pytest.mark.parametrize("who", ["judge_demo", "admin_demo"])
def test_judges_and_admins_do_not_record_sessions_or_visits(who):
    """调解记录 and 回访记录 are the mediating side's."""
    case = gen_case(status="confirmation_requested")
    logged = len(events(case))
    with pytest.raises(Forbidden, match="您的角色不能记录调解。"):
        gen_session(case, who)
    with pytest.raises(Forbidden, match="您的角色不能登记回访。"):
        ops.record_visit(user(who), case.id, {"performed": True})
    assert len(events(case)) == logged


@pytest.mark.parametrize("who", ["grid_demo", "judge_demo", "admin_demo"])
def test_only_mediators_record_signatures(who):
    """Signatures are collected by a mediator or the street officer."""
    case = gen_case(status="agreement_drafted")
    with pytest.raises(Forbidden, match="您的角色不能登记协议签名。"):
        ops.sign_agreement(
            user(who), case.id, {"signer": "mediator", "method": "typed", "typed_name": "李调解"}
        )
    assert "mediator" in signers(case)


@pytest.mark.parametrize("who", ["grid_demo", "admin_demo"])
def test_full_id_numbers_are_for_mediators_officers_and_judges(who):
    """Grid workers and admins see masked numbers only, and cannot unmask them."""
    case = gen_case()
    with pytest.raises(Forbidden, match="您的角色不能查看完整的身份证号码或电话。"):
        ops.reveal_party_field(user(who), case.id, case.parties[0].id, "id_number")


@pytest.mark.parametrize("who", ["grid_demo", "judge_demo", "admin_demo"])
def test_only_mediators_and_officers_reassign_a_case(who):
    """指派调解员 belongs to the committee and the street."""
    case = gen_case(status="confirmation_requested")
    with pytest.raises(Forbidden, match="您的角色不能指派调解员。"):
        ops.assign_mediator(user(who), case.id, "street_demo")
    assert reload(case).mediator.username == "mediator_demo"
