"""What every benchmark shares: the bench database, an app bound to it, RSS, percentiles."""

import argparse
import os
import platform
import statistics
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from config import Config, database_url

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench"
# The test suite owns this database; a benchmark must never write to it.
FORBIDDEN_DATABASES = {"test"}


def bench_url(given: str | None) -> str:
    """The bench database URL: --database-url, else BENCH_DATABASE_URL, else local `bench`."""
    url = database_url(given or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    name = sa.engine.make_url(url).database or ""
    if sa.engine.make_url(url).get_backend_name() == "postgresql" and name in FORBIDDEN_DATABASES:
        raise SystemExit(f"refusing to use database {name!r}: the test suite owns it")
    return url


def add_url_argument(parser: argparse.ArgumentParser) -> None:
    """The --database-url option every benchmark takes."""
    parser.add_argument(
        "--database-url",
        help=f"SQLAlchemy or libpq URL (default: $BENCH_DATABASE_URL or {DEFAULT_URL})",
    )


def is_postgres(url: str) -> bool:
    """True for a PostgreSQL URL."""
    return sa.engine.make_url(url).get_backend_name() == "postgresql"


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of url if it is missing (from the `postgres` database)."""
    if not is_postgres(url):
        return
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def make_app(url: str):
    """The production app bound to the bench database, without the login throttle, its heap
    settled as wsgi.py settles it.

    Session cookies are allowed over plain HTTP so that the test client keeps its login.
    """
    os.environ["DATABASE_URL"] = url
    from mediation import create_app, heap

    app = create_app(
        Config,
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-key",
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        },
    )
    heap.settle()  # as wsgi.py does
    return app


def rss_mib() -> float:
    """This process's resident set size in MiB, from /proc/self/status."""
    return _status_kib("VmRSS") / 1024


def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB."""
    return _status_kib("VmHWM") / 1024


def _status_kib(field: str) -> int:
    """A `kB` field of /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest-rank interpolation, as statistics.quantiles does)."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[int(pct) - 1]


def machine() -> str:
    """One line saying where and under what load the figures were taken."""
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores, "
        f"load average {load_average()}, Python {platform.python_version()}"
    )


def load_average() -> str:
    """The 1-minute load average: figures taken while other work runs are not comparable."""
    with open("/proc/loadavg") as loadavg:
        return loadavg.read().split()[0]


def server_version(engine) -> str:
    """The database server's version string, short."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return "PostgreSQL " + conn.scalar(sa.text("SHOW server_version"))
        return "SQLite " + conn.scalar(sa.text("SELECT sqlite_version()"))


def explain_sent(app, call: Callable[[], object], keep: Callable[[str], bool]) -> None:
    """Run call in an app context, then print EXPLAIN (ANALYZE, BUFFERS) of each statement it
    sent that keep(statement) picks, in one transaction after the settings it sent (SET LOCAL,
    or set_config(…, true): so the plans are the ones it got)."""
    from mediation.extensions import db

    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", capture)
        try:
            call()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", capture)
        with db.engine.begin() as conn:
            for statement, parameters in sent:
                if statement.startswith(("SET LOCAL", "SELECT set_config(")):
                    conn.exec_driver_sql(statement, parameters)
                elif keep(statement):
                    explained = "EXPLAIN (ANALYZE, BUFFERS) " + statement
                    plan = conn.exec_driver_sql(explained, parameters)
                    print("\n" + statement.strip() + "\n" + "\n".join(plan.scalars()))
