"""One policy, three answers that must agree: the case page, access.policy and the operations.

For every demo role (and mediator_other, to whom a case on GRID never exists) and every state
gen_case can build, on a fresh case: the page shows a button, form or link exactly when the
policy says yes for this case; when it says yes the operation is not refused for the role (403)
nor for the state (422 with the state's reason); when it says no for the role alone the
operation answers 403; when no only for the state, 422. A case out of the user's scope is 404
on the page and NotFound from the operation (or 403 first, from an operation that asks the
role before it looks the case up, for a role that may never act).

A judge's page of a case is the court's (/cases/<id> sends her to /court/cases/<id>): its
decisions are the court's triggers (can_decide and can_fire) and 延长审查期限
(can_extend_review); of the record acts it offers what the policy lets a judge do (查看完整号码,
posted to the court's own route).
"""

import re

import pytest

from mediation.access import policy
from mediation.cases import operations as ops
from mediation.errors import Forbidden, InvalidInput, NotFound, Refused
from tests.factories import (
    DEMO_USER,
    ROUTES,
    gen_case,
    later,
    payload_for,
    reload,
    session_record,
    signature,
    signers,
    user,
    visit_record,
)
from workflows import STATE_BY_NAME, STATES, TRANSITION_BY_TRIGGER, TRANSITIONS

TRIGGERS = tuple(dict.fromkeys(t.trigger for t in TRANSITIONS))
STATE_NAMES = tuple(state.name for state in STATES)
# How the court's page offers the court's triggers (the case page: data-trigger-form).
COURT_DECISIONS = {
    "accept_application": 'data-decision-form="accept"',
    "reject_confirmation": 'data-decision-form="reject"',
    "confirm": 'data-testid="confirm-link"',
}
# Acts whose operation looks the case up before it asks the role: out of scope, 404 for all.
LOOKS_FIRST = ("extend",)
EXTENSION_REASON = "案情复杂，经院长批准延长审查期限。"


def test_every_state_is_built():
    """The walk below covers the whole machine: gen_case can reach every state."""
    assert set(ROUTES) == set(STATE_NAMES)


def state_refusal(status: str, trigger: str) -> list[str]:
    """The reasons a transition is refused with when the case's state is not its source."""
    label = STATE_BY_NAME[status].label
    return [f"案件当前状态为“{label}”，不能执行“{TRANSITION_BY_TRIGGER[trigger].label}”。"]


def outcome(act) -> Exception | None:
    """Run an operation: None when it succeeded, else the operation error it raised."""
    try:
        act()
    except (Forbidden, Refused, NotFound, InvalidInput) as error:
        return error
    return None


def shown(page: str, case_id: int) -> dict[str, bool]:
    """Which acts the page offers, by the policy question that governs each."""
    return {
        "session": f'href="/cases/{case_id}/sessions/new"' in page,
        "visit": f'href="/cases/{case_id}/visits/new"' in page,
        "assign": f'action="/cases/{case_id}/mediator"' in page,
        "reveal": bool(re.search(rf'action="(/court)?/cases/{case_id}/parties/\d+/reveal', page)),
        "sign": "data-signature-form" in page,
        "extend": f'action="/court/cases/{case_id}/extend"' in page,
    }


def trigger_shown(page: str, trigger: str) -> bool:
    """Whether the page offers a trigger: its form on the case page, a link to its own page
    (申请司法确认), the decision on the court's page, or the trigger shown disabled with the
    reason its guard gives (a fact no form supplies is missing: test_action_panel)."""
    marks = (
        f'data-trigger-form="{trigger}"',
        f'data-blocked-trigger="{trigger}"',
        f'data-trigger-link="{trigger}"',
        COURT_DECISIONS.get(trigger),
    )
    return any(mark in page for mark in marks if mark)


def case_page(client, who, case_id: int):
    """What /cases/<id> shows the user; a judge is sent on to the court's page of the case."""
    response = client.get(f"/cases/{case_id}")
    if who.role != "judge" or response.status_code == 404:
        return response
    assert response.status_code == 302, f"judge: /cases/{case_id} answered {response.status_code}"
    assert response.headers["Location"].endswith(f"/court/cases/{case_id}")
    return client.get(response.headers["Location"])


