"""Jurisdiction: a case outside the user's area answers exactly as a case that does not exist.

DESIGN §1: "Anything outside a user's scope answers 404 (never reveal that it exists)". A case
of 大智街道 (江岸区) is looked at by 武昌区's mediator and by a judge of 武昌's court.
"""

import pytest

from mediation.cases import operations as ops
from mediation.errors import NotFound, OperationError
from tests.factories import (
    NEIGHBOUR_GRID,
    OTHER_COMMUNITY_GRID,
    OTHER_COURT,
    events,
    fire,
    gen_case,
    gen_user,
    payload_for,
    reload,
    session_record,
    signature,
    user,
    visit_record,
)

MISSING = 987654
SESSION = session_record("2026-05-11T10:00")
VISIT = visit_record("2026-05-12T10:00")


@pytest.fixture
def wuchang_judge():
    """A judge of 武昌区人民法院, which does not serve 江岸区."""
    return gen_user("judge_wuchang", "judge", court=OTHER_COURT)


def operations(case_id: int, party_id: int, status: str) -> dict:
    """Each operation on case_id, as a function of the user, with input valid in status."""
    trigger = {
        "grid_mediation": "escalate",
        "agreement_drafted": "reopen",
        "agreement_effective": "close",
        "confirmation_requested": "accept_application",
    }[status]
    return {
        "apply_transition": lambda u: ops.apply_transition(
            u, case_id, trigger, 2, payload_for(trigger)
        ),
        "record_session": lambda u: ops.record_session(u, case_id, SESSION),
        "record_visit": lambda u: ops.record_visit(u, case_id, VISIT),
        "reveal_party_field": lambda u: ops.reveal_party_field(u, case_id, party_id, "phone"),
        "sign_agreement": lambda u: ops.sign_agreement(u, case_id, signature("mediator")),
        "assign_mediator": lambda u: ops.assign_mediator(u, case_id, "mediator_other"),
    }


# The state in which each operation would work for a user in scope.
READY = {
    "apply_transition": "grid_mediation",
    "record_session": "grid_mediation",
    "record_visit": "agreement_effective",
    "reveal_party_field": "grid_mediation",
    "sign_agreement": "agreement_drafted",
    "assign_mediator": "grid_mediation",
}


def answer(call, who) -> OperationError:
    """The error an operation raises for who."""
    with pytest.raises(OperationError) as error:
        call(who)
    return error.value


@pytest.mark.parametrize("operation", list(READY))
def test_another_districts_mediator_is_told_the_case_does_not_exist(operation):
    """武昌's mediator: 404 with the same words as for a missing case; nothing logged."""
    case = gen_case(status=READY[operation])
    logged, version = len(events(case)), case.version
    party = case.parties[0].id
    outside = answer(operations(case.id, party, case.status)[operation], user("mediator_other"))
    missing = answer(operations(MISSING, party, case.status)[operation], user("mediator_other"))
    assert isinstance(outside, NotFound)
    assert (outside.status, outside.message) == (404, "案件不存在，或不在您的辖区内。")
    assert (type(outside), outside.message) == (type(missing), missing.message)
    case = reload(case)
    assert (len(events(case)), case.version) == (logged, version)


@pytest.mark.parametrize(
    ("operation", "status"),
    [
        ("apply_transition", "confirmation_requested"),
        ("reveal_party_field", "confirmation_requested"),
        ("record_session", "grid_mediation"),
        ("record_visit", "agreement_effective"),
        ("sign_agreement", "agreement_drafted"),
    ],
)
def test_a_judge_of_another_court_learns_nothing_of_the_case(operation, status, wuchang_judge):
    """Sent to 江岸's court, the case is none of 武昌's business: the answer for it is the
    answer for a case that does not exist (404 where a judge may act, 403 where her role
    may not act on any case)."""
    case = gen_case(status=status)
    logged = len(events(case))
    party = case.parties[0].id
    outside = answer(operations(case.id, party, status)[operation], wuchang_judge)
    missing = answer(operations(MISSING, party, status)[operation], wuchang_judge)
    assert (type(outside), outside.status, outside.message) == (
        type(missing),
        missing.status,
        missing.message,
    )
    if operation in ("apply_transition", "reveal_party_field"):
        assert isinstance(outside, NotFound)
    assert len(events(case)) == logged


def test_the_courts_own_judge_sees_only_what_was_sent_to_her():
    """judge_demo: 404 while the case is in mediation, in scope once it reaches her court."""
    case = gen_case(status="agreement_effective")
    with pytest.raises(NotFound):
        ops.get_case(user("judge_demo"), case.id)
    with pytest.raises(NotFound):
        ops.reveal_party_field(user("judge_demo"), case.id, case.parties[0].id, "phone")
    fire(case, "mediator_demo", "request_confirmation")
    assert ops.reveal_party_field(user("judge_demo"), case.id, case.parties[0].id, "phone")


@pytest.mark.parametrize(
    ("who", "grid"),
    [
        ("grid_demo", NEIGHBOUR_GRID),
        ("mediator_demo", OTHER_COMMUNITY_GRID),
    ],
)
def test_the_neighbours_case_is_out_of_scope(who, grid):
    """A grid worker sees her grid only; a community mediator her community only."""
    case = gen_case("street_demo", status="grid_mediation", grid=grid)
    with pytest.raises(NotFound):
        ops.apply_transition(user(who), case.id, "escalate", 2, payload_for("escalate"))
    with pytest.raises(NotFound):
        ops.record_session(user(who), case.id, SESSION)
    assert reload(case).status == "grid_mediation"


def test_the_street_officer_sees_every_community_of_her_street():
    """street_demo acts on a case of 天声街社区 as on one of 工农兵社区."""
    case = gen_case("street_demo", status="grid_mediation", grid=OTHER_COMMUNITY_GRID)
    ops.apply_transition(user("street_demo"), case.id, "escalate", 2, payload_for("escalate"))
    assert reload(case).status == "street_mediation"


def test_a_party_of_another_case_cannot_be_revealed_through_this_one():
    """reveal_party_field checks that the party belongs to the case it names."""
    mine = gen_case()
    theirs = gen_case("street_demo", grid=OTHER_COMMUNITY_GRID)
    with pytest.raises(NotFound, match="当事人不存在。"):
        ops.reveal_party_field(user("mediator_demo"), mine.id, theirs.parties[0].id, "id_number")
    logged = [e.action for e in events(mine)]
    assert "reveal" not in logged


def test_revealing_a_number_is_logged():
    """Seeing a number in full writes who saw which field of whom."""
    case = gen_case()
    party = case.parties[1]
    assert ops.reveal_party_field(user("street_demo"), case.id, party.id, "phone") == (
        "027-82861234"
    )
    event = events(case)[-1]
    assert (event.action, event.actor_role) == ("reveal", "street_officer")
    assert event.payload == {"party_id": party.id, "field": "phone"}
