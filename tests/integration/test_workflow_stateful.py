"""A random life for one case: hypothesis fires triggers as random users and checks invariants.

Each example starts from an empty database with the demo city and one case, which the
factories drive to a state drawn at random (so that court and closing states are explored as
well as intake). Steps either
proceed as a diligent mediator would (a trigger the state offers, fired by someone allowed,
with a payload its guards accept), meddle (any trigger, user, payload or version; a session,
visit, signature or unmasking by anyone), or let days pass and run the SLA sweep. Every call
must answer as the rules say, and after every step:

- the status is a known state, and a terminal state offers no trigger to any role;
- the version rose by exactly one per successful transition, not at all on a refusal;
- the audit log grew by one event per change and its hash chain verifies.
"""

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from mediation.access import policy
from mediation.audit import verify_all
from mediation.cases import operations as ops
from mediation.cases import sla
from mediation.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from mediation.extensions import db
from mediation.models import AuditEvent, Case
from tests.database import reset_to_demo_city
from tests.factories import (
    OTHER_COURT,
    ROUTES,
    USERNAMES,
    events,
    gen_case,
    later,
    payload_for,
    signature,
    user,
)
from workflows import (
    MEDIATION_STATES,
    ROLES,
    STATE_BY_NAME,
    STATE_CLOCKS,
    SYSTEM,
    TERMINAL_STATES,
    TRANSITION_BY_TRIGGER,
    TRANSITIONS,
    available_triggers,
)

ALLOWED = {
    "grid_worker": ["grid_demo"],
    "mediator": ["mediator_demo"],
    "street_officer": ["street_demo"],
    "judge": ["judge_demo"],
    SYSTEM: [None],
}
ALL_ROLES = [*(code for code, _ in ROLES), SYSTEM]
TRIGGERS = [t.trigger for t in TRANSITIONS]
WRONG = {
    "reason": " ",
    "reason_code": "nonsense",
    "ground": "violates_mandatory_law",
    "court": OTHER_COURT,
    "mediator": "mediator_other",
    "routes_told": ["carrier_pigeon"],
    "court_case_number": "",
    "ruling_text": "",
    "joint_application": False,
    "matter": "adoption",
}


def forward_first(status: str) -> list[str]:
    """What may be done next in status: collecting signatures and the triggers that go on
    first and thrice (hypothesis favours early choices), those that end the case once."""
    onward = ["sign_all"] if status == "agreement_drafted" else []
    ending = []
    for t in TRANSITIONS:
        if status in t.sources and t.trigger != "make_effective":
            (ending if t.dest in TERMINAL_STATES else onward).append(t.trigger)
    return onward * 3 + ending


