"""The monthly report: a month, a region and a view in, every indicator with its definition out.

`monthly_report` is what the dashboard, the exports, the API and `flask stats report` show.
It reads the roll-ups (`source="rollups"`); `source="raw"` counts the same from the case
tables, which the tests use to prove the roll-ups right and the benchmark to time the floor.
"""

import functools
import operator
import re
from collections.abc import Callable
from decimal import Decimal

import sqlalchemy as sa

from mediation.access import policy
from mediation.access.scoping import region_by_code, region_roots
from mediation.errors import InvalidInput, NotFound
from mediation.extensions import db
from mediation.models import Region, User
from mediation.models.regions import LEVEL_LABELS
from mediation.models.types import utcnow
from mediation.stats import journal
from mediation.stats.definitions import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_MEASURES,
    BREAKDOWNS,
    HEADLINE,
    INDICATOR_BY_KEY,
    INDICATORS,
    LEVELS,
    VIEWS,
    parts,
)
from mediation.stats.readers import Durations, RawReader, RollupReader, empty
from workflows import CATEGORIES, SOURCES
from workflows.deadlines import china_time

SECTIONS = ("indicators", "comparisons", "trend", "breakdowns")


def _adder(names) -> Callable[[tuple], int]:
    """What adds up the measures `names` of a split's sums (a tuple in BREAKDOWN_MEASURES
    order)."""
    indexes = [BREAKDOWN_MEASURES.index(name) for name in parts(names)]
    picked = operator.itemgetter(*indexes)
    return picked if len(indexes) == 1 else lambda sums: sum(picked(sums))


# Each breakdown column as (key, its numerator's adder, its denominator's or None): a city
# has hundreds of rows, so the plan is worked out once.
BREAKDOWN_PLAN = [
    (i.key, _adder(i.numerator), _adder(i.denominator) if i.kind == "rate" else None)
    for i in (INDICATOR_BY_KEY[key] for key in BREAKDOWN_COLUMNS)
]
# A breakdown row's sums of nothing.
NO_SPLIT = (0,) * len(BREAKDOWN_MEASURES)
READERS = {"rollups": RollupReader, "raw": RawReader}
MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text) -> str:
    """'YYYY-MM' checked; None or '' means the current month in China time.

    :raise InvalidInput (400): anything else, saying what to write.
    """
    if text in (None, ""):
        return china_time(utcnow()).strftime("%Y-%m")
    match = MONTH.fullmatch(str(text).strip())
    if not match or not (1 <= int(match[2]) <= 12) or not (2000 <= int(match[1]) <= 2100):
        message = "月份格式应为 YYYY-MM，例如 2026-11。"
        raise InvalidInput(message, {"month": message})
    return match[0]


def shift(month: str, months: int) -> str:
    """The month `months` later (earlier when negative)."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def monthly_report(
    user: User | None,
    month: str | None = None,
    region_code: str | None = None,
    view: str = "period",
    source: str = "rollups",
    sections: tuple[str, ...] = SECTIONS,
) -> dict:
    """The report of a month for a region in the user's jurisdiction, JSON-ready.

    user None is the system (`flask stats report`): every region. region_code None: the
    user's whole jurisdiction. sections: which parts to compute (the indicators always are).

    :raise Forbidden (403): the user's role sees no statistics.
    :raise NotFound (404): no such region in the user's jurisdiction.
    :raise InvalidInput (400): a malformed month or an unknown view.
    """
    if user is not None:
        policy.ensure(policy.can_view_statistics(user), "查看统计报表")
    month = parse_month(month)
    if view not in VIEWS:
        message = "口径应为 period（期间口径）或 cohort（队列口径）。"
        raise InvalidInput(message, {"view": message})
    region = _region(user, region_code)
    if source == "rollups":
        journal.fold_pending()
    reader = READERS[source](region, view)
    if "comparisons" in sections or "trend" in sections:
        # The year before the month and the month itself: 同比, 环比, the trend's twelve, and
        # the month's own sums.
        months = [shift(month, back) for back in range(-12, 1)]
        found = reader.trend(months)
        series = {each: found.get(each) or empty() for each in months}
        sums, days = series[month], reader.days(month)
    else:
        sums, days = reader.totals(month)
    indicators = indicator_values(sums, days, view)
    report = {
        "month": month,
        "view": view,
        "view_label": VIEWS[view],
        "region": {
            "code": region.code,
            "name": region.name,
            "level": region.level,
            "level_label": LEVEL_LABELS.get(region.level, region.level),
        },
        "generated_at": china_time(utcnow()).isoformat(timespec="seconds"),
        "indicators": indicators,
        "breakdown_labels": dict(BREAKDOWNS),
        "definitions": [
            {"key": i.key, "label": i.label, "definition": i.defined(view)} for i in INDICATORS
        ],
    }
    if "comparisons" in sections:
        report["comparisons"] = _comparisons(series, month, indicators, view)
    if "trend" in sections:
        report["trend"] = _trend(series, months[1:])
    if "breakdowns" in sections:
        splits, names = reader.splits(month, BREAKDOWNS)
        report["breakdowns"] = {
            dimension: _breakdown(splits[dimension], _labels(dimension, splits[dimension], names))
            for dimension in BREAKDOWNS
        }
    return report


def _region(user: User | None, code: str | None) -> Region:
    """The region asked for, or the top of the user's jurisdiction (the system: the root)."""
    if code:
        if user is None:
            region = db.session.scalar(sa.select(Region).where(Region.code == code))
        else:
            region = region_by_code(user, code)
        if region is None:
            raise NotFound("该区域不存在，或不在您的辖区内。")
        return region
    if user is None:
        roots = db.session.scalars(
            sa.select(Region).where(Region.parent_id.is_(None)).order_by(Region.code).limit(1)
        ).all()
    else:
        roots = region_roots(user)
    if not roots:
        raise NotFound("您的账户未关联辖区，无法生成报表。")
    return roots[0]


