"""The measures of the monthly report, counted from the case tables in SQL (never in Python).

Every measure is an *event* of a case in a month: its intake, its agreement taking effect,
its end without agreement, its escalation, an application to the court, a ruling, a visit.
`events()` is one UNION ALL of those events, each row with the case's cell (grid, category,
source, mediator, level) and two months: the event's own (period view) and the case's intake
month (cohort view). The report sums it for one month; the roll-ups sum it per cell.
"""

import functools
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from mediation.models import Agreement, Case, ConfirmationApplication, FollowUpVisit
from mediation.models.stats import MEASURES

# Where an effective agreement still stands: a case mediated again after a rejection is not
# a success until its new agreement takes effect.
SUCCESS_STATES = (
    "agreement_effective",
    "confirmation_requested",
    "confirmation_accepted",
    "confirmed",
    "confirmation_rejected",
    "closed",
)
ENDED_STATES = {"mediation_failed": "failed", "withdrawn": "withdrawn", "declined": "declined"}
SATISFIED = ("satisfied", "basically")
CELL = ("grid_id", "category", "source", "mediator_id", "level")


class china_month(FunctionElement):
    """'YYYY-MM' of a UTC timestamp in China time (UTC+8, no daylight saving)."""

    type = sa.String()
    inherit_cache = True


class date_month(FunctionElement):
    """'YYYY-MM' of a date."""

    type = sa.String()
    inherit_cache = True


class china_date(FunctionElement):
    """The calendar date in China of a UTC timestamp."""

    type = sa.Date()
    inherit_cache = True


class day_span(FunctionElement):
    """Whole days from the second date to the first."""

    type = sa.Integer()
    inherit_cache = True


class median(FunctionElement):
    """The median of a column's values, an aggregate: the middle one, or the mean of the two
    middle ones; NULL where there are none. SQLite: the aggregate `_Median` below."""

    type = sa.Float()
    inherit_cache = True


# Each function's SQL per database ({0}, {1}: its arguments). China has no daylight saving.
DIALECT_SQL = {
    china_month: {
        "postgresql": "to_char(({0}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')",
        "sqlite": "strftime('%Y-%m', {0}, '+8 hours')",
    },
    date_month: {"postgresql": "to_char({0}, 'YYYY-MM')", "sqlite": "substr({0}, 1, 7)"},
    china_date: {
        "postgresql": "CAST(({0}) AT TIME ZONE 'Asia/Shanghai' AS DATE)",
        "sqlite": "date({0}, '+8 hours')",
    },
    day_span: {
        "postgresql": "({0} - {1})",
        "sqlite": "CAST(julianday({0}) - julianday({1}) AS INTEGER)",
    },
    median: {
        "postgresql": "percentile_cont(0.5) WITHIN GROUP (ORDER BY {0})",
        "sqlite": "median({0})",
    },
}


def _compiler(template: str):
    """Compile a function's arguments into its SQL template."""

    def compile_function(element, compiler, **kw):
        return template.format(*(compiler.process(c, **kw) for c in element.clauses))

    return compile_function


for _function, _dialects in DIALECT_SQL.items():
    for _dialect, _template in _dialects.items():
        compiles(_function, _dialect)(_compiler(_template))


class _Median:
    """SQLite's `median(x)`, which it lacks: the median of the values that are not NULL."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        ordered, count = sorted(self.values), len(self.values)
        return (ordered[(count - 1) // 2] + ordered[count // 2]) / 2 if count else None


@sa.event.listens_for(sa.engine.Engine, "connect")
def _add_median(dbapi_connection, _record) -> None:
    """Give every SQLite connection the median aggregate."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_aggregate("median", 1, _Median)


# Constants written into the SQL, not bound: PostgreSQL types a UNION's columns from them.
ZERO = sa.literal_column("0", sa.Integer)
ONE = sa.literal_column("1", sa.Integer)


def _flag(condition):
    """1 where the condition holds, else 0."""
    return sa.case((condition, ONE), else_=ZERO)


