"""Transitions per second on PostgreSQL: operations.apply_transition beside a bare-SQL floor.

    python -m bench.transitions [--n 2000] [--workers 2] [--database-url URL]

Takes generated cases still in `intake` (run bench.generate first) and drives each through
accept → escalate → terminate, three transitions per case, as the case's mediator:

- apply_transition: what a request does: load the user by id (Flask-Login's loader), call
  operations.apply_transition, release the session. Scope check, guards, CAS on version and
  on the audit head, side effects and the audit event, one transaction.
- floor: the same state change with bare SQL through psycopg, one transaction per
  transition: `UPDATE cases … WHERE id = ? AND version = ?` and `INSERT INTO audit_events`,
  the event hashed like mediation.audit.build_event so the chain stays valid.

Each path runs on one thread, then on --workers threads, then in --workers forked processes
(as gunicorn workers run), each worker with cases of its own; all six in turn, in 5 rounds
of a fifth of their cases each, so that a path and its floor meet the machine alike. Half
of the warm-up is counted: the statements apply_transition sends and the client CPU each
path spends, per transition;
then 20 more cases on one thread: the wall time a transition spends in each kind of
statement, and the rest (Python and the commit). Last, the roll-ups' share, which a
transition leaves to the statistics journal's fold: one fold of all it holds, timed.
Used cases end in mediation_failed: every run consumes about 2 × n intake cases.
"""

import argparse
import json
import math
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace

import sqlalchemy as sa

from bench.common import add_url_argument, bench_url, machine, make_app, percentile, server_version
from mediation.audit import canonical, event_hash, sha256, verify_case
from mediation.cases.operations import apply_transition
from mediation.extensions import db
from mediation.models import AuditEvent, Case, StatsJournal, User
from mediation.stats.journal import fold_pending

WARM_UP_CASES = 10
ROUNDS = 5
# One case's path through the machine: trigger, payload (None: name the case's mediator).
CYCLE = (
    ("accept", None),
    ("escalate", {"reason_code": "complex", "reason": "案情复杂，需街道联调。"}),
    ("terminate", {"reason": "双方分歧过大，无法达成一致。", "routes_told": ["litigation"]}),
)
# What the floor writes for each trigger: from, to.
STATES = {
    "accept": ("intake", "grid_mediation"),
    "escalate": ("grid_mediation", "street_mediation"),
    "terminate": ("street_mediation", "mediation_failed"),
}


@dataclass
class Target:
    """A generated intake case and its mediator."""

    case_id: int
    version: int
    head: str
    seq: int
    mediator_id: int
    mediator: str


@dataclass
class Run:
    """What one run measured."""

    path: str
    workers: int
    kind: str
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def how(self) -> str:
        """1 thread, 2 threads, 2 processes."""
        plural = {"thread": "threads", "process": "processes"}[self.kind]
        return f"{self.workers} {self.kind if self.workers == 1 else plural}"

    @property
    def rate(self) -> float:
        """Transitions per second, wall clock."""
        return len(self.latencies) / self.seconds


def intake_targets(count: int) -> list[Target]:
    """count intake cases with a mediator and one audit event, oldest first."""
    rows = db.session.execute(
        sa.select(Case.id, Case.version, Case.audit_head, User.id, User.username)
        .join(User, User.id == Case.mediator_id)
        .where(Case.status == "intake", Case.version == 1)
        .order_by(Case.id)
        .limit(count)
    ).all()
    if len(rows) < count:
        raise SystemExit(f"need {count} intake cases, found {len(rows)}: run bench.generate")
    seqs = dict(
        db.session.execute(
            sa.select(AuditEvent.case_id, sa.func.max(AuditEvent.seq))
            .where(AuditEvent.case_id.in_([r[0] for r in rows]))
            .group_by(AuditEvent.case_id)
        ).all()
    )
    db.session.remove()
    return [Target(r[0], r[1], r[2], seqs[r[0]], r[3], r[4]) for r in rows]


def through_operations(app, targets: list[Target], latencies: list[float]) -> None:
    """Fire the cycle on each case through apply_transition, one request's work at a time."""
    with app.app_context():
        for target in targets:
            version = target.version
            for trigger, payload in CYCLE:
                tick = time.perf_counter()
                user = db.session.get(User, target.mediator_id)
                body = payload or {"mediator": target.mediator}
                case = apply_transition(user, target.case_id, trigger, version, body)
                version = case.version
                db.session.remove()
                latencies.append(time.perf_counter() - tick)


