"""The monthly roll-ups: kept current by every operation that changes a case, or rebuilt.

An operation takes its case with `get_case_for_update`, which notes the case's events as they
stand (`note_before`); the audit event marks the case changed (`note_changed`). Just before
the transaction commits, each changed case's events are counted again and the difference is
added to the roll-up rows of its cells, in the same transaction. Both counts come from the
same SQL (`measures.events`), so roll-ups and a fresh count cannot drift apart; `rebuild`
computes every row afresh, for data loaded around the operations (bench.generate, imports).
"""

import functools
from collections import defaultdict
from decimal import Decimal
from itertools import product

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from mediation.extensions import db
from mediation.models import Region
from mediation.models.stats import MEASURES, StatsDuration, StatsMediatorRollup, StatsRollup
from mediation.stats.measures import CELL, events, summed
from mediation.stats.readers import clean

BEFORE = "stats_before"
CHANGED = "stats_changed"
LINEAGE = "stats_lineage"
VIEW_MONTHS = (("period", "period_month"), ("cohort", "cohort_month"))
VALUES = (*MEASURES, "amount")


def note_before(case_id: int) -> None:
    """Remember a case's events before an operation changes it (once per transaction)."""
    before = db.session.info.setdefault(BEFORE, {})
    if case_id not in before:
        before[case_id] = contributions(case_id)


def note_changed(case_id: int) -> None:
    """Mark a case changed in this transaction, if its events were noted before: its roll-ups
    follow at commit. (An operation that counts nothing took the case uncounted.)"""
    if case_id in db.session.info.get(BEFORE, {}):
        db.session.info.setdefault(CHANGED, set()).add(case_id)


def note_created(case_id: int) -> None:
    """A case registered in this transaction: it had no events before."""
    db.session.info.setdefault(BEFORE, {})[case_id] = {}
    db.session.info.setdefault(CHANGED, set()).add(case_id)


def contributions(case_id: int) -> dict:
    """Every roll-up cell the case counts in, with its values there: {(table, key): values}."""
    rows = db.session.execute(_case_cells(), {"case_ids": [case_id]}).mappings()
    cells: dict = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        values = clean(row)  # SQLite sums amounts as floats
        for region_id, (view, month_column) in product(ancestors(row["grid_id"]), VIEW_MONTHS):
            month = row[month_column]
            main = (view, month, region_id, row["category"], row["source"], row["level"])
            by_mediator = (view, month, region_id, row["mediator_id"])
            for name in VALUES:
                cells[("main", main)][name] += values[name]
                cells[("mediator", by_mediator)][name] += values[name]
            if row["days"] is not None:
                cells[("days", (view, month, region_id, row["days"]))]["cases"] += values[
                    "succeeded"
                ]
    return cells


def ancestors(grid_id: int) -> list[int]:
    """The grid and every region above it, read from its path of codes (once a transaction)."""
    known = db.session.info.setdefault(LINEAGE, {})
    if grid_id not in known:
        path = db.session.scalar(sa.select(Region.path).where(Region.id == grid_id)) or ""
        codes = [code for code in path.split("/") if code]
        known[grid_id] = list(
            db.session.scalars(sa.select(Region.id).where(Region.code.in_(codes)))
        )
    return known[grid_id]


@functools.cache
def _case_cells():
    """The events of some cases (:case_ids) summed per grid cell: one statement, built once."""
    ev = events(case_ids=sa.bindparam("case_ids", expanding=True))
    cell = (*(ev.c[c] for c in CELL), ev.c.period_month, ev.c.cohort_month, ev.c.days)
    return sa.select(*cell, *summed(ev)).group_by(*cell)


def lineage():
    """Pairs (grid_id, region_id) of each region and every region at or above it."""
    grid, above = so.aliased(Region), so.aliased(Region)
    return (
        sa.select(grid.id.label("grid_id"), above.id.label("region_id"))
        .join(above, sa.func.substr(grid.path, 1, sa.func.length(above.path)) == above.path)
        .subquery("lineage")
    )


TABLES = {
    "main": (StatsRollup, ("view", "month", "region_id", "category", "source", "level")),
    "mediator": (StatsMediatorRollup, ("view", "month", "region_id", "mediator_id")),
    "days": (StatsDuration, ("view", "month", "region_id", "days")),
}


