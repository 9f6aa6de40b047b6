"""The overdue flags: set on every open case past its deadline, cleared where none has passed."""

from datetime import datetime

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Case
from workflows import TERMINAL_STATES


def flag_overdue_cases(now: datetime) -> tuple[int, int]:
    """Set and clear the overdue flags as of now, in one transaction; (flagged, cleared).

    Idempotent: two sweeps at once flag each case once between them.
    """
    open_cases = Case.status.not_in(TERMINAL_STATES)
    flagged = db.session.execute(
        sa.update(Case)
        .where(open_cases, Case.overdue.is_(False), Case.deadline_at < now)
        .values(overdue=True)
    ).rowcount
    cleared = db.session.execute(
        sa.update(Case)
        .where(Case.overdue.is_(True), sa.or_(Case.deadline_at.is_(None), Case.deadline_at >= now))
        .values(overdue=False)
    ).rowcount
    db.session.commit()
    return flagged, cleared
