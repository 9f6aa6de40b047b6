"""统计看板: the month's figures of the user's jurisdiction as a page, and the monthly report
as PDF, XLSX or CSV to take away.

Admins and street officers only (policy.can_view_statistics); other roles get 403. Every
route asks `monthly_report` once, for the month, region and view of its query string, and
leaves what it refuses to the app's error pages: a bad month or view is 400 with what to fix,
a region outside the user's jurisdiction 404 (as one that does not exist).
"""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from mediation.access import policy
from mediation.cases.forms import region_choices
from mediation.i18n import in_english
from mediation.stats import charts, exports
from mediation.stats.definitions import (
    BREAKDOWN_COLUMNS,
    BREAKDOWNS,
    DEFINITIONS_EN,
    HEADLINE,
    INDICATORS,
)
from mediation.stats.exports_pdf import figure
from mediation.stats.report import monthly_report

bp = Blueprint("stats", __name__)
# Figures read the same on the page as in the PDF: 91.7%, 1,234,567.50, "—".
bp.add_app_template_filter(figure, "stat_figure")

CHANGES = ("mom", "yoy")  # 环比, 同比
# The region picker lists two levels below the top of the jurisdiction (a city's districts and
# streets, a street's communities and grids), and the way down to the region shown with the
# regions beside it: deeper regions are a click away in the breakdown by sub-region.
PICKER_DEPTH = 2


@bp.before_request
@login_required
def statistics_only():
    """The figures are for those who answer for an area: other roles get 403."""
    if not policy.can_view_statistics(current_user):
        abort(403)


def requested_report() -> dict:
    """The report the query string asks for: ?month=YYYY-MM&region=<code>&view=period|cohort.

    The month defaults to the current one on China's clock, the region to the user's whole
    jurisdiction, the view to 期间口径.

    :raise InvalidInput (400): the month or the view is not one a report can be made for.
    :raise NotFound (404): the region is not in the user's jurisdiction.
    """
    args = request.args
    return monthly_report(
        current_user,
        month=args.get("month"),
        region_code=args.get("region") or None,
        view=args.get("view") or "period",
    )


def indicator_labels() -> dict[str, str]:
    """Each indicator's name in the page's language."""
    english = in_english()
    return {i.key: i.label_en if english else i.label for i in INDICATORS}


def indicator_definitions(report: dict) -> dict[str, str]:
    """Each indicator's definition in the page's language."""
    if in_english():
        return dict(DEFINITIONS_EN)
    return {entry["key"]: entry["definition"] for entry in report["definitions"]}


def chart_images(report: dict) -> dict[str, str]:
    """The three charts as data: addresses for <img> (which keeps matplotlib's style attributes
    away from the page's Content-Security-Policy), by name."""
    return {picture["name"]: picture["src"] for picture in charts.pictures(report)}


def has_gaps(report: dict) -> bool:
    """Whether the page shows "—" anywhere: a figure, a change or a breakdown cell."""
    figures = [item["value"] for item in report["indicators"].values()]
    changes = [change[which] for change in report["comparisons"].values() for which in CHANGES]
    rows = (row for table in report["breakdowns"].values() for row in table)
    cells = [row[column] for row in rows for column in BREAKDOWN_COLUMNS]
    return None in figures + changes + cells


@bp.route("/")
def dashboard():
    """The month's headline figures, trend and breakdowns, with the pickers and downloads."""
    report = requested_report()
    return render_template(
        "stats/dashboard.html",
        report=report,
        labels=indicator_labels(),
        definitions=indicator_definitions(report),
        headline=HEADLINE,
        others=[i.key for i in INDICATORS if i.key not in HEADLINE],
        columns=BREAKDOWN_COLUMNS,
        breakdowns=tuple(BREAKDOWNS),
        charts=chart_images(report),
        regions=region_choices(current_user, depth=PICKER_DEPTH, near=report["region"]["code"]),
        chosen_region=request.args.get("region", ""),
        has_gaps=has_gaps(report),
        query={
            "month": report["month"],
            "region": report["region"]["code"],
            "view": report["view"],
        },
    )


@bp.route("/monthly.<any(pdf, xlsx, csv):ext>")
def download(ext: str):
    """The monthly report as a file to save: 调解月报-2026-11-江岸区-期间口径.pdf (.xlsx, .csv)."""
    return exports.send_report(requested_report(), ext)
