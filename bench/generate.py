"""Synthetic data for benchmarks: a city of ~2 000 grids and N cases over the last 24 months.

    python -m bench.generate --cases 1000000 [--grids 2000] [--database-url URL] [--fresh]
    python -m bench.generate --cases 20000 --status intake   # more work for bench.transitions

The schema comes from the migrations (as `flask db upgrade`), the demo city and users from
mediation.demo.seed_demo(), then the tree grows to --grids grids (bench.city). Cases
(bench.factory) are bulk-loaded in batches: COPY on PostgreSQL, executemany on SQLite, with
their parties, `create` audit event, agreement, court application and follow-up visit.
Numbers are `（year）<committee>人调字第N号`, serial per committee per year in order of
intake, continuing the case_counters already in the database. Last, the statistics'
roll-ups are rebuilt from the loaded tables (`mediation.stats.rollups.rebuild`).
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

import psycopg
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.dialects import postgresql, sqlite

from bench.city import grids_for_cases, grow_tree
from bench.common import add_url_argument, bench_url, ensure_database, is_postgres, make_app
from bench.factory import TABLES, CaseFactory
from mediation.demo import seed_demo
from mediation.demo.seasons import intake_moments
from mediation.demo.staff import ensure_staff
from mediation.extensions import db
from mediation.models import Case, CaseCounter, User
from mediation.stats.rollups import rebuild
from workflows import STATES
from workflows.deadlines import CHINA_TZ

BATCH = 10_000
# From this many cases on, plain indexes are rebuilt after the load instead of kept up to date.
DEFER_INDEXES_FROM = 100_000
# Cases are received over the last 24 months.
DAYS = 730


class PostgresWriter:
    """COPY FROM STDIN through psycopg, one transaction per batch, as pg_restore loads.

    Foreign-key triggers are off for this session (session_replication_role = replica, which
    needs a superuser; without it they stay on): every id the rows refer to was read from this
    database by this run. With defer_indexes, the plain indexes of the loaded tables (not the
    primary keys or unique constraints) are dropped first and rebuilt at the end, even when
    the load fails half-way.
    """

    json_columns = True

    def __init__(self, engine, defer_indexes: bool):
        self.raw = engine.raw_connection()
        self.conn = self.raw.driver_connection
        try:
            self.conn.execute("SET session_replication_role = replica")
            self.conn.commit()
        except psycopg.errors.InsufficientPrivilege:
            self.conn.rollback()
            print("  (not a superuser: foreign keys are checked row by row)", flush=True)
        self.deferred: list[tuple[str, str]] = []
        if defer_indexes:
            self.deferred = self.conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                (list(TABLES),),
            ).fetchall()
            for name, _definition in self.deferred:
                self.conn.execute(f'DROP INDEX "{name}"')
            self.conn.commit()

    def write(self, batch: dict) -> None:
        """Load one batch (table → rows, in TABLES order) and commit it."""
        with self.conn.cursor() as cur:
            for table, columns in TABLES.items():
                rows = batch[table]
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.conn.commit()

    def close(self) -> None:
        """Rebuild the dropped indexes, then give the connection back."""
        try:
            self.conn.rollback()
            if self.deferred:
                tick = time.perf_counter()
                self.conn.execute("SET maintenance_work_mem = '1GB'")
                for _name, definition in self.deferred:
                    self.conn.execute(definition)
                self.conn.commit()
                print(
                    f"rebuilt {len(self.deferred)} indexes in {time.perf_counter() - tick:.1f} s",
                    flush=True,
                )
            self.conn.execute("RESET session_replication_role")
            self.conn.commit()
        finally:
            self.raw.close()


class CoreWriter:
    """SQLAlchemy Core executemany, for SQLite (and any other database)."""

    json_columns = False

    def __init__(self, engine, defer_indexes: bool):
        self.engine = engine

    def write(self, batch: dict) -> None:
        """Load one batch (table → rows) and commit it."""
        with self.engine.begin() as conn:
            for table, columns in TABLES.items():
                rows = [dict(zip(columns, row, strict=True)) for row in batch[table]]
                if rows:
                    conn.execute(db.metadata.tables[table].insert(), rows)

    def close(self) -> None:
        """Nothing to release."""


def save_counters(counters: dict) -> None:
    """Store the last serial given out per committee and year."""
    if not counters:
        return
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"committee_id": c, "year": y, "last": last} for (c, y), last in counters.items()]
    stmt = insert(CaseCounter).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["committee_id", "year"], set_={"last": stmt.excluded["last"]}
    )
    db.session.execute(stmt)
    db.session.commit()


def finish_postgres(engine) -> None:
    """Move the case id sequence past the loaded ids and refresh the planner's statistics."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('cases', 'id'), "
                "(SELECT coalesce(max(id), 1) FROM cases))"
            )
        )
    vacuum_analyze(engine, (*TABLES, "regions", "users", "case_counters"))


