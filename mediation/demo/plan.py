"""The demo's year: when each demo case is received, where it ends and whether via the street.

Intake follows the seasons of `mediation.demo.seasons`. Every other one of the newest cases
is still open, the others are agreements in force awaiting their follow-up visit, as are the
next ones; the older cases are over: about 96% by an agreement, three in four of those at
grid level (小事不出网格), the few failures spread evenly over the months so that each month
looks like a district's rather than like chance.
"""

import random
from datetime import datetime
from itertools import groupby

from mediation.demo.seasons import categories_for, intake_moments
from workflows.deadlines import CHINA_TZ

# Final state → how many of every 100 demo cases end there (at least one each). Of the cases
# older than a few weeks about 96% reach an agreement, as district figures report.
STATE_MIX = {
    "intake": 0.3,
    "grid_mediation": 0.6,
    "street_mediation": 0.6,
    "agreement_drafted": 0.3,
    "confirmation_requested": 0.3,
    "confirmation_accepted": 0.3,
    "agreement_effective": 10,
    "confirmation_rejected": 0.5,
    "confirmed": 1,
    "declined": 0.5,
    "withdrawn": 1,
    "mediation_failed": 1.5,
    "closed": 83.1,
}
# Share of agreements reached only after the street took the case over: three in four are
# settled at grid level (小事不出网格).
ESCALATION_SHARE = 0.25
# The newest cases are still on their way, in this order of age (youngest first); then come
# agreements in force awaiting their follow-up visit; the older cases are over.
OPEN_STATES = (
    "intake",
    "grid_mediation",
    "agreement_drafted",
    "street_mediation",
    "confirmation_requested",
    "confirmation_accepted",
)
AWAITING_VISIT = "agreement_effective"
WITHOUT_AGREEMENT = (
    "intake",
    "grid_mediation",
    "street_mediation",
    "declined",
    "withdrawn",
    "mediation_failed",
)
# The older cases that did not simply end in 结案: without an agreement, and at the court.
ENDED = ("mediation_failed", "withdrawn", "declined")
COURT = ("confirmed", "confirmation_rejected")


def plan(rng: random.Random, count: int, now: datetime) -> list[tuple[datetime, str, bool, str]]:
    """Each demo case, oldest first: when it is received, where it ends, whether it goes to
    the street, and its category.

    The days follow the district's year (`seasons`). By age: every other one of the newest
    cases is open; then agreements in force; the older ones are over, the few failures
    spread evenly over the months. Every fourth agreement (ESCALATION_SHARE) and every other
    failure is reached at the street, evenly over the year too.
    """
    today = now.astimezone(CHINA_TZ).date()
    # From the first day of the month a year ago: the 12-month trend of last month is whole.
    first = today.replace(year=today.year - 1, day=1)
    moments = intake_moments(rng, count, first, now)
    counts = state_counts(count)
    still_open = [state for state in OPEN_STATES for _ in range(counts[state])]
    recent = len(still_open) + counts[AWAITING_VISIT]
    finals = [AWAITING_VISIT] * recent
    for rank, state in zip(open_ranks(len(still_open), recent), still_open, strict=True):
        finals[rank] = state
    finals += over(counts)
    finals.reverse()
    return list(zip(moments, finals, escalations(finals), categories(rng, moments), strict=True))


def categories(rng: random.Random, moments: list[datetime]) -> list[str]:
    """The category of each case, month by month in the proportions of its season."""
    days = [moment.astimezone(CHINA_TZ).date() for moment in moments]
    chosen: list[str] = []
    for _month, group in groupby(days, key=lambda day: (day.year, day.month)):
        chosen += categories_for(rng, list(group))
    return chosen


def escalations(finals: list[str]) -> list[bool]:
    """For each case in turn, whether it goes to the street: evenly spread, in the shares."""
    every = round(1 / ESCALATION_SHARE)
    seen: dict[bool, int] = {True: 0, False: 0}
    chosen = []
    for final in finals:
        failed = final == "mediation_failed"
        if final in WITHOUT_AGREEMENT and not failed:
            chosen.append(final == "street_mediation")
            continue
        turn = seen[failed]
        seen[failed] += 1
        chosen.append(turn % 2 == 0 if failed else turn % every == every // 2)
    return chosen


def state_counts(count: int) -> dict[str, int]:
    """How many of count cases end in each state: one each first, then as STATE_MIX shares."""
    counts = dict.fromkeys(STATE_MIX, 0)
    for _ in range(count):
        state = min(
            STATE_MIX, key=lambda s: (counts[s] > 0, counts[s] / STATE_MIX[s], -STATE_MIX[s])
        )
        counts[state] += 1
    return counts


def open_ranks(n: int, span: int) -> list[int]:
    """n places among the `span` newest cases: every other one from the newest on, so that
    this month shows agreements already in force beside the cases still open."""
    step = 2 if span >= 2 * n else 1
    return [i * step for i in range(n)]


def over(counts: dict[str, int]) -> list[str]:
    """The finals of the older cases: closed, with the few that ended otherwise (without an
    agreement, or at the court) spread evenly among them, each pool in turn."""
    left = dict(counts)
    pools = {"closed": ["closed"] * left["closed"], "ended": [], "court": []}
    for states, pool in ((ENDED, "ended"), (COURT, "court")):
        while any(left[state] for state in states):
            for state in states:
                if left[state]:
                    left[state] -= 1
                    pools[pool].append(state)
    keyed = [
        ((j + (k * 0.618) % 1) / len(states), k, j)
        for k, states in enumerate(pools.values())
        for j in range(len(states))
    ]
    pooled = list(pools.values())
    return [pooled[k][j] for _key, k, j in sorted(keyed)]
