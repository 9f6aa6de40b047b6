"""Reading a case for an operation: in the user's jurisdiction, and held for a write."""

import functools

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.access.scoping import one_case_clause, one_case_scope
from mediation.errors import Conflict, InvalidInput, NotFound
from mediation.extensions import db
from mediation.models import AuditEvent, Case, FollowUpVisit, MediationSession, User
from mediation.stats import rollups

# What an operation reads with the case it holds, in the same statement: the parties and the
# agreement the guards and side effects look at, the guards' counts of the other records,
# and the seq of the chain's head (the next audit event's number follows from it).
HELD = (
    so.joinedload(Case.parties),
    so.joinedload(Case.agreement),
    so.with_expression(
        Case.session_count,
        sa.select(sa.func.count()).where(MediationSession.case_id == Case.id).scalar_subquery(),
    ),
    so.with_expression(
        Case.performance_recorded,
        sa.exists().where(FollowUpVisit.case_id == Case.id, FollowUpVisit.performed.is_not(None)),
    ),
    so.with_expression(
        Case.audit_seq,
        sa.select(sa.func.max(AuditEvent.seq))
        .where(AuditEvent.case_id == Case.id)
        .scalar_subquery(),
    ),
)


def get_case(user: User | None, case_id: int, *, held: bool = False) -> Case:
    """The case if it exists and lies in the user's jurisdiction (None: the system); else 404.

    The jurisdiction is checked by the statement that reads the case; held reads what HELD
    names with it.
    """
    kind, params = one_case_scope(user) if user is not None else (None, {})
    return _one(_case_statement(kind, held), {"case_id": case_id, **params})


def _one(stmt, params: dict) -> Case:
    """The case a statement of _case_statement reads; 404 when there is none."""
    case = db.session.scalars(stmt, params).unique().one_or_none()
    if case is None:
        raise NotFound("案件不存在，或不在您的辖区内。")
    return case


@functools.cache
def _case_statement(scope: str | None, held: bool):
    """The statement that reads one case (:case_id), built once per kind of reading."""
    stmt = sa.select(Case).where(Case.id == sa.bindparam("case_id", type_=sa.Integer))
    if scope is not None:
        stmt = stmt.where(one_case_clause(scope))
    if held:
        stmt = stmt.options(*HELD)
    return stmt.execution_options(populate_existing=True)


@functools.cache
def _locked_statement(scope: str | None, counted: bool):
    """PostgreSQL: the held reading of _case_statement that takes the case's row too, with
    the hash of the newest audit event as its snapshot sees it and, counted, the case's
    statistical events (rollups.before_column): rows (case, hash, events)."""
    tip = (
        sa.select(AuditEvent.hash)
        .where(AuditEvent.case_id == Case.id)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    counts = rollups.before_column() if counted else sa.null()
    read = _case_statement(scope, True)
    return read.add_columns(tip, counts).with_for_update(of=Case)


def get_case_for_update(user: User | None, case_id: int, *, counted: bool = True) -> Case:
    """get_case, holding the case row until commit, with what HELD names read in the same
    statement once the row is held.

    Every operation that writes a case takes it this way first (PostgreSQL: SELECT … FOR
    UPDATE; SQLite: the database's write lock, by a write that changes nothing). Writers to
    one case then queue up: a session recorded beside another is no conflict, and the loser
    of a transition race sees the winner's version and answers 409 before it writes anything.
    The case's statistical events as they stand are noted, for the roll-ups (SQLite: at
    commit; PostgreSQL: in the statistics journal, with the audit event); an
    operation that changes no figure (a session, a signature, a reveal) passes counted=False.

    PostgreSQL takes the row and reads the case in one statement. Once it has waited for the
    row, PostgreSQL reads the row as the writer before us left it, but the rest of the
    statement (the parties, the counts, the events) as it stood when the statement began:
    every operation moves the chain's head on the row with its writes, so a head that is not
    the newest event the statement saw tells that it waited, and the case is read again (the
    row held now, the second statement sees the writer's commit). SQLite takes its lock
    first, then reads.
    """
    # Whatever the session read before may be stale, but the acting user: the request loaded
    # her, and reading her again would cost a statement. (A view passes Flask-Login's proxy.)
    actor = unproxied(user)
    for known in list(db.session.identity_map.values()):
        if known is not actor:
            db.session.expire(known)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(_sqlite_lock(), {"case_id": case_id})
        case = get_case(user, case_id, held=True)
        if counted:
            rollups.note_before(case.id)
        return case
    kind, params = one_case_scope(user) if user is not None else (None, {})
    stmt = _locked_statement(kind, counted)
    params = {"case_id": case_id, **params}
    case, tip, before = _locked(stmt, params)
    if tip != case.audit_head:
        # It waited for a writer: read again (the row held, this statement sees its commit).
        case, tip, before = _locked(stmt, params)
    if counted:
        rollups.note_before(case.id, before)
    return case


def unproxied(user: User | None) -> User | None:
    """The user herself where a view passes Flask-Login's proxy of her."""
    return getattr(user, "_get_current_object", lambda: user)()


def _locked(stmt, params: dict) -> tuple:
    """The row (case, hash, events) of a _locked_statement; 404 when there is none."""
    row = db.session.execute(stmt, params).unique().one_or_none()
    if row is None:
        raise NotFound("案件不存在，或不在您的辖区内。")
    return tuple(row)


@functools.cache
def _sqlite_lock():
    """SQLite has no row locks: a write to the case (:case_id) that changes nothing takes the
    database's."""
    cases = Case.__table__
    row = cases.c.id == sa.bindparam("case_id", type_=sa.Integer)
    return cases.update().where(row).values(audit_head=cases.c.audit_head)


def checked_version(version) -> int:
    """The case version the client saw, which a write compares with the case's.

    :raise InvalidInput (400): missing or not an integer.
    """
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput("请提供案件版本号 version（整数）。", {"version": "必填，整数"})
    return version


def ensure_current(case: Case, version: int) -> None:
    """Refuse a write made on a version of the case that is no longer its own.

    :raise Conflict (409): somebody changed the case since the client loaded it.
    """
    if version != case.version:
        raise Conflict(f"案件已被他人更新（当前版本 {case.version}），请刷新后重试。")
