"""The migrations build the whole schema on an empty database, on SQLite and PostgreSQL."""

import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from config import TestConfig
from mediation import create_app
from mediation.extensions import db
from tests.database import ON_POSTGRES, drop_database, ensure_database
from tests.factories import T0

CORE_TABLES = {"regions", "committees", "courts", "court_regions", "users", "api_tokens"}


def throwaway_database(test_database: str) -> str:
    """The database the PostgreSQL migration test builds and drops: named after this
    worker's test database, so that neither parallel workers nor other people's suites on
    the same server drop it under each other."""
    return f"{test_database}_migrations"


def fresh_app(url: str):
    """A second app on its own, empty database, with seal keys of its own (never the
    instance folder's, which `make run` makes with another passphrase)."""
    keys = tempfile.mkdtemp(prefix="migration-keys-")
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "KEYS_DIR": keys}
    return create_app(TestConfig, settings)


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
@contextmanager
def empty_postgresql_database():
    """An app context of a second app on a new, empty PostgreSQL database beside the test
    database (throwaway_database), dropped afterwards."""
    server = db.engine.url
    throwaway = throwaway_database(server.database)
    drop_database(server, throwaway)
    target = ensure_database(server, throwaway)
    try:
        app = fresh_app(target.render_as_string(hide_password=False))
        with app.app_context():
            yield
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(server, throwaway)


def two_cases_in_march() -> None:
    """The demo city and users, an agreement and a withdrawal received in March 2026."""
    from mediation.demo import seed_demo
    from tests.factories import beijing, gen_case

    seed_demo(with_cases=False)
    db.session.commit()
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9))
    gen_case(status="withdrawn", now=beijing(2026, 3, 3, 9))
    db.session.remove()


def assert_march_counts_both_cases() -> None:
    """March's report from the roll-ups is the one counted afresh, with the two cases."""
    from mediation.stats.report import monthly_report
    from tests.factories import user

    admin, parts = user("admin_demo"), ("indicators", "breakdowns")
    kept = monthly_report(admin, "2026-03", sections=parts)
    fresh = monthly_report(admin, "2026-03", source="raw", sections=parts)
    kept.pop("generated_at"), fresh.pop("generated_at")
    assert kept == fresh
    assert kept["indicators"]["received"]["value"] == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL")
def test_upgrade_builds_the_schema_on_an_empty_postgresql_database():
    """On a new PostgreSQL database the migrations create every table."""
    with empty_postgresql_database():
        assert db.engine.dialect.name == "postgresql"
        assert table_names() == set()
        upgrade()
        assert_schema_built()
        downgrade(revision="base")
        assert table_names() & set(db.metadata.tables) == set()
        upgrade()
        assert_schema_built()


@pytest.mark.skipif(not ON_POSTGRES, reason="the statistics journal is PostgreSQL's")
def test_going_back_before_the_journal_folds_what_it_holds_first():
    """Downgrading past the statistics journal adds its rows to the roll-ups before the table
    goes: the operations' differences are not lost with it."""
    from mediation.models import StatsJournal

    with empty_postgresql_database():
        upgrade()
        two_cases_in_march()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StatsJournal))
        db.session.remove()
        downgrade(revision="c4e8a2f6b913")  # before the journal
        assert "stats_journal" not in table_names()
        upgrade()
        assert_march_counts_both_cases()


def test_upgrading_a_database_with_cases_counts_its_statistics(tmp_path):
    """The statistics' migration fills the roll-ups of the cases already there, so the first
    operation after the upgrade adds to a true count."""
    app = fresh_app(f"sqlite:///{tmp_path}/m.sqlite")
    with app.app_context():
        upgrade()
        two_cases_in_march()
        downgrade(revision="88c7407a0558")  # before the roll-ups existed
        upgrade()
        assert_march_counts_both_cases()
        db.session.remove()
        db.engine.dispose()


def test_upgrading_a_database_with_cases_starts_their_clocks(tmp_path):
    """The clocks' migration gives every open case the clock of its state, as the operations
    and the sweep would have: a registered case its 受理期限 (none before), an effective
    agreement its confirmation window or, once closed, its visit clock; flags included."""
    from mediation.cases.sla import sweep
    from mediation.demo import seed_demo
    from tests.factories import gen_case

    app = fresh_app(f"sqlite:///{tmp_path}/m.sqlite")
    with app.app_context():
        upgrade()
        seed_demo(with_cases=False)
        db.session.commit()
        recently = datetime.now(UTC) - timedelta(days=2)
        for status, now in [
            ("intake", recently),
            ("intake", T0),
            ("agreement_effective", recently),
            ("agreement_effective", T0),
            ("confirmation_accepted", T0),
            ("confirmed", recently),
            ("closed", T0),
        ]:
            gen_case(status=status, now=now)
        sweep()
        columns = sa.text("SELECT id, clock, deadline_at, overdue FROM cases ORDER BY id")
        with db.engine.connect() as conn:
            kept = conn.execute(columns).all()
        assert {row.clock for row in kept} == {
            "intake",
            "confirmation_window",
            "visit",
            "court_review",
            None,
        }
        db.session.remove()
        downgrade(revision="5b1f0c7d2e94")  # before the clocks
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE cases SET deadline_at = NULL WHERE status = 'intake'"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(columns).all() == kept
        db.session.remove()
        db.engine.dispose()


def test_upgrading_a_database_with_cases_gives_each_party_its_cases_grid(tmp_path):
    """The parties of cases registered before the column existed get their case's grid;
    going back removes the column again."""
    app = fresh_app(f"sqlite:///{tmp_path}/m.sqlite")
    with app.app_context():
        upgrade()
        two_cases_in_march()
        downgrade(revision="e5a1c7d3b842")  # before the parties' grid
        assert "grid_id" not in {c["name"] for c in sa.inspect(db.engine).get_columns("parties")}
        upgrade()
        pairs = db.session.execute(
            sa.text(
                "SELECT parties.grid_id, cases.grid_id FROM parties "
                "JOIN cases ON cases.id = parties.case_id"
            )
        ).all()
        assert len(pairs) == 4 and all(party == case for party, case in pairs)
        db.session.remove()
        db.engine.dispose()
