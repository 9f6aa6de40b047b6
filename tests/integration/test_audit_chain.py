"""The audit log: one hash chain per case, numbered 1..n, that `flask audit verify` checks.

Tampering is done the way someone with database access would: a raw SQL statement.
"""

import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from mediation.audit import build_event, event_hash, verify_all
from mediation.cases import operations as ops
from mediation.extensions import db
from mediation.models import AuditEvent
from tests.factories import (
    OTHER_COMMUNITY_GRID,
    T0,
    case_data,
    events,
    fire,
    gen_case,
    gen_session,
    gen_visit,
    later,
    reload,
    user,
)
from workflows.deadlines import CHINA_TZ


def tamper(sql: str, **params) -> None:
    """Run a raw statement against the log, committed, as a DBA with psql would."""
    db.session.execute(sa.text(sql), params)
    db.session.commit()
    db.session.expire_all()


def verify(runner):
    """`flask audit verify`: (exit code, what it printed)."""
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def long_case():
    """A case through intake, escalation, agreement, court, visit and closing, with extras."""
    case = gen_case(status="confirmed", via="street_mediation")
    party = case.parties[0].id
    for who in ("mediator_demo", "street_demo", "judge_demo"):
        ops.reveal_party_field(user(who), case.id, party, "id_number", now=later(case))
    gen_visit(case)
    return fire(case, "street_demo", "close")


def test_a_long_life_verifies(runner):
    """Every kind of event on one case, and a second case beside it: the chain is intact."""
    case = long_case()
    gen_case(status="street_mediation")
    assert len(events(case)) >= 15
    assert list(verify_all()) == []
    assert verify(runner) == (0, "审计链完整。\n")


def test_the_chain_is_per_case_and_numbered_from_one():
    """Interleaved work on two cases: each has its own 1..n, linked to its own previous hash."""
    first = gen_case()
    second = gen_case("street_demo", grid=OTHER_COMMUNITY_GRID)
    for case in (first, second):
        fire(case, "street_demo", "accept", mediator="street_demo")
    for case in (first, second, first):
        gen_session(case, "street_demo")
    for case in (first, second):
        chain = events(case)
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert chain[0].prev_hash is None
        assert all(e.prev_hash == p.hash for p, e in zip(chain, chain[1:], strict=False))
        assert all(e.hash == event_hash(e) for e in chain)
        assert reload(case).audit_head == chain[-1].hash
    assert {e.hash for e in events(first)}.isdisjoint(e.prev_hash for e in events(second))


def test_each_event_says_who_did_what_when():
    """Actor, role, action, states, reason, moment."""
    case = gen_case(status="street_mediation")
    escalate = events(case)[-1]
    assert escalate.actor_id == user("mediator_demo").id
    assert (escalate.actor_role, escalate.action) == ("mediator", "escalate")
    assert (escalate.from_state, escalate.to_state) == ("grid_mediation", "street_mediation")
    assert escalate.reason == "涉及多户，网格层面难以协调。"
    assert escalate.at == T0 + timedelta(minutes=2)


def reason_event(case) -> AuditEvent:
    """The escalation: an event with a reason, a payload and states."""
    return next(e for e in events(case) if e.action == "escalate")


TAMPERING = {
    "reason": ("UPDATE audit_events SET reason = :value WHERE id = :id", "双方已和解"),
    "to_state": ("UPDATE audit_events SET to_state = :value WHERE id = :id", "mediation_failed"),
    "from_state": ("UPDATE audit_events SET from_state = :value WHERE id = :id", "intake"),
    "actor_role": ("UPDATE audit_events SET actor_role = :value WHERE id = :id", "admin"),
    "payload": (
        "UPDATE audit_events SET payload = :value WHERE id = :id",
        json.dumps({"reason_code": "cannot_settle", "reason": "涉及多户，网格层面难以协调。"}),
    ),
}


