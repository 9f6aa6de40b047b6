"""The notices a user has: how many are unread, the newest ones, marking them read."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.access.scoping import case_clause
from mediation.extensions import db
from mediation.models import Case, Notice, User
from mediation.models.types import utcnow


def _visible(user: User):
    """The user's notices about cases she may still see (a notice names its case)."""
    return sa.and_(
        Notice.user_id == user.id,
        Notice.case_id.in_(sa.select(Case.id).where(case_clause(user))),
    )


def unread_count(user: User) -> int:
    """How many of the user's notices are unread."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notice)
        .where(_visible(user), Notice.read_at.is_(None))
    )


def notices_for(user: User, limit: int = 50) -> list[Notice]:
    """The user's newest notices, newest first."""
    return list(
        db.session.scalars(
            sa.select(Notice)
            .options(so.joinedload(Notice.case))
            .where(_visible(user))
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def mark_read(user: User, notice_ids=None, now: datetime | None = None) -> int:
    """Mark the user's unread notices read (only those of `notice_ids` when given); commits.

    Notices of other users are never touched, whatever ids are passed. Returns how many
    were marked.
    """
    stmt = (
        sa.update(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    if notice_ids is not None:
        stmt = stmt.where(Notice.id.in_([i for i in notice_ids if isinstance(i, int)]))
    marked = db.session.execute(stmt).rowcount
    db.session.commit()
    return marked
