"""Versions and races: a stale version changes nothing; of racing writers exactly one wins.

The races run on PostgreSQL only: SQLite serialises every writer on the whole file, so the
row-level compare-and-set the operations rely on is never contended there.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from mediation.audit import verify_all
from mediation.cases import operations as ops
from mediation.cases import sla
from mediation.errors import Conflict
from mediation.extensions import db
from mediation.models import Case, IssuedDocument
from tests.database import ON_POSTGRES
from tests.factories import (
    T0,
    case_data,
    events,
    gen_case,
    gen_session,
    later,
    payload_for,
    reload,
    session_record,
    sign,
    signers,
    user,
)

THREADS = 8
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="row-level races need PostgreSQL: SQLite locks the whole file for each writer",
)


def snapshot(case) -> tuple:
    """Status, version and the length of the log."""
    case = reload(case)
    return case.status, case.version, len(events(case))


@pytest.mark.parametrize("shift", [-1, 1])
def test_a_stale_or_future_version_is_a_conflict_that_changes_nothing(shift):
    """409 and the case as it was, however good the rest of the request."""
    case = gen_case(status="grid_mediation")
    before = snapshot(case)
    with pytest.raises(Conflict) as conflict:
        ops.apply_transition(
            user("grid_demo"), case.id, "escalate", case.version + shift, payload_for("escalate")
        )
    assert conflict.value.status == 409
    assert conflict.value.message == f"案件已被他人更新（当前版本 {before[1]}），请刷新后重试。"
    assert snapshot(case) == before


def test_the_version_a_user_loaded_goes_stale_when_a_colleague_acts_first():
    """Two people open the same case at version 2; the second to submit gets 409."""
    case = gen_case(status="grid_mediation")
    loaded = case.version
    ops.apply_transition(
        user("mediator_demo"), case.id, "escalate", loaded, payload_for("escalate"), later(case)
    )
    after = snapshot(case)
    with pytest.raises(Conflict):
        ops.apply_transition(
            user("mediator_demo"),
            case.id,
            "terminate",
            loaded,
            payload_for("terminate"),
            later(case),
        )
    assert snapshot(case) == after == ("street_mediation", loaded + 1, 3)


# ---------------------------------------------------------------------------- PostgreSQL races


def race(app, jobs) -> list:
    """Run each job(user_lookup) in its own thread and app context, all released together."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            try:
                barrier.wait()
                results[index] = job()
            except Exception as error:  # the outcome is what is being tested
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def fire_job(case_id: int, username: str, trigger: str, version: int, payload: dict, now):
    """A job that fires a transition as username (loaded in the thread's own session)."""
    return lambda: (
        ops.apply_transition(user(username), case_id, trigger, version, payload, now=now).status
    )


def outcomes(results) -> Counter:
    """'won' for each success, the error's class name otherwise."""
    return Counter("won" if isinstance(r, str) else type(r).__name__ for r in results)


def one_round(app, case, contenders: list[tuple[str, str]]) -> str:
    """Eight conflicting transitions at one version: one winner, seven conflicts, one event."""
    case = reload(case)
    version, logged, now = case.version, len(events(case)), later(case)
    jobs = [
        fire_job(case.id, who, trigger, version, payload_for(trigger, case, now), now)
        for who, trigger in contenders
    ]
    results = race(app, jobs)
    assert outcomes(results) == Counter({"won": 1, "Conflict": THREADS - 1}), results
    case = reload(case)
    assert case.version == version + 1
    new = events(case)[logged:]
    assert len(new) == 1
    (winner,) = [r for r in results if isinstance(r, str)]
    assert winner == case.status == new[0].to_state
    return case.status


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_of_four_terminations_and_four_escalations_exactly_one_wins(app, attempt):
    """Eight people act on one grid case at the same moment: one of them, and only one."""
    case = gen_case(status="grid_mediation")
    contenders = [("mediator_demo", "terminate")] * 2 + [("street_demo", "terminate")] * 2
    contenders += [("grid_demo", "escalate")] * 2 + [("street_demo", "escalate")] * 2
    assert one_round(app, case, contenders) in ("mediation_failed", "street_mediation")
    assert list(verify_all()) == []


