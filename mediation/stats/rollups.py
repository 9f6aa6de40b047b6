"""The monthly roll-ups: kept current by every operation that changes a case, or rebuilt.

An operation takes its case with `get_case_for_update`, which notes the case's events as they
stand (`note_before`); the audit event marks the case changed (`note_changed`). Its events
are counted again once it has written them, and the difference is added to the roll-ups.
Both counts come from the same SQL (`measures.events`), so roll-ups and a fresh count cannot
drift apart; `rebuild` computes every row afresh, for data loaded around the operations
(bench.generate, imports).

SQLite counts in two statements and adds the difference to the roll-up rows in Python
(`contributions`, `_rows`), just before the operation's transaction commits.

PostgreSQL keeps the roll-ups out of the operation's way. The statement that takes the case
reads its events as JSON text (`before_column`); the statement that appends the audit event
also writes that text to the journal (`stats_journal`, `journal_before`): one row, which no
other transaction touches, and no statement of its own. Counting the case again, taking the
difference and spreading it over the grid, every region above it and both views (some fifty
roll-up rows, which every operation in the city shares) is the fold's work
(`mediation.stats.journal`), for the whole journal at once, one fold at a time. A report folds
before it reads (`journal.fold_pending`), so it counts every operation committed before it
(on a replica, as far as the replica has caught up); `flask stats fold`, run with the SLA
sweep, keeps the journal short when nobody reads.
"""

import functools
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from mediation.extensions import db
from mediation.models import Region
from mediation.models.stats import (
    MEASURES,
    StatsDuration,
    StatsJournal,
    StatsMediatorRollup,
    StatsRegionTotal,
    StatsRollup,
)
from mediation.stats.measures import CELL, events, summed
from mediation.stats.readers import clean

BEFORE = "stats_before"
CHANGED = "stats_changed"
VIEW_MONTHS = (("period", "period_month"), ("cohort", "cohort_month"))
VALUES = (*MEASURES, "amount")
# PostgreSQL: the advisory lock that lets one fold (mediation.stats.journal) or rebuild run at a
# time (the bytes of "stats").
FOLD_LOCK = 0x7374617473


def note_before(case_id: int, counted: str | None = None) -> None:
    """Remember a case's events before an operation changes it (once per transaction).

    PostgreSQL: counted, the JSON text of `before_column`, read with the case, which the
    journal keeps (`journal_before`). SQLite: `contributions`, counted here."""
    before = db.session.info.setdefault(BEFORE, {})
    if case_id not in before:
        before[case_id] = counted if counted is not None else contributions(case_id)


def journal_before(case_id: int) -> str | None:
    """PostgreSQL: the case's events as they were before this transaction (note_before's JSON
    text), for the journal row the audit event's statement writes; None where they were not
    noted (an operation that changes no figure) or on SQLite."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    return db.session.info.get(BEFORE, {}).get(case_id)


def note_changed(case_id: int) -> None:
    """Mark a case changed in this transaction, if its events were noted before: SQLite adds
    the difference at commit. (An operation that counts nothing took the case uncounted.)"""
    if case_id in db.session.info.get(BEFORE, {}):
        db.session.info.setdefault(CHANGED, set()).add(case_id)


def note_created(case_id: int) -> None:
    """A case registered in this transaction: it had no events before. (PostgreSQL: its
    journal row, added to the session.)"""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.add(StatsJournal(case_id=case_id, before="[]"))
        return
    db.session.info.setdefault(BEFORE, {})[case_id] = {}
    db.session.info.setdefault(CHANGED, set()).add(case_id)


def contributions(case_id: int) -> dict[tuple, tuple[int, ...]]:
    """The case's events summed per grid cell: {(grid, category, source, mediator, level,
    period month, cohort month, days): (each of VALUES, the amount in cents)}. Integers, so
    that a difference of two is exact; each cell counts in its grid's ancestors too (`_rows`)."""
    cells = {}
    connection = db.session.connection()
    statement = _case_cells(connection.dialect.name)
    for row in connection.execute(statement, {"case_id": case_id}).mappings():
        values = clean(row)  # SQLite sums amounts as floats
        values["amount"] = int(values["amount"] * 100)
        cells[tuple(row[name] for name in GRID_CELL)] = tuple(values[name] for name in VALUES)
    return cells


