"""The audit log: each case's events form a hash chain whose head is stored on the case."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import AuditEvent, Case
from workflows.deadlines import as_aware


def canonical(value) -> str:
    """JSON with sorted keys and no spaces: the same bytes for the same content."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def sha256(text: str) -> str:
    """Hex SHA-256 of a UTF-8 string."""
    return hashlib.sha256(text.encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The hash of an event: every field that matters, and the previous event's hash."""
    return sha256(
        canonical(
            {
                "case_id": event.case_id,
                "seq": event.seq,
                "at": event.at.isoformat(),
                "actor_id": event.actor_id,
                "actor_role": event.actor_role,
                "action": event.action,
                "from": event.from_state,
                "to": event.to_state,
                "reason": event.reason,
                "payload_hash": event.payload_hash,
                "prev": event.prev_hash,
            }
        )
    )


def build_event(
    case: Case,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_role: str,
    action: str,
    from_state: str | None,
    to_state: str | None,
    reason: str | None,
    payload: dict,
) -> AuditEvent:
    """A new event chained to the case's current head (not yet added to the session)."""
    event = AuditEvent(
        case_id=case.id,
        seq=seq,
        # Hash the moment as the database will give it back: in UTC.
        at=as_aware(at).astimezone(UTC),
        actor_id=actor_id,
        actor_role=actor_role,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        payload=payload,
        payload_hash=sha256(canonical(payload)),
        prev_hash=case.audit_head,
    )
    event.hash = event_hash(event)
    return event


@dataclass
class Break:
    """Where a chain is broken, and how."""

    case_id: int
    event_id: int | None
    seq: int | None
    problem: str


def verify_case(case: Case, events: list[AuditEvent]) -> Break | None:
    """Check one case's chain: hashes, links, numbering, and that the head is the last event."""
    previous = None
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return Break(case.id, event.id, event.seq, f"序号应为 {expected_seq}")
        if event.payload_hash != sha256(canonical(event.payload)):
            return Break(case.id, event.id, event.seq, "载荷哈希不符（载荷被改动）")
        if event.prev_hash != previous:
            return Break(case.id, event.id, event.seq, "前序哈希不符（链条断裂）")
        if event.hash != event_hash(event):
            return Break(case.id, event.id, event.seq, "事件哈希不符（记录被改动）")
        previous = event.hash
    if case.audit_head != previous:
        return Break(case.id, None, None, "案件记录的链头与最后一条事件不符（事件被删除）")
    return None


def verify_all(batch: int = 500):
    """Walk every case's chain in id order; yield each Break found, at most one per case."""
    last_id = 0
    while True:
        cases = db.session.scalars(
            sa.select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch)
        ).all()
        if not cases:
            return
        ids = [c.id for c in cases]
        events: dict[int, list[AuditEvent]] = {i: [] for i in ids}
        rows = db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.case_id.in_(ids))
            .order_by(AuditEvent.case_id, AuditEvent.seq)
        )
        for event in rows:
            events[event.case_id].append(event)
        for case in cases:
            problem = verify_case(case, events[case.id])
            if problem:
                yield problem
        last_id = ids[-1]
        db.session.expunge_all()
