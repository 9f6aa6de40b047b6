"""A complete monthly report dict, shaped as `mediation.stats.report.monthly_report` returns it.

江岸区, November 2026, period view: every indicator in the order of
`definitions.INDICATORS`, two rates whose denominator is zero (value None), twelve months of
trend with a Spring Festival dip, and every breakdown with a few rows, one of them with zero
denominators. The figures agree with one another (the breakdowns add up to the indicators),
so a test can check an export against the dict, figure by figure, without a database.
"""

import copy

from mediation.stats.definitions import BREAKDOWN_COLUMNS
from mediation.stats.definitions import BREAKDOWNS as BREAKDOWN_LABELS

MONTH = "2026-11"
REGION = {"code": "420102", "name": "江岸区", "level": "district", "level_label": "区"}

# key, label, kind, unit, definition: the indicators in the order of definitions.INDICATORS.
_INDICATORS = (
    ("received", "受理", "count", "件", "本月登记受理的纠纷件数（按北京时间）"),
    ("succeeded", "调解成功", "count", "件", "本月调解协议生效的纠纷件数"),
    ("success_rate", "调解成功率", "rate", "%", "调解成功 ÷ 受理"),
    (
        "concluded",
        "已办结",
        "count",
        "件",
        "本月办结的纠纷件数：调解成功、调解不成、撤回、不予受理之和",
    ),
    ("concluded_success_rate", "结案成功率", "rate", "%", "调解成功 ÷ 已办结"),
    (
        "grid_resolution_rate",
        "网格化解率",
        "rate",
        "%",
        "未经升级、在网格层级调解成功的件数 ÷ 调解成功",
    ),
    ("escalation_rate", "升级率", "rate", "%", "升级至街道联调的件数 ÷ 受理"),
    ("on_time_rate", "按期办结率", "rate", "%", "在期限内办结的件数 ÷ 已办结"),
    (
        "on_time_rate_grid",
        "网格按期率",
        "rate",
        "%",
        "网格层级在7日内办结或升级的件数 ÷ 网格层级已处理",
    ),
    (
        "on_time_rate_street",
        "街道按期率",
        "rate",
        "%",
        "街道层级在30日内办结的件数 ÷ 街道层级已办结",
    ),
    (
        "median_days_to_agreement",
        "协议达成天数中位数",
        "days",
        "天",
        "受理至协议生效的天数的中位数，分母为调解成功件数",
    ),
    ("agreement_amount", "协议涉及金额", "amount", "元", "本月生效协议所载金额之和"),
    ("confirmation_applied", "申请司法确认", "count", "件", "本月向法院申请司法确认的件数"),
    ("confirmed", "司法确认", "count", "件", "本月法院裁定确认协议有效的件数"),
    ("confirmation_rate", "司法确认率", "rate", "%", "司法确认 ÷ 申请司法确认"),
    ("performance_rate", "履行率", "rate", "%", "回访时已履行的协议件数 ÷ 履行期限届满的协议件数"),
    ("satisfaction_rate", "满意率", "rate", "%", "回访中表示满意的件数 ÷ 回访件数"),
)

# key: (numerator, denominator); counts and amounts have no denominator, the median no numerator.
_FIGURES = {
    "received": (128, None),
    "succeeded": (118, None),
    "success_rate": (118, 128),
    "concluded": (123, None),
    "concluded_success_rate": (118, 123),
    "grid_resolution_rate": (107, 118),
    "escalation_rate": (14, 128),
    "on_time_rate": (117, 123),
    "on_time_rate_grid": (106, 111),
    "on_time_rate_street": (11, 12),
    "median_days_to_agreement": (None, 118),
    "agreement_amount": (1234567.5, None),
    "confirmation_applied": (9, None),
    "confirmed": (7, None),
    "confirmation_rate": (7, 9),
    "performance_rate": (0, 0),
    "satisfaction_rate": (45, 48),
}
MEDIAN_DAYS = 12.5

# key: (previous month, same month last year) for the headline figures.
_PREVIOUS = {
    "received": (119, 101),
    "succeeded": (109, 92),
    "success_rate": (0.916, 0.9109),
    "concluded": (115, 97),
    "concluded_success_rate": (0.9478, 0.9485),
    "grid_resolution_rate": (0.8991, None),
    "agreement_amount": (980000.0, 0.0),
}

# (code, label, received, succeeded, concluded, grid successes, escalated) per breakdown.
_ROWS = {
    "region": (
        ("420102002", "大智街道", 52, 48, 50, 44, 6),
        ("420102003", "一元街道", 76, 70, 73, 63, 8),
        ("420102008", "球场街道", 0, 0, 0, 0, 0),
    ),
    "category": (
        ("marriage_family", "婚姻家庭", 31, 28, 30, 25, 4),
        ("neighbor", "邻里", 27, 26, 26, 25, 1),
        ("property_management", "物业", 18, 17, 17, 16, 1),
        ("damages", "损害赔偿", 14, 13, 14, 11, 2),
        ("contract", "合同", 12, 11, 11, 9, 2),
        ("labor", "劳动争议", 10, 8, 10, 6, 2),
        ("traffic", "道路交通事故", 9, 9, 9, 9, 0),
        ("housing_land", "房屋宅基地", 7, 6, 6, 6, 2),
        ("other", "其他", 0, 0, 0, 0, 0),
    ),
    "source": (
        ("grid_patrol", "网格排查", 58, 55, 56, 52, 3),
        ("application", "当事人申请", 40, 36, 38, 31, 5),
        ("hotline_12345", "12345热线", 17, 15, 16, 13, 3),
        ("police_referral", "公安移交", 9, 8, 9, 7, 2),
        ("court_referral", "法院委派/委托", 4, 4, 4, 4, 1),
        ("government_referral", "政府部门指定", 0, 0, 0, 0, 0),
    ),
    "level": (
        ("grid", "网格", 114, 107, 111, 107, 0),
        ("street", "街道", 14, 11, 12, 0, 14),
    ),
    "mediator": (
        ("mediator_demo", "李调解", 46, 44, 45, 40, 4),
        ("wang_fang", "王芳", 41, 38, 40, 35, 5),
        ("zhou_jianguo", "周建国", 36, 36, 38, 32, 5),
        ("", "未指派", 5, 0, 0, 0, 0),
    ),
}

