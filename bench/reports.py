"""The monthly report's cost (p50/p95, ms) on the generator's cases, beside the floor.

    python -m bench.reports [--month YYYY-MM] [--runs 15] [--user admin_demo] [--street CODE]
                            [--rebuild] [--explain] [--only WORD …] [--database-url URL]

PostgreSQL only. Each row is timed --runs times after 2 warm-ups, in-process, each run with
a fresh database session, for the whole city (the user's jurisdiction) and for one street.
The rows are timed in rounds, each round running every row once, so that a machine that
speeds up or slows down meanwhile does so for the floor and the rows alike:

- floor: every figure the month's indicators are made of (received, succeeded and at grid
  level, ended without agreement, escalated, on time at each level, the median days to
  agreement, the agreements' amount, applications to the court and confirmations, visits,
  performed and satisfied) in one hand-written statement through psycopg, no ORM, each event
  read through the index on its own date column; timed twice, planned by default and with
  the app's fresh count's settings (`readers.raw_settings`), the faster p50 being the floor;
  "headline figures only" is the same for
  the headline's few (received, succeeded, ended, escalated, amount), for reference;
- raw: `monthly_report(user, month, source="raw")` then the app's JSON (app.json.dumps, what
  the API answers with): the whole report (figures, 环比/同比, 12-month trend, five
  breakdowns) counted from the case tables;
- raw, figures only: the same with sections=() (the indicators alone), what the floor
  computes;
- roll-ups: `monthly_report(user, month)` (source="rollups") then the app's JSON, whole and
  figures only;
- dashboard: GET /stats/?month=… through the Flask test client, logged in as the user;
- PDF: GET /stats/monthly.pdf?month=….

Targets: raw figures ≤ 1.2 × floor and roll-ups ≤ 0.1 × floor (p50 ÷ p50; the raw whole
report, twenty months' and breakdowns' counts, is shown without one); dashboard p95 ≤ 300 ms;
PDF p95 ≤ 2 s. --rebuild first times `mediation.stats.rollups.rebuild` (`flask stats
rebuild`) once, then refreshes the planner's statistics of the roll-ups. --explain prints
EXPLAIN (ANALYZE, BUFFERS) of the floor and of every statement the raw figures send,
instead of timing.
"""

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
import sqlalchemy as sa

from bench.case_list import WARM_UP, PageClient, has_route
from bench.common import (
    add_url_argument,
    bench_url,
    explain_sent,
    is_postgres,
    machine,
    make_app,
    percentile,
    server_version,
)
from bench.generate import vacuum_analyze
from mediation.extensions import db
from mediation.models import Case, Region, User
from mediation.stats.measures import ENDED_STATES, SUCCESS_STATES
from mediation.stats.readers import Durations, clean, month_bounds, raw_settings
from mediation.stats.report import indicator_values, monthly_report, shift
from mediation.stats.rollups import rebuild
from workflows.deadlines import china_time

# The headline figures of one month, each event through the index on its own column, the
# amounts by index lookups (LATERAL: faster here than the hash join over every agreement the
# planner prefers); {grids} narrows to a region's grids (empty for the city: every case is in
# it). Printed for reference: the app's figures hold more than this.
HEADLINE_SQL = """
SELECT
  (SELECT count(*) FROM cases c
    WHERE c.created_at >= %(start)s AND c.created_at < %(end)s {grids}) AS received,
  s.succeeded, s.succeeded_grid, s.amount, e.failed, e.withdrawn, e.declined,
  (SELECT count(*) FROM cases c
    WHERE c.escalated_at >= %(start)s AND c.escalated_at < %(end)s {grids}) AS escalated
FROM (
  SELECT count(*) AS succeeded,
         count(*) FILTER (WHERE CASE c.came_from WHEN 'grid_mediation' THEN true
                                WHEN 'street_mediation' THEN false
                                ELSE c.escalated_at IS NULL END) AS succeeded_grid,
         coalesce(sum(a.amount), 0) AS amount
  FROM cases c LEFT JOIN LATERAL (
    SELECT amount FROM agreements WHERE agreements.case_id = c.id
  ) a ON true
  WHERE c.effective_on >= %(first)s AND c.effective_on < %(after)s
    AND c.status = ANY(%(success)s) {grids}
) s, (
  SELECT count(*) FILTER (WHERE c.status = 'mediation_failed') AS failed,
         count(*) FILTER (WHERE c.status = 'withdrawn') AS withdrawn,
         count(*) FILTER (WHERE c.status = 'declined') AS declined
  FROM cases c
  WHERE c.concluded_at >= %(start)s AND c.concluded_at < %(end)s
    AND c.status = ANY(%(ended)s) {grids}
) e
"""
# Every figure the report's indicators are made of (what `monthly_report(sections=())`
# computes): the headline's, plus on time at each level, the median days to agreement, the
# court's applications and confirmations, and the follow-up visits. Applications and visits
# are read from their own tables, joined to `cases` only to narrow to a region ({join}).
LEVEL = """CASE c.came_from WHEN 'grid_mediation' THEN 'grid' WHEN 'street_mediation' THEN 'street'
  ELSE CASE WHEN c.escalated_at IS NULL THEN 'grid' ELSE 'street' END END"""
