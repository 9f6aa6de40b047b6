"""A case's running clock (workflows.clocks) kept on the case: its name, deadline and flag."""

from datetime import datetime

from mediation.models import Case
from workflows import TimeLimits
from workflows.clocks import ClockFacts, RunningClock, running_clock
from workflows.deadlines import legal_date


def clock_facts(case: Case) -> ClockFacts:
    """What the case's deadlines are computed from, read from the case and its records."""
    application = case.application
    effective = case.effective_on
    visited = effective is not None and any(
        legal_date(visit.visited_at) >= effective for visit in case.visits
    )
    return ClockFacts(
        registered_at=case.created_at,
        grid_deadline_at=case.grid_deadline_at,
        mediation_deadline_at=case.mediation_deadline_at,
        effective_on=effective,
        performance_deadline=case.agreement.performance_deadline if case.agreement else None,
        visited=visited,
        applied_at=application.applied_at if application else None,
        court_accepted_at=application.accepted_at if application else None,
        review_extended=bool(application and application.extended_at),
    )


def start_clock(case: Case, status: str, now: datetime, limits: TimeLimits) -> RunningClock | None:
    """Start the clock that runs in status at now (or stop the one that ran); it is returned."""
    clock = running_clock(status, clock_facts(case), limits, now)
    case.clock = clock.key if clock else None
    case.deadline_at = clock.deadline_at if clock else None
    return clock


def set_clock(case: Case, status: str, now: datetime, limits: TimeLimits) -> None:
    """start_clock, and the overdue flag as of now."""
    clock = start_clock(case, status, now, limits)
    case.overdue = bool(clock and clock.overdue(now))