COUNT_COLUMNS = ("received", "succeeded", "concluded")

# Twelve months ending with MONTH: (month, received, succeeded); February is the festival.
_TREND = (
    ("2025-12", 96, 88),
    ("2026-01", 88, 80),
    ("2026-02", 71, 66),
    ("2026-03", 104, 95),
    ("2026-04", 112, 103),
    ("2026-05", 118, 108),
    ("2026-06", 121, 112),
    ("2026-07", 125, 116),
    ("2026-08", 116, 106),
    ("2026-09", 109, 101),
    ("2026-10", 119, 109),
    (MONTH, 128, 118),
)


def rate(numerator, denominator) -> float | None:
    """numerator ÷ denominator to four places, or None when the denominator is zero."""
    return round(numerator / denominator, 4) if denominator else None


def _indicator(key, label, kind, unit, definition) -> dict:
    numerator, denominator = _FIGURES[key]
    if kind == "rate":
        value = rate(numerator, denominator)
    elif kind == "days":
        value = MEDIAN_DAYS
    else:
        value = numerator
    return {
        "label": label,
        "unit": unit,
        "kind": kind,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "definition": definition,
    }


def _comparison(current, kind: str, previous_month, previous_year) -> dict:
    """Relative change for counts and amounts, a difference in points for rates."""

    def change(base):
        if kind == "rate":
            return None if base is None or current is None else round(current - base, 4)
        return round(current / base - 1, 4) if base else None

    return {
        "previous_month": previous_month,
        "previous_year": previous_year,
        "mom": change(previous_month),
        "yoy": change(previous_year),
    }


def _row(code, label, received, succeeded, concluded, grid_successes, escalated) -> dict:
    return {
        "code": code,
        "label": label,
        "received": received,
        "succeeded": succeeded,
        "success_rate": rate(succeeded, received),
        "concluded": concluded,
        "concluded_success_rate": rate(succeeded, concluded),
        "grid_resolution_rate": rate(grid_successes, succeeded),
        "escalation_rate": rate(escalated, received),
    }


def sample_report(**overrides) -> dict:
    """The sample report (a fresh deep copy each call), with top-level keys replaced."""
    indicators = {spec[0]: _indicator(*spec) for spec in _INDICATORS}
    report = {
        "month": MONTH,
        "view": "period",
        "view_label": "期间口径",
        "region": dict(REGION),
        "generated_at": "2026-12-06T08:00:00+08:00",
        "indicators": indicators,
        "comparisons": {
            key: _comparison(indicators[key]["value"], indicators[key]["kind"], *previous)
            for key, previous in _PREVIOUS.items()
        },
        "trend": [
            {
                "month": month,
                "received": received,
                "succeeded": succeeded,
                "success_rate": rate(succeeded, received),
            }
            for month, received, succeeded in _TREND
        ],
        "breakdowns": {key: [_row(*row) for row in rows] for key, rows in _ROWS.items()},
        "breakdown_labels": dict(BREAKDOWN_LABELS),
        "definitions": [
            {"key": key, "label": label, "definition": definition}
            for key, label, _kind, _unit, definition in _INDICATORS
        ],
    }
    report.update(copy.deepcopy(overrides))
    return report


def empty_report(**overrides) -> dict:
    """The sample's shape for a region and year without a single case: zeros and Nones."""
    report = sample_report(**overrides)
    for indicator in report["indicators"].values():
        has_numerator = indicator["numerator"] is not None
        has_denominator = indicator["denominator"] is not None
        indicator["numerator"] = 0 if has_numerator else None
        indicator["denominator"] = 0 if has_denominator else None
        indicator["value"] = 0 if indicator["kind"] in ("count", "amount") else None
    for key, comparison in report["comparisons"].items():
        before = None if report["indicators"][key]["kind"] == "rate" else 0
        comparison.update(previous_month=before, previous_year=before, mom=None, yoy=None)
    for point in report["trend"]:
        point.update(received=0, succeeded=0, success_rate=None)
    for rows in report["breakdowns"].values():
        for row in rows:
            row.update({key: 0 if key in COUNT_COLUMNS else None for key in BREAKDOWN_COLUMNS})
    return report


FIRST_ROW = 3  # of a sheet of the XLSX: row 1 is the caption, row 2 the headers


def records(sheet) -> list[dict]:
    """A sheet's table as dicts keyed by its header row, up to the first empty row."""
    headers = [cell.value for cell in sheet[2]]
    rows = []
    for cells in sheet.iter_rows(min_row=FIRST_ROW):
        if cells[0].value is None:
            break
        rows.append({header: cell for header, cell in zip(headers, cells, strict=True)})
    return rows
