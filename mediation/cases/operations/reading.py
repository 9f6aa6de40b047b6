"""Reading a case for an operation: in the user's jurisdiction, and held for a write."""

import sqlalchemy as sa

from mediation.access.scoping import case_clause
from mediation.errors import Conflict, InvalidInput, NotFound
from mediation.extensions import db
from mediation.models import Case, User
from mediation.stats import rollups


def get_case(user: User | None, case_id: int, *, for_update: bool = False) -> Case:
    """The case if it exists and lies in the user's jurisdiction (None: the system); else 404.

    for_update takes the row lock with it (PostgreSQL's SELECT … FOR UPDATE).
    """
    stmt = sa.select(Case).where(Case.id == case_id)
    if user is not None:
        stmt = stmt.where(case_clause(user))
    if for_update:
        stmt = stmt.with_for_update(of=Case)
    case = db.session.scalar(stmt)
    if case is None:
        raise NotFound("案件不存在，或不在您的辖区内。")
    return case


def get_case_for_update(user: User | None, case_id: int, *, counted: bool = True) -> Case:
    """get_case, holding the case row until commit; read afresh once it is held.

    Every operation that writes a case takes it this way first (PostgreSQL: SELECT … FOR
    UPDATE; SQLite: the database's write lock, by a write that changes nothing). Writers to
    one case then queue up: a session recorded beside another is no conflict, and the loser
    of a transition race sees the winner's version and answers 409 before it writes anything.
    The case's statistical events as they stand are noted, for the roll-ups at commit; an
    operation that changes no figure (a session, a signature, a reveal) passes counted=False.
    """
    db.session.expire_all()
    if db.engine.dialect.name == "postgresql":
        case = get_case(user, case_id, for_update=True)
    else:
        db.session.execute(
            sa.update(Case)
            .where(Case.id == case_id)
            .values(audit_head=Case.audit_head)
            .execution_options(synchronize_session=False)
        )
        case = get_case(user, case_id)
    # The statistics add the difference the operation makes to the case (stats.rollups).
    if counted:
        rollups.note_before(case.id)
    return case


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
