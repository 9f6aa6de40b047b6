"""The indicators of the monthly report, each with its numerator, denominator and definition.

A count is its numerator; a rate is numerator ÷ denominator, None (shown "—") when the
denominator is 0. The measures named here are the columns of `mediation.models.stats`.
"""

from dataclasses import dataclass

VIEWS = {"period": "期间口径", "cohort": "队列口径"}
VIEW_NOTES = {
    "period": "统计本月发生的事：本月受理的、本月调解成功的、本月办结的……",
    "cohort": "统计本月受理的案件至今的结果：其中多少已调解成功、已办结……",
}
LEVELS = {"grid": "网格", "street": "街道"}

# What "in the month" means for each view, spliced into the definitions below.
_WHEN = {
    "period": {
        "received": "受理登记时间在本月（北京时间）",
        "succeeded": "调解协议生效日期在本月",
        "concluded": "本月调解成功，或本月终止、撤回、不予受理",
        "escalated": "本月上报街道联调",
        "applied": "本月提出司法确认申请",
        "confirmed": "本月法院裁定确认有效",
        "visited": "本月回访",
    },
    "cohort": {
        "received": "本月受理（北京时间）",
        "succeeded": "本月受理的案件中，调解协议至今已生效",
        "concluded": "本月受理的案件中，至今已调解成功、终止、撤回或不予受理",
        "escalated": "本月受理的案件中，至今已上报街道联调",
        "applied": "本月受理的案件至今提出的司法确认申请",
        "confirmed": "本月受理的案件至今经法院裁定确认有效",
        "visited": "本月受理的案件至今的回访",
    },
}


@dataclass(frozen=True)
class Indicator:
    """One figure of the report: how it is counted and how it reads."""

    key: str
    label: str
    label_en: str
    kind: str  # count | rate | amount | days
    unit: str
    numerator: str | tuple[str, ...] | None
    denominator: str | tuple[str, ...] | None
    definition: str  # may name {received}, {succeeded} … from _WHEN

    def defined(self, view: str) -> str:
        """The definition in words for one view."""
        return self.definition.format(**_WHEN[view])


_CONCLUDED = ("succeeded", "failed", "withdrawn", "declined")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "received", "受理", "Received", "count", "件", "received", None,
        "受理的纠纷件数：{received}。",
    ),
    Indicator(
        "succeeded", "调解成功", "Settled", "count", "件", "succeeded", None,
        "调解协议生效的件数：{succeeded}。",
    ),
    Indicator(
        "success_rate", "调解成功率", "Success rate", "rate", "%", "succeeded", "received",
        "调解成功 ÷ 受理（各地公开通报的口径）。分子：{succeeded}；分母：{received}。",
    ),
    Indicator(
        "concluded", "已办结", "Concluded", "count", "件", _CONCLUDED, None,
        "调解成功、调解终止、撤回与不予受理的件数之和：{concluded}。",
    ),
    Indicator(
        "concluded_success_rate", "结案成功率", "Success rate of concluded cases", "rate", "%",
        "succeeded", _CONCLUDED,
        "调解成功 ÷ 已办结，尚在办理的案件不计入。分母：{concluded}。",
    ),
    Indicator(
        "grid_resolution_rate", "网格化解率", "Settled at grid level", "rate", "%",
        "succeeded_grid", "succeeded",
        "未上报街道、在网格层级达成协议的调解成功件数 ÷ 调解成功件数（小事不出网格）。",
    ),
    Indicator(
        "escalation_rate", "升级率", "Escalation rate", "rate", "%", "escalated", "received",
        "上报街道联调的件数 ÷ 受理。分子：{escalated}。",
    ),
    Indicator(
        "on_time_rate", "按期办结率", "Concluded on time", "rate", "%",
        ("on_time_grid", "on_time_street"), ("due_grid", "due_street"),
        "已办结且有办理期限的案件中，在本层级期限内办结的比例（网格：网格调处期限；"
        "街道：调解期限）。调解成功以协议生效日期计。",
    ),
    Indicator(
        "on_time_rate_grid", "网格按期办结率", "On time at grid level", "rate", "%",
        "on_time_grid", "due_grid",
        "在网格层级办结的案件中，于网格调处期限内办结的比例。",
    ),
    Indicator(
        "on_time_rate_street", "街道按期办结率", "On time at street level", "rate", "%",
        "on_time_street", "due_street",
        "上报街道后办结的案件中，于调解期限内办结的比例。",
    ),
    Indicator(
        "median_days_to_agreement", "协议生效用时中位数", "Median days to agreement", "days",
        "天", None, "succeeded",
        "调解成功的案件从受理到协议生效所用天数的中位数（自然日）；分母为计入的件数。",
    ),
    Indicator(
        "agreement_amount", "协议涉及金额", "Amount in agreements", "amount", "元",
        "amount", None,
        "调解成功的案件中，调解协议载明的涉及金额之和：{succeeded}。",
    ),
    Indicator(
        "confirmation_applied", "申请司法确认", "Confirmation applications", "count", "件",
        "applied", None,
        "向人民法院提出的司法确认申请数：{applied}。",
    ),
    Indicator(
        "confirmed", "司法确认有效", "Judicially confirmed", "count", "件", "confirmed", None,
        "法院裁定确认调解协议有效的件数：{confirmed}。",
    ),
    Indicator(
        "confirmation_rate", "司法确认率", "Confirmation rate", "rate", "%",
        "confirmed", "applied",
        "司法确认有效 ÷ 申请司法确认。",
    ),
    Indicator(
        "performance_rate", "履行率", "Performance rate", "rate", "%", "performed", "visited",
        "回访时记录为已履行的次数 ÷ 回访次数。回访：{visited}。",
    ),
    Indicator(
        "satisfaction_rate", "满意率", "Satisfaction rate", "rate", "%", "satisfied", "visited",
        "回访评价为满意或基本满意的次数 ÷ 回访次数。回访：{visited}。",
    ),
)  # fmt: skip

