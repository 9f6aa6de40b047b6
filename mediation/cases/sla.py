"""The SLA sweep: escalate grid cases past their deadline, start the next clock where a window
has closed, and flag every overdue case.

Safe to run twice and concurrently: each escalation is a normal transition with the version
the sweeper read, so of two sweepers racing for one case exactly one wins and the other's
Conflict is counted and skipped; handing on a closed window is idempotent; flagging is one
idempotent UPDATE.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from mediation.cases.operations import (
    apply_transition,
    flag_overdue_cases,
    hand_on_lapsed_clocks,
)
from mediation.errors import Conflict, Refused
from mediation.extensions import db
from mediation.models import Case
from mediation.models.types import utcnow

BATCH = 200


@dataclass
class SweepResult:
    """What one sweep did."""

    escalated: int = 0
    skipped: int = 0
    handed_on: int = 0
    flagged: int = 0
    cleared: int = 0


def overdue_grid_cases(now: datetime, after_id: int) -> list[tuple[int, int]]:
    """(id, version) of the next batch of grid cases whose grid deadline has passed."""
    rows = db.session.execute(
        sa.select(Case.id, Case.version)
        .where(
            Case.status == "grid_mediation",
            Case.grid_deadline_at <= now,
            Case.id > after_id,
        )
        .order_by(Case.id)
        .limit(BATCH)
    )
    return [tuple(row) for row in rows]


def sweep(now: datetime | None = None) -> SweepResult:
    """Fire auto_escalate on overdue grid cases, hand closed windows on, set the overdue flags."""
    now = now or utcnow()
    result = SweepResult()
    last_id = 0
    while batch := overdue_grid_cases(now, last_id):
        for case_id, version in batch:
            try:
                apply_transition(None, case_id, "auto_escalate", version, {}, now=now)
                result.escalated += 1
            except (Conflict, Refused):
                result.skipped += 1
        last_id = batch[-1][0]
        db.session.expunge_all()
    result.handed_on = hand_on_lapsed_clocks(now)
    result.flagged, result.cleared = flag_overdue_cases(now)
    return result
