"""The case list's latency (p50/p95, ms) for three users and six filter/paging scenarios.

    python -m bench.case_list [--requests 50] [--deep-page 500] [--explain] [--database-url URL]
                              [--only TEXT] [--user NAME]... [--target query|page|api]...

Users from seed_demo (password Demo@2026): admin_demo sees the whole city, street_demo one
street (大智街道), mediator_demo one community's committee. Scenarios: unfiltered page 1 and
a deep page, the deadline order, a status filter, the overdue filter, a free-text search (q)
for a two-character name on page 1 and on a deep page, for a three-character name, for a
case number and for a phone's last four digits (both taken from the newest case the user
sees). "Deep" is --deep-page, or the last page when there are fewer; where the list pages
by key (a `cursor` filter), the deep page is reached as a user walking there would reach it,
with the cursor of the case just before it, else by its number.

Targets, each timed in-process (no network), each request with a fresh database session:
- query: mediation.cases.queries.list_cases (parse_filters, the count, the page of 20 with
  parties, grid and mediator), as the list page and the API call it;
- page: GET /cases/ through the Flask test client, logged in through /login — only once the
  case-list page exists;
- api: GET /api/v1/cases with a bearer token — only once that endpoint exists.

--explain prints EXPLAIN (ANALYZE, BUFFERS) of every statement list_cases sends, per
scenario, instead of timing.
"""

import argparse
import re
import time
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from bench.common import (
    add_url_argument,
    bench_url,
    explain_sent,
    load_average,
    machine,
    make_app,
    percentile,
    server_version,
)
from mediation.access.scoping import case_clause
from mediation.cases.queries import CaseFilters, list_cases, parse_filters
from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.models import Case, User

USERS = ("admin_demo", "street_demo", "mediator_demo")
# A two-character name (most common in China, and too short for trigram indexes) and a
# three-character one.
SEARCH = "张伟"
COMMON_WORD = "武汉"
FULL_NAME = "张伟明"
WARM_UP = 2
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass(frozen=True)
class Scenario:
    """A named set of list arguments; deep ones ask for a far page."""

    name: str
    args: dict
    deep: bool = False


# "{number}" and "{phone_tail}" stand for the newest visible case's number and the last four
# digits of its first party's phone, per user.
SCENARIOS = (
    Scenario("all, page 1", {}),
    Scenario("all, deep page", {}, deep=True),
    Scenario("sort=deadline, page 1", {"sort": "deadline"}),
    Scenario("sort=deadline, deep page", {"sort": "deadline"}, deep=True),
    Scenario("status=street_mediation", {"status": "street_mediation"}),
    Scenario("overdue=true", {"overdue": "true"}),
    Scenario(f"q={SEARCH}, page 1", {"q": SEARCH}),
    Scenario(f"q={SEARCH}, deep page", {"q": SEARCH}, deep=True),
    Scenario(f"q={FULL_NAME}, page 1", {"q": FULL_NAME}),
    Scenario("q=case number", {"q": "{number}"}),
    Scenario("q=phone tail", {"q": "{phone_tail}"}),
    # Beyond the scenarios: a word in the names of the generated organisations
    # (武汉…公司, one party in twelve), more matches than search.FEW_IDS.
    Scenario(f"q={COMMON_WORD}, page 1", {"q": COMMON_WORD}),
)


def has_route(app, path: str) -> bool:
    """True when the app serves GET at path."""
    return any(rule.rule == path and "GET" in rule.methods for rule in app.url_map.iter_rules())


def call_query(app, user_id: int, args: dict):
    """list_cases as a request would run it; returns the page."""
    with app.app_context():
        user = db.session.get(User, user_id)
        filters, page, per_page = parse_filters(MultiDict(args))
        result = list_cases(user, filters, page, per_page)
        db.session.remove()
        return result


def samples_of(app, user_id: int) -> dict:
    """The newest visible case's number and its first party's phone's last four digits."""
    with app.app_context():
        user = db.session.get(User, user_id)
        case = db.session.scalars(
            sa.select(Case).where(case_clause(user)).order_by(Case.id.desc()).limit(1)
        ).first()
        phones = [p.phone for p in case.parties if p.phone] if case else []
        db.session.remove()
        return {"number": case.number if case else "-", "phone_tail": (phones or ["0000"])[0][-4:]}


class PageClient:
    """A test client logged in as one user through the login form."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        login_page = self.client.get("/login").get_data(as_text=True)
        token = CSRF_INPUT.search(login_page)
        form = {"username": username, "password": DEMO_PASSWORD}
        if token:
            form["csrf_token"] = token.group(1)
        answer = self.client.post("/login", data=form)
        if answer.status_code != 302:
            raise SystemExit(f"cannot log in as {username}: HTTP {answer.status_code}")

    def get(self, args: dict) -> None:
        """GET the list page."""
        answer = self.client.get("/cases/", query_string=args)
        if answer.status_code != 200:
            raise SystemExit(f"/cases/ answered {answer.status_code} for {args}")


class ApiClient:
    """A test client holding a bearer token."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        answer = self.client.post(
            "/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD}
        )
        if answer.status_code != 201:
            raise SystemExit(f"no API token for {username}: HTTP {answer.status_code}")
        self.headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}

    def get(self, args: dict) -> None:
        """GET the list endpoint."""
        answer = self.client.get("/api/v1/cases", query_string=args, headers=self.headers)
        if answer.status_code != 200:
            raise SystemExit(f"/api/v1/cases answered {answer.status_code} for {args}")


