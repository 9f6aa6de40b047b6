"""Where a report's sums come from: the roll-ups (the app) or the case tables (a fresh count).

Both answer the same questions for one region and view: the month's totals and the
histogram of days to agreement, a run of months, and the month split by one dimension.
Sums are dicts {measure: int, …, "amount": Decimal}; a split's sums, which a city has hundreds
of, are tuples of the BREAKDOWN_MEASURES in that order.
"""

import functools
import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from mediation.database import for_this_transaction
from mediation.extensions import db
from mediation.models import Region, User
from mediation.models.stats import (
    MEASURES,
    StatsDuration,
    StatsMediatorRollup,
    StatsRegionTotal,
    StatsRollup,
)
from mediation.stats.definitions import BREAKDOWN_MEASURES
from mediation.stats.measures import events, summed, totals
from workflows.deadlines import CHINA_TZ

CENT = Decimal("0.01")


def clean(row) -> dict:
    """A row of sums as plain numbers."""
    sums = {name: int(row.get(name) or 0) for name in MEASURES}
    # Amounts are in cents (Numeric(14, 2)); SQLite sums them as floats.
    sums["amount"] = Decimal(str(row.get("amount") or 0)).quantize(CENT)
    return sums


def split_row(row) -> tuple[int, ...]:
    """A row of a split as plain numbers: the measures a breakdown's row is made of, in
    BREAKDOWN_MEASURES order."""
    return tuple(int(row[name] or 0) for name in BREAKDOWN_MEASURES)


def empty() -> dict:
    """Sums of nothing."""
    return clean({})


@dataclass(frozen=True)
class Durations:
    """The days from intake to agreement of a month's agreements: how many, and the median
    (None when there are none)."""

    cases: int = 0
    median: float | None = None

    @classmethod
    def of(cls, histogram: dict[int, int]) -> "Durations":
        """From a histogram {days: cases}."""
        return cls(sum(histogram.values()), median_of(histogram))


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of a histogram {days: cases}: the middle one, or the mean of the two middle
    ones; None when it is empty."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)
    found, seen = [], 0
    for day, count in sorted(histogram.items()):
        found += [day for position in middle if seen <= position < seen + count]
        seen += count
    return sum(found) / 2


