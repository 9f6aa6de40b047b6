"""REPORTS_DATABASE_URL: the statistics read their sums from a replica when one is set, and
everything else (the operations that write) keeps to the database."""

import sqlalchemy as sa

from config import TestConfig
from mediation import create_app
from mediation.extensions import db
from mediation.stats.report import monthly_report
from tests.database import ON_POSTGRES
from tests.factories import beijing, gen_case

STATS_TABLES = (
    "stats_rollups",
    "stats_mediator_rollups",
    "stats_region_totals",
    "stats_durations",
)


def test_the_month_is_read_from_the_reports_database(app, tmp_path):
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with_replica = create_app(
        TestConfig,
        {
            "SECRET_KEY": "test-only-key",
            "KEYS_DIR": str(tmp_path / "keys"),
            "SQLALCHEMY_DATABASE_URI": url,
            # The same database stands in for the replica: what matters is which engine asks.
            "SQLALCHEMY_BINDS": {"reports": url},
        },
    )
    sent = {"database": [], "reports": []}
    with with_replica.app_context():
        for name, engine in (("database", db.engine), ("reports", db.engines["reports"])):
            sa.event.listen(
                engine,
                "before_cursor_execute",
                lambda _c, _cur, statement, *_rest, name=name: sent[name].append(statement),
            )
        figures = {}
        for source in ("rollups", "raw"):
            report = monthly_report(None, "2026-03", "420102", source=source)
            figures[source] = report["indicators"]["succeeded"]["value"]
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()

    assert figures == {"rollups": 1, "raw": 1}
    on_replica = " ".join(sent["reports"])
    assert all(table in on_replica for table in STATS_TABLES) and "FROM cases" in on_replica
    # PostgreSQL: the case's journal is folded into the roll-ups first, on the database (it
    # writes); nothing else there touches the statistics or the cases.
    folding = [s for s in sent["database"] if "stats_journal" in s or "pg_advisory" in s]
    others = " ".join(s for s in sent["database"] if s not in folding)
    assert any("DELETE FROM stats_journal" in s for s in folding) == ON_POSTGRES
    assert not any(table in others for table in STATS_TABLES) and "FROM cases" not in others
