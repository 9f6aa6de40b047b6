"""Monthly statistics kept as roll-ups (DESIGN §5), so a report's cost does not grow with history.

Each row sums the measures of `mediation.stats.measures` over the cases of one cell. A case
counts in the row of its grid *and* of every region above it, so a report for any region
reads a handful of rows. The operations keep them current (`mediation.stats.rollups`): on
SQLite in the transaction that changes the case; on PostgreSQL that transaction writes a
row to StatsJournal, which a report folds into the roll-ups before it reads them. `flask
stats rebuild` computes them afresh.
"""

from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db

# The counts every roll-up row holds (the amount, in yuan, is the one decimal measure).
MEASURES = (
    "received",
    "succeeded",
    "succeeded_grid",
    "failed",
    "withdrawn",
    "declined",
    "escalated",
    "due_grid",
    "on_time_grid",
    "due_street",
    "on_time_street",
    "applied",
    "confirmed",
    "visited",
    "performed",
    "satisfied",
)


class _Measures:
    """The measure columns shared by the roll-up tables."""

    received: so.Mapped[int] = so.mapped_column(default=0)
    succeeded: so.Mapped[int] = so.mapped_column(default=0)
    succeeded_grid: so.Mapped[int] = so.mapped_column(default=0)
    failed: so.Mapped[int] = so.mapped_column(default=0)
    withdrawn: so.Mapped[int] = so.mapped_column(default=0)
    declined: so.Mapped[int] = so.mapped_column(default=0)
    escalated: so.Mapped[int] = so.mapped_column(default=0)
    due_grid: so.Mapped[int] = so.mapped_column(default=0)
    on_time_grid: so.Mapped[int] = so.mapped_column(default=0)
    due_street: so.Mapped[int] = so.mapped_column(default=0)
    on_time_street: so.Mapped[int] = so.mapped_column(default=0)
    applied: so.Mapped[int] = so.mapped_column(default=0)
    confirmed: so.Mapped[int] = so.mapped_column(default=0)
    visited: so.Mapped[int] = so.mapped_column(default=0)
    performed: so.Mapped[int] = so.mapped_column(default=0)
    satisfied: so.Mapped[int] = so.mapped_column(default=0)
    amount: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(18, 2), default=0)


class StatsRollup(_Measures, db.Model):
    """View × month × region × category × source × level (where the case is handled)."""

    __tablename__ = "stats_rollups"

    view: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)
    month: so.Mapped[str] = so.mapped_column(sa.String(7), primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(primary_key=True)
    category: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    source: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    level: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)


class StatsMediatorRollup(_Measures, db.Model):
    """View × month × region × mediator (0: none assigned), for the breakdown by mediator."""

    __tablename__ = "stats_mediator_rollups"

    view: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)
    month: so.Mapped[str] = so.mapped_column(sa.String(7), primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(primary_key=True)
    mediator_id: so.Mapped[int] = so.mapped_column(primary_key=True)


class StatsRegionTotal(_Measures, db.Model):
    """View × month × region: a region's month in one row, for the headline figures and the
    trend (the same sums as its rows in the other tables, without the splits)."""

    __tablename__ = "stats_region_totals"

    view: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)
    month: so.Mapped[str] = so.mapped_column(sa.String(7), primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(primary_key=True)


class StatsDuration(db.Model):
    """How many agreements took effect N days after intake: the median's histogram."""

    __tablename__ = "stats_durations"

    view: so.Mapped[str] = so.mapped_column(sa.String(8), primary_key=True)
    month: so.Mapped[str] = so.mapped_column(sa.String(7), primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(primary_key=True)
    days: so.Mapped[int] = so.mapped_column(primary_key=True)
    cases: so.Mapped[int] = so.mapped_column(default=0)


class StatsJournal(db.Model):
    """PostgreSQL: a case an operation changed, and its statistical events as they were just
    before (the JSON text of `rollups.before_column`), not yet added to the roll-ups: written
    by the statement that appends the operation's audit event, taken and deleted by
    `mediation.stats.journal.fold`."""

    __tablename__ = "stats_journal"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int]
    before: so.Mapped[str] = so.mapped_column(sa.Text)
