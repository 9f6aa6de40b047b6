"""The audit log: each case's events form a hash chain whose head is stored on the case."""

import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.errors import ChainMoved, Conflict
from mediation.extensions import db
from mediation.models import AuditEvent, Case, StatsJournal, User
from mediation.stats import rollups
from workflows import SYSTEM
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


# ---------------------------------------------------------------------------- the chain

CHAIN_RETRIES = 5


def next_seq(case: Case) -> int:
    """The sequence number the case's next audit event gets: after the seq read with the case
    when an operation took it (Case.audit_seq), else after the newest event's."""
    last = case.audit_seq
    if last is None:
        last = db.session.scalar(
            sa.select(sa.func.max(AuditEvent.seq)).where(AuditEvent.case_id == case.id)
        )
    return (last or 0) + 1


def unflushed(case: Case) -> dict:
    """The case's columns changed in memory and not yet written, with their new values."""
    state = sa.inspect(case)
    columns = state.mapper.local_table.c
    changed = {}
    for key in state.committed_state:  # the attributes set since the case was read
        attribute = state.attrs[key]
        if key in columns and attribute.history.added:
            changed[key] = attribute.value
    return changed


def append_event(
    case: Case,
    actor: User | None,
    action: str,
    now: datetime,
    version: int | None = None,
    status: str | None = None,
    **fields,
) -> None:
    """Chain an audit event to the case in one compare-and-set UPDATE of the case row.

    The row moves only if its chain head is still the one this event links to and, for a
    transition (version given), its version is the one the user saw; then the version rises
    by one and the status becomes `status`, and every column the operation changed on the
    case so far (its side effects, its clock) is written by the same UPDATE. Otherwise
    Conflict (the version moved: the user must reload) or ChainMoved (only another event was
    appended: the caller may retry).
    """
    seq = next_seq(case)  # (when it has to ask the database, it flushes the changes first)
    event = build_event(
        case,
        seq,
        now,
        actor.id if actor else None,
        actor.role if actor else SYSTEM,
        action,
        fields.get("from_state"),
        fields.get("to_state"),
        fields.get("reason"),
        fields.get("payload") or {},
    )
    claimed = {**unflushed(case), "audit_head": event.hash, "updated_at": now}
    where = {"claim_id": case.id, "claim_head": case.audit_head}
    if version is not None:
        claimed.update(version=version + 1, status=status)
        where["claim_version"] = version
    # Core statements on the session's connection: the case's changes are this UPDATE's to
    # write (no flush first), and the event needs no unit of work.
    connection = db.session.connection()
    row = {column.key: getattr(event, column.key) for column in _EVENT_COLUMNS}
    if connection.dialect.name == "postgresql":
        # One statement: the INSERT adds the event only if the UPDATE moved the row, and the
        # case's statistical events before the operation go to the journal with it.
        before = rollups.journal_before(case.id)
        statement = _claim_and_insert(version is not None, tuple(claimed), before is not None)
        params = {**where, **{f"set_{k}": v for k, v in claimed.items()}, **row}
        if before is not None:
            params["journal_before"] = before
        moved = connection.execute(statement, params).first() is not None
    else:
        moved = connection.execute(_claim(version is not None), {**where, **claimed}).rowcount == 1
        if moved:
            connection.execute(_INSERT_EVENT, row)
    if not moved:
        current = db.session.scalar(sa.select(Case.version).where(Case.id == case.id))
        if version is not None and current != version:
            raise Conflict("案件刚被他人更新，请刷新后重试。")
        raise ChainMoved("案件刚被他人更新，请刷新后重试。")
    rollups.note_changed(case.id)
    for key, value in {**claimed, "audit_seq": seq}.items():
        # Already written by the UPDATE above: record it without a second UPDATE at commit.
        so.attributes.set_committed_value(case, key, value)
    state = sa.inspect(case)
    if state.session is not None and not any(
        state.attrs[key].history.has_changes() for key in state.committed_state
    ):
        # Nothing of the case is left to write (what remains was set to the value it had):
        # mark it clean, or each flush until the commit (SQLite's roll-ups' and the commit's
        # own) would look it over for nothing. (SQLAlchemy has no public call for this; its flush
        # ends the same way.)
        state._commit_all(state.dict, state.session.identity_map)


@functools.cache
def _claim(transition: bool):
    """UPDATE cases SET <the parameters named after columns> WHERE the row is the one the
    event was chained to (:claim_id, :claim_head; a transition: :claim_version), built once."""
    cases = Case.__table__
    where = [
        cases.c.id == sa.bindparam("claim_id"),
        cases.c.audit_head.is_not_distinct_from(sa.bindparam("claim_head", type_=sa.String)),
    ]
    if transition:
        where.append(cases.c.version == sa.bindparam("claim_version"))
    return cases.update().where(*where)


@functools.cache
def _claim_and_insert(transition: bool, columns: tuple[str, ...], journaled: bool):
    """PostgreSQL: WITH claimed AS (_claim, setting the columns named to :set_<column>)
    INSERT INTO audit_events SELECT the event's parameters (named after its columns) FROM
    claimed RETURNING its id: the event is added only where the row moved; journaled, the
    row moved also writes the case and :journal_before to the statistics journal (in a step
    of the same WITH). Built once per set of columns."""
    update = _claim(transition).values(
        {name: sa.bindparam(f"set_{name}", type_=Case.__table__.c[name].type) for name in columns}
    )
    claimed = update.returning(Case.__table__.c.id).cte("claimed")
    values = sa.select(*(sa.bindparam(c.key, type_=c.type) for c in _EVENT_COLUMNS))
    steps = [claimed]
    if journaled:
        entry = sa.select(claimed.c.id, sa.bindparam("journal_before", type_=sa.Text))
        journal = StatsJournal.__table__.insert().from_select(["case_id", "before"], entry)
        steps.append(journal.cte("journal"))
    return (
        _INSERT_EVENT.from_select([c.key for c in _EVENT_COLUMNS], values.select_from(claimed))
        .returning(AuditEvent.__table__.c.id)
        .add_cte(*steps)
    )


_EVENT_COLUMNS = [c for c in AuditEvent.__table__.c if c.key != "id"]
_INSERT_EVENT = AuditEvent.__table__.insert()


def with_retries(work, retry_on=(Conflict,), keep: bool = False):
    """Run work() in one transaction; start again when a concurrent writer got there first.

    keep: what the session holds stays as the transaction left it after the commit instead
    of being read again at its next use: for work that reads everything it holds afresh under
    the case's lock (get_case_for_update) and records what it writes (a transition's reply
    then costs no second read of the case)."""
    for attempt in range(CHAIN_RETRIES):
        try:
            result = work()
            _commit(expire=not keep)
            return result
        except retry_on:
            db.session.rollback()
            if attempt == CHAIN_RETRIES - 1:
                raise
        except Exception:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")


def _commit(expire: bool) -> None:
    """Commit the session's transaction; expire=False leaves the objects it holds loaded."""
    session = db.session()
    kept, session.expire_on_commit = session.expire_on_commit, expire
    try:
        session.commit()
    finally:
        session.expire_on_commit = kept


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