FLOOR_SQL = """
SELECT
  (SELECT count(*) FROM cases c
    WHERE c.created_at >= %(start)s AND c.created_at < %(end)s {grids}) AS received,
  s.succeeded, s.succeeded_grid, s.amount, s.median_days,
  e.failed, e.withdrawn, e.declined,
  s.due_grid + e.due_grid AS due_grid, s.on_time_grid + e.on_time_grid AS on_time_grid,
  s.due_street + e.due_street AS due_street,
  s.on_time_street + e.on_time_street AS on_time_street,
  (SELECT count(*) FROM cases c
    WHERE c.escalated_at >= %(start)s AND c.escalated_at < %(end)s {grids}) AS escalated,
  (SELECT count(*) FROM confirmation_applications x {join}
    WHERE x.applied_at >= %(start)s AND x.applied_at < %(end)s {grids}) AS applied,
  (SELECT count(*) FROM confirmation_applications x {join}
    WHERE x.decided_at >= %(start)s AND x.decided_at < %(end)s AND x.outcome = 'confirmed'
    {grids}) AS confirmed,
  v.visited, v.performed, v.satisfied
FROM (
  SELECT count(*) AS succeeded,
         count(*) FILTER (WHERE l.level = 'grid') AS succeeded_grid,
         coalesce(sum(a.amount), 0) AS amount,
         percentile_cont(0.5) WITHIN GROUP (
           ORDER BY c.effective_on - CAST(c.created_at AT TIME ZONE 'Asia/Shanghai' AS date)
         ) AS median_days,
         count(*) FILTER (WHERE l.level = 'grid' AND c.grid_deadline_at IS NOT NULL) AS due_grid,
         count(*) FILTER (WHERE l.level = 'grid' AND c.effective_on
           <= CAST(c.grid_deadline_at AT TIME ZONE 'Asia/Shanghai' AS date)) AS on_time_grid,
         count(*) FILTER (WHERE l.level = 'street' AND c.mediation_deadline_at IS NOT NULL)
           AS due_street,
         count(*) FILTER (WHERE l.level = 'street' AND c.effective_on
           <= CAST(c.mediation_deadline_at AT TIME ZONE 'Asia/Shanghai' AS date))
           AS on_time_street
  FROM cases c CROSS JOIN LATERAL (SELECT {level} AS level) l
  LEFT JOIN LATERAL (SELECT amount FROM agreements WHERE agreements.case_id = c.id) a ON true
  WHERE c.effective_on >= %(first)s AND c.effective_on < %(after)s
    AND c.status = ANY(%(success)s) {grids}
) s, (
  SELECT count(*) FILTER (WHERE c.status = 'mediation_failed') AS failed,
         count(*) FILTER (WHERE c.status = 'withdrawn') AS withdrawn,
         count(*) FILTER (WHERE c.status = 'declined') AS declined,
         count(*) FILTER (WHERE l.level = 'grid' AND c.grid_deadline_at IS NOT NULL) AS due_grid,
         count(*) FILTER (WHERE l.level = 'grid' AND c.concluded_at <= c.grid_deadline_at)
           AS on_time_grid,
         count(*) FILTER (WHERE l.level = 'street' AND c.mediation_deadline_at IS NOT NULL)
           AS due_street,
         count(*) FILTER (WHERE l.level = 'street' AND c.concluded_at <= c.mediation_deadline_at)
           AS on_time_street
  FROM cases c CROSS JOIN LATERAL (SELECT {level} AS level) l
  WHERE c.concluded_at >= %(start)s AND c.concluded_at < %(end)s
    AND c.status = ANY(%(ended)s) {grids}
) e, (
  SELECT count(*) AS visited,
         count(*) FILTER (WHERE x.performed) AS performed,
         count(*) FILTER (WHERE x.satisfaction IN ('satisfied', 'basically')) AS satisfied
  FROM follow_up_visits x {join}
  WHERE x.visited_at >= %(start)s AND x.visited_at < %(end)s {grids}
) v
"""
PARTS = ("numerator", "denominator", "value")
IN_REGION = "AND c.grid_id IN (SELECT id FROM regions WHERE path LIKE %(path)s)"
JOIN_CASE = "JOIN cases c ON c.id = x.case_id"