class CaseLife(RuleBasedStateMachine):
    """One case, the demo staff, a clock, and what the log and the version must show."""

    def __init__(self):
        super().__init__()
        reset_to_demo_city()
        self.case_id = 0
        self.clock = self.version = self.logged = None

    @initialize(start=st.sampled_from(list(ROUTES)), via=st.sampled_from(MEDIATION_STATES))
    def open_a_case(self, start, via):
        """A new case, driven by the factory to any state (intake included) to start from."""
        case = gen_case(status=start, via=via)
        self.case_id, self.version, self.logged = case.id, case.version, len(events(case))
        self.clock = later(case)

    # ------------------------------------------------------------------ what the database says

    def row(self):
        """Status, version and court of the case, read fresh."""
        db.session.expire_all()
        return db.session.execute(
            sa.select(Case.status, Case.version, Case.court_id).where(Case.id == self.case_id)
        ).one()

    def tick(self) -> None:
        """Every action happens a minute after the last."""
        self.clock += timedelta(minutes=1)

    def visible_to(self, who: str | None) -> bool:
        """Jurisdiction, independently of get_case: all but 武昌's mediator; judges once sent."""
        if who is None:
            return True
        if who == "mediator_other":
            return False
        return who != "judge_demo" or self.row().court_id is not None

    # ------------------------------------------------------------------ the calls, and their rules

    def transition(self, trigger: str, who: str | None, payload: dict, version) -> None:
        """Fire, then check that the answer is the one the request deserves.

        400 for a version that is not an integer or an unknown trigger; otherwise 404 outside
        the user's jurisdiction, 403 for a role the table does not list, 409 for a stale
        version, and 422 or success only for an allowed role at the current version.
        """
        status, current, _ = self.row()
        role = user(who).role if who else SYSTEM
        known = TRANSITION_BY_TRIGGER.get(trigger)
        self.tick()
        try:
            ops.apply_transition(
                user(who) if who else None, self.case_id, trigger, version, payload, self.clock
            )
        except InvalidInput:
            assert type(version) is not int or known is None
        except NotFound:
            assert not self.visible_to(who)
        except Forbidden:
            assert self.visible_to(who) and role not in known.roles
        except Conflict:
            assert self.visible_to(who) and role in known.roles and version != current
        except Refused:
            assert self.visible_to(who) and role in known.roles and version == current
        else:
            assert role in known.roles and version == current and status in known.sources
            assert self.row().status in known.destinations
            self.version += 1
            self.logged += 1

    def record(self, kind: str, who: str, performed: bool = True) -> None:
        """A session or a visit by who: allowed roles, in scope, in the right states."""
        status = self.row().status
        self.tick()
        moment = self.clock.isoformat()
        try:
            if kind == "session":
                data = {
                    "held_at": moment,
                    "location": "调解室",
                    "attendees": "双方当事人",
                    "summary": "双方各自陈述。",
                    "outcome": "continuing",
                }
                ops.record_session(user(who), self.case_id, data, now=self.clock)
            else:
                data = {"visited_at": moment, "performed": performed, "satisfaction": "basically"}
                ops.record_visit(user(who), self.case_id, data, now=self.clock)
        except Forbidden:
            assert user(who).role not in policy.RECORDING_ROLES
        except NotFound:
            assert not self.visible_to(who)
        except Refused:
            states = policy.SESSION_STATES if kind == "session" else policy.VISIT_STATES
            assert status not in states
        else:
            self.logged += 1

    def sign(self, who: str, signer: str) -> None:
        """One signature (the seal, a transition, follows them all)."""
        status = self.row().status
        self.tick()
        try:
            ops.sign_agreement(user(who), self.case_id, signature(signer), now=self.clock)
        except Forbidden:
            assert user(who).role not in policy.MEDIATOR_ROLES
        except NotFound:
            assert not self.visible_to(who)
        except (Refused, InvalidInput):
            pass
        else:
            assert status == "agreement_drafted"
            self.logged += 1

    def seal(self, who: str) -> None:
        """The committee's seal: the agreement takes effect once everyone has signed."""
        status, version = self.row().status, self.row().version
        missing = self.missing_signers()
        holds_seal = policy.seals_for(user(who), db.session.get(Case, self.case_id))
        self.tick()
        try:
            ops.seal_agreement(user(who), self.case_id, version, now=self.clock)
        except Forbidden:
            assert not (policy.can_seal(user(who)) and holds_seal)
        except NotFound:
            assert not self.visible_to(who)
        except Refused:
            assert status != "agreement_drafted" or missing
        else:
            assert status == "agreement_drafted" and not missing
            assert self.row().status == "agreement_effective"
            self.version += 1
            self.logged += 1

    def missing_signers(self) -> list[str]:
        """Signer codes of the drafted agreement that have not signed (none without a draft)."""
        case = db.session.get(Case, self.case_id)
        if case.agreement is None:
            return []
        signed = {s.signer for s in case.agreement.signatures if s.voided_at is None}
        return [code for code in case.agreement.required_signers() if code not in signed]

    # ------------------------------------------------------------------ rules

    @rule(data=st.data())
    def proceed(self, data):
        """What a diligent mediator (or judge, or the sweep) would do next, with what it needs."""
        status = self.row().status
        options = forward_first(status)
        if not options:
            return
        trigger = data.draw(st.sampled_from(options), label="trigger")
        if trigger == "sign_all":
            for signer in self.missing_signers():
                self.sign("mediator_demo", signer)
            self.seal("mediator_demo")
            return
        if trigger == "draft_agreement":
            self.record("session", "mediator_demo")
        if trigger == "close":
            self.record("visit", "mediator_demo")
        roles = TRANSITION_BY_TRIGGER[trigger].roles
        who = data.draw(st.sampled_from([u for r in roles for u in ALLOWED[r]]), label="who")
        payload = payload_for(trigger, db.session.get(Case, self.case_id), self.clock)
        self.transition(trigger, who, payload, self.row().version)

    @rule(
        trigger=st.sampled_from([*TRIGGERS, "fly"]),
        who=st.sampled_from([*USERNAMES, None]),
        payload=st.sampled_from(["valid", "empty", "wrong"]),
        shift=st.sampled_from([0, 0, -1, 1, "text"]),
    )
    def meddle_with_a_transition(self, trigger, who, payload, shift):
        """Anything: any trigger by anyone, with a good, empty or wrong payload and version."""
        body = {
            "valid": payload_for(trigger, None, self.clock) if trigger in TRIGGERS else {},
            "empty": {},
            "wrong": WRONG,
        }[payload]
        current = self.row().version
        version = str(current) if shift == "text" else current + shift
        self.transition(trigger, who, body, version)

    @rule(
        kind=st.sampled_from(["session", "visit", "sign", "seal", "reveal"]),
        who=st.sampled_from(USERNAMES),
        pick=st.integers(0, 5),
        performed=st.booleans(),
    )
    def meddle_with_the_records(self, kind, who, pick, performed):
        """A session, visit, signature, seal or unmasking by anyone, wherever the case is."""
        if kind in ("session", "visit"):
            self.record(kind, who, performed)
        elif kind == "sign":
            candidates = [*self.missing_signers(), "mediator", "party:0"]
            self.sign(who, candidates[pick % len(candidates)])
        elif kind == "seal":
            self.seal(who)
        else:
            self.tick()
            party = db.session.get(Case, self.case_id).parties[0].id
            try:
                ops.reveal_party_field(user(who), self.case_id, party, "phone", now=self.clock)
            except Forbidden:
                assert user(who).role not in policy.REVEAL_ROLES
            except NotFound:
                assert not self.visible_to(who)
            else:
                self.logged += 1

    @rule(days=st.integers(0, 12), sweep=st.booleans())
    def time_passes(self, days, sweep):
        """Days go by; the sweep may run (and escalate an overdue grid case)."""
        self.clock += timedelta(days=days, minutes=1)
        if sweep:
            result = sla.sweep(now=self.clock)
            self.version += result.escalated
            self.logged += result.escalated

    # ------------------------------------------------------------------ invariants

    @invariant()
    def status_is_a_known_state(self):
        """Never anything outside the table."""
        assert self.row().status in STATE_BY_NAME

    @invariant()
    def terminal_states_offer_no_trigger(self):
        """Once concluded, nobody (not even the system) may do anything more."""
        status = self.row().status
        if status in TERMINAL_STATES:
            assert all(available_triggers(status, role) == [] for role in ALL_ROLES)

    @invariant()
    def the_case_runs_a_clock_of_its_state_or_none(self):
        """The clock on the row is one its state runs (the review's, extended or not); a case
        whose state runs no clock has no deadline and is never overdue."""
        db.session.expire_all()
        status, clock, deadline_at, overdue = db.session.execute(
            sa.select(Case.status, Case.clock, Case.deadline_at, Case.overdue).where(
                Case.id == self.case_id
            )
        ).one()
        runs = set(STATE_CLOCKS.get(status, ()))
        if "court_review" in runs:
            runs.add("court_review_extended")
        assert clock is None or clock in runs
        assert (clock is None) == (deadline_at is None)
        if clock is None:
            assert overdue is False

    @invariant()
    def version_counts_the_successful_transitions(self):
        """+1 per transition that happened, +0 per refusal."""
        assert self.row().version == self.version

    @invariant()
    def every_change_is_logged_and_the_chain_verifies(self):
        """One event per change, and the hash chain intact."""
        count = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.case_id == self.case_id)
        )
        assert count == self.logged
        assert list(verify_all()) == []


def test_a_case_keeps_its_invariants_whatever_anyone_does():
    """Thirty random lives of up to twenty-five steps; the same thirty on every run."""
    run_state_machine_as_test(
        CaseLife,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
