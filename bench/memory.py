"""A worker's memory (RSS, from /proc/self/status) before and after loading 10 000 cases.

    python -m bench.memory [--cases 10000] [--database-url URL]

The process builds the production app (what a gunicorn worker holds), serves one list page's
worth of cases so that mappers and statement caches are warm, then loads --cases cases with
their parties, grid and mediator through the ORM, newest first, as list_cases loads a page.
It prints RSS before, after, the growth per case, and after the session is released.
"""

import argparse
import gc

import sqlalchemy as sa
import sqlalchemy.orm as so

from bench.common import (
    add_url_argument,
    bench_url,
    machine,
    make_app,
    peak_rss_mib,
    rss_mib,
    server_version,
)
from mediation.extensions import db
from mediation.models import Case


def newest_cases(count: int) -> list[Case]:
    """The newest count cases with what a list shows of them loaded."""
    return list(
        db.session.scalars(
            sa.select(Case)
            .options(
                so.selectinload(Case.parties),
                so.joinedload(Case.grid),
                so.joinedload(Case.mediator),
            )
            .order_by(Case.created_at.desc(), Case.id.desc())
            .limit(count)
        )
    )


def main(argv=None) -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases to load (default 10000)")
    add_url_argument(parser)
    args = parser.parse_args(argv)
    app = make_app(bench_url(args.database_url))
    with app.app_context():
        engine_version = server_version(db.engine)
        newest_cases(20)
        db.session.remove()
        gc.collect()
        before = rss_mib()
        cases = newest_cases(args.cases)
        parties = sum(len(case.parties) for case in cases)
        after = rss_mib()
        peak = peak_rss_mib()
        loaded = len(cases)
        del cases
        db.session.remove()
        gc.collect()
        released = rss_mib()
    growth = after - before
    print(f"worker memory on {engine_version}; {machine()}")
    for label, mib in (
        ("RSS before loading", before),
        (f"RSS after {loaded} cases with {parties} parties", after),
        ("growth", growth),
        ("peak RSS", peak),
        ("RSS after releasing the session", released),
    ):
        print(f"{label:<42}{mib:8.1f} MiB")
    print(f"{'growth per case':<42}{growth * 1024 / loaded:8.1f} KiB")


if __name__ == "__main__":
    main()