# The definitions in English, for pages shown in English (the report itself is Chinese).
DEFINITIONS_EN = {
    "received": (
        "Disputes registered (received) in the month (China time); cohort view: the cases"
        " received in the month."
    ),
    "succeeded": (
        "Cases whose mediation agreement took effect: in the month (period view), or so "
        "far among the month's cases (cohort view)."
    ),
    "success_rate": ("Settled ÷ received, the rate local governments publish."),
    "concluded": ("Settled plus mediation failed, withdrawn and declined."),
    "concluded_success_rate": ("Settled ÷ concluded; cases still open are left out."),
    "grid_resolution_rate": (
        "Settlements reached at grid level, without escalation to the street ÷ all settlements."
    ),
    "escalation_rate": ("Cases escalated to street mediation ÷ received."),
    "on_time_rate": (
        "Of the concluded cases that had a deadline, the share concluded within their "
        "level's deadline (grid: grid mediation deadline; street: mediation deadline); a "
        "settlement counts on the day its agreement took effect."
    ),
    "on_time_rate_grid": (
        "Of the cases concluded at grid level, the share concluded within the grid "
        "mediation deadline."
    ),
    "on_time_rate_street": (
        "Of the cases concluded after escalation, the share concluded within the "
        "mediation deadline."
    ),
    "median_days_to_agreement": (
        "Median calendar days from intake to the agreement taking effect, over the "
        "settled cases (the denominator)."
    ),
    "agreement_amount": ("Sum of the amounts stated in the agreements of the settled cases."),
    "confirmation_applied": ("Applications to a court for judicial confirmation."),
    "confirmed": ("Agreements the court ruled valid."),
    "confirmation_rate": ("Judicially confirmed ÷ applications."),
    "performance_rate": ("Follow-up visits that found the agreement performed ÷ follow-up visits."),
    "satisfaction_rate": (
        "Follow-up visits rated satisfied or mostly satisfied ÷ follow-up visits."
    ),
}
INDICATOR_BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
HEADLINE = (
    "received",
    "succeeded",
    "success_rate",
    "concluded",
    "concluded_success_rate",
    "grid_resolution_rate",
    "agreement_amount",
)
BREAKDOWN_COLUMNS = (
    "received",
    "succeeded",
    "success_rate",
    "concluded",
    "concluded_success_rate",
    "grid_resolution_rate",
    "escalation_rate",
)


def parts(names: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The measures a numerator or denominator adds up."""
    if names is None:
        return ()
    return (names,) if isinstance(names, str) else names


def measures_of(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The measures the indicators of `keys` are made of, in order of first use."""
    found = []
    for key in keys:
        indicator = INDICATOR_BY_KEY[key]
        found += [*parts(indicator.numerator), *parts(indicator.denominator)]
    return tuple(dict.fromkeys(found))


# What a breakdown's row is made of: the roll-ups' splits read these measures only.
BREAKDOWN_MEASURES = measures_of(BREAKDOWN_COLUMNS)
BREAKDOWNS = {
    "region": "下级区域",
    "category": "纠纷类型",
    "source": "案件来源",
    "level": "化解层级",
    "mediator": "调解员",
}
