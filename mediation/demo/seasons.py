"""When disputes arise: a district's year, for the demo cases and the benchmark generator.

A day's weight per category is a base share times the season: neighbour, noise and
property disputes swell in summer; family quarrels, unpaid wages and debts in the weeks
before 春节; nearly nothing is registered in the 春节 holiday week itself, and less in the
国庆 week. The sum over categories is the day's weight, so a month's volume follows the mix.
"""

import random
from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate

from workflows.deadlines import CHINA_TZ

# 正月初一 by year (the lunar calendar is not arithmetic: from the published almanac).
SPRING_FESTIVAL = {
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
}
# Of every 100 disputes in an ordinary week, by category (婚姻家庭 and 邻里 lead, as in the
# published district figures).
BASE_SHARE = {
    "neighbor": 18,
    "marriage_family": 16,
    "damages": 9,
    "property_management": 9,
    "contract": 8,
    "housing_land": 6,
    "labor": 6,
    "other": 6,
    "consumer": 5,
    "traffic": 5,
    "business": 4,
    "environment": 3,
    "medical": 2,
    "land_acquisition": 2,
    "forest_land": 1,
}
SUMMER = {"neighbor": 1.6, "environment": 2.2, "property_management": 1.3}
BEFORE_FESTIVAL = {
    "marriage_family": 1.5,
    "labor": 2.0,
    "other": 1.7,
    "contract": 1.3,
    "consumer": 1.2,
}
AFTER_FESTIVAL = {"marriage_family": 1.3}
FESTIVAL_WEEK = 0.3
NATIONAL_DAY_WEEK = 0.6
# Registration hours in China time: disputes are registered during the (long) working day.
OPENING, CLOSING = time(8), time(21)


def _days_from_festival(day: date) -> int:
    """Days from the nearest 春节 (negative before it)."""
    nearest = min(
        (SPRING_FESTIVAL[year] for year in (day.year - 1, day.year, day.year + 1)),
        key=lambda festival: abs((day - festival).days),
    )
    return (day - nearest).days


def category_weights(day: date) -> dict[str, float]:
    """How likely a dispute of each category is registered on day (a China date)."""
    offset = _days_from_festival(day)
    factors: dict[str, float] = {}
    if 6 <= day.month <= 8:
        factors = SUMMER
    if -35 <= offset <= -3:
        factors = BEFORE_FESTIVAL
    elif 7 <= offset <= 20:
        factors = AFTER_FESTIVAL
    damping = 1.0
    if -2 <= offset <= 6:
        damping = FESTIVAL_WEEK
    elif day.month == 10 and day.day <= 7:
        damping = NATIONAL_DAY_WEEK
    return {
        category: share * factors.get(category, 1.0) * damping
        for category, share in BASE_SHARE.items()
    }


@lru_cache(maxsize=2048)
def _category_table(day: date) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The categories of a day and their cumulative weights, computed once per day."""
    weights = category_weights(day)
    return tuple(weights), tuple(accumulate(weights.values()))


def category_on(rng: random.Random, day: date) -> str:
    """A category drawn with the day's weights."""
    categories, cum_weights = _category_table(day)
    return rng.choices(categories, cum_weights=cum_weights)[0]


def categories_for(rng: random.Random, days: list[date]) -> list[str]:
    """The categories of cases received on these days (a month's), one per day given, in
    proportion to the days' weights (largest remainders), in random order: a month of twenty
    cases shows its season rather than chance."""
    totals = dict.fromkeys(BASE_SHARE, 0.0)
    for day in days:
        for category, weight in category_weights(day).items():
            totals[category] += weight
    whole = sum(totals.values())
    quotas = {category: len(days) * weight / whole for category, weight in totals.items()}
    counts = {category: int(quota) for category, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda c: counts[c] - quotas[c])
    for category in by_remainder[: len(days) - sum(counts.values())]:
        counts[category] += 1
    categories = [category for category, n in counts.items() for _ in range(n)]
    rng.shuffle(categories)
    return categories


def intake_moments(rng: random.Random, count: int, first: date, now: datetime) -> list[datetime]:
    """count moments (UTC, whole seconds) from China day `first` up to now, oldest first.

    Days get cases in proportion to their weight (the sum of category_weights), by systematic
    sampling: even a hundred cases follow the seasons rather than chance. The moment within
    a day falls in registration hours, and never after now.
    """
    if count <= 0:
        return []
    today = now.astimezone(CHINA_TZ).date()
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    cum_weights = list(accumulate(sum(category_weights(day).values()) for day in days))
    step = cum_weights[-1] / count
    offset = rng.random()
    opening = OPENING.hour * 3600
    span = (CLOSING.hour - OPENING.hour) * 3600
    moments = []
    for n in range(count):
        day = days[bisect_right(cum_weights, (n + offset) * step)]
        start = datetime.combine(day, time(), tzinfo=CHINA_TZ) + timedelta(seconds=opening)
        moment = start + timedelta(seconds=rng.randrange(span))
        if moment >= now:
            # Today: only the hours that have passed (or the small hours before opening).
            moment = start + (now - start) * rng.random() if now > start else now
        moments.append(moment.astimezone(UTC).replace(microsecond=0))
    return sorted(moments)