def indicator_values(
    sums: dict, days: Durations, view: str, keys: tuple[str, ...] | None = None
) -> dict:
    """Every indicator (or those of `keys`) from a month's sums: numerator, denominator, value
    and definition."""
    values = {}
    for indicator in INDICATORS if keys is None else [INDICATOR_BY_KEY[k] for k in keys]:
        numerator = _total(sums, indicator.numerator)
        denominator = _total(sums, indicator.denominator)
        if indicator.kind == "rate":
            value = _rate(numerator, denominator)
        elif indicator.kind == "days":
            numerator, denominator, value = None, days.cases, days.median
        elif indicator.kind == "amount":
            numerator = value = float(numerator)
        else:
            value = numerator
        values[indicator.key] = {
            "label": indicator.label,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "numerator": numerator,
            "denominator": denominator if indicator.denominator else None,
            "value": value,
            "definition": indicator.defined(view),
        }
    return values


@functools.lru_cache(maxsize=4096)
def _rate(numerator, denominator) -> float | None:
    """A rate to six places; None (shown "—") when its denominator is zero. (Remembered: a
    city's hundreds of breakdown rows repeat the same few small fractions.)"""
    return round(numerator / denominator, 6) if denominator else None


def breakdown_row(code, label, sums: tuple) -> dict:
    """A breakdown's row: its code and label, and its columns (counts and rates, by indicator
    key) of one value's sums (a tuple in BREAKDOWN_MEASURES order)."""
    row = {"code": code, "label": label}
    for key, numerator, denominator in BREAKDOWN_PLAN:
        if denominator is None:
            row[key] = numerator(sums)
        else:
            row[key] = _rate(numerator(sums), denominator(sums))
    return row


def _total(sums: dict, names) -> int | Decimal:
    """The sum of one measure or of several."""
    if names is None:
        return 0
    if isinstance(names, str):
        return sums[names]
    return sum(sums[name] for name in names)


def _change(indicator_key: str, now, before):
    """Relative change for counts and amounts; a difference in points for rates."""
    if now is None or before is None:
        return None
    if INDICATOR_BY_KEY[indicator_key].kind == "rate":
        return round(now - before, 6)
    return round((now - before) / before, 6) if before else None


def _comparisons(series: dict, month: str, indicators: dict, view: str) -> dict:
    """环比 (the month before) and 同比 (the month a year before) of the headline figures;
    series: the sums of each month."""
    earlier = {
        which: indicator_values(series[shift(month, back)], Durations(), view, HEADLINE)
        for which, back in (("previous_month", -1), ("previous_year", -12))
    }
    comparisons = {}
    for key in HEADLINE:
        now = indicators[key]["value"]
        month_before = earlier["previous_month"][key]["value"]
        year_before = earlier["previous_year"][key]["value"]
        comparisons[key] = {
            "previous_month": month_before,
            "previous_year": year_before,
            "mom": _change(key, now, month_before),
            "yoy": _change(key, now, year_before),
        }
    return comparisons


def _trend(series: dict, months: list[str]) -> list[dict]:
    """The months' received, succeeded and success rate; series: the sums of each month."""
    trend = []
    for each in months:
        row = series[each]
        rate = row["succeeded"] / row["received"] if row["received"] else None
        trend.append(
            {
                "month": each,
                "received": row["received"],
                "succeeded": row["succeeded"],
                "success_rate": None if rate is None else round(rate, 6),
            }
        )
    return trend


def _breakdown(sums: dict, labels: dict) -> list[dict]:
    """The month split by one dimension, a row per label, most received first; sums: the
    month's sums per value of the dimension."""
    rows = [
        breakdown_row(label.get("code", code), label["label"], sums.get(code, NO_SPLIT))
        for code, label in labels.items()
    ]
    rows.sort(key=_most_received_first)
    return rows


def _most_received_first(row: dict) -> tuple:
    """The order of a breakdown's rows: most received first, then by code."""
    return -row["received"], row["code"]


def _labels(dimension: str, sums: dict, names: dict) -> dict:
    """{key in sums: {"label": …, "code": …}} for every row the breakdown shows; names: the
    reader's names of child regions and mediators."""
    if dimension in ("category", "source"):
        listed = dict(CATEGORIES if dimension == "category" else SOURCES)
        # A code since retired from the list still counts, under its code.
        return {code: {"label": listed.get(code, code)} for code in {**listed, **sums}}
    if dimension == "level":
        return {code: {"label": label} for code, label in LEVELS.items()}
    if dimension == "region":
        return dict(sorted(names["region"].items(), key=lambda item: item[1]["code"]))
    labels = {uid: names["mediator"].get(uid, {"label": str(uid), "code": ""}) for uid in sums}
    if 0 in sums:
        labels[0] = {"label": "未指派", "code": ""}
    return labels