def vacuum_analyze(engine, tables) -> None:
    """VACUUM (ANALYZE) each table (PostgreSQL), outside a transaction as it must be."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(sa.text(f"VACUUM (ANALYZE) {table}"))


def drop_everything(engine) -> None:
    """Empty the bench database completely (schema included)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)


def generate(count: int, grids: int, seed: int, status: str | None = None) -> None:
    """Seed the city and load count cases, printing progress and rows per second."""
    started = time.perf_counter()
    seed_demo(with_cases=False)
    created = grow_tree(grids)
    demo = db.session.scalar(sa.select(User).where(User.username == "mediator_demo"))
    created += ensure_staff(demo.password_hash)
    city = grids_for_cases()
    print(
        f"city: {len(city)} grids, {created} new regions/committees/courts/users "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if count <= 0:
        return
    now = datetime.now(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    counters = {
        (row.committee_id, row.year): row.last for row in db.session.scalars(sa.select(CaseCounter))
    }
    first_id = (db.session.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1
    factory = CaseFactory(rng, city, counters, now, status)
    first_day = now.astimezone(CHINA_TZ).date() - timedelta(days=DAYS)
    moments = intake_moments(rng, count, first_day, now)
    db.session.commit()
    writer_class = PostgresWriter if is_postgres(str(db.engine.url)) else CoreWriter
    writer = writer_class(db.engine, defer_indexes=count >= DEFER_INDEXES_FROM)
    load_started = time.perf_counter()
    made_seconds = 0.0
    loaded_rows = dict.fromkeys(TABLES, 0)
    report_every = max(BATCH, count // 10)
    try:
        for start in range(0, count, BATCH):
            tick = time.perf_counter()
            batch = factory.batch(
                first_id + start, moments[start : start + BATCH], writer.json_columns
            )
            made_seconds += time.perf_counter() - tick
            writer.write(batch)
            for table, rows in batch.items():
                loaded_rows[table] += len(rows)
            done = min(start + BATCH, count)
            if done % report_every < BATCH or done == count:
                elapsed = time.perf_counter() - load_started
                print(f"  {done:>9} cases  {done / elapsed:>8.0f} cases/s", flush=True)
    finally:
        writer.close()
    save_counters(counters)
    loaded = time.perf_counter() - load_started
    rows = sum(loaded_rows.values())
    print(
        "loaded " + ", ".join(f"{n} {table}" for table, n in loaded_rows.items()),
        f"({rows} rows) in {loaded:.1f} s: {count / loaded:.0f} cases/s, "
        f"{rows / loaded:.0f} rows/s ({made_seconds:.1f} s of it making rows in Python; "
        "index rebuild included)",
        flush=True,
    )
    if is_postgres(str(db.engine.url)):
        tick = time.perf_counter()
        finish_postgres(db.engine)
        print(f"VACUUM ANALYZE in {time.perf_counter() - tick:.1f} s", flush=True)
    tick = time.perf_counter()
    rollups = rebuild()
    print(
        f"statistics roll-ups rebuilt in {time.perf_counter() - tick:.1f} s: "
        + ", ".join(f"{n} {table}" for table, n in rollups.items()),
        flush=True,
    )
    if is_postgres(str(db.engine.url)):
        vacuum_analyze(db.engine, rollups)
    total = db.session.scalar(sa.select(sa.func.count(Case.id)))
    print(f"the database now holds {total} cases; total {time.perf_counter() - started:.1f} s")


def main(argv=None) -> None:
    """Parse the command line, build the schema, generate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases to add (default 10000)")
    parser.add_argument(
        "--grids", type=int, default=2000, help="grow the city to this many grids (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--fresh", action="store_true", help="drop everything in the bench database first"
    )
    parser.add_argument(
        "--status",
        choices=[state.name for state in STATES],
        help="put every case in this state (e.g. intake, for bench.transitions)",
    )
    add_url_argument(parser)
    args = parser.parse_args(argv)
    url = bench_url(args.database_url)
    ensure_database(url)
    app = make_app(url)
    with app.app_context():
        if args.fresh:
            drop_everything(db.engine)
        upgrade()
        generate(args.cases, args.grids, args.seed, args.status)


if __name__ == "__main__":
    main()
