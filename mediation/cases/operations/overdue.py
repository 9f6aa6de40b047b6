"""The overdue flags: set on every open case past its deadline, cleared where none has passed;
and the clocks that lapse (a window, not a duty) handed on to the state's next clock."""

from datetime import datetime

import sqlalchemy as sa

from mediation.cases.operations.clocks import start_clock
from mediation.cases.operations.limits import time_limits
from mediation.extensions import db
from mediation.models import Case
from workflows import TERMINAL_STATES
from workflows.clocks import CLOCKS

LAPSING = tuple(clock.key for clock in CLOCKS if clock.lapses)
BATCH = 200


def overdue_clause(now: datetime):
    """Open cases whose running clock's deadline has passed (whether or not the sweep flagged
    them). A window that has closed is no late case."""
    return sa.and_(
        Case.status.not_in(TERMINAL_STATES),
        Case.deadline_at.is_not(None),
        Case.deadline_at < now,
        Case.clock.not_in(LAPSING),
    )


def hand_on_lapsed_clocks(now: datetime) -> int:
    """Start the next clock of each case whose window has closed, in batches; how many.
    Its overdue flag is left to flag_overdue_cases, which counts it.

    Each case is re-read and re-timed under its row lock by the next batch's query only if it
    still shows a lapsed window, so two sweeps at once do the same work twice, harmlessly.
    """
    limits = time_limits()
    moved = 0
    last_id = 0
    while cases := db.session.scalars(
        sa.select(Case)
        .where(Case.clock.in_(LAPSING), Case.deadline_at < now, Case.id > last_id)
        .order_by(Case.id)
        .limit(BATCH)
        .with_for_update(of=Case)
    ).all():
        for case in cases:
            start_clock(case, case.status, now, limits)
        moved += len(cases)
        last_id = cases[-1].id
        db.session.commit()
    return moved


def flag_overdue_cases(now: datetime) -> tuple[int, int]:
    """Set and clear the overdue flags as of now, in one transaction; (flagged, cleared).

    Idempotent: two sweeps at once flag each case once between them.
    """
    late = overdue_clause(now)
    flagged = db.session.execute(
        sa.update(Case).where(late, Case.overdue.is_(False)).values(overdue=True)
    ).rowcount
    cleared = db.session.execute(
        sa.update(Case).where(Case.overdue.is_(True), sa.not_(late)).values(overdue=False)
    ).rowcount
    db.session.commit()
    return flagged, cleared
