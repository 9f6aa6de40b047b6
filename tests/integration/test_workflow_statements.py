"""What a transition sends to the database, statement by statement (bench/README.md §9).

PostgreSQL: a transition reads its case once, taking its row in the same statement: the row
(in the user's jurisdiction), its parties, agreement, the guards' counts, the chain's last
seq and its statistical events. It then writes the row and appends the audit event in one
statement (the compare-and-set of its version and chain head, with its status, clock and
side-effect columns; the event, and the case's row of the statistics journal, only if the
row moved). The roll-ups wait for a fold (mediation.stats.journal).

SQLite: the database's lock by a write that changes nothing, the read, the events counted;
the row, the event, the events counted again; the grids' lineage once, and a statement per
roll-up table. A statement more is a regression: the lists below say which one.
"""

import re

import pytest
import sqlalchemy as sa

from mediation.cases import operations as ops
from mediation.extensions import db
from mediation.models import Case
from mediation.stats import rollups
from tests.database import ON_POSTGRES
from tests.factories import gen_case, later, payload_for, user

ROLLED_UP_TABLES = ["stats_rollups", "stats_mediator_rollups", "stats_region_totals"]
if ON_POSTGRES:
    HELD = ["SELECT cases"]
    # The case's journal row goes with its event (the roll-ups wait for a fold).
    WRITTEN = ["WITH stats_journal audit_events"]
    ROLLED_UP = []
    LINEAGE = []
    UNCHANGED = []
else:
    HELD = ["UPDATE cases", "SELECT cases", "SELECT events"]
    WRITTEN = ["UPDATE cases", "INSERT audit_events", "SELECT events"]
    ROLLED_UP = [f"INSERT {table}" for table in ROLLED_UP_TABLES]
    LINEAGE = ["SELECT regions", "SELECT regions"]
    UNCHANGED = []


def target(statement: str) -> str:
    """`VERB table` of a statement: the table it writes, or the one its outer FROM reads (a
    subquery there by its alias); a WITH of data-modifying steps: `WITH` and the tables they
    write."""
    words = statement.split()
    verb = words[0].upper()
    if verb == "WITH":  # data-modifying steps: the tables they write
        return "WITH " + " ".join(re.findall(r"INSERT INTO (\w+)", statement))
    if verb in ("UPDATE", "INSERT"):
        table = (words[1] if verb == "UPDATE" else words[2]).strip('"')
        return f"{verb} {table}"
    depth, at = 0, 0
    for match in re.finditer(r"\(|\)|\bFROM\b", statement):
        token = match.group()
        depth += {"(": 1, ")": -1}.get(token, 0)
        if token == "FROM" and depth == 0:
            at = match.end()
            break
    rest = statement[at:].lstrip()
    if rest.startswith("("):
        alias = re.search(r"\)\s+AS\s+(\w+)\s*(?:WHERE|GROUP|ORDER|$)", rest)
        return f"SELECT {alias.group(1)}"
    return f"SELECT {rest.split()[0]}"


@pytest.fixture
def sent():
    """The targets of the statements sent while the test listens (`with sent:`)."""

    class Listener(list):
        def __enter__(self):
            self.clear()
            sa.event.listen(db.engine, "before_cursor_execute", self.note)
            return self

        def __exit__(self, *exc):
            sa.event.remove(db.engine, "before_cursor_execute", self.note)

        def note(self, conn, cursor, statement, params, context, executemany):
            self.append(target(statement))

    return Listener()


def fire_counted(case_id: int, trigger: str, version: int, sent) -> list[str]:
    """Fire trigger as the case's mediator (loaded first, as a request does) a minute after
    the case's last event, and return the statements apply_transition sent."""
    now = later(case_id)
    db.session.commit()
    mediator = user("mediator_demo")
    with sent:
        ops.apply_transition(mediator, case_id, trigger, version, payload_for(trigger), now=now)
    return list(sent)


def test_a_transition_reads_its_case_once_and_writes_its_row_once(sent):
    """accept → escalate → terminate: the statements of each, the grids' lineage read once."""
    case = gen_case()
    rollups.forget_lineages()
    # The mediator names herself: she is not read again (side_effects.resolve_mediator).
    assert fire_counted(case.id, "accept", 1, sent) == [*HELD, *WRITTEN, *UNCHANGED]
    assert fire_counted(case.id, "escalate", 2, sent) == [*HELD, *WRITTEN, *LINEAGE, *ROLLED_UP]
    assert fire_counted(case.id, "terminate", 3, sent) == [*HELD, *WRITTEN, *ROLLED_UP]


def test_the_reply_reads_the_transitioned_case_without_asking_again(sent):
    """What the transition wrote stays on the case after its commit: its reply (status,
    version, clock, the guards' counts) sends nothing; a fresh read agrees."""
    case = gen_case()
    now = later(case.id)
    db.session.commit()
    mediator = user("mediator_demo")
    done = ops.apply_transition(mediator, case.id, "accept", 1, payload_for("accept"), now=now)
    with sent:
        seen = (done.status, done.version, done.grid_deadline_at, done.session_count)
    assert list(sent) == []
    db.session.expire_all()
    fresh = db.session.get(Case, case.id)
    assert seen == ("grid_mediation", 2, fresh.grid_deadline_at, 0)
    assert (fresh.status, fresh.version) == ("grid_mediation", 2)