# The level a case is handled at: where its agreement came from, else the street once escalated.
case_level = sa.case(
    (Case.came_from == "grid_mediation", "grid"),
    (Case.came_from == "street_mediation", "street"),
    (Case.escalated_at.is_not(None), "street"),
    else_="grid",
)


@dataclass(frozen=True)
class Kind:
    """One kind of event: the month function and date column that place it in a month, the
    tables joined to `cases` (and outer-joined: a row that may be missing), the conditions,
    and its measures {name: SQL expression}."""

    month: type
    when: sa.ColumnElement
    joins: tuple = ()
    where: tuple = ()
    measures: dict = field(default_factory=dict)
    outer: tuple = ()

    def rows(self):
        """The event as a select of the common columns (the case's cell, both months, every
        measure: those the kind does not have are 0)."""
        columns = [
            Case.grid_id.label("grid_id"),
            Case.category.label("category"),
            Case.source.label("source"),
            sa.func.coalesce(Case.mediator_id, 0).label("mediator_id"),
            case_level.label("level"),
            self.month(self.when).label("period_month"),
            china_month(Case.created_at).label("cohort_month"),
        ]
        columns += [self.measure(name).label(name) for name in (*MEASURES, "amount")]
        days = self.measures.get("days")
        columns.append((sa.null() if days is None else days).cast(sa.Integer).label("days"))
        return self.joined(sa.select(*columns))

    def measure(self, name: str):
        """The SQL of one measure of the kind (0 where it has none)."""
        value = self.measures.get(name)
        return ZERO if value is None else value

    def joined(self, stmt, with_case: bool = True):
        """A select from `cases` with the kind's tables joined and its conditions applied; or,
        with_case False, of an event kept in a table of its own (an application, a visit: its
        measures and conditions name no column of `cases`), from that table alone."""
        if self.joins and not with_case:
            return stmt.select_from(self.joins[0][0]).where(*self.where)
        stmt = stmt.select_from(Case)
        for target, on in self.joins:
            stmt = stmt.join(target, on)
        for target, on in self.outer:
            stmt = stmt.outerjoin(target, on)
        return stmt.where(*self.where)


def _on_time(level: str, done_by):
    """(due, on time) at a level: a deadline ran there, and the case ended by it."""
    deadline = Case.grid_deadline_at if level == "grid" else Case.mediation_deadline_at
    due = sa.and_(case_level == level, deadline.is_not(None))
    return _flag(due), _flag(sa.and_(due, done_by(deadline)))


@functools.cache
def kinds() -> tuple[Kind, ...]:
    """Every kind of event."""
    by_agreement = lambda deadline: Case.effective_on <= china_date(deadline)  # noqa: E731
    by_end = lambda deadline: Case.concluded_at <= deadline  # noqa: E731
    due_grid, on_time_grid = _on_time("grid", by_agreement)
    due_street, on_time_street = _on_time("street", by_agreement)
    end_due_grid, end_on_time_grid = _on_time("grid", by_end)
    end_due_street, end_on_time_street = _on_time("street", by_end)
    ended = {measure: _flag(Case.status == state) for state, measure in ENDED_STATES.items()}
    application = ((ConfirmationApplication, ConfirmationApplication.case_id == Case.id),)
    visit = ((FollowUpVisit, FollowUpVisit.case_id == Case.id),)
    return (
        Kind(china_month, Case.created_at, measures={"received": ONE}),
        Kind(
            date_month,
            Case.effective_on,
            where=(Case.effective_on.is_not(None), Case.status.in_(SUCCESS_STATES)),
            measures={
                "succeeded": ONE,
                "succeeded_grid": _flag(case_level == "grid"),
                "due_grid": due_grid,
                "on_time_grid": on_time_grid,
                "due_street": due_street,
                "on_time_street": on_time_street,
                "amount": sa.func.coalesce(Agreement.amount, 0),
                "days": day_span(Case.effective_on, china_date(Case.created_at)),
            },
            # A case has one agreement at most (unique case_id): joining adds no row.
            outer=((Agreement, Agreement.case_id == Case.id),),
        ),
        Kind(
            china_month,
            Case.concluded_at,
            where=(Case.status.in_(tuple(ENDED_STATES)), Case.concluded_at.is_not(None)),
            measures={
                "due_grid": end_due_grid,
                "on_time_grid": end_on_time_grid,
                "due_street": end_due_street,
                "on_time_street": end_on_time_street,
                **ended,
            },
        ),
        Kind(
            china_month,
            Case.escalated_at,
            where=(Case.escalated_at.is_not(None),),
            measures={"escalated": ONE},
        ),
        Kind(
            china_month,
            ConfirmationApplication.applied_at,
            application,
            measures={"applied": ONE},
        ),
        Kind(
            china_month,
            ConfirmationApplication.decided_at,
            application,
            where=(
                ConfirmationApplication.outcome == "confirmed",
                ConfirmationApplication.decided_at.is_not(None),
            ),
            measures={"confirmed": ONE},
        ),
        Kind(
            china_month,
            FollowUpVisit.visited_at,
            visit,
            measures={
                "visited": ONE,
                "performed": _flag(FollowUpVisit.performed.is_(True)),
                "satisfied": _flag(FollowUpVisit.satisfaction.in_(SATISFIED)),
            },
        ),
    )


