"""What `bench.load`'s simulated users work on, chosen from the bench database.

    python -m bench.load_plan --users 10 [--database-url URL]   # prints the plan as JSON

Run in a process of its own (bench.load starts it), so that the load generator, which
monkey-patches the standard library with gevent, never shares a process with SQLAlchemy.

Each simulated user is a mediator of the generated city with intake cases of her own: she
reads her queue, the list, her cases' pages, searches, drives her intake cases through
accept → a session → escalate → terminate with an API token (once they are used up, records
sessions on her cases under mediation), downloads her agreements' PDFs, and her street's
monthly report through the street officer's token.
"""

import argparse
import json
from datetime import UTC, datetime

import sqlalchemy as sa

from bench.common import add_url_argument, bench_url, make_app
from mediation.auth.operations import issue_token
from mediation.extensions import db
from mediation.models import Agreement, Case, Party, Region, User

# Cases each user may drive through the machine: more than a 5-minute run uses.
CASES_PER_USER = 120
# Case pages, agreements and search words each user picks from.
PAGES_PER_USER = 60
WORDS_PER_USER = 20
MEDIATING = ("grid_mediation", "street_mediation")


def mediators_with_intake(users: int) -> list[tuple[int, int]]:
    """(mediator id, intake cases) of the `users` mediators with the most untouched intake
    cases."""
    rows = db.session.execute(
        sa.select(Case.mediator_id, sa.func.count(Case.id))
        .where(Case.status == "intake", Case.version == 1, Case.mediator_id.is_not(None))
        .group_by(Case.mediator_id)
        .order_by(sa.func.count(Case.id).desc())
        .limit(users)
    ).all()
    if len(rows) < users:
        raise SystemExit(
            f"need {users} mediators with intake cases, found {len(rows)}: "
            "run python -m bench.generate --cases 3000 --status intake"
        )
    return rows


def newest(column, order, *where, limit: int = PAGES_PER_USER) -> list:
    """`column` of the newest rows (by `order`) meeting `where`; a column of another table
    than `cases` is read through its case (`case_id`)."""
    stmt = sa.select(column)
    if column.table is not Case.__table__:
        stmt = stmt.join(Case, Case.id == column.table.c.case_id)
    return db.session.scalars(stmt.where(*where).order_by(order.desc()).limit(limit)).all()


def plan_for(mediator: User) -> dict:
    """One simulated user's cases, pages, words and tokens."""
    mine = Case.mediator_id == mediator.id
    intake = db.session.scalars(
        sa.select(Case.id)
        .where(mine, Case.status == "intake", Case.version == 1)
        .order_by(Case.id)
        .limit(CASES_PER_USER)
    ).all()
    # Cases under mediation she may record sessions on once her intake cases are used up.
    mediating = newest(Case.id, Case.id, mine, Case.status.in_(MEDIATING))
    pages = newest(Case.id, Case.id, mine)
    agreements = newest(Agreement.case_id, Agreement.case_id, mine)
    # Two characters of the parties' names, as people search: surname and first given name.
    names = newest(Party.name, Party.id, mine, limit=WORDS_PER_USER)
    street = db.session.scalar(
        sa.select(Region).where(
            Region.level == "street",
            sa.literal(mediator.committee.region.path).startswith(Region.path),
        )
    )
    officer = db.session.scalar(
        sa.select(User).where(User.role == "street_officer", User.region_id == street.id)
    )
    return {
        "username": mediator.username,
        "mediator": mediator.username,
        "token": issue_token(mediator)[0],
        "intake": intake,
        "mediating": mediating,
        "pages": pages,
        "agreements": agreements,
        "words": sorted({name[:2] for name in names if len(name) >= 2}),
        "street": street.code,
        "officer_token": issue_token(officer)[0] if officer else None,
    }


def last_full_month() -> str:
    """The month before this one, as YYYY-MM."""
    today = datetime.now(UTC)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    add_url_argument(parser)
    args = parser.parse_args(argv)
    app = make_app(bench_url(args.database_url))
    with app.app_context():
        chosen = mediators_with_intake(args.users)
        plans = [plan_for(db.session.get(User, mediator_id)) for mediator_id, _n in chosen]
    print(json.dumps({"month": last_full_month(), "users": plans}, ensure_ascii=False))


if __name__ == "__main__":
    main()
