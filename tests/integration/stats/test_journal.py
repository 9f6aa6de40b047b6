"""The statistics journal (PostgreSQL): an operation writes its case's difference there, out of
the way of every other operation; a report folds it into the roll-ups before it reads them,
and `flask stats fold` does so on a schedule. SQLite adds to the roll-ups at once."""

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.cases import operations as ops
from mediation.extensions import db
from mediation.models import Region, StatsJournal, StatsRegionTotal
from mediation.stats import journal, rollups
from mediation.stats.report import monthly_report
from tests.database import ON_POSTGRES
from tests.factories import beijing, case_data, gen_case, payload_for, user
from tests.rollup_rows import nonzero_rows

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no journal to fold")
MARCH = beijing(2026, 3, 2, 9)


def journal_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(StatsJournal))


def received_in_march() -> int:
    """The city's cases received in March, as the roll-ups hold them now (no fold)."""
    city = sa.select(Region.id).where(Region.parent_id.is_(None)).scalar_subquery()
    total = sa.select(StatsRegionTotal.received).where(
        StatsRegionTotal.view == "period",
        StatsRegionTotal.month == "2026-03",
        StatsRegionTotal.region_id == city,
    )
    return db.session.scalar(total) or 0


def march_report() -> dict:
    return monthly_report(user("admin_demo"), "2026-03", sections=("indicators",))


@postgres_only
def test_an_operation_journals_its_difference_and_the_report_folds_it_first():
    baseline = received_in_march()
    gen_case(status="grid_mediation", now=MARCH)
    # The roll-ups have not moved; the journal holds the case's cells.
    assert journal_rows() > 0 and received_in_march() == baseline
    assert march_report()["indicators"]["received"]["value"] == baseline + 1
    db.session.expire_all()
    assert journal_rows() == 0 and received_in_march() == baseline + 1


@postgres_only
def test_the_fold_command_empties_the_journal_into_the_roll_ups(runner):
    gen_case(status="agreement_effective", now=MARCH)
    waiting = journal_rows()
    result = runner.invoke(args=["stats", "fold"])
    assert result.exit_code == 0 and result.output == f"已汇入统计 {waiting} 条变动。\n"
    assert waiting > 0 and journal_rows() == 0
    kept = nonzero_rows()
    rollups.rebuild()
    assert nonzero_rows() == kept
    # Nothing journalled: nothing to do, said so.
    assert runner.invoke(args=["stats", "fold"]).output == "已汇入统计 0 条变动。\n"


@postgres_only
def test_rebuild_counts_what_the_journal_held_and_empties_it():
    baseline = received_in_march()
    gen_case(status="agreement_effective", now=MARCH)
    assert journal_rows() > 0
    rollups.rebuild()
    db.session.expire_all()
    assert journal_rows() == 0 and received_in_march() == baseline + 1


def test_on_sqlite_the_roll_ups_are_current_at_once():
    if ON_POSTGRES:
        pytest.skip("PostgreSQL journals its differences")
    baseline = received_in_march()
    gen_case(status="grid_mediation", now=MARCH)
    assert journal_rows() == 0 and received_in_march() == baseline + 1


@postgres_only
def test_folds_running_beside_operations_lose_and_double_nothing(app):
    """Two threads accept and escalate cases while two others fold over and over: afterwards
    the roll-ups, folded once more, are exactly what a fresh count gives."""
    baseline = received_in_march()
    cases = [gen_case(now=MARCH).id for _ in range(8)]
    db.session.commit()
    done = threading.Event()
    failures: list = []

    def operate(mine):
        with app.app_context():
            try:
                mediator = user("mediator_demo")
                for number, case_id in enumerate(mine):
                    now = MARCH + timedelta(hours=1 + number)
                    accept = payload_for("accept")
                    ops.apply_transition(mediator, case_id, "accept", 1, accept, now=now)
                    later = now + timedelta(minutes=30)
                    escalate = payload_for("escalate")
                    ops.apply_transition(mediator, case_id, "escalate", 2, escalate, now=later)
                    ops.create_case(user("grid_demo"), case_data(), now=later)
            except Exception as error:  # reported below
                failures.append(error)
            finally:
                db.session.remove()

    def fold():
        with app.app_context():
            try:
                while not done.is_set():
                    journal.fold_pending()
                    time.sleep(0.001)
            except Exception as error:  # reported below
                failures.append(error)

    workers = [threading.Thread(target=operate, args=(cases[i::2],)) for i in range(2)]
    folders = [threading.Thread(target=fold) for _ in range(2)]  # two folds at once, too
    for thread in folders + workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    done.set()
    for thread in folders:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in workers + folders)
    assert failures == []
    kept = nonzero_rows()
    rollups.rebuild()
    assert nonzero_rows() == kept
    assert received_in_march() == baseline + 16  # eight cases, and eight more registered


@postgres_only
def test_an_operation_held_open_across_a_fold_counts_once_it_commits(app):
    """A case registered and accepted (two rows waiting) is escalated in a transaction that
    stays open while a fold runs: the fold takes the two rows and counts the case as accepted;
    the escalation's row, committed with it afterwards, goes to the next fold."""
    mediator = user("mediator_demo")
    case = gen_case(now=MARCH)
    ops.apply_transition(mediator, case.id, "accept", 1, payload_for("accept"), now=MARCH)
    held, release = threading.Event(), threading.Event()

    def escalate():
        with app.app_context():
            later = MARCH + timedelta(hours=1)
            payload = payload_for("escalate")
            ops.apply_transition(user("mediator_demo"), case.id, "escalate", 2, payload, now=later)
            db.session.remove()

    escalation = threading.Thread(target=escalate)

    def hold(_session):
        """The escalation waits at its commit, its writes and journal row made."""
        if threading.current_thread() is escalation:
            held.set()
            release.wait(30)

    sa.event.listen(so.Session, "before_commit", hold)
    try:
        escalation.start()
        assert held.wait(30)
        assert journal.fold_pending() == 2  # the registration and the acceptance
        release.set()
        escalation.join(timeout=30)
    finally:
        release.set()
        sa.event.remove(so.Session, "before_commit", hold)
    assert not escalation.is_alive()
    db.session.expire_all()
    assert journal_rows() == 1  # the escalation's
    kept = nonzero_rows()
    rollups.rebuild()
    assert nonzero_rows() == kept
