"""The clock that runs in each state, by name, and how its deadline is computed (DESIGN §3).

A case has at most one running clock. Which one is data: STATE_CLOCKS names the clocks of a
state in order, DEADLINES says how each one's last moment follows from the case's facts and
the city's limits. A clock that `lapses` is a window, not a duty: once its last moment has
passed nothing is late, and the state's next clock runs instead (an effective agreement's
30-day window to apply for judicial confirmation, then the follow-up visit). The last clock
of a state never lapses: past its last moment the case is overdue.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from workflows.deadlines import (
    CHINA_TZ,
    TimeLimits,
    confirmation_deadline,
    court_acceptance_deadline,
    court_ruling_deadline,
    deadline,
    end_of_day,
    legal_date,
    visit_deadline,
)


@dataclass(frozen=True)
class Clock:
    """One named clock: its identifier, its labels, and whether it is a window that lapses."""

    key: str
    label: str
    label_en: str
    lapses: bool = False


CLOCKS: tuple[Clock, ...] = (
    Clock("intake", "受理期限", "Deadline to accept"),
    Clock("grid", "网格调处期限", "Grid mediation deadline"),
    Clock("mediation", "调解期限", "Mediation deadline"),
    Clock(
        "confirmation_window",
        "申请司法确认期限",
        "Deadline to apply for judicial confirmation",
        lapses=True,
    ),
    Clock("visit", "回访期限", "Follow-up visit deadline"),
    Clock("court_acceptance", "法院受理审查期限", "Court's deadline to decide on acceptance"),
    Clock("court_review", "审查期限", "Review deadline"),
    Clock("court_review_extended", "审查期限（已延长）", "Review deadline (extended)"),
)
CLOCK_BY_KEY: dict[str, Clock] = {clock.key: clock for clock in CLOCKS}

# The clocks of each state, in the order they run. A state not listed runs no clock: the
# terminal states, and a rejected confirmation (it waits for remediation or closing).
STATE_CLOCKS: dict[str, tuple[str, ...]] = {
    "intake": ("intake",),
    "grid_mediation": ("grid",),
    "street_mediation": ("mediation",),
    # Signing is part of the mediation: its whole-mediation clock keeps running.
    "agreement_drafted": ("mediation",),
    "agreement_effective": ("confirmation_window", "visit"),
    "confirmation_requested": ("court_acceptance",),
    "confirmation_accepted": ("court_review",),
    "confirmed": ("visit",),
}


@dataclass(frozen=True)
class ClockFacts:
    """What the deadlines are computed from; each moment timezone-aware, None when not yet.

    grid_deadline_at and mediation_deadline_at are fixed when their clocks start (accept,
    remediate), so a change of the city's limits does not move a running mediation's end.
    visited: a follow-up visit has recorded the performance (the visit clock has been met).
    """

    registered_at: datetime | None = None
    grid_deadline_at: datetime | None = None
    mediation_deadline_at: datetime | None = None
    effective_on: date | None = None
    performance_deadline: date | None = None
    visited: bool = False
    applied_at: datetime | None = None
    court_accepted_at: datetime | None = None
    review_extended: bool = False


def _china(moment: datetime | None) -> datetime | None:
    """A moment on China's clock, so that its deadline ends at midnight in China."""
    return moment.astimezone(CHINA_TZ) if moment else None


def _intake(facts: ClockFacts, limits: TimeLimits) -> datetime | None:
    """A registered dispute is accepted or declined within the intake days."""
    start = _china(facts.registered_at)
    return start and deadline(start, limits.intake_days, limits.intake_working_days)


def _window(facts: ClockFacts, limits: TimeLimits) -> datetime | None:
    """The last moment to apply jointly for judicial confirmation."""
    return facts.effective_on and end_of_day(confirmation_deadline(facts.effective_on, limits))


def _visit(facts: ClockFacts, limits: TimeLimits) -> datetime | None:
    """The visit is due some days after the performance deadline, until one is recorded."""
    if facts.visited or facts.performance_deadline is None:
        return None
    return end_of_day(visit_deadline(facts.performance_deadline, limits))


def _court_acceptance(facts: ClockFacts, limits: TimeLimits) -> datetime | None:
    """The court decides on acceptance within days of the application."""
    start = _china(facts.applied_at)
    return start and court_acceptance_deadline(start, limits)


def _court_review(facts: ClockFacts, limits: TimeLimits) -> datetime | None:
    """The court rules within days of acceptance, more once the extension is approved."""
    start = _china(facts.court_accepted_at)
    return start and court_ruling_deadline(start, limits, facts.review_extended)


DEADLINES: dict[str, Callable[[ClockFacts, TimeLimits], datetime | None]] = {
    "intake": _intake,
    "grid": lambda facts, limits: facts.grid_deadline_at,
    "mediation": lambda facts, limits: facts.mediation_deadline_at,
    "confirmation_window": _window,
    "visit": _visit,
    "court_acceptance": _court_acceptance,
    "court_review": _court_review,
}


@dataclass(frozen=True)
class RunningClock:
    """The clock that runs, and its last moment."""

    clock: Clock
    deadline_at: datetime

    @property
    def key(self) -> str:
        """The clock's identifier."""
        return self.clock.key

    def overdue(self, now: datetime) -> bool:
        """True once the last moment has passed."""
        return self.deadline_at < now


def running_clock(
    state: str, facts: ClockFacts, limits: TimeLimits, now: datetime
) -> RunningClock | None:
    """The clock that runs in state at now, or None when none does.

    The state's clocks are tried in order: one without a deadline (not started, or met) is
    skipped, one that lapses is skipped once past. The court's review clock is named as
    extended once the extension is granted.
    """
    for key in STATE_CLOCKS.get(state, ()):
        clock = CLOCK_BY_KEY[key]
        last = DEADLINES[key](facts, limits)
        if last is None or (clock.lapses and last < now):
            continue
        if key == "court_review" and facts.review_extended:
            clock = CLOCK_BY_KEY["court_review_extended"]
        return RunningClock(clock, last)
    return None


@dataclass(frozen=True)
class Countdown:
    """A named deadline as seen on one day: China calendar days left (<0: overdue)."""

    clock: Clock
    deadline_at: datetime
    days_left: int

    @property
    def overdue(self) -> bool:
        """True once the last day has passed in China, for a clock that does not lapse."""
        return self.days_left < 0 and not self.clock.lapses

    @property
    def lapsed(self) -> bool:
        """True once a window's last day has passed (nothing is late: the window has closed,
        and the state's next clock runs from the next sweep on)."""
        return self.days_left < 0 and self.clock.lapses

    @property
    def days_over(self) -> int:
        """How many days past the last day (0 while it runs)."""
        return max(0, -self.days_left)


def countdown(key: str | None, deadline_at: datetime | None, now: datetime) -> Countdown | None:
    """The clock key ending at deadline_at as seen at now (None when no clock runs)."""
    if key is None or deadline_at is None:
        return None
    days = (legal_date(deadline_at) - legal_date(now)).days
    return Countdown(CLOCK_BY_KEY[key], deadline_at, days)
