"""Where a report's sums come from: the roll-ups (the app) or the case tables (a fresh count).

Both answer the same questions for one region and view: the month's totals and the
histogram of days to agreement, a run of months, and the month split by one dimension.
Sums are dicts {measure: int, …, "amount": Decimal}.
"""

import functools
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Region
from mediation.models.stats import MEASURES, StatsDuration, StatsMediatorRollup, StatsRollup
from mediation.stats.measures import events, summed
from workflows.deadlines import CHINA_TZ

CENT = Decimal("0.01")


def clean(row) -> dict:
    """A row of sums as plain numbers."""
    sums = {name: int(row.get(name) or 0) for name in MEASURES}
    # Amounts are in cents (Numeric(14, 2)); SQLite sums them as floats.
    sums["amount"] = Decimal(str(row.get("amount") or 0)).quantize(CENT)
    return sums


def empty() -> dict:
    """Sums of nothing."""
    return clean({})


def month_bounds(month: str) -> tuple[datetime, datetime, date, date]:
    """The month in China time as UTC instants and as dates: (start, end, first, after)."""
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    after = date(year + number // 12, number % 12 + 1, 1)
    start, end = (
        datetime(d.year, d.month, d.day, tzinfo=CHINA_TZ).astimezone(UTC) for d in (first, after)
    )
    return start, end, first, after


class RollupReader:
    """Sums read from the monthly roll-ups: a few rows whatever the years of history."""

    def __init__(self, region: Region, view: str):
        self.region, self.view = region, view

    def _where(self, model, month):
        return (model.view == self.view, model.month == month)

    def totals(self, month: str) -> tuple[dict, dict[int, int]]:
        """The month's sums for the region, and {days to agreement: cases}."""
        row = (
            db.session.execute(
                sa.select(*_sums(StatsRollup)).where(
                    *self._where(StatsRollup, month), StatsRollup.region_id == self.region.id
                )
            )
            .mappings()
            .one()
        )
        days = db.session.execute(
            sa.select(StatsDuration.days, StatsDuration.cases).where(
                *self._where(StatsDuration, month), StatsDuration.region_id == self.region.id
            )
        )
        return clean(row), {d: n for d, n in days if n}

    def trend(self, months: list[str]) -> dict[str, dict]:
        """Sums per month for a run of months."""
        rows = db.session.execute(
            sa.select(StatsRollup.month, *_sums(StatsRollup))
            .where(
                StatsRollup.view == self.view,
                StatsRollup.month.in_(months),
                StatsRollup.region_id == self.region.id,
            )
            .group_by(StatsRollup.month)
        ).mappings()
        return {row["month"]: clean(row) for row in rows}

    def split(self, month: str, dimension: str) -> dict:
        """The month's sums per value of a dimension (region: per child region's id)."""
        if dimension == "mediator":
            model, column, where = (
                StatsMediatorRollup,
                StatsMediatorRollup.mediator_id,
                StatsMediatorRollup.region_id == self.region.id,
            )
        elif dimension == "region":
            children = sa.select(Region.id).where(Region.parent_id == self.region.id)
            model, column = StatsRollup, StatsRollup.region_id
            where = StatsRollup.region_id.in_(children.scalar_subquery())
        else:
            model, column = StatsRollup, getattr(StatsRollup, dimension)
            where = StatsRollup.region_id == self.region.id
        rows = db.session.execute(
            sa.select(column.label("code"), *_sums(model))
            .where(*self._where(model, month), where)
            .group_by(column)
        ).mappings()
        # A cell the operations emptied again (a case given to another mediator) shows nothing.
        sums = {row["code"]: clean(row) for row in rows}
        return {code: values for code, values in sums.items() if any(values.values())}


def _sums(model):
    """SUM of every measure column of a roll-up model."""
    return [
        sa.func.coalesce(sa.func.sum(getattr(model, name)), 0).label(name)
        for name in (*MEASURES, "amount")
    ]


# The events column of each dimension (a region is split per grid, then added up per child).
RAW_COLUMNS = {"region": "grid_id", "mediator": "mediator_id"}


class RawReader:
    """Sums counted afresh from the case tables (for checking the roll-ups, and the benchmark).

    Its statements are built once per view and dimension, with the month and the region as
    parameters: building the UNION anew for every question costs more than running it.
    """

    def __init__(self, region: Region, view: str):
        self.region, self.view = region, view

    def _params(self, month: str) -> dict:
        start, end, first, after = month_bounds(month)
        prefix = self.region.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return {"start": start, "end": end, "first": first, "after": after, "path": prefix + "%"}

    def totals(self, month: str) -> tuple[dict, dict[int, int]]:
        """The month's sums for the region, and {days to agreement: cases}, in one query."""
        rows = db.session.execute(_raw(self.view, "days"), self._params(month)).mappings()
        total, days = empty(), {}
        for row in rows:
            sums = clean(row)
            for name, value in sums.items():
                total[name] += value
            if row["days"] is not None and sums["succeeded"]:
                days[row["days"]] = sums["succeeded"]
        return total, days

    def trend(self, months: list[str]) -> dict[str, dict]:
        """Sums per month, one count per month."""
        return {month: self.totals(month)[0] for month in months}

    def split(self, month: str, dimension: str) -> dict:
        """The month's sums per value of a dimension (region: per child region's id)."""
        column = RAW_COLUMNS.get(dimension, dimension)
        rows = db.session.execute(_raw(self.view, column), self._params(month)).mappings()
        sums = {row[column]: clean(row) for row in rows}
        return _by_child(self.region, sums) if dimension == "region" else sums


@functools.cache
def _raw(view: str, column: str):
    """The month's events of a region's grids summed per value of one column."""
    grids = (
        sa.select(Region.id)
        .where(Region.path.like(sa.bindparam("path"), escape="\\"))
        .scalar_subquery()
    )
    start, end = sa.bindparam("start"), sa.bindparam("end")
    if view == "cohort":
        ev = events(cohort=(start, end), grid_ids=grids)
    else:
        ev = events(
            period=(start, end, sa.bindparam("first"), sa.bindparam("after")), grid_ids=grids
        )
    return sa.select(ev.c[column], *summed(ev)).group_by(ev.c[column])


def _by_child(region: Region, by_grid: dict) -> dict:
    """Per-grid sums added up per child region of `region`."""
    children = db.session.execute(
        sa.select(Region.id, Region.path).where(Region.parent_id == region.id)
    ).all()
    paths = dict(
        db.session.execute(
            sa.select(Region.id, Region.path).where(Region.id.in_(list(by_grid)))
        ).all()
    )
    total: dict = defaultdict(empty)
    for grid_id, sums in by_grid.items():
        for child_id, child_path in children:
            if paths.get(grid_id, "").startswith(child_path):
                for name, value in sums.items():
                    total[child_id][name] += value
    return dict(total)
