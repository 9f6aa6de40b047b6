"""The migrations build the whole schema on an empty database, on SQLite and PostgreSQL."""

import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestConfig, database_url
from mediation import create_app
from mediation.extensions import db

CORE_TABLES = {"regions", "committees", "courts", "court_regions", "users", "api_tokens"}
THROWAWAY_DATABASE = "tjt_migrations_test"


def fresh_app(url: str):
    """A second app on its own, empty database."""
    return create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})


def table_names() -> set[str]:
    """The tables in the current app's database."""
    return set(sa.inspect(db.engine).get_table_names())


def assert_schema_built() -> None:
    """Every table the models declare exists, and alembic knows the revision."""
    tables = table_names()
    assert tables >= CORE_TABLES
    assert tables >= set(db.metadata.tables)
    assert "alembic_version" in tables
    with db.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version"))


def test_upgrade_builds_the_schema_on_an_empty_sqlite_file(tmp_path):
    """`flask db upgrade` on a new SQLite file creates every table."""
    app = fresh_app(f"sqlite:///{tmp_path}/m.sqlite")
    with app.app_context():
        assert table_names() == set()
        upgrade()
        assert_schema_built()
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again_on_sqlite(tmp_path):
    """`flask db downgrade base` removes the schema, and upgrading rebuilds it."""
    app = fresh_app(f"sqlite:///{tmp_path}/m.sqlite")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert table_names() & set(db.metadata.tables) == set()
        upgrade()
        assert_schema_built()
        db.engine.dispose()


def test_flask_db_upgrade_command_builds_the_schema(tmp_path):
    """The CLI command itself works, as an operator would run it."""
    app = fresh_app(f"sqlite:///{tmp_path}/m.sqlite")
    # The test's own app context is already pushed, and Flask's CLI reuses whatever app is
    # current: push the fresh app's context so that the command runs against it.
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert_schema_built()
        db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")
def test_upgrade_builds_the_schema_on_an_empty_postgresql_database():
    """On a new PostgreSQL database the migrations create every table."""
    server_url = sa.make_url(database_url(os.environ["TEST_DATABASE_URL"]))
    server = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    drop = sa.text(f"DROP DATABASE IF EXISTS {THROWAWAY_DATABASE} WITH (FORCE)")
    with server.connect() as conn:
        conn.execute(drop)
        conn.execute(sa.text(f"CREATE DATABASE {THROWAWAY_DATABASE}"))
    try:
        target = server_url.set(database=THROWAWAY_DATABASE)
        app = fresh_app(target.render_as_string(hide_password=False))
        with app.app_context():
            assert db.engine.dialect.name == "postgresql"
            assert table_names() == set()
            upgrade()
            assert_schema_built()
            downgrade(revision="base")
            assert table_names() & set(db.metadata.tables) == set()
            upgrade()
            assert_schema_built()
            db.engine.dispose()
    finally:
        with server.connect() as conn:
            conn.execute(drop)
        server.dispose()
