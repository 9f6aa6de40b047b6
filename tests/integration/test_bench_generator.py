"""bench.generate, the benchmarks' data, stays runnable and consistent with the app: a small
city on SQLite, each case in a state of DESIGN §2 with the clock that runs there (as the
operations and the sweep set it), and the statistics' roll-ups rebuilt from the cases."""

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from workflows import STATES
from workflows.clocks import STATE_CLOCKS

ROOT = Path(__file__).resolve().parents[2]


def test_the_generator_makes_cases_the_app_would_have(tmp_path):
    database = tmp_path / "bench.sqlite"
    command = [sys.executable, "-m", "bench.generate", "--cases", "300", "--grids", "60"]
    command += ["--database-url", f"sqlite:///{database}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "the database now holds 300 cases" in done.stdout
    rebuilt = next(line for line in done.stdout.splitlines() if "roll-ups rebuilt" in line)
    assert re.search(r": [1-9]\d* stats_rollups, [1-9]\d* stats_mediator_rollups", rebuilt)

    with sqlite3.connect(database) as conn:
        cases = conn.execute("SELECT status, clock, deadline_at, overdue FROM cases").fetchall()
        rollups = conn.execute("SELECT sum(received) FROM stats_rollups").fetchone()[0]
    names = {state.name for state in STATES}
    assert len(cases) == 300 and {status for status, *_ in cases} <= names
    for status, clock, deadline_at, overdue in cases:
        assert clock is None or clock in STATE_CLOCKS.get(status, ()), (status, clock)
        assert (clock is None) == (deadline_at is None), (status, clock, deadline_at)
        assert not overdue or clock is not None
    assert any(clock for _status, clock, *_ in cases)
    # Each case counts once per region above its grid (city, district, street, community,
    # grid) in each of the two views.
    assert rollups == 300 * 5 * 2