@dataclass(frozen=True)
class Target:
    """A row's target: its p50 at most `ratio` × the floor's, or its p95 at most `p95_ms`."""

    text: str
    ratio: float | None = None
    p95_ms: float | None = None

    def met(self, p50: float, p95: float, floor_p50: float) -> bool | None:
        """PASS, FAIL or nothing to check."""
        if self.ratio is not None:
            return p50 <= self.ratio * floor_p50
        if self.p95_ms is not None:
            return p95 <= self.p95_ms
        return None


NO_TARGET = Target("")
RAW = Target("≤ 1.2 × floor", ratio=1.2)
ROLLUPS = Target("≤ 0.1 × floor", ratio=0.1)
PAGE = Target("p95 ≤ 300 ms", p95_ms=300)
PDF = Target("p95 ≤ 2 000 ms", p95_ms=2000)


# The first rows: the floor's statement planned by default, and with the app's settings.
FLOORS = 2


class Floor:
    """The hand-written statement through a bare psycopg connection."""

    def __init__(self, url: str):
        libpq = sa.engine.make_url(url).set(drivername="postgresql")
        self.conn = psycopg.connect(libpq.render_as_string(hide_password=False), autocommit=True)

    def settle(self, settings: dict[str, str]) -> None:
        """Plan with these settings from now on (the app's fresh count's: the same planner)."""
        for name, value in settings.items():
            self.conn.execute("SELECT set_config(%s, %s, false)", (name, value))

    def params(
        self, month: str, region: Region, root: bool, template: str = FLOOR_SQL
    ) -> tuple[str, dict]:
        """The statement (every figure, or another template) and its parameters."""
        start, end, first, after = month_bounds(month)
        sql = template.format(
            grids="" if root else IN_REGION, join="" if root else JOIN_CASE, level=LEVEL
        )
        params = {
            "start": start,
            "end": end,
            "first": first,
            "after": after,
            "success": list(SUCCESS_STATES),
            "ended": list(ENDED_STATES),
            "path": region.path + "%",
        }
        return sql, params

    def figures(self, sql: str, params: dict) -> dict:
        """Run it once: {column: value}."""
        cur = self.conn.execute(sql, params)
        names = [column.name for column in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))

    def explain(self, sql: str, params: dict) -> str:
        """EXPLAIN (ANALYZE, BUFFERS) of it."""
        rows = self.conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
        return "\n".join(row[0] for row in rows)


def in_session(app, call: Callable[[], object]) -> object:
    """Run call in an app context with a fresh session, as a request would."""
    with app.app_context():
        try:
            return call()
        finally:
            db.session.remove()


def report_json(app, user_id: int, month: str, region: str | None, **options) -> dict:
    """monthly_report for the user, serialised as the API would; returns the report."""

    def call():
        user = db.session.get(User, user_id)
        report = monthly_report(user, month=month, region_code=region, **options)
        app.json.dumps(report)
        return report

    return in_session(app, call)


def check_figures(floor: dict, report: dict) -> list[str]:
    """Where the report's indicators differ from those made of the floor's figures (an empty
    list: they agree), numerator, denominator and value."""
    sums = clean(floor)
    expected = indicator_values(sums, Durations(), report["view"])
    differences = []
    for key, indicator in report["indicators"].items():
        if key == "median_days_to_agreement":
            want = floor["median_days"]
            pairs = [("value", None if want is None else float(want), indicator["value"])]
        else:
            pairs = [(part, expected[key][part], indicator[part]) for part in PARTS]
        differences += [
            f"{key} {part}: floor {want}, report {got}"
            for part, want, got in pairs
            if not _same(want, got)
        ]
    return differences