def timed(call, requests: int) -> list[float]:
    """Milliseconds of `requests` calls, after WARM_UP untimed ones."""
    for _ in range(WARM_UP):
        call()
    samples = []
    for _ in range(requests):
        tick = time.perf_counter()
        call()
        samples.append((time.perf_counter() - tick) * 1000)
    return samples


def scenario_args(
    app, user_id: int, scenario: Scenario, deep_page: int, samples: dict
) -> tuple[dict, str, str]:
    """The query arguments of a scenario for a user, its label and how many cases match (with
    "~" when the list estimated it)."""
    args = {key: value.format(**samples) for key, value in scenario.args.items()}
    first = call_query(app, user_id, args)
    total = first.total
    matching = str(total) if getattr(first, "total_exact", True) else f"~{total}"
    label = scenario.name
    if scenario.deep:
        page = max(1, min(deep_page, -(-total // 20)))
        label += f" (p{page})"
        if page > 1 and "cursor" in CaseFilters.__dataclass_fields__:
            # The cursor after the case just before the page, as the previous page links it.
            before = call_query(
                app, user_id, {**args, "page": str((page - 1) * 20), "per_page": "1"}
            )
            if before.next_cursor:
                args["cursor"] = before.next_cursor
                label += " by cursor"
            return args, label, matching
        args["page"] = str(page)
    return args, label, matching


def explain(app, user_id: int, args: dict) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of each statement list_cases sends."""
    explain_sent(
        app,
        lambda: call_query(app, user_id, args),
        lambda statement: (
            ("FROM cases" in statement or "FROM parties" in statement)
            and not statement.startswith("EXPLAIN")
        ),
    )


def main(argv=None) -> None:
    """Parse the command line, time every user × scenario × target, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per scenario")
    parser.add_argument("--deep-page", type=int, default=500, help="the far page (default 500)")
    parser.add_argument("--explain", action="store_true", help="print query plans instead")
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument("--user", action="append", choices=USERS, help="only this user (repeat)")
    parser.add_argument(
        "--target", action="append", choices=("query", "page", "api"), help="only this target"
    )
    add_url_argument(parser)
    args = parser.parse_args(argv)
    app = make_app(bench_url(args.database_url))
    targets = ["query"]
    if has_route(app, "/cases/"):
        targets.append("page")
    if has_route(app, "/api/v1/cases"):
        targets.append("api")
    missing = "page" not in targets
    if args.target:
        targets = [t for t in targets if t in args.target]
    with app.app_context():
        engine_version = server_version(db.engine)
        users = {
            u.username: u
            for u in db.session.scalars(sa.select(User).where(User.username.in_(USERS)))
        }
        visible = {
            name: db.session.scalar(sa.select(sa.func.count()).where(case_clause(user)))
            for name, user in users.items()
        }
        ids = {name: user.id for name, user in users.items()}
        db.session.remove()
    picked = {name: samples_of(app, user_id) for name, user_id in ids.items()}
    scenarios = [s for s in SCENARIOS if not args.only or args.only in s.name]
    print(f"case list on {engine_version}; {machine()}; targets: {', '.join(targets)}")
    if missing:
        print("(no /cases/ page in this app yet: timing queries.list_cases only)")
    rows = []
    for username in args.user or USERS:
        clients = {}
        if "page" in targets:
            clients["page"] = PageClient(app, username)
        if "api" in targets:
            clients["api"] = ApiClient(app, username)
        for scenario in scenarios:
            query_args, label, total = scenario_args(
                app, ids[username], scenario, args.deep_page, picked[username]
            )
            if args.explain:
                print(f"\n===== {username}: {label}, {total} matching")
                explain(app, ids[username], query_args)
                continue
            for target in targets:
                if target == "query":

                    def call(user_id=ids[username], q=query_args):
                        call_query(app, user_id, q)
                else:

                    def call(client=clients[target], q=query_args):
                        client.get(q)

                samples = timed(call, args.requests)
                load = load_average()
                rows.append((username, visible[username], label, total, target, samples, load))
                p50, p95 = percentile(samples, 50), percentile(samples, 95)
                print(
                    f"  {username:<14}{label:<34}{target:<6}p50 {p50:>8.1f} ms  p95 {p95:>8.1f} ms"
                    f"  load {load}",
                    flush=True,
                )
    if rows:
        print_table(rows, args.requests)


def print_table(rows, requests: int) -> None:
    """The results as a Markdown table."""
    print(f"\n{requests} timed requests per row, after {WARM_UP} warm-up requests\n")
    print(
        "| user (cases visible) | scenario | matching | target | p50 ms | p95 ms | max ms | load |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for username, visible, label, total, target, samples, load in rows:
        print(
            f"| {username} ({visible}) | {label} | {total} | {target} | "
            f"{percentile(samples, 50):.1f} | {percentile(samples, 95):.1f} | {max(samples):.1f} "
            f"| {load} |"
        )


if __name__ == "__main__":
    main()