def record_acts(who, case) -> dict:
    """Each record act: (the policy's question, an operation with valid input)."""
    moment = later(case)
    party = case.parties[0]
    missing = signers(case) if case.agreement else []
    signer = missing[0] if missing else "mediator"
    return {
        "session": (
            policy.can_record_session,
            lambda: ops.record_session(who, case.id, session_record(moment), now=moment),
        ),
        "visit": (
            policy.can_record_visit,
            lambda: ops.record_visit(who, case.id, visit_record(moment), now=moment),
        ),
        "assign": (
            policy.can_assign,
            lambda: ops.assign_mediator(who, case.id, "mediator_demo", now=moment),
        ),
        "reveal": (
            policy.can_reveal,
            lambda: ops.reveal_party_field(who, case.id, party.id, "id_number", now=moment),
        ),
        "sign": (
            policy.can_sign,
            lambda: ops.sign_agreement(who, case.id, signature(signer), now=moment),
        ),
        # Last: it takes the version, which an act allowed before it may have moved.
        "extend": (
            policy.can_extend_review,
            lambda: ops.extend_review(
                who, case.id, reload(case).version, reason=EXTENSION_REASON, now=moment
            ),
        ),
    }


def transition(who, case, trigger):
    """Fire trigger on the case at its version, with a payload every guard accepts."""
    moment = later(case)
    body = payload_for(trigger, case, moment)
    return lambda: ops.apply_transition(who, case.id, trigger, case.version, body, now=moment)


def check_refusal(error, who, act: str, allowed_for_role: bool, state_reasons=None):
    """A "no" from the policy: 403 for the role, else 422 for the state."""
    if not allowed_for_role:
        assert isinstance(error, Forbidden), f"{who.role} {act}: {error!r}, expected 403"
    else:
        assert isinstance(error, Refused), f"{who.role} {act}: {error!r}, expected 422"
        if state_reasons is not None:
            assert error.reasons == state_reasons, f"{who.role} {act}: {error.reasons}"


@pytest.mark.parametrize("state", STATE_NAMES)
@pytest.mark.parametrize("username", (*DEMO_USER.values(), "mediator_other"))
def test_page_policy_and_operation_agree(login, username, state):
    who = user(username)
    role = who.role
    case = gen_case(status=state)
    assert case.status == state
    response = case_page(login(username), who, case.id)
    if username == "mediator_other":  # 武昌区's mediator: the case is never hers to see
        assert response.status_code == 404

    if response.status_code == 404:
        for act, (question, run) in record_acts(who, case).items():
            error = outcome(run)
            expected = NotFound if question(who) or act in LOOKS_FIRST else Forbidden
            assert isinstance(error, expected), f"{role} {act} out of scope: {error!r}"
        for trigger in TRIGGERS:
            error = outcome(transition(who, case, trigger))
            assert isinstance(error, NotFound), f"{role} {trigger} out of scope: {error!r}"
        assert reload(case).status == state
        return

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    offered = shown(page, case.id)

    # The triggers: the page's forms are the policy's list, and refusals come as it says.
    yes_triggers = []
    for trigger in TRIGGERS:
        answer = policy.can_fire(who, trigger, case)
        on_page = trigger_shown(page, trigger)
        assert on_page == answer, f"{role} in {state}: {trigger} shown={on_page} policy={answer}"
        if trigger in COURT_DECISIONS:
            assert not answer or policy.can_decide(who, case), f"{role} in {state}: {trigger}"
        if trigger == "request_confirmation":
            assert answer == policy.can_apply_confirmation(who, case), f"{role} in {state}"
        if answer:
            yes_triggers.append(trigger)
            continue
        error = outcome(transition(who, reload(case), trigger))
        check_refusal(
            error, who, trigger, policy.can_fire(who, trigger), state_refusal(state, trigger)
        )
        assert reload(case).status == state

    # The record acts: refusals first, then the ones allowed (none of which moves the state).
    acts = record_acts(who, reload(case))
    for act, (question, run) in acts.items():
        answer = question(who, case)
        assert offered[act] == answer, f"{role} in {state}: {act} shown={offered[act]}"
        if not answer:
            check_refusal(outcome(run), who, act, question(who))
    for act, (question, run) in acts.items():
        if question(who, case):
            error = outcome(run)
            assert error is None, f"{role} in {state}: {act} allowed but {error!r}"
            assert reload(case).status == state

    # Each trigger allowed, on a fresh case of its own: not refused for the role or the state.
    for trigger in yes_triggers:
        fresh = gen_case(status=state)
        error = outcome(transition(who, fresh, trigger))
        assert error is None or isinstance(error, Refused), f"{role} {trigger}: {error!r}"
        if error is not None:  # a guard's missing facts (no session yet, no performance visit)
            assert error.reasons != state_refusal(state, trigger), f"{role} {trigger}"