# The key of a grid cell (contributions), and the parts of it that key each table's rows.
GRID_CELL = (*CELL, "period_month", "cohort_month", "days")
_LINEAGES: dict[int, tuple[int, ...]] = {}


def ancestors(grid_id: int) -> tuple[int, ...]:
    """The grid and every region above it, read from its path of codes once per process: a
    grid's codes and path never change (mediation.admin.regions), so neither do they. A grid
    added by the map's operations forgets them all (`forget_lineages`), for a database that
    gave its id out again (one emptied between tests)."""
    known = _LINEAGES.get(grid_id)
    if known is None:
        path = db.session.scalar(sa.select(Region.path).where(Region.id == grid_id)) or ""
        codes = [code for code in path.split("/") if code]
        known = tuple(db.session.scalars(sa.select(Region.id).where(Region.code.in_(codes))))
        _LINEAGES[grid_id] = known
    return known


def forget_lineages() -> None:
    """Read every grid's ancestors afresh when next needed."""
    _LINEAGES.clear()


# Where the statement below names its case before it is made a text.
_SOME_CASE = -987_654_321


@functools.cache
def _case_cells(dialect_name: str) -> sa.TextClause:
    """The events of one case (:case_id) summed per grid cell: one statement, built once per
    database."""
    text = cells_sql(dialect_name).replace(SOME_CASE_IN, "IN (:case_id)")
    return sa.text(text).bindparams(sa.bindparam("case_id", type_=sa.Integer))


SOME_CASE_IN = f"IN ({_SOME_CASE})"


@functools.cache
def cells_sql(dialect_name: str) -> str:
    """The SQL of the events of the case _SOME_CASE summed per grid cell, with its constants
    (states, levels, zeros: some forty) written in. Sent as bound parameters, they cost the
    server a plan of the whole UNION at every run; written in, its prepared plan serves every
    run."""
    ev = events(case_ids=[_SOME_CASE])
    cell = [ev.c[name] for name in GRID_CELL]
    stmt = sa.select(*cell, *summed(ev)).group_by(*cell)
    dialect = (postgresql if dialect_name == "postgresql" else sqlite).dialect()
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    # (The compiler wrote % as %% for psycopg; text() does that itself.)
    return sql.replace("%%", "%")


@functools.cache
def before_column():
    """PostgreSQL: the events of the case :case_id summed per grid cell, as the JSON text of
    an array of objects, one per cell: a scalar subquery that the statement holding the case
    reads with it (operations.reading), for note_before."""
    return _before_statement().columns(sa.column("counted", sa.Text)).scalar_subquery()


@functools.cache
def _before_statement() -> sa.TextClause:
    """PostgreSQL: the statement before_column is made of."""
    cells = _case_cells("postgresql").text
    as_json = "CAST(coalesce(json_agg(cells), CAST('[]' AS JSON)) AS TEXT)"
    sql = f"SELECT {as_json} FROM ({cells}) AS cells"
    return sa.text(sql).bindparams(sa.bindparam("case_id", type_=sa.Integer))


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
    "totals": (StatsRegionTotal, ("view", "month", "region_id")),
    "days": (StatsDuration, ("view", "month", "region_id", "days")),
}


def apply_changes(session: so.Session) -> None:
    """SQLite: add each changed case's new events minus its old ones to the roll-up rows.
    (PostgreSQL's journal rows went with the audit events.)"""
    changed = session.info.pop(CHANGED, set())
    before = session.info.pop(BEFORE, {})
    if changed and session.get_bind().dialect.name != "postgresql":
        _add_deltas(session, changed, before)


def _add_deltas(session: so.Session, changed: set[int], before: dict) -> None:
    """The changed cases' contributions now minus those noted before, per grid cell; the
    cells that changed are added to the rows of their grid and every region above it."""
    session.flush()
    delta: dict[tuple, list[int]] = {}
    for case_id in changed:
        now, then = contributions(case_id), before.get(case_id, {})
        for cell in now.keys() | then.keys():
            new, old = now.get(cell), then.get(cell)
            difference = [a - b for a, b in zip(new or ZEROS, old or ZEROS, strict=True)]
            if any(difference):
                total = delta.setdefault(cell, [0] * len(VALUES))
                total[:] = [a + b for a, b in zip(total, difference, strict=True)]
    batches = _rows(delta)
    if batches:
        _add(session, batches)


