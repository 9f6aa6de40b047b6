"""A case's running clock (workflows.clocks) kept on the case: its name, deadline and flag."""

from datetime import date, datetime

from mediation.models import Case
from workflows import TimeLimits
from workflows.clocks import RunningClock, running_clock
from workflows.deadlines import legal_date


class CaseClockFacts:
    """workflows.clocks.ClockFacts of a case, the records' facts read when a deadline asks for
    them: most clocks count from the case row alone, so the agreement, the visits and the
    court application are loaded only in the states whose clocks count from them."""

    def __init__(self, case: Case):
        self.case = case
        self.registered_at = case.created_at
        self.grid_deadline_at = case.grid_deadline_at
        self.mediation_deadline_at = case.mediation_deadline_at
        self.effective_on = case.effective_on

    @property
    def performance_deadline(self) -> date | None:
        """The agreement's last day of performance."""
        return self.case.agreement.performance_deadline if self.case.agreement else None

    @property
    def visited(self) -> bool:
        """A follow-up visit since the agreement took effect has met the visit clock."""
        effective = self.effective_on
        return effective is not None and any(
            legal_date(visit.visited_at) >= effective for visit in self.case.visits
        )

    @property
    def applied_at(self) -> datetime | None:
        """When the newest application for judicial confirmation was filed."""
        return self.case.application.applied_at if self.case.application else None

    @property
    def court_accepted_at(self) -> datetime | None:
        """When the court accepted it."""
        return self.case.application.accepted_at if self.case.application else None

    @property
    def review_extended(self) -> bool:
        """Whether the court's review period was extended."""
        return bool(self.case.application and self.case.application.extended_at)


def start_clock(case: Case, status: str, now: datetime, limits: TimeLimits) -> RunningClock | None:
    """Start the clock that runs in status at now (or stop the one that ran); it is returned."""
    clock = running_clock(status, CaseClockFacts(case), limits, now)
    case.clock = clock.key if clock else None
    case.deadline_at = clock.deadline_at if clock else None
    return clock


def set_clock(case: Case, status: str, now: datetime, limits: TimeLimits) -> None:
    """start_clock, and the overdue flag as of now."""
    clock = start_clock(case, status, now, limits)
    case.overdue = bool(clock and clock.overdue(now))