def apply_changes(session: so.Session) -> None:
    """Add each changed case's new events minus its old ones to the roll-up rows. The grids'
    lineage read by `note_before` serves here too, and is forgotten with the transaction."""
    changed = session.info.pop(CHANGED, set())
    before = session.info.pop(BEFORE, {})
    try:
        if changed:
            _add_deltas(session, changed, before)
    finally:
        session.info.pop(LINEAGE, None)


def _add_deltas(session: so.Session, changed: set[int], before: dict) -> None:
    """The changed cases' contributions now minus those noted before, upserted."""
    session.flush()
    delta: dict = defaultdict(lambda: defaultdict(Decimal))
    for case_id in sorted(changed):
        for cell, values in contributions(case_id).items():
            for name, value in values.items():
                delta[cell][name] += value
        for cell, values in before.get(case_id, {}).items():
            for name, value in values.items():
                delta[cell][name] -= value
    rows = defaultdict(list)
    # A fixed order of rows: two transactions adding to the same rows never deadlock.
    for (table, key), values in sorted(delta.items(), key=lambda item: repr(item[0])):
        if any(values.values()):
            names = TABLES[table][1]
            rows[table].append({**dict(zip(names, key, strict=True)), **values})
    for table, batch in rows.items():
        _add(session, *TABLES[table], batch)


def _add(session, model, keys, batch) -> None:
    """INSERT … ON CONFLICT DO UPDATE, one statement for the batch: values added to the row's."""
    values = ("cases",) if model is StatsDuration else VALUES
    for row in batch:
        for name in values:
            value = row.get(name, 0)
            row[name] = Decimal(value) if name == "amount" else int(value)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: getattr(model, name) + stmt.excluded[name] for name in values},
    )
    session.execute(stmt, batch)


def forget(session: so.Session, *_args) -> None:
    """A rolled-back transaction leaves nothing to add."""
    for key in (CHANGED, BEFORE, LINEAGE):
        session.info.pop(key, None)


def init_app(app) -> None:
    """Follow every session's commits and rollbacks."""
    if not sa.event.contains(so.Session, "before_commit", apply_changes):
        sa.event.listen(so.Session, "before_commit", apply_changes)
        sa.event.listen(so.Session, "after_rollback", forget)


def rebuild() -> dict[str, int]:
    """Compute every roll-up row afresh from the case tables, in one transaction; row counts."""
    counts = refill(db.session.connection())
    db.session.commit()
    return counts


def refill(connection) -> dict[str, int]:
    """Replace every roll-up row by a fresh count, on a connection inside a transaction (the
    migration that made the tables fills them this way). PostgreSQL: the tables are locked
    first, so operations committing meanwhile wait rather than deadlock with the delete."""
    tables = [model.__table__ for model, _keys in TABLES.values()]
    if connection.dialect.name == "postgresql":
        names = ", ".join(table.name for table in tables)
        connection.execute(sa.text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    for table in tables:
        connection.execute(sa.delete(table))
    ev = events()
    by_view = sa.union_all(
        *(
            sa.select(
                sa.cast(sa.literal(view), sa.String(8)).label("view"),
                ev.c[month].label("month"),
                *(ev.c[c] for c in CELL),
                ev.c.days,
                *(ev.c[name] for name in VALUES),
            )
            for view, month in VIEW_MONTHS
        )
    ).subquery("by_view")
    line = lineage()
    counts = {}
    for table, (model, keys) in TABLES.items():
        dims = [line.c.region_id if k == "region_id" else by_view.c[k] for k in keys]
        if table == "days":
            measured = [sa.func.sum(by_view.c.succeeded)]
            names = [*keys, "cases"]
            where = [by_view.c.days.is_not(None)]
        else:
            measured = [sa.func.sum(by_view.c[name]) for name in VALUES]
            names = [*keys, *VALUES]
            where = []
        select = (
            sa.select(*dims, *measured)
            .select_from(by_view.join(line, line.c.grid_id == by_view.c.grid_id))
            .where(*where)
            .group_by(*dims)
        )
        connection.execute(sa.insert(model.__table__).from_select(names, select))
        # (The drivers answer -1 for the rowcount of INSERT … SELECT.)
        counts[model.__tablename__] = connection.scalar(
            sa.select(sa.func.count()).select_from(model.__table__)
        )
    return counts
