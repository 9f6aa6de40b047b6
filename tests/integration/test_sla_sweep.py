"""The SLA sweep with frozen time: overdue grid cases escalate, overdue cases are flagged.

A case accepted at T0 (Mon 11 May 2026, 09:01 in China) has seven calendar days at grid
level: its grid deadline is Mon 18 May 23:59:59 China time.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from mediation.cases import operations as ops
from mediation.cases import sla
from mediation.cases.sla import SweepResult, sweep
from mediation.extensions import db
from mediation.models import Case
from tests.factories import (
    beijing,
    end_of_day,
    events,
    gen_case,
    gen_visit,
    later,
    payload_for,
    reload,
    user,
)

SECOND = timedelta(seconds=1)


def test_grid_case_is_not_escalated_one_second_before_its_deadline():
    """23:59:58 on the seventh day: still the grid's case."""
    case = gen_case(status="grid_mediation")
    assert case.grid_deadline_at == beijing(2026, 5, 18, 23, 59, 59)
    result = sweep(now=case.grid_deadline_at - SECOND)
    case = reload(case)
    assert result.escalated == 0
    assert (case.status, case.version, case.overdue) == ("grid_mediation", 2, False)


def test_grid_case_escalates_one_second_after_its_deadline():
    """00:00:00 on the eighth day: 街道联调, logged as the system's doing."""
    case = gen_case(status="grid_mediation")
    logged = len(events(case))
    now = case.grid_deadline_at + SECOND
    result = sweep(now=now)
    case = reload(case)
    assert result == SweepResult(escalated=1, skipped=0, flagged=0, cleared=0)
    assert (case.status, case.version, case.escalated_at) == ("street_mediation", 3, now)
    assert (case.clock, case.deadline_at) == ("mediation", case.mediation_deadline_at)
    assert case.overdue is False
    (event,) = events(case)[logged:]
    assert (event.action, event.actor_role, event.actor_id) == ("auto_escalate", "system", None)
    assert (event.from_state, event.to_state, event.at) == (
        "grid_mediation",
        "street_mediation",
        now,
    )


def test_only_grid_cases_past_their_deadline_escalate():
    """Intake, street and later cases, and grid cases still in time, are left alone."""
    overdue = gen_case(status="grid_mediation")
    in_time = gen_case(status="grid_mediation", now=beijing(2026, 5, 15, 9))
    others = [gen_case(status=s) for s in ("intake", "street_mediation", "agreement_drafted")]
    result = sweep(now=beijing(2026, 5, 19, 9))
    assert result.escalated == 1
    assert reload(overdue).status == "street_mediation"
    assert reload(in_time).status == "grid_mediation"
    assert [reload(c).status for c in others] == ["intake", "street_mediation", "agreement_drafted"]


def test_running_the_sweep_twice_changes_nothing_the_second_time():
    """Safe to run twice: no second escalation, no clock handed on twice, no flag moved, no
    event added."""
    gen_case(status="grid_mediation")
    gen_case(status="agreement_effective")
    now = beijing(2026, 7, 1, 9)
    first = sweep(now=now)
    # The escalated case is flagged by its transition; the agreement's confirmation window
    # closed on 10 June, so its visit clock (due 25 June) takes over and is flagged.
    assert (first.escalated, first.handed_on, first.flagged) == (1, 1, 1)
    db.session.expire_all()
    assert db.session.scalars(sa.select(Case.overdue)).all() == [True, True]
    db.session.expire_all()
    before = db.session.execute(
        sa.select(Case.id, Case.status, Case.version, Case.overdue, Case.audit_head)
    ).all()
    assert sweep(now=now) == SweepResult()
    db.session.expire_all()
    after = db.session.execute(
        sa.select(Case.id, Case.status, Case.version, Case.overdue, Case.audit_head)
    ).all()
    assert after == before


def test_overdue_flags_are_set_when_a_deadline_passes_and_cleared_when_it_moves():
    """A confirmed agreement not visited in time is flagged; a later deadline clears the flag."""
    case = gen_case(status="confirmed")
    visit_by = case.deadline_at
    assert case.clock == "visit"
    assert visit_by == end_of_day(case.agreement.performance_deadline + timedelta(days=15))
    assert sweep(now=visit_by).flagged == 0
    assert reload(case).overdue is False
    assert sweep(now=visit_by + SECOND).flagged == 1
    assert reload(case).overdue is True
    # No operation grants an extension yet: it is written straight to the row, as an admin would.
    db.session.execute(
        sa.update(Case).where(Case.id == case.id).values(deadline_at=visit_by + timedelta(days=10))
    )
    db.session.commit()
    result = sweep(now=visit_by + SECOND)
    assert (result.flagged, result.cleared) == (0, 1)
    assert reload(case).overdue is False


