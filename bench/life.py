"""One generated case's life: the path of DESIGN §2 walked towards its destiny, up to now.

Each case is given a destiny (closed, failed, stuck at the street …); `Life` walks towards it
from intake, each step some days after the last, and stops where now is: a case received
this week is still open, as it would be. Each step sets what the operation sets: acceptance
and the grid and whole-mediation clocks, the escalation, the agreement's draft and effect,
the court's application and decision, the follow-up visit, the end. Three in four
agreements are reached at grid level (小事不出网格), mostly within the grid's clock.
"""

import contextlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mediation.demo.plan import ESCALATION_SHARE
from workflows import (
    DECLINE_REASONS,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
    TimeLimits,
    grid_deadline,
    mediation_deadline,
    visit_deadline,
)
from workflows.deadlines import CHINA_TZ, end_of_day

RULING = "经审查，双方达成的调解协议符合法律规定，确认有效。"
# A failed mediation was more often tried at the street too.
FAILED_ESCALATION_SHARE = 0.5


@dataclass
class Court:
    """What happened at the court: when applied, accepted and decided, and the outcome."""

    applied: datetime
    accepted: datetime | None = None
    decided: datetime | None = None
    outcome: str | None = None


class Unfinished(Exception):
    """The next step of a case would come after now: it stays where it is."""


@dataclass
class Life:
    """A case's walk towards its destiny, on a clock that starts at intake.

    `state` is where the walk stopped: the destiny, or the last state reached before now.
    With stop_at_now off the clock halts at `latest` instead, so every case reaches its
    destiny (for `--status`).
    """

    rng: random.Random
    clock: datetime
    latest: datetime
    limits: TimeLimits
    stop_at_now: bool = True
    state: str = "intake"
    f: dict = field(default_factory=dict)
    drafted: datetime | None = None
    performance: date | None = None
    court: Court | None = None
    visited: datetime | None = None

    def step(self, low: float, high: float, state: str | None = None, start=None) -> datetime:
        """Move the clock on by low..high days (from start, if later), entering state.

        :raise Unfinished: when that moment is after `latest` (and stop_at_now is on).
        """
        moment = max(start or self.clock, self.clock) + timedelta(days=self.rng.uniform(low, high))
        if moment > self.latest:
            if self.stop_at_now:
                raise Unfinished
            moment = self.latest
        self.clock = moment
        self.state = state or self.state
        return moment

    def conclude(self, low: float, high: float, state: str) -> None:
        """A terminal state: no clock runs."""
        self.f["concluded_at"] = self.step(low, high, state)

    def live(self, destiny: str) -> None:
        """Walk the path of DESIGN §2 towards destiny, as far as now allows."""
        with contextlib.suppress(Unfinished):
            self._mediate(destiny)

    def _mediate(self, destiny: str) -> None:
        """Intake to the agreement (or the end without one)."""
        rng, f, limits = self.rng, self.f, self.limits
        if destiny == "intake":
            return
        if destiny == "declined":
            self.conclude(0.1, 3, "declined")
            f["decline_reason"] = rng.choice(DECLINE_REASONS)[0]
            return
        accepted = self.step(0.02, 1, "grid_mediation")
        local = accepted.astimezone(CHINA_TZ)
        f["accepted_at"] = accepted
        f["grid_deadline_at"] = grid_deadline(local, limits)
        f["mediation_deadline_at"] = mediation_deadline(local, limits)
        if destiny == "grid_mediation":
            return
        if destiny == "withdrawn":
            self.conclude(1, 10, "withdrawn")
            return
        share = FAILED_ESCALATION_SHARE if destiny == "mediation_failed" else ESCALATION_SHARE
        escalate = destiny == "street_mediation" or rng.random() < share
        if escalate:
            # Well before the grid clock (7 days) runs out.
            f["escalated_at"] = self.step(1, 5, "street_mediation")
        if destiny == "street_mediation":
            return
        if destiny == "mediation_failed":
            self.conclude(3, 25, "mediation_failed")
            return
        # Most within days; at the grid within its clock (a few late), at the street within
        # the month.
        low, high = (2, 12) if escalate else (0.3, 6)
        self.drafted = self.step(low, high, "agreement_drafted")
        f["came_from"] = "street_mediation" if escalate else "grid_mediation"
        self.performance = (self.clock + timedelta(days=30)).astimezone(CHINA_TZ).date()
        if destiny == "agreement_drafted":
            return
        self._after_agreement(destiny)

    def _after_agreement(self, destiny: str) -> None:
        """From the agreement taking effect: the court, the visit and the close."""
        rng, f, limits = self.rng, self.f, self.limits
        effective = self.step(0, 1, "agreement_effective")
        f["effective_on"] = effective.astimezone(CHINA_TZ).date()
        self.performance = f["effective_on"] + timedelta(days=rng.randint(10, 40))
        follow_up = end_of_day(visit_deadline(self.performance, limits))
        if destiny == "agreement_effective":
            return
        if destiny == "closed" and rng.random() < 0.9:
            self._close(follow_up - timedelta(days=15))
            return
        self.court = Court(self.step(1, 20, "confirmation_requested"))
        if destiny == "confirmation_requested":
            return
        if destiny == "confirmation_rejected":
            self.court.decided = self.step(0.5, 3, "confirmation_rejected")
            self.court.outcome = "not_accepted"
            f["rejection_ground"] = rng.choice(REJECT_GROUNDS_BEFORE_ACCEPTANCE)[0]
            return
        self.court.accepted = self.step(0.5, 3, "confirmation_accepted")
        if destiny == "confirmation_accepted":
            return
        self.court.decided = self.step(3, 15, "confirmed")
        self.court.outcome = "confirmed"
        f["ruling_text"] = RULING
        if destiny == "closed":
            self._close(follow_up - timedelta(days=10))

    def _close(self, visit_from: datetime) -> None:
        """The follow-up visit (some days before it is due), then the case is archived."""
        self.visited = self.step(0, 10, start=visit_from)
        self.conclude(0, 4, "closed")
