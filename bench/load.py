"""A day's mix of requests against gunicorn on the bench database, beside a bare floor.

    python -m bench.load [--minutes 5] [--users 10] [--workers N] [--floor-seconds 60]
                         [--port 8077] [--database-url URL]

1. `bench.load_plan` (a process of its own) picks --users mediators with intake cases of
   their own and gives each an API token (run `bench.generate --cases 3000 --status intake`
   first if it says there are too few).
2. gunicorn serves `bench.load_app:app` (the production app and the floor route) with
   --workers sync workers (default as `make serve`: 2 × cores + 1), APP_ENV=production, the
   throttle's counters in Redis (RATELIMIT_STORAGE_URI, default redis://127.0.0.1:6379/15).
   Two settings differ from a real deployment, both because one machine plays every user:
   plain HTTP cookies (SESSION_COOKIE_SECURE=false) and a sign-in budget per address large
   enough for all of them to sign in from 127.0.0.1 (LOGIN_RATE_LIMIT).
3. locust (headless, in this process) runs the users for --minutes with no think time, each
   request one of: 60 % queue, list and case pages; 15 % search (a party's two characters);
   15 % writes (the next step of one of her intake cases: accept, record a session,
   escalate, terminate, through the JSON API with her token); 10 % downloads (an agreement's
   PDF, or her street's monthly report as CSV with the street officer's token).
4. The same number of users then GET /bench/floor (one row read, a tiny template) for
   --floor-seconds: the requests per second a worker manages when a request does nothing.
5. `flask audit verify` walks every case's hash chain.

Prints requests/s, p50/p95/p99 and failures per kind, requests/s per worker beside the
floor's, and the audit result; exits 1 when any request failed or the chain is broken.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import add_url_argument, bench_url, machine

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def server_env(url: str, args) -> dict:
    """gunicorn's environment: production settings on the bench database (see the docstring)."""
    return os.environ | {
        "DATABASE_URL": url,
        "APP_ENV": "production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-load-only-key"),
        "PUBLIC_URL": f"http://127.0.0.1:{args.port}",
        "RATELIMIT_STORAGE_URI": args.ratelimit_storage,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "SESSION_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": str(args.workers),
    }


def start_server(url: str, args) -> subprocess.Popen:
    """gunicorn in the background; returns once it answers."""
    log_path = Path(tempfile.gettempdir()) / f"bench-load-gunicorn-{args.port}.log"
    log = log_path.open("w")  # noqa: SIM115 (gunicorn writes to it until stop_server)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{args.port}", "--workers",
         str(args.workers), "--access-logfile", "/dev/null", "bench.load_app:app"],
        cwd=ROOT, env=server_env(url, args), stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/floor", timeout=5)
            return server
        except OSError:
            if server.poll() is not None:
                said = log_path.read_text()[-2000:]
                raise SystemExit(f"gunicorn stopped: {said}") from None
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    """Quick shutdown (SIGINT: workers end at once), or kill after 30 s."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run_locust(host: str, plans: dict, user_class_name: str, seconds: float, users: int):
    """Run one user class for `seconds` with `users` users; returns locust's stats."""
    import gevent
    from locust.env import Environment

    from bench import load_users

    load_users.PLANS[:] = plans["users"]
    load_users.MONTH[0] = plans["month"]
    environment = Environment(user_classes=[getattr(load_users, user_class_name)], host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(seconds)
    runner.quit()
    return environment.stats


def rows_of(stats, seconds: float) -> list[tuple]:
    """(kind, requests, failures, req/s, p50, p95, p99) per kind of request, and the total."""
    rows = []
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        rows.append(row_of(entry.name, entry, seconds))
    rows.append(row_of("all", stats.total, seconds))
    return rows


def row_of(name: str, entry, seconds: float) -> tuple:
    return (
        name,
        entry.num_requests,
        entry.num_failures,
        entry.num_requests / seconds,
        entry.get_response_time_percentile(0.50),
        entry.get_response_time_percentile(0.95),
        entry.get_response_time_percentile(0.99),
    )


def print_rows(title: str, rows: list[tuple]) -> None:
    print(f"\n{title}\n")
    print("| kind | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, count, failures, rate, p50, p95, p99 in rows:
        print(f"| {name} | {count} | {failures} | {rate:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} |")


def failures_of(stats) -> list[str]:
    """Each kind of failure seen, with its count."""
    return [f"{e.occurrences} × {e.method} {e.name}: {e.error}" for e in stats.errors.values()]


def audit_verify(url: str) -> tuple[bool, str]:
    """`flask audit verify` on the bench database: (whole, what it printed)."""
    done = subprocess.run(
        [str(BIN / "flask"), "audit", "verify"],
        cwd=ROOT, env=os.environ | {"DATABASE_URL": url, "FLASK_APP": "wsgi.py",
                                    "PUBLIC_URL": "http://127.0.0.1"},
        capture_output=True, text=True,
    )  # fmt: skip
    said = (done.stdout if done.returncode == 0 else done.stderr).strip().splitlines()
    return done.returncode == 0, said[-1] if said else f"exit code {done.returncode}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--users", type=int, default=10, help="simulated users (default 10)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--floor-seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--ratelimit-storage", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--seed", type=int, default=1)
    add_url_argument(parser)
    args = parser.parse_args(argv)
    url = bench_url(args.database_url)
    random.seed(args.seed)
    planned = subprocess.run(
        [sys.executable, "-m", "bench.load_plan", "--users", str(args.users),
         "--database-url", url],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if planned.returncode:
        raise SystemExit(planned.stderr.strip().splitlines()[-1])
    plans = json.loads(planned.stdout)
    print(
        f"load: {args.users} users, {args.workers} gunicorn workers, {args.minutes} min; "
        f"{machine()}",
        flush=True,
    )
    server = start_server(url, args)
    host = f"http://127.0.0.1:{args.port}"
    try:
        day = run_locust(host, plans, "DayUser", args.minutes * 60, args.users)
        day_rows = rows_of(day, args.minutes * 60)
        floor = run_locust(host, plans, "FloorUser", args.floor_seconds, args.users)
        floor_rows = rows_of(floor, args.floor_seconds)
    finally:
        stop_server(server)
    print_rows(f"a day's mix, {args.minutes} min", day_rows)
    print_rows(f"floor, {args.floor_seconds:.0f} s", floor_rows[:-1])
    day_rate, floor_rate = day_rows[-1][3], floor_rows[-1][3]
    print(
        f"\nrequests/s per worker: the day's mix {day_rate / args.workers:.1f}, "
        f"the floor {floor_rate / args.workers:.1f} (floor ÷ mix {floor_rate / day_rate:.1f} ×)"
    )
    errors = failures_of(day) + failures_of(floor)
    print("errors: " + ("0" if not errors else f"{len(errors)} kinds\n  " + "\n  ".join(errors)))
    whole, said = audit_verify(url)
    print(f"flask audit verify: {said}")
    if errors or not whole:
        sys.exit(1)


if __name__ == "__main__":
    main()