def test_a_late_visit_meets_the_visit_clock_and_a_concluded_case_is_never_overdue():
    """The visit recorded late clears the flag and stops the clock; once closed, the sweep
    does not flag the case again."""
    case = gen_case(status="confirmed")
    late = case.deadline_at + timedelta(days=3)
    sweep(now=late)
    assert reload(case).overdue is True
    gen_visit(case, now=late)
    case = reload(case)
    assert (case.clock, case.deadline_at, case.overdue) == (None, None, False)
    ops.apply_transition(user("mediator_demo"), case.id, "close", case.version, {}, now=later(case))
    assert sweep(now=late + timedelta(days=30)) == SweepResult()
    case = reload(case)
    assert (case.status, case.overdue, case.deadline_at) == ("closed", False, None)


def test_a_street_case_past_its_mediation_deadline_is_flagged_not_moved():
    """Thirty days after accept the street case is overdue; only grid cases move by themselves."""
    case = gen_case(status="street_mediation")
    assert case.deadline_at == beijing(2026, 6, 10, 23, 59, 59)
    result = sweep(now=beijing(2026, 6, 11, 0, 0, 0))
    case = reload(case)
    assert (result.escalated, result.flagged) == (0, 1)
    assert (case.status, case.version, case.overdue) == ("street_mediation", 3, True)


@pytest.fixture
def working_days(app, monkeypatch):
    """The city counts working days (chinese_calendar's holidays and 调休)."""
    monkeypatch.setitem(app.config, "TIME_LIMITS", {"working_days": True})


def test_grid_deadline_in_working_days_runs_over_national_day(working_days):
    """Accepted Tue 29 Sep 2026: 30 Sep, 8, 9, 10 (Sat, 调休), 12, 13, 14 Oct; not due on 8 Oct."""
    case = gen_case(status="grid_mediation", now=beijing(2026, 9, 29, 10))
    assert case.grid_deadline_at == beijing(2026, 10, 14, 23, 59, 59)
    assert sweep(now=beijing(2026, 10, 8, 12)).escalated == 0
    assert reload(case).status == "grid_mediation"
    assert sweep(now=case.grid_deadline_at - SECOND).escalated == 0
    assert sweep(now=beijing(2026, 10, 15, 0, 0, 0)).escalated == 1
    assert reload(case).status == "street_mediation"


def test_in_calendar_days_the_same_case_would_be_due_during_the_holiday():
    """The default: seven calendar days from 29 Sep end on 6 Oct, so 8 Oct is too late."""
    case = gen_case(status="grid_mediation", now=beijing(2026, 9, 29, 10))
    assert case.grid_deadline_at == beijing(2026, 10, 6, 23, 59, 59)
    assert sweep(now=beijing(2026, 10, 8, 12)).escalated == 1


def test_cli_sweep_prints_what_it_did(runner):
    """`flask sla sweep` at a frozen 19 May: one escalated, one confirmed agreement overdue."""
    escalating = gen_case(status="grid_mediation")
    gen_case(status="confirmed", draft={"performance_deadline": "2026-05-01"})  # visit due 16 May
    with time_machine.travel(beijing(2026, 5, 19, 9), tick=False):
        result = runner.invoke(args=["sla", "sweep"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "自动上报 1 件，跳过 0 件（已被处理），申请司法确认期限届满 0 件，"
        "标记超期 1 件，解除超期 0 件。"
    )
    case = reload(escalating)
    assert case.status == "street_mediation"
    assert events(case)[-1].at == beijing(2026, 5, 19, 9)


def test_sweep_skips_a_case_that_someone_moved_meanwhile(monkeypatch):
    """A case escalated by a person between the sweep's read and its write counts as skipped."""
    case = gen_case(status="grid_mediation")
    now = case.grid_deadline_at + SECOND
    read = sla.overdue_grid_cases

    def read_then_colleague_escalates(moment, after_id):
        rows = read(moment, after_id)
        if rows:
            ops.apply_transition(
                user("grid_demo"), case.id, "escalate", 2, payload_for("escalate"), now=now
            )
        return rows

    monkeypatch.setattr(sla, "overdue_grid_cases", read_then_colleague_escalates)
    result = sweep(now=now)
    assert (result.escalated, result.skipped) == (0, 1)
    assert [e.action for e in events(case)].count("escalate") == 1
    assert "auto_escalate" not in [e.action for e in events(case)]


def test_the_sweep_pages_through_many_overdue_cases(monkeypatch):
    """Batches of two (instead of 200): five overdue grid cases, five escalations."""
    monkeypatch.setattr(sla, "BATCH", 2)
    cases = [gen_case(status="grid_mediation") for _ in range(5)]
    result = sweep(now=beijing(2026, 5, 19, 9))
    assert result.escalated == 5
    assert {reload(c).status for c in cases} == {"street_mediation"}