def _same(want, got) -> bool:
    """Equal as numbers (an int, a Decimal, a float), or both None."""
    return want == got or (want is not None and got is not None and float(want) == float(got))


def last_full_month(app) -> str:
    """The month before the one of the newest case (China time)."""
    newest = in_session(app, lambda: db.session.scalar(sa.select(sa.func.max(Case.created_at))))
    if newest is None:
        raise SystemExit("no cases: run python -m bench.generate first")
    return shift(china_time(newest).strftime("%Y-%m"), -1)


def explain_raw(app, user_id: int, month: str, region: str | None) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of each statement the raw figures send, with the
    planner settings the raw reader sets."""
    explain_sent(
        app,
        lambda: report_json(app, user_id, month, region, source="raw", sections=()),
        lambda statement: "FROM cases" in statement,
    )


def main(argv=None) -> None:
    """Parse the command line, time every row for the city and the street, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", help="YYYY-MM (default: the last full month in the data)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per row (default 15)")
    parser.add_argument("--user", default="admin_demo", help="who asks (default admin_demo)")
    parser.add_argument("--street", help="the street's code (default: street_demo's street)")
    parser.add_argument("--rebuild", action="store_true", help="time the roll-up rebuild first")
    parser.add_argument("--explain", action="store_true", help="print query plans instead")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORD",
        help="time only the rows whose name holds one of these words (the floor always), "
        "e.g. --only roll-ups dashboard",
    )
    add_url_argument(parser)
    args = parser.parse_args(argv)
    url = bench_url(args.database_url)
    if not is_postgres(url):
        raise SystemExit("bench.reports needs PostgreSQL (the generator's million cases)")
    app = make_app(url)
    month = args.month or last_full_month(app)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == args.user))
        street_code = args.street or db.session.scalar(
            sa.select(Region.code)
            .join(User, User.region_id == Region.id)
            .where(User.username == "street_demo")
        )
        root = report_json(app, user.id, month, None, sections=())["region"]["code"]
        regions = {
            code: db.session.scalar(sa.select(Region).where(Region.code == code))
            for code in (root, street_code)
        }
        cases = db.session.scalar(sa.select(sa.func.count(Case.id)))
        version = server_version(db.engine)
        user_id = user.id
        db.session.expunge_all()
    floor, tuned = Floor(url), Floor(url)
    print(f"monthly report {month} on {version}, {cases} cases; {machine()}")
    if args.explain:
        for code, region in regions.items():
            sql, params = floor.params(month, region, code == root)
            print(f"\n===== floor, {region.name}\n{floor.explain(sql, params)}")
            tuned.settle(raw_settings(code == root))
            print(f"\n===== floor, the fresh count's settings\n{tuned.explain(sql, params)}")
            print(f"\n===== raw figures, {region.name}")
            explain_raw(app, user_id, month, None if code == root else code)
        return
    if args.rebuild:
        tick = time.perf_counter()
        counts = in_session(app, rebuild)
        seconds = time.perf_counter() - tick
        print(f"rebuild (flask stats rebuild): {seconds:.1f} s, {counts}", flush=True)
        with app.app_context():
            vacuum_analyze(db.engine, counts)
    rows = []
    for code, region in regions.items():
        rows += time_region(app, args, (floor, tuned), user_id, month, region, code == root)
    print_table(rows, args.runs)