@postgres_only
@pytest.mark.postgres
def test_one_winner_per_version_over_many_versions(app):
    """Round after round on the same case (request, withdraw, request …): one event each."""
    case = gen_case(status="agreement_effective")
    start = case.version
    mediators = ["mediator_demo", "street_demo"] * 4
    for _ in range(3):
        status = one_round(app, case, [(who, "request_confirmation") for who in mediators])
        assert status == "confirmation_requested"
        status = one_round(app, case, [(who, "withdraw_confirmation") for who in mediators])
        assert status == "agreement_effective"
    assert reload(case).version == start + 6
    assert list(verify_all()) == []


@postgres_only
@pytest.mark.postgres
def test_grid_escalation_races_the_draft_agreement(app):
    """Escalate and draft at the same version: whichever wins, the other four get 409."""
    case = gen_case(status="grid_mediation")
    gen_session(case)
    contenders = [("grid_demo", "escalate")] * 4 + [("mediator_demo", "draft_agreement")] * 4
    assert one_round(app, case, contenders) in ("street_mediation", "agreement_drafted")


@postgres_only
@pytest.mark.postgres
def test_sessions_recorded_while_the_case_escalates_lose_nothing(app):
    """Four sessions and four escalations at once: every success logged once, the chain whole.

    Sessions retry when the chain's head moved under them; a transition that lost the race
    answers 409. Whatever the interleaving, the log holds exactly what succeeded.
    """
    case = gen_case(status="grid_mediation")
    version, logged, now = case.version, len(events(case)), later(case)
    session = session_record(now.isoformat())

    def record() -> int:
        """One session, recorded by the mediator."""
        return ops.record_session(user("mediator_demo"), case.id, session, now=now).id

    jobs = [record] * 4 + [
        fire_job(case.id, "grid_demo", "escalate", version, payload_for("escalate"), now)
    ] * 4
    results = race(app, jobs)
    sessions = [r for r in results[:4] if isinstance(r, int)]
    escalations = [r for r in results[4:] if isinstance(r, str)]
    assert all(isinstance(r, int | str | Conflict) for r in results), results
    assert len(escalations) == 1
    case = reload(case)
    assert case.version == version + 1
    actions = Counter(e.action for e in events(case)[logged:])
    assert actions == Counter({"session": len(sessions), "escalate": 1})
    assert len(case.sessions) == len(sessions)
    assert list(verify_all()) == []


def test_twenty_sessions_recorded_at_once_all_succeed(app):
    """Records carry no version: people recording on one case at once never get 409.

    Each waits for the case row in turn (on SQLite, for the file), so every one of them is
    stored and logged once, and the chain stays whole.
    """
    case = gen_case(status="grid_mediation")
    logged, now = len(events(case)), later(case)
    session = session_record(now.isoformat())
    job = lambda: ops.record_session(user("mediator_demo"), case.id, session, now=now).id  # noqa: E731
    recorders = 20
    results = race(app, [job] * recorders)
    assert all(isinstance(r, int) for r in results), results
    case = reload(case)
    assert len(case.sessions) == recorders
    assert [e.action for e in events(case)[logged:]] == ["session"] * recorders
    assert list(verify_all()) == []


@postgres_only
@pytest.mark.postgres
def test_concurrent_intake_numbers_the_cases_without_gaps_or_repeats(app):
    """Eight registrations for one committee at once: serials 1 to 8, each number once."""
    jobs = [
        (lambda: ops.create_case(user("mediator_demo"), case_data(), now=T0).number)
        for _ in range(THREADS)
    ]
    results = race(app, jobs)
    assert all(isinstance(r, str) for r in results), results
    db.session.expire_all()
    serials = sorted(db.session.scalars(sa.select(Case.serial)))
    assert serials == list(range(1, THREADS + 1))
    assert sorted(results) == sorted(f"（2026）工农兵人调字第{n}号" for n in serials)


