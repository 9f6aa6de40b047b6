"""PostgreSQL: the statistics journal folded into the roll-ups (`mediation.stats.rollups`).

Each operation that changes a case's figures leaves a row in `stats_journal`: the case and its
statistical events as they were before (written with its audit event, `audit.append_event`).
The fold takes the whole journal in one statement, counts those cases again and adds the
difference to the roll-ups; a report folds before it reads (`fold_pending`), and `flask stats
fold` does so on a schedule.
"""

import functools

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from mediation.extensions import db
from mediation.stats.rollups import (
    FOLD_LOCK,
    GRID_CELL,
    SOME_CASE_IN,
    TABLES,
    VALUES,
    added_values,
    cells_sql,
    row_columns,
)


def fold(connection: sa.Connection) -> int:
    """PostgreSQL: add the whole journal to the roll-ups and empty it, on a connection inside a
    transaction; the journal rows folded.

    One fold at a time (and none beside a rebuild): a second waits for the first to commit,
    and then finds only what was journalled since. Operations never wait for a fold, nor a
    fold for them: the journal's rows are written once and deleted once."""
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": FOLD_LOCK})
    return connection.execute(_fold_statement()).scalar_one()


def fold_pending() -> int:
    """PostgreSQL: fold the journal into the roll-ups now, in a transaction of its own, so
    that what is read next counts every operation committed before; the journal rows folded.
    An empty journal costs one lookup (a fold under way has not yet deleted its rows: the
    lookup sees them, and waits for it). SQLite keeps the roll-ups current itself: 0."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as connection:
        if not connection.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM stats_journal)")):
            return 0
        connection.rollback()
        with connection.begin():
            return fold(connection)


# The types of a cell's columns and of the values, as the JSON of note_before is read back.
# Written out: SQLAlchemy types the events' UNION by its first kind, whose amount is a
# written-in 0 (an integer), so the types it infers would read a sum of money as an integer.
_CELL_TYPES = {
    "grid_id": "INTEGER",
    "category": "VARCHAR",
    "source": "VARCHAR",
    "mediator_id": "INTEGER",
    "level": "VARCHAR",
    "period_month": "VARCHAR",
    "cohort_month": "VARCHAR",
    "days": "INTEGER",
}


def _quoted(names) -> str:
    """Column names for PostgreSQL, quoted, comma-separated."""
    q = postgresql.dialect().identifier_preparer.quote
    return ", ".join(map(q, names))


@functools.cache
def _fold_statement() -> sa.TextClause:
    """PostgreSQL: the statement that takes every row of the journal (deleting it) and adds
    what it tells to the roll-ups; the rows it took.

    A case's journal rows, one per operation since the last fold, each hold its events as they
    were before that operation: the first row's are those the roll-ups count. The statement
    counts the case's events as they stand now (its snapshot holds every operation whose row
    it took, and no other: an operation commits its row with its writes) and takes those
    away, per grid cell. The difference is spread over the grid and every region above it
    (the regions whose code is on its path, as `ancestors`), once by event month and once by
    intake month; then a step per table sums it per roll-up row and adds what is not zero,
    inserting the rows missing. Each step starts only once the step before has finished (the
    count of its rows is a condition of its own), and takes its rows in the order of their
    keys."""
    q = postgresql.dialect().identifier_preparer.quote
    cell, values = _quoted(GRID_CELL), _quoted(VALUES)
    record = ", ".join(
        [f"{q(c)} {_CELL_TYPES[c]}" for c in GRID_CELL]
        + [f"{q(v)} {'NUMERIC' if v == 'amount' else 'BIGINT'}" for v in VALUES]
    )
    negated = ", ".join(f"-{q(v)}" for v in VALUES)
    sums = ", ".join(f"sum({q(v)}) AS {q(v)}" for v in VALUES)
    after = cells_sql("postgresql").replace(SOME_CASE_IN, "IN (SELECT case_id FROM first)")
    ctes = [
        "taken AS (DELETE FROM stats_journal RETURNING id, case_id, before)",
        "first AS (SELECT DISTINCT ON (case_id) case_id, before FROM taken ORDER BY case_id, id)",
        "before AS (SELECT b.* FROM first CROSS JOIN LATERAL "
        f"json_to_recordset(CAST(first.before AS JSON)) AS b({record}))",
        f"after AS ({after})",
        f"delta AS (SELECT {cell}, {sums} FROM (SELECT {cell}, {values} FROM after "
        f"UNION ALL SELECT {cell}, {negated} FROM before) AS d GROUP BY {cell})",
        "spread AS (SELECT v.view, v.month, above.id AS region_id, d.* FROM delta AS d "
        "JOIN regions AS grid ON grid.id = d.grid_id "
        "JOIN regions AS above ON above.code = ANY (string_to_array(grid.path, '/')) "
        "CROSS JOIN LATERAL (VALUES ('period', d.period_month), ('cohort', d.cohort_month)) "
        "AS v(view, month))",
    ]
    before = None
    for table in TABLES:
        ctes.append(f"step_{table} AS ({_step(table, before)} RETURNING 1)")
        before = table
    sql = (
        f"WITH {', '.join(ctes)} SELECT count(*) FROM taken "
        f"WHERE (SELECT count(*) FROM step_{before}) >= 0"
    )
    return sa.text(sql)


def _step(table: str, before: str | None) -> str:
    """One table's INSERT … SELECT the sums of `spread` per row … ON CONFLICT DO UPDATE, after
    the step of the table `before` if any."""
    model, keys = TABLES[table]
    q = postgresql.dialect().identifier_preparer.quote
    name, key_list = q(model.__tablename__), _quoted(keys)
    if table == "days":
        sums = [f"sum({q('succeeded')})"]
        where = [f"{q('days')} IS NOT NULL"]
    else:
        sums = [f"sum({q(v)})" for v in VALUES]
        where = []
    if before is not None:
        where.append(f"(SELECT count(*) FROM step_{before}) >= 0")
    added = ", ".join(f"{c} = {name}.{c} + excluded.{c}" for c in map(q, added_values(table)))
    return (
        f"INSERT INTO {name} ({_quoted(row_columns(table))}) "
        f"SELECT {key_list}, {', '.join(sums)} FROM spread"
        f"{' WHERE ' + ' AND '.join(where) if where else ''} "
        f"GROUP BY {key_list} HAVING {' OR '.join(f'{s} <> 0' for s in sums)} "
        f"ORDER BY {key_list} "
        f"ON CONFLICT ({key_list}) DO UPDATE SET {added}"
    )