@pytest.mark.parametrize("column", list(TAMPERING))
def test_an_altered_event_is_named_by_audit_verify(runner, column):
    """Change one column of one event: the command exits 1 naming the case and that event."""
    case = gen_case(status="agreement_drafted", via="street_mediation")
    gen_case(status="closed")  # an untouched neighbour
    event = reason_event(case)
    sql, value = TAMPERING[column]
    if column == "payload" and db.engine.dialect.name == "postgresql":
        sql = sql.replace(":value", "CAST(:value AS json)")
    tamper(sql, value=value, id=event.id)
    code, output = verify(runner)
    assert code == 1
    assert f"审计链断裂：案件 {case.id} 的事件 #{event.id}（序号 {event.seq}）" in output
    problem = "载荷哈希不符" if column == "payload" else "事件哈希不符"
    assert problem in output


def test_a_rehashed_forgery_breaks_the_next_link(runner):
    """Rewrite an event and recompute its own hash: the event after it no longer links."""
    case = gen_case(status="agreement_drafted", via="street_mediation")
    event = reason_event(case)
    event.reason = "双方已和解"
    forged = event_hash(event)
    db.session.rollback()
    tamper(
        "UPDATE audit_events SET reason = '双方已和解', hash = :forged WHERE id = :id",
        forged=forged,
        id=event.id,
    )
    following = events(case)[event.seq]
    code, output = verify(runner)
    assert code == 1
    assert f"事件 #{following.id}（序号 {following.seq}）：前序哈希不符（链条断裂）" in output


def test_deleting_the_newest_event_is_detected_at_the_head(runner):
    """The case row keeps the newest hash: the log without its last event does not end there."""
    case = gen_case(status="grid_mediation")
    newest = events(case)[-1]
    tamper("DELETE FROM audit_events WHERE id = :id", id=newest.id)
    code, output = verify(runner)
    assert code == 1
    assert f"案件 {case.id} 的链头" in output
    assert "事件被删除" in output


def test_deleting_an_event_in_the_middle_is_detected(runner):
    """A gap in the numbering names the event after it."""
    case = gen_case(status="street_mediation")
    second, third = events(case)[1:3]
    tamper("DELETE FROM audit_events WHERE id = :id", id=second.id)
    code, output = verify(runner)
    assert code == 1
    assert f"事件 #{third.id}（序号 3）：序号应为 2" in output


def test_an_event_appended_behind_the_operations_back_is_detected(runner):
    """A well-formed event chained to the head, inserted without moving the case's head."""
    case = gen_case()
    db.session.add(
        build_event(case, 2, later(case), None, "system", "close", "intake", "closed", None, {})
    )
    db.session.commit()
    assert [e.action for e in events(case)] == ["create", "close"]
    code, output = verify(runner)
    assert code == 1
    assert f"案件 {case.id} 的链头" in output


def test_verify_walks_every_batch_of_cases():
    """Cases are read in batches: a break in the last batch is found, and only that one."""
    ids = [gen_case().id for _ in range(5)]
    tamper("UPDATE audit_events SET action = 'close' WHERE case_id = :id", id=ids[-1])
    (found,) = verify_all(batch=2)
    assert (found.case_id, found.seq) == (ids[-1], 1)


def test_events_written_with_china_time_still_verify():
    """Operations take `now` from their callers; a China-time moment is the same moment.

    The hash must not depend on how the moment was written: the database gives it back in
    UTC, so an event hashed over '+08:00' text fails verification forever after.
    """
    china = datetime(2026, 5, 11, 9, 0, tzinfo=CHINA_TZ)
    case = ops.create_case(user("mediator_demo"), case_data(), now=china)
    ops.apply_transition(
        user("mediator_demo"),
        case.id,
        "accept",
        1,
        {"mediator": "mediator_demo"},
        now=china + timedelta(minutes=1),
    )
    assert list(verify_all()) == []