UPDATE = (
    "UPDATE cases SET status = %s, version = version + 1, updated_at = %s, audit_head = %s "
    "WHERE id = %s AND version = %s"
)
INSERT = (
    "INSERT INTO audit_events (case_id, seq, at, actor_id, actor_role, action, from_state, "
    "to_state, reason, payload, payload_hash, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


FLOOR_STATEMENTS = 2  # the UPDATE and the INSERT (through psycopg: no SQLAlchemy event)


def through_bare_sql(app, targets: list[Target], latencies: list[float]) -> None:
    """Fire the same cycle as one UPDATE + one INSERT per transition, nothing else."""
    with app.app_context():
        raw = db.engine.raw_connection()
    conn = raw.driver_connection
    try:
        for target in targets:
            version, head, seq = target.version, target.head, target.seq
            for trigger, payload in CYCLE:
                tick = time.perf_counter()
                source, dest = STATES[trigger]
                body = payload or {"mediator": target.mediator}
                now = datetime.now(UTC)
                seq += 1
                event = SimpleNamespace(
                    case_id=target.case_id,
                    seq=seq,
                    at=now,
                    actor_id=target.mediator_id,
                    actor_role="mediator",
                    action=trigger,
                    from_state=source,
                    to_state=dest,
                    reason=body.get("reason"),
                    payload_hash=sha256(canonical(body)),
                    prev_hash=head,
                )
                event.hash = event_hash(event)
                with conn.cursor() as cur:
                    cur.execute(UPDATE, (dest, now, event.hash, target.case_id, version))
                    if cur.rowcount != 1:
                        raise RuntimeError(f"case {target.case_id} moved under the benchmark")
                    cur.execute(
                        INSERT,
                        (
                            event.case_id,
                            seq,
                            now,
                            event.actor_id,
                            "mediator",
                            trigger,
                            source,
                            dest,
                            event.reason,
                            json.dumps(body, ensure_ascii=False),
                            event.payload_hash,
                            head,
                            event.hash,
                        ),
                    )
                conn.commit()
                version, head = version + 1, event.hash
                latencies.append(time.perf_counter() - tick)
    finally:
        raw.close()


def costs(app, work, targets: list[Target]) -> tuple[float, float]:
    """Statements sent (SQLAlchemy's, so not the floor's own two) and client CPU ms, per
    transition of work on one thread."""
    sent = []

    def note(*_args):
        sent.append(1)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", note)
    tick = time.thread_time()
    try:
        work(app, targets, [])
    finally:
        cpu = time.thread_time() - tick
        with app.app_context():
            sa.event.remove(db.engine, "before_cursor_execute", note)
    done = len(CYCLE) * len(targets)
    return len(sent) / done, cpu * 1000 / done


# The statements of a transition on PostgreSQL, by what begins them (else their first words).
STATEMENT_KINDS = (
    ("WITH claimed", "row, event and journal"),
    ("SELECT users", "users"),
)
TIMED_CASES = 20


def statement_kind(statement: str) -> str:
    """What a statement of apply_transition is, for statement_times."""
    if "FOR UPDATE" in statement:
        return "held read"
    words = " ".join(statement.split()[:2])
    return next((kind for start, kind in STATEMENT_KINDS if words.startswith(start)), words)


def statement_times(app, targets: list[Target]) -> tuple[dict[str, float], float]:
    """Wall ms per transition in each kind of statement (from the driver's call to its answer:
    the server's work, the round trip and the driver's), and in the whole transition, over
    through_operations on one thread."""
    spent: dict[str, float] = {}

    def started(conn, cursor, statement, params, context, executemany):
        context.bench_started = time.perf_counter()

    def ended(conn, cursor, statement, params, context, executemany):
        kind = statement_kind(statement)
        spent[kind] = spent.get(kind, 0.0) + time.perf_counter() - context.bench_started

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", started)
        sa.event.listen(db.engine, "after_cursor_execute", ended)
    latencies: list[float] = []
    try:
        through_operations(app, targets, latencies)
    finally:
        with app.app_context():
            sa.event.remove(db.engine, "before_cursor_execute", started)
            sa.event.remove(db.engine, "after_cursor_execute", ended)
    done = len(latencies)
    return {kind: ms * 1000 / done for kind, ms in spent.items()}, sum(latencies) * 1000 / done


def measure(app, path: str, work, targets: list[Target], workers: int, kind: str) -> Run:
    """Run work on `workers` threads or processes, each with its own slice of targets."""
    slices = [targets[i::workers] for i in range(workers)]
    if kind == "process":
        seconds, latencies = in_processes(app, work, slices)
    else:
        seconds, latencies = in_threads(app, work, slices)
    run = Run(path, workers, kind, latencies, seconds)
    expected = len(CYCLE) * len(targets)
    if len(run.latencies) != expected:
        raise SystemExit(f"{path}: {len(run.latencies)} of {expected} transitions done")
    return run


def in_threads(app, work, slices) -> tuple[float, list[float]]:
    """Wall seconds and latencies of work on one thread per slice."""
    latencies: list[list[float]] = [[] for _ in slices]
    threads = [
        threading.Thread(target=work, args=(app, mine, lat))
        for mine, lat in zip(slices, latencies, strict=True)
    ]
    tick = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - tick, [x for lat in latencies for x in lat]


def in_processes(app, work, slices) -> tuple[float, list[float]]:
    """Wall seconds and latencies of work in one forked process per slice, as gunicorn's
    workers run: each builds its own app and connections, then all start together."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.engine.dispose()
    context = multiprocessing.get_context("fork")
    queue, go = context.Queue(), context.Event()
    children = [
        context.Process(target=child_worker, args=(url, work, mine, queue, go)) for mine in slices
    ]
    for child in children:
        child.start()
    for _ in children:
        queue.get()
    go.set()
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    if any(result is None for result in results):
        raise SystemExit("a worker process failed")
    start = min(r[0] for r in results)
    end = max(r[1] for r in results)
    return end - start, [x for r in results for x in r[2]]


def child_worker(url: str, work, targets: list[Target], queue, go) -> None:
    """One worker process: connect, say ready, wait for the start, work, report."""
    try:
        app = make_app(url)
        with app.app_context():
            db.session.execute(sa.text("SELECT 1"))
            db.session.remove()
        queue.put("ready")
        go.wait()
        latencies: list[float] = []
        start = time.monotonic()
        work(app, targets, latencies)
        queue.put((start, time.monotonic(), latencies))
    except BaseException:
        queue.put(None)
        raise


def check_chains(app, targets: list[Target]) -> None:
    """Every touched case ended in mediation_failed with a chain that verifies."""
    with app.app_context():
        ids = [t.case_id for t in targets]
        cases = db.session.scalars(sa.select(Case).where(Case.id.in_(ids))).all()
        events: dict[int, list[AuditEvent]] = {i: [] for i in ids}
        for event in db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.case_id.in_(ids))
            .order_by(AuditEvent.case_id, AuditEvent.seq)
        ):
            events[event.case_id].append(event)
        for case in cases:
            problem = verify_case(case, events[case.id])
            if problem or case.status != "mediation_failed" or case.version != 4:
                raise SystemExit(f"case {case.id} is wrong after the run: {problem or case}")
        db.session.remove()


def report(runs: list[Run], engine_version: str) -> None:
    """Print the table and the ratios."""
    print(f"\ntransitions on {engine_version}; {machine()}")
    head = ("path", "workers", "done", "seconds", "per s", "p50 ms", "p95 ms")
    print(f"{head[0]:<18}{head[1]:<13}" + "".join(f"{h:>8}" for h in head[2:]))
    for run in runs:
        ms = [x * 1000 for x in run.latencies]
        print(
            f"{run.path:<18}{run.how:<13}{len(ms):>8}{run.seconds:>8.2f}{run.rate:>8.0f}"
            f"{percentile(ms, 50):>8.2f}{percentile(ms, 95):>8.2f}"
        )
    by_key = {(r.path, r.how): r for r in runs}
    for how in dict.fromkeys(r.how for r in runs):
        ops, floor = by_key[("apply_transition", how)], by_key[("bare SQL floor", how)]
        print(
            f"{how}: apply_transition {ops.rate:.0f}/s, floor {floor.rate:.0f}/s: "
            f"apply_transition reaches {ops.rate / floor.rate:.0%} of the floor "
            f"(the floor is {floor.rate / ops.rate:.1f}× faster)"
        )


def main(argv=None) -> None:
    """Parse the command line and run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="transitions per run (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="threads, then processes (2)")
    add_url_argument(parser)
    args = parser.parse_args(argv)
    app = make_app(bench_url(args.database_url))
    per_run = math.ceil(args.n / len(CYCLE))
    plan = [
        (path, work, workers, kind)
        for workers, kind in ((1, "thread"), (args.workers, "thread"), (args.workers, "process"))
        for path, work in (
            ("apply_transition", through_operations),
            ("bare SQL floor", through_bare_sql),
        )
    ]
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            raise SystemExit("bench.transitions measures PostgreSQL; give a postgresql:// URL")
        engine_version = server_version(db.engine)
        targets = intake_targets(2 * WARM_UP_CASES + TIMED_CASES + per_run * len(plan))
        fold_pending()  # the statistics journal starts empty
    warm, targets = targets[: 2 * WARM_UP_CASES], targets[2 * WARM_UP_CASES :]
    timed, targets = targets[:TIMED_CASES], targets[TIMED_CASES:]
    half = WARM_UP_CASES // 2
    through_operations(app, warm[:half], [])
    through_bare_sql(app, warm[WARM_UP_CASES : WARM_UP_CASES + half], [])
    # The other half of the warm-up, counted: what one transition costs the client.
    ops_costs = costs(app, through_operations, warm[half:WARM_UP_CASES])
    floor_costs = costs(app, through_bare_sql, warm[WARM_UP_CASES + half :])
    in_statements, per_transition = statement_times(app, timed)
    runs = [Run(path, workers, kind) for path, _work, workers, kind in plan]
    # Round by round, each path in turn on a part of its cases: the machine's mood, which
    # swings from minute to minute here, falls on apply_transition and its floor alike.
    for round_ in range(ROUNDS):
        for n, (path, work, workers, kind) in enumerate(plan):
            mine = targets[n * per_run : (n + 1) * per_run][round_::ROUNDS]
            part = measure(app, path, work, mine, workers, kind)
            runs[n].latencies += part.latencies
            runs[n].seconds += part.seconds
    for run in runs:
        print(f"  {run.path}, {run.how}: {run.rate:.0f}/s", flush=True)
    folded = fold_after(app, runs)
    check_chains(app, warm + timed + targets)
    report(runs, engine_version)
    print(
        f"per transition, on 1 thread: apply_transition sends {ops_costs[0]:.1f} statements "
        f"and spends {ops_costs[1]:.2f} ms of client CPU; the floor sends {FLOOR_STATEMENTS} "
        f"and spends {floor_costs[1]:.2f} ms"
    )
    parts = ", ".join(
        f"{kind} {ms:.2f}" for kind, ms in sorted(in_statements.items(), key=lambda kv: -kv[1])
    )
    rest = per_transition - sum(in_statements.values())
    print(
        f"where a transition's {per_transition:.2f} ms go ({TIMED_CASES} cases, one thread), "
        f"ms in each kind of statement: {parts}; the rest (Python, the commit): {rest:.2f}"
    )
    print(f"audit chains of the {len(warm) + len(timed) + len(targets)} cases used verify.")
    print(folded)


def fold_after(app, runs: list[Run]) -> str:
    """Fold the statistics journal that the run's transitions wrote into the roll-ups, timed:
    the work they left to the next report (or `flask stats fold`), and what it says."""
    transitions = len(CYCLE) * (WARM_UP_CASES + TIMED_CASES) + sum(
        len(run.latencies) for run in runs if run.path == "apply_transition"
    )
    with app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(StatsJournal))
        db.session.remove()
        tick = time.perf_counter()
        fold_pending()
        ms = (time.perf_counter() - tick) * 1000
    return (
        f"the statistics journal: {rows} rows from {transitions} transitions, folded into the "
        f"roll-ups in one go in {ms:.0f} ms ({ms / transitions:.2f} ms a transition)"
    )


if __name__ == "__main__":
    main()