def month_bounds(month: str) -> tuple[datetime, datetime, date, date]:
    """The month in China time as UTC instants and as dates: (start, end, first, after)."""
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    after = date(year + number // 12, number % 12 + 1, 1)
    start, end = (
        datetime(d.year, d.month, d.day, tzinfo=CHINA_TZ).astimezone(UTC) for d in (first, after)
    )
    return start, end, first, after


def reports_engine() -> sa.Engine:
    """Where the sums are read: the replica of REPORTS_DATABASE_URL if set, else the database."""
    return db.engines.get("reports") or db.engine


def read(statement, params: dict | None = None):
    """Run a statement of sums on the reports' engine (in this session's transaction there)."""
    return db.session.execute(statement, params, bind_arguments={"bind": reports_engine()})


def tune(**settings: str) -> None:
    """PostgreSQL: planner settings for the rest of this transaction on the reports' engine.
    Elsewhere nothing."""
    for_this_transaction(reports_engine(), **settings)


class RollupReader:
    """Sums read from the monthly roll-ups: a few rows whatever the years of history.

    Its statements are built once, with the view, month and region as parameters.
    """

    def __init__(self, region: Region, view: str):
        # (No planner settings: its statements are a few index lookups, which PostgreSQL plans
        # without parallel workers, custom or generic.)
        self.region, self.view = region, view

    def _params(self, **more) -> dict:
        return {"view": self.view, "region": self.region.id, **more}

    def totals(self, month: str) -> tuple[dict, Durations]:
        """The month's sums for the region, and its agreements' days to agreement."""
        row = read(_rollup_totals(), self._params(month=month)).mappings().one()
        return clean(row), self.days(month)

    def days(self, month: str) -> Durations:
        """The days to agreement of the month's agreements in the region (from the roll-ups'
        histogram)."""
        days = read(_rollup_days(), self._params(month=month))
        return Durations.of({d: n for d, n in days if n})

    def trend(self, months: list[str]) -> dict[str, dict]:
        """Sums per month for a run of months."""
        params = self._params(months=months)
        rows = read(_rollup_trend(), params).mappings()
        return {row["month"]: clean(row) for row in rows}

    def splits(self, month: str, dimensions) -> tuple[dict[str, dict], dict[str, dict]]:
        """The month's sums a breakdown needs (BREAKDOWN_MEASURES) per value of each dimension
        (region: per child region's id), and the names of the child regions and mediators, all
        in one statement: ({dimension: {value: sums}}, names as `RawReader.splits`)."""
        # (All at once: fetched row by row, a city's hundreds cost more than the statement.)
        rows = read(_rollup_splits(), self._params(month=month)).all()
        found: dict = {dimension: {} for dimension in dimensions}
        names: dict = {"region": {}, "mediator": {}}
        # (A city has hundreds of rows: tuples, in the statement's column order.)
        for dimension, code, *values, label, label_code in rows:
            key = int(code) if dimension in IDS else code
            if dimension == "region":  # every child region, with or without cases
                names["region"][key] = {"label": label, "code": label_code}
            # A cell the operations emptied again (a case given to another mediator) shows
            # nothing.
            if dimension not in found or not any(values):
                continue
            found[dimension][key] = tuple(values)
            if dimension == "mediator" and key:
                names["mediator"][key] = {"label": label, "code": label_code}
        return found, names


# The dimensions whose values are ids (the others are codes).
IDS = ("region", "mediator")


def _sums(model, names: tuple[str, ...] = (*MEASURES, "amount")):
    """SUM of every measure column of a roll-up model (or of those named)."""
    return [sa.func.coalesce(sa.func.sum(getattr(model, name)), 0).label(name) for name in names]


def _in_cell(model, month=None):
    """The conditions of a roll-up statement: this view, month (or months) and region."""
    month = sa.bindparam("month") if month is None else month
    return (
        model.view == sa.bindparam("view"),
        model.month == month,
        model.region_id == sa.bindparam("region"),
    )


@functools.cache
def _rollup_totals():
    """The region's month: one row of the totals' table."""
    return sa.select(*_sums(StatsRegionTotal)).where(*_in_cell(StatsRegionTotal))


@functools.cache
def _rollup_days():
    return sa.select(StatsDuration.days, StatsDuration.cases).where(*_in_cell(StatsDuration))


@functools.cache
def _rollup_trend():
    """The region's months: a row of the totals' table each."""
    model = StatsRegionTotal
    months = model.month.in_(sa.bindparam("months", expanding=True))
    view, _month, region = _in_cell(model)
    return sa.select(model.month, *_sums(model)).where(view, months, region).group_by(model.month)


@functools.cache
def _rollup_splits():
    """The month split by every dimension as one UNION ALL of (dimension, code, sums, label,
    label_code): each child region's row of the totals' table beside its name (zeros where it
    has none); each mediator's row beside her name; the categories', sources' and levels'
    sums of the region's rows."""
    mediators, totals = StatsMediatorRollup, StatsRegionTotal
    view, month, _region = _in_cell(totals)
    children = sa.outerjoin(Region, totals, sa.and_(totals.region_id == Region.id, view, month))
    named = sa.outerjoin(mediators, User, User.id == mediators.mediator_id)
    kept = [sa.func.coalesce(getattr(totals, name), 0) for name in BREAKDOWN_MEASURES]
    selects = [
        # A row of the totals' table and of the mediators' is already one value's sums.
        _labelled("region", Region.id, kept, Region.name, Region.code)
        .select_from(children)
        .where(Region.parent_id == sa.bindparam("region")),
        *(
            _labelled(name, column, _sums(StatsRollup, BREAKDOWN_MEASURES))
            .where(*_in_cell(StatsRollup))
            .group_by(column)
            for name, column in (
                ("category", StatsRollup.category),
                ("source", StatsRollup.source),
                ("level", StatsRollup.level),
            )
        ),
        _labelled(
            "mediator",
            mediators.mediator_id,
            [getattr(mediators, name) for name in BREAKDOWN_MEASURES],
            User.display_name,
            User.username,
        )
        .select_from(named)
        .where(*_in_cell(mediators)),
    ]
    return sa.union_all(*selects)


def _labelled(name: str, column, sums, label=None, label_code=None):
    """A select of one dimension's rows: its name, the value as text, the measures' sums (in
    BREAKDOWN_MEASURES order) and the value's name and code (NULL where the database has
    none)."""
    dimension = sa.literal_column(f"'{name}'", sa.String).label("dimension")
    code = sa.cast(column, sa.String).label("code")
    named = [
        (sa.cast(sa.null(), sa.String) if value is None else value).label(part)
        for part, value in (("label", label), ("label_code", label_code))
    ]
    sums = [value.label(measure) for measure, value in zip(BREAKDOWN_MEASURES, sums, strict=True)]
    return sa.select(dimension, code, *sums, *named)


# The events column of each dimension (a region is split per grid, then added up per child).
RAW_COLUMNS = {"region": "grid_id", "mediator": "mediator_id"}


def raw_settings(everywhere: bool) -> dict[str, str]:
    """The planner settings of a fresh count (PostgreSQL): a plan for this month and region's
    own figures (a generic plan of a prepared statement guesses how many grids `path LIKE`
    matches, and guesses badly); no JIT compiling, which costs more than it saves here; room
    to sort a month's agreements by days in memory. Over the whole tree (everywhere) the one
    join left is each agreement by its case's key: index lookups, cheaper than hashing every
    agreement ever made, which the planner would pick."""
    settings = {"plan_cache_mode": "force_custom_plan", "jit": "off", "work_mem": "16MB"}
    if everywhere:
        settings |= {"enable_hashjoin": "off", "enable_mergejoin": "off"}
    return settings


class RawReader:
    """Sums counted afresh from the case tables (for checking the roll-ups, and the benchmark).

    Its statements are built once per view, question and scope, with the month and the region
    as parameters: building the UNION anew for every question costs more than running it.
    """

    def __init__(self, region: Region, view: str):
        self.region, self.view = region, view
        # The whole of the only tree needs no filter: every case is in one of its grids.
        self.everywhere = region.parent_id is None and (
            db.session.scalar(sa.select(sa.func.count(Region.id)).where(Region.parent_id.is_(None)))
            == 1
        )
        tune(**raw_settings(self.everywhere))
        self._counted: dict[str, tuple[dict, dict[int, int]]] = {}

    def _params(self, month: str) -> dict:
        start, end, first, after = month_bounds(month)
        prefix = self.region.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return {"start": start, "end": end, "first": first, "after": after, "path": prefix + "%"}

    def totals(self, month: str) -> tuple[dict, Durations]:
        """The month's sums for the region, and its agreements' days to agreement, in one
        query (each month counted once per reader)."""
        if month not in self._counted:
            self._counted[month] = self._count(month)
        return self._counted[month]

    def days(self, month: str) -> Durations:
        """The days to agreement of the month's agreements in the region."""
        return self.totals(month)[1]

    def _count(self, month: str) -> tuple[dict, Durations]:
        statement = _raw(self.view, "days", self.everywhere)
        rows = read(statement, self._params(month)).mappings()
        total, days = empty(), Durations()
        for row in rows:
            sums = clean(row)
            for name, value in sums.items():
                total[name] += value
            if row["days_cases"]:  # the agreements' row
                days = Durations(int(row["days_cases"]), row["days_median"])
        return total, days

    def trend(self, months: list[str]) -> dict[str, dict]:
        """Sums per month, one count per month."""
        return {month: self.totals(month)[0] for month in months}

    def splits(self, month: str, dimensions) -> tuple[dict[str, dict], dict[str, dict]]:
        """The month's sums a breakdown needs (BREAKDOWN_MEASURES) per value of each
        dimension ({dimension: {value: sums}}), and the names of the child regions (every
        one) and of the mediators with sums: {"region"|"mediator": {id: {label, code}}}."""
        found = {dimension: self.split(month, dimension) for dimension in dimensions}
        names = {
            "region": {c.id: {"label": c.name, "code": c.code} for c in self.children},
            "mediator": _mediator_names([i for i in found.get("mediator", ()) if i]),
        }
        return found, names

    def split(self, month: str, dimension: str) -> dict:
        """The month's sums per value of a dimension (region: per child region's id)."""
        column = RAW_COLUMNS.get(dimension, dimension)
        statement = _raw(self.view, column, self.everywhere)
        rows = read(statement, self._params(month)).mappings()
        found = ((row[column], split_row(row)) for row in rows)
        # As the roll-ups: a value whose breakdown sums are all 0 (a case's visit in the month,
        # say) shows nothing.
        sums = {value: each for value, each in found if any(each)}
        return _by_child(self.children, sums) if dimension == "region" else sums

    @functools.cached_property
    def children(self) -> list:
        """The region's children as rows (id, code, name, path), read once per reader."""
        return db.session.execute(
            sa.select(Region.id, Region.code, Region.name, Region.path).where(
                Region.parent_id == self.region.id
            )
        ).all()


def _mediator_names(ids: list[int]) -> dict[int, dict]:
    """{user id: {label: display name, code: username}} of these mediators."""
    if db.session.get_bind().dialect.name == "postgresql":
        # One statement whatever the count (a city has hundreds of mediators): = ANY(array).
        among = User.id == sa.any_(sa.bindparam("ids", ids, type_=postgresql.ARRAY(sa.Integer)))
    else:
        among = User.id.in_(ids)
    users = db.session.execute(sa.select(User.id, User.username, User.display_name).where(among))
    return {uid: {"label": name, "code": username} for uid, username, name in users}


@functools.cache
def _raw(view: str, column: str, everywhere: bool):
    """The month's events of a region's grids (everywhere: of every grid) summed per value of
    one column; per number of days to agreement ("days"): each kind of event on its own."""
    grids = None
    if not everywhere:
        grids = (
            sa.select(Region.id)
            .where(Region.path.like(sa.bindparam("path"), escape="\\"))
            .scalar_subquery()
        )
    start, end = sa.bindparam("start"), sa.bindparam("end")
    if view == "cohort":
        month = {"cohort": (start, end)}
    else:
        month = {"period": (start, end, sa.bindparam("first"), sa.bindparam("after"))}
    if column == "days":
        return totals(**month, grid_ids=grids)
    ev = events(**month, grid_ids=grids)
    return sa.select(ev.c[column], *summed(ev)).group_by(ev.c[column])


def _by_child(children: list, by_grid: dict) -> dict:
    """Per-grid sums added up per child region (rows with id and path)."""
    paths = dict(
        db.session.execute(
            sa.select(Region.id, Region.path).where(Region.id.in_(list(by_grid)))
        ).all()
    )
    total: dict = defaultdict(lambda: (0,) * len(BREAKDOWN_MEASURES))
    for grid_id, sums in by_grid.items():
        for child in children:
            if paths.get(grid_id, "").startswith(child.path):
                total[child.id] = tuple(map(operator.add, total[child.id], sums))
    return dict(total)