def events(
    *,
    period: tuple[datetime, datetime, date, date] | None = None,
    cohort: tuple[datetime, datetime] | None = None,
    case_ids=None,
    grid_ids=None,
):
    """The events as one UNION ALL subquery, narrowed as asked.

    period: (start, end) of the month in UTC and as dates: each event kind in its own month.
    cohort: (start, end) in UTC: every event of the cases received then.
    case_ids / grid_ids: only those cases / grids (lists or subqueries).
    """
    selects = [narrowed(kind, kind.rows(), period, cohort, case_ids, grid_ids) for kind in kinds()]
    return sa.union_all(*selects).subquery("events")


def narrowed(kind: Kind, stmt, period=None, cohort=None, case_ids=None, grid_ids=None):
    """A select of a kind's events narrowed as `events` says."""
    if period is not None:
        start, end, first, after = period
        low, high = (first, after) if kind.when is Case.effective_on else (start, end)
        stmt = stmt.where(kind.when >= low, kind.when < high)
    if cohort is not None:
        stmt = stmt.where(Case.created_at >= cohort[0], Case.created_at < cohort[1])
    if case_ids is not None:
        stmt = stmt.where(Case.id.in_(case_ids))
    if grid_ids is not None:
        stmt = stmt.where(Case.grid_id.in_(grid_ids))
    return stmt


def totals(*, period=None, cohort=None, grid_ids=None):
    """The sums of every measure, each kind of event summed on its own (the way an index on
    its date column serves it best), as one UNION ALL of a row per kind; the agreements' row
    also has how many have a number of days to agreement (`days_cases`) and its median
    (`days_median`). Without cohort and grid_ids it counts every case's events (the whole of
    the only tree)."""
    selects = []
    for kind in kinds():
        days = kind.measures.get("days")
        sums = {name: sa.func.sum(value) for name, value in kind.measures.items()}
        # Every kind's columns of one type (a 0 is an integer, a count a bigint): PostgreSQL
        # then runs the UNION as one Append, not seven nested ones each converting its rows.
        stmt = sa.select(
            *[sums.get(name, ZERO).cast(sa.BigInteger).label(name) for name in MEASURES],
            sums.get("amount", ZERO).cast(sa.Numeric).label("amount"),
            (ZERO if days is None else sa.func.count(days)).cast(sa.BigInteger).label("days_cases"),
            (sa.null() if days is None else median(days)).cast(sa.Float).label("days_median"),
        )
        # Every event of every case, by its own month: applications and visits need no case.
        with_case = cohort is not None or grid_ids is not None
        stmt = narrowed(kind, kind.joined(stmt, with_case), period, cohort, None, grid_ids)
        selects.append(stmt)
    return sa.union_all(*selects)


def summed(events_subquery):
    """The SUM of every measure (and the amount) over an events subquery, as labelled columns."""
    return [
        sa.func.coalesce(sa.func.sum(events_subquery.c[name]), 0).label(name)
        for name in (*MEASURES, "amount")
    ]
