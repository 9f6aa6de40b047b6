"""Putting the test database back to the demo city between tests, quickly."""

import os

import sqlalchemy as sa

from mediation.demo import seed_demo
from mediation.extensions import db, limiter

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


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


def reset_to_demo_city() -> None:
    """The demo city and users exactly as seed_demo left them, and nothing else.

    Deleting what the last test added is some 30 times faster on PostgreSQL than conftest's
    truncate and re-seed; that is still done whenever a seeded row differs (a test added a
    user, another module changed the city) and on the first call.
    """
    db.session.remove()
    seeded = _seeded.get(str(db.engine.url), {})
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in seeded:
                conn.execute(table.delete())
    if not seeded or table_rows(seeded) != seeded:
        reset_database()
        seed_demo()
        db.session.commit()
        rows = table_rows(t.name for t in db.metadata.sorted_tables)
        _seeded[str(db.engine.url)] = {name: r for name, r in rows.items() if r}
    limiter.reset()
