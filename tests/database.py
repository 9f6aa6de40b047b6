"""The test database: one per pytest-xdist worker, put back to the demo city between tests."""

import os
import sqlite3
from contextlib import closing, contextmanager

import sqlalchemy as sa

from config import database_url
from mediation.cases.search import common_texts
from mediation.demo import seed_demo
from mediation.extensions import db, limiter

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
# "gw0", "gw1"… in a pytest-xdist worker (`make test` runs the suite on every core), else "".
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


# A commit returns once PostgreSQL has it in memory, not on disk: what a test sees is the
# same (only a crash of the server could lose the last commits), and a test commits often.
QUICK_COMMITS = {"options": "-c synchronous_commit=off"}


def worker_database_url(url: str) -> str:
    """The PostgreSQL database this process tests on: `url` itself, or in a pytest-xdist
    worker `<database>_gw0`, `<database>_gw1`… on the same server, created when missing
    (each worker empties its own, so the workers never see each other's rows); its
    connections commit without waiting for the disk (QUICK_COMMITS)."""
    given = sa.make_url(database_url(url))
    if WORKER:
        given = ensure_database(given, f"{given.database}_{WORKER}")
    return given.update_query_dict(QUICK_COMMITS).render_as_string(hide_password=False)


def quick_sqlite_commits(engine: sa.Engine) -> None:
    """Let the SQLite test database's commits return without waiting for the disk
    (synchronous=OFF): what a test sees is the same, only a power cut could lose data."""

    @sa.event.listens_for(engine, "connect")
    def unsynced(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


@contextmanager
def autocommit(server: sa.URL):
    """A connection to `server` (any database on it) outside a transaction, as CREATE and
    DROP DATABASE need, and the quoted form of a database name for its statements."""
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn, conn.dialect.identifier_preparer.quote
    finally:
        engine.dispose()


def ensure_database(server: sa.URL, name: str) -> sa.URL:
    """Create the database `name` on `server`'s server unless it exists; return its URL."""
    with autocommit(server) as (conn, quote):
        found = sa.text("SELECT 1 FROM pg_database WHERE datname = :name")
        if conn.scalar(found, {"name": name}) is None:
            conn.execute(sa.text(f"CREATE DATABASE {quote(name)}"))
    return server.set(database=name)


def drop_database(server: sa.URL, name: str) -> None:
    """Drop the database `name` on `server`'s server, if it exists, whoever is connected."""
    with autocommit(server) as (conn, quote):
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))


def reset_database() -> None:
    """Empty every table (schema kept), fast on both engines."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(sa.text(f"DELETE FROM {name}"))


def drop_everything() -> None:
    """Start from an empty database: no tables, no alembic version."""
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)


def row_counts() -> dict[str, int]:
    """How many rows each table of the database holds: equal before and after means that
    nothing was stored."""
    names = sa.inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        return {
            name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in names
        }


_seeded: dict[str, dict[str, list]] = {}


def table_rows(names) -> dict[str, list]:
    """Every row of the named tables, in key order."""
    rows = {}
    with db.engine.connect() as conn:
        for name in names:
            table = db.metadata.tables[name]
            rows[name] = conn.execute(sa.select(table).order_by(*table.primary_key)).all()
    return rows


def empty(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Delete every row of the tables, dependants first; on PostgreSQL in one round trip (a
    test's reset is some twenty statements, each a wait on the server otherwise)."""
    if conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql("; ".join(f"DELETE FROM {quote(t.name)}" for t in tables))
    else:
        for table in tables:
            conn.execute(table.delete())


def put_back(seeded: dict[str, list]) -> None:
    """Refill the seeded tables with the rows seed_demo gave them, kept from the first call:
    the other tables are empty by now, so nothing refers to a row removed on the way. On
    PostgreSQL each table's id sequence goes back to its highest id, as after seeding."""
    tables = [t for t in db.metadata.sorted_tables if t.name in seeded]
    with db.engine.begin() as conn:
        empty(conn, list(reversed(tables)))
        for table in tables:
            conn.execute(table.insert(), [dict(row._mapping) for row in seeded[table.name]])
            keys = list(table.primary_key.columns)
            if conn.dialect.name == "postgresql" and len(keys) == 1:
                highest = sa.select(sa.func.max(keys[0])).scalar_subquery()
                sequence = sa.func.pg_get_serial_sequence(table.name, keys[0].name)
                conn.execute(sa.select(sa.func.setval(sequence, highest)))


def reset_to_demo_city() -> None:
    """The demo city and users exactly as seed_demo left them, and nothing else.

    Deleting what the last test added is some 30 times faster on PostgreSQL than conftest's
    truncate and re-seed; when a seeded row differs (a test added a user, another module
    changed the city) the seeded tables get the rows the first call kept back (put_back),
    which is again some 10 times faster than the truncate and re-seed it still does first.
    """
    db.session.remove()
    seeded = _seeded.get(str(db.engine.url), {})
    with db.engine.begin() as conn:
        empty(conn, [t for t in reversed(db.metadata.sorted_tables) if t.name not in seeded])
    if not seeded:
        reset_database()
        seed_demo()
        db.session.commit()
        rows = table_rows(t.name for t in db.metadata.sorted_tables)
        _seeded[str(db.engine.url)] = {name: r for name, r in rows.items() if r}
    elif table_rows(seeded) != seeded:
        put_back(seeded)
    limiter.reset()
    common_texts.forget()


def sqlite_copy(source: str, target: str) -> None:
    """Copy the SQLite database file `source` onto `target`, page by page (SQLite's backup
    API: consistent, and safe with the target's file open elsewhere)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def save_sqlite(path: str) -> None:
    """Keep a copy of the SQLite test database as it stands now at `path`."""
    db.session.remove()
    sqlite_copy(db.engine.url.database, path)


def restore_sqlite(path: str) -> None:
    """Put the SQLite test database back to the copy at `path`: what building it again
    would give, in a few milliseconds (pooled connections are closed first)."""
    db.session.remove()
    db.engine.dispose()
    sqlite_copy(path, db.engine.url.database)