def time_region(app, args, floors, user_id, month, region: Region, root: bool) -> list:
    """Time every row for one region; print each as it is done. Rows for print_table.

    floors: two connections for the floor's statement, the second planning with the fresh
    count's settings; the floor is the faster of the two (p50)."""
    floor, tuned = floors
    scope = None if root else region.code
    sql, params = floor.params(month, region, root)
    tuned.settle(raw_settings(root))
    figures = floor.figures(sql, params)
    for source in ("raw", "rollups"):
        report = report_json(app, user_id, month, scope, source=source, sections=())
        differences = check_figures(figures, report)
        print(
            f"{region.name}: {source} figures "
            + ("agree with the floor" if not differences else "DIFFER: " + "; ".join(differences)),
            flush=True,
        )
    query = {"month": month} | ({} if root else {"region": region.code})
    headline_sql, _ = floor.params(month, region, root, HEADLINE_SQL)
    calls = [
        ("floor (SQL, psycopg)", NO_TARGET, lambda: floor.figures(sql, params)),
        ("floor, the app's settings", NO_TARGET, lambda: tuned.figures(sql, params)),
        ("headline figures only (SQL)", NO_TARGET, lambda: floor.figures(headline_sql, params)),
        (
            "raw, whole report",
            NO_TARGET,
            lambda: report_json(app, user_id, month, scope, source="raw"),
        ),
        (
            "raw, figures only",
            RAW,
            lambda: report_json(app, user_id, month, scope, source="raw", sections=()),
        ),
        ("roll-ups, whole report", ROLLUPS, lambda: report_json(app, user_id, month, scope)),
        (
            "roll-ups, figures only",
            ROLLUPS,
            lambda: report_json(app, user_id, month, scope, sections=()),
        ),
    ]
    username = in_session(app, lambda: db.session.get(User, user_id).username)
    if has_route(app, "/stats/"):
        client = PageClient(app, username).client
        calls.append(("dashboard /stats/", PAGE, lambda: page(client, "/stats/", query)))
        calls.append(
            ("PDF /stats/monthly.pdf", PDF, lambda: page(client, "/stats/monthly.pdf", query))
        )
    if args.only:
        calls = calls[:FLOORS] + [
            c for c in calls[FLOORS:] if any(word in c[0] for word in args.only)
        ]
    # The rows with a target in rounds with the floor; the others (the raw whole report: a few
    # seconds of reading most of a month's cases, which would push the roll-ups out of the
    # buffers before each of their runs) on their own after them.
    rounds = [index for index, (_name, target, _call) in enumerate(calls) if target.text]
    rounds[:0] = range(FLOORS)
    samples: list[list[float]] = [[] for _ in calls]
    timed_together = in_rounds([calls[index][2] for index in rounds], args.runs)
    for index, times in zip(rounds, timed_together, strict=True):
        samples[index] = times
    for index, (_name, target, call) in enumerate(calls):
        if index >= FLOORS and not target.text:
            samples[index] = in_rounds([call], args.runs)[0]
    rows = []
    floor_p50 = min(percentile(times, 50) for times in samples[:FLOORS])
    for (name, target, _call), times in zip(calls, samples, strict=True):
        p50, p95 = percentile(times, 50), percentile(times, 95)
        rows.append((region.name, name, p50, p95, p50 / floor_p50, target, floor_p50))
        print(
            f"  {region.name:<8}{name:<26}p50 {p50:>9.1f} ms  p95 {p95:>9.1f} ms  "
            f"× floor {p50 / floor_p50:>7.2f}",
            flush=True,
        )
    return rows


def in_rounds(calls: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Milliseconds of each call, timed in rounds (every call once per round, after WARM_UP
    untimed rounds): a machine that speeds up or slows down meanwhile does so for the floor
    and the rows alike, and their ratios hold."""
    samples: list[list[float]] = [[] for _ in calls]
    for round_number in range(WARM_UP + runs):
        for call, times in zip(calls, samples, strict=True):
            tick = time.perf_counter()
            call()
            if round_number >= WARM_UP:
                times.append((time.perf_counter() - tick) * 1000)
    return samples


def page(client, path: str, query: dict) -> None:
    """GET a page and insist on 200."""
    answer = client.get(path, query_string=query)
    if answer.status_code != 200:
        raise SystemExit(f"{path} answered {answer.status_code} for {query}")


def print_table(rows, runs: int) -> None:
    """The results as a Markdown table, each row with its target and PASS/FAIL."""
    print(f"\n{runs} timed runs per row, after {WARM_UP} warm-ups; × floor = p50 ÷ floor p50\n")
    print("| region | what | p50 ms | p95 ms | × floor | target | |")
    print("|---|---|---:|---:|---:|---|---|")
    for region, name, p50, p95, ratio, target, floor_p50 in rows:
        met = target.met(p50, p95, floor_p50)
        verdict = "" if met is None else ("PASS" if met else "FAIL")
        print(
            f"| {region} | {name} | {p50:.1f} | {p95:.1f} | {ratio:.2f} | {target.text} | "
            f"{verdict} |"
        )


if __name__ == "__main__":
    main()