ZEROS = (0,) * len(VALUES)


def _rows(delta: dict[tuple, list[int]]) -> dict[str, list[tuple]]:
    """The roll-up rows a delta per grid cell adds to, each table's as tuples of its COLUMNS,
    in a fixed order (two transactions adding to the same rows never deadlock)."""
    rows: dict[str, dict[tuple, list[int]]] = {table: {} for table in TABLES}
    for cell, values in delta.items():
        grid_id, category, source, mediator_id, level, period_month, cohort_month, days = cell
        for region_id in ancestors(grid_id):
            for view, month in (("period", period_month), ("cohort", cohort_month)):
                keys = {
                    "main": (view, month, region_id, category, source, level),
                    "mediator": (view, month, region_id, mediator_id),
                    "totals": (view, month, region_id),
                }
                if days is not None:
                    keys["days"] = (view, month, region_id, days)
                for table, key in keys.items():
                    total = rows[table].setdefault(key, [0] * len(VALUES))
                    total[:] = [a + b for a, b in zip(total, values, strict=True)]
    batches = {}
    for table, sums in rows.items():
        batch = []
        for key in sorted(sums, key=repr):
            values = sums[key]
            if table == "days":
                values = [values[SUCCEEDED]]
            else:
                values = [*values[:-1], Decimal(values[-1]).scaleb(-2)]
            if any(values):
                batch.append((*key, *values))
        if batch:
            batches[table] = batch
    return batches


SUCCEEDED = VALUES.index("succeeded")


def added_values(table: str) -> tuple[str, ...]:
    """The columns a table's rows add to: the days' histogram counts cases, the others every
    measure and the amount."""
    return ("cases",) if table == "days" else VALUES


def row_columns(table: str) -> tuple[str, ...]:
    """A table's columns in the order of its rows' tuples: its keys, then what they add."""
    return (*TABLES[table][1], *added_values(table))


def _add(session, batches: dict[str, list[tuple]]) -> None:
    """SQLite: INSERT … ON CONFLICT DO UPDATE, each table's batch added to its rows, the tables
    in TABLES' order: a statement per table, run once per row. (Core, on the session's
    connection: the ORM's bulk insert adds nothing here but time.)"""
    connection = session.connection()
    for table, batch in batches.items():
        rows = [dict(zip(row_columns(table), row, strict=True)) for row in batch]
        connection.execute(_upsert(table), rows)


@functools.cache
def _upsert(table: str):
    """SQLite: the statement that adds a row's values to a table's row (inserted when
    missing), run once per row of a batch."""
    model, keys = TABLES[table]
    columns = model.__table__.c
    stmt = sqlite.insert(model.__table__)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: columns[name] + stmt.excluded[name] for name in added_values(table)},
    )


def forget(session: so.Session, *_args) -> None:
    """A rolled-back transaction leaves nothing to add."""
    for key in (CHANGED, BEFORE):
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


def refill(connection, which: tuple[str, ...] = tuple(TABLES)) -> dict[str, int]:
    """Replace every roll-up row (of the TABLES named) by a fresh count, on a connection inside
    a transaction (the migrations that made the tables fill them this way: the journal, made
    after them, is empty then). PostgreSQL: the tables are locked first, so operations
    committing meanwhile wait rather than deadlock with the delete; with every table, the
    journal is emptied too, its rows counted with the rest; a report waits meanwhile (its
    fold needs the journal)."""
    tables = [TABLES[name][0].__table__ for name in which]
    if connection.dialect.name == "postgresql":
        # After any fold under way, and before the next: a fold locks the journal and then
        # the roll-ups, this the other way round, and the two would deadlock.
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": FOLD_LOCK})
        # What the journal holds is counted afresh with the rest (every roll-up table at
        # once: a part of it cannot be kept back).
        if set(which) == set(TABLES):
            tables.append(StatsJournal.__table__)
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
    for table in which:
        model, keys = TABLES[table]
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