@postgres_only
@pytest.mark.postgres
def test_two_sweeps_at_once_escalate_each_overdue_case_exactly_once(app):
    """Cron fires twice at the same minute: every overdue grid case escalates once."""
    cases = [gen_case(status="grid_mediation") for _ in range(6)]
    ids = [c.id for c in cases]
    now = reload(cases[-1]).grid_deadline_at + timedelta(seconds=1)
    results = race(app, [lambda: sla.sweep(now=now)] * 2)
    assert all(isinstance(r, sla.SweepResult) for r in results), results
    assert sum(r.escalated for r in results) == len(ids), results
    assert sum(r.skipped for r in results) <= len(ids)
    for case_id in ids:
        case = reload(case_id)
        assert (case.status, case.version) == ("street_mediation", 3)
        assert [e.action for e in events(case_id)].count("auto_escalate") == 1
    assert list(verify_all()) == []


@postgres_only
@pytest.mark.postgres
def test_two_seals_at_once_make_the_agreement_effective_once(app):
    """Two mediators of the committee press 加盖印章 together: one sealed original, version +1,
    the other refused with 409; the log and the file store hold one of each."""
    case = gen_case(status="agreement_drafted")
    for signer in signers(case):
        sign(case, signer)
    case = reload(case)
    version, now = case.version, later(case)
    results = race(
        app,
        [lambda: ops.seal_agreement(user("mediator_demo"), case.id, version, now=now).status] * 2,
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "str"], results
    case = reload(case)
    assert (case.status, case.version) == ("agreement_effective", version + 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 1
    assert [e.action for e in events(case)].count("make_effective") == 1
    assert list(verify_all()) == []


@postgres_only
@pytest.mark.postgres
def test_the_same_signature_recorded_twice_at_once_counts_once(app):
    """Two clicks on 登记签名 at the same moment: one signature, the other refused."""
    case = gen_case(status="agreement_drafted")
    now = later(case)
    results = race(app, [lambda: sign(reload(case.id), "mediator", "mediator_demo", now).id] * 2)
    assert sorted(type(r).__name__ for r in results) == ["Refused", "int"], results
    case = reload(case)
    assert [s.signer for s in case.agreement.signatures].count("mediator") == 1


@postgres_only
def test_a_transition_that_waited_for_the_row_sees_what_the_writer_before_it_left(app):
    """The draft reads its case in the statement that takes the row, and that statement began
    while a session was being recorded: once the row is its own, the guard still counts the
    session (the case is read again), and the draft passes where it would have been refused."""
    case = gen_case(status="grid_mediation")
    assert reload(case).sessions == []
    version, now = case.version, later(case)
    holding, release = threading.Event(), threading.Event()

    def record() -> int:
        """One session, its transaction held open at commit until the draft waits."""

        def hold(_session):
            holding.set()
            release.wait(timeout=30)

        sa.event.listen(db.session(), "before_commit", hold, once=True)
        return ops.record_session(
            user("mediator_demo"), case.id, session_record(now.isoformat()), now=now
        ).id

    draft = fire_job(
        case.id, "mediator_demo", "draft_agreement", version, payload_for("draft_agreement"), now
    )
    results: dict = {}

    def run(name, job):
        with app.app_context():
            try:
                results[name] = job()
            except Exception as error:  # the outcome is what is being tested
                results[name] = error
            finally:
                db.session.remove()

    recorder = threading.Thread(target=run, args=("session", record))
    recorder.start()
    assert holding.wait(timeout=30)
    drafter = threading.Thread(target=run, args=("draft", draft))
    drafter.start()
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    with db.engine.connect() as watcher:
        for _ in range(600):  # until the draft waits for the row (at most a minute)
            if watcher.execute(waiting).scalar():
                break
            threading.Event().wait(0.1)
        else:
            release.set()
            pytest.fail("the draft never waited for the case's row")
    release.set()
    recorder.join(timeout=60)
    drafter.join(timeout=60)
    assert isinstance(results["session"], int), results
    assert results["draft"] == "agreement_drafted", results
    case = reload(case)
    assert [e.action for e in events(case)[-2:]] == ["session", "draft_agreement"]
    assert list(verify_all()) == []
