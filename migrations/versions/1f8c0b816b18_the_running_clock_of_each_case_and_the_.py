"""the running clock of each case, and the intake clock of cases waiting to be accepted

Every open case gets the clock of its state (workflows.clocks), with the city's limits: a
registered case its 受理期限, a drafted agreement its 调解期限, an effective agreement its
申请司法确认期限 (or, once that has closed, its 回访期限); a visit already recorded meets the
回访期限. The overdue flags follow.

Revision ID: 1f8c0b816b18
Revises: 5b1f0c7d2e94
Create Date: 2026-12-06 10:30:16.274413

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app

from workflows import TimeLimits
from workflows.clocks import STATE_CLOCKS, ClockFacts, running_clock
from workflows.deadlines import as_aware, legal_date

# revision identifiers, used by Alembic.
revision = "1f8c0b816b18"
down_revision = "5b1f0c7d2e94"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clock", sa.String(length=32), nullable=True))
    _set_clocks(op.get_bind())


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("clock")


# The columns read and written, typed so that SQLite's text comes back as dates and times.
cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("grid_deadline_at", sa.DateTime),
    sa.column("mediation_deadline_at", sa.DateTime),
    sa.column("effective_on", sa.Date),
    sa.column("clock", sa.String),
    sa.column("deadline_at", sa.DateTime),
    sa.column("overdue", sa.Boolean),
)
agreements = sa.table(
    "agreements", sa.column("case_id", sa.Integer), sa.column("performance_deadline", sa.Date)
)
visits = sa.table(
    "follow_up_visits", sa.column("case_id", sa.Integer), sa.column("visited_at", sa.DateTime)
)
applications = sa.table(
    "confirmation_applications",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("applied_at", sa.DateTime),
    sa.column("accepted_at", sa.DateTime),
    sa.column("extended_at", sa.DateTime),
)


def _aware(moment):
    """A stored moment as UTC (SQLite returns it naive)."""
    return as_aware(moment) if moment else None


def _stored(moment):
    """A moment as the database keeps it: UTC, naive on SQLite."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else moment


def _set_clocks(bind) -> None:
    """Start the running clock of every open case, as operations.clocks.set_clock would."""
    limits = TimeLimits.from_mapping(current_app.config.get("TIME_LIMITS", {}))
    now = datetime.now(UTC)
    rows = bind.execute(sa.select(cases).where(cases.c.status.in_(list(STATE_CLOCKS)))).all()
    if not rows:
        return
    performance = dict(bind.execute(sa.select(agreements)).all())
    visited_on: dict[int, list] = {}
    for case_id, visited_at in bind.execute(sa.select(visits)):
        visited_on.setdefault(case_id, []).append(legal_date(_aware(visited_at)))
    newest = {
        row.case_id: row
        for row in bind.execute(sa.select(applications).order_by(applications.c.id))
    }
    for case in rows:
        effective = case.effective_on
        application = newest.get(case.id)
        facts = ClockFacts(
            registered_at=_aware(case.created_at),
            grid_deadline_at=_aware(case.grid_deadline_at),
            mediation_deadline_at=_aware(case.mediation_deadline_at),
            effective_on=effective,
            performance_deadline=performance.get(case.id),
            visited=effective is not None
            and any(day >= effective for day in visited_on.get(case.id, ())),
            applied_at=_aware(application.applied_at) if application else None,
            court_accepted_at=_aware(application.accepted_at) if application else None,
            review_extended=bool(application and application.extended_at),
        )
        clock = running_clock(case.status, facts, limits, now)
        bind.execute(
            sa.update(cases)
            .where(cases.c.id == case.id)
            .values(
                clock=clock.key if clock else None,
                deadline_at=_stored(clock.deadline_at) if clock else None,
                overdue=bool(clock and clock.overdue(now)),
            )
        )
