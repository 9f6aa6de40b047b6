"""The monthly report's query and answer (mediation.stats.report.monthly_report)."""

import marshmallow as ma

from mediation.stats.definitions import BREAKDOWNS, INDICATORS, VIEWS


class MonthlyReportArgs(ma.Schema):
    """?month=YYYY-MM&region=<code>&view=period|cohort."""

    month = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(r"^\d{4}-\d{2}$", error="月份格式应为 YYYY-MM，例如 2026-11。"),
        metadata={"description": "月份（北京时间），默认本月", "example": "2026-11"},
    )
    region = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=32),
        metadata={"description": "区域代码，默认调用者的整个辖区"},
    )
    view = ma.fields.String(
        load_default="period",
        validate=ma.validate.OneOf(list(VIEWS)),
        metadata={
            "description": "period 期间口径（本月发生的）或 cohort 队列口径（本月受理的，至今结果）"
        },
    )


class IndicatorOut(ma.Schema):
    """One figure: a rate is numerator ÷ denominator, null when the denominator is 0."""

    label = ma.fields.String()
    unit = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": ["count", "rate", "amount", "days"]})
    # Counts stay integers and amounts keep their cents: the numbers go out as computed.
    numerator = ma.fields.Raw(allow_none=True, metadata={"type": "number"})
    denominator = ma.fields.Integer(allow_none=True)
    value = ma.fields.Raw(allow_none=True, metadata={"type": "number"})
    definition = ma.fields.String()


class ComparisonOut(ma.Schema):
    """环比 and 同比: relative change of a count, difference in points of a rate."""

    previous_month = ma.fields.Raw(allow_none=True, metadata={"type": "number"})
    previous_year = ma.fields.Raw(allow_none=True, metadata={"type": "number"})
    mom = ma.fields.Float(allow_none=True)
    yoy = ma.fields.Float(allow_none=True)


class RegionOut(ma.Schema):
    """The region reported on."""

    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    level_label = ma.fields.String()


class MonthlyReportOut(ma.Schema):
    """Every indicator of DESIGN §5 with its definition, the 12-month trend and breakdowns."""

    month = ma.fields.String()
    view = ma.fields.String()
    view_label = ma.fields.String()
    region = ma.fields.Nested(RegionOut)
    generated_at = ma.fields.String()
    indicators = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": [i.key for i in INDICATORS]}),
        values=ma.fields.Nested(IndicatorOut),
    )
    comparisons = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ComparisonOut))
    trend = ma.fields.List(ma.fields.Dict())
    breakdowns = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": list(BREAKDOWNS)}),
        values=ma.fields.List(ma.fields.Dict()),
    )
    breakdown_labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    definitions = ma.fields.List(ma.fields.Dict())
