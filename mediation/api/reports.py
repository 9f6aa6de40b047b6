"""GET /api/v1/reports/monthly and its files: the monthly statistics of the caller's
jurisdiction (a street officer's street, the admin's city; others 403)."""

from flask_login import current_user

from mediation.api import bp
from mediation.api.cases import errors
from mediation.api.schemas.reports import MonthlyReportArgs, MonthlyReportOut
from mediation.stats import exports
from mediation.stats.report import monthly_report


def _report(args) -> dict:
    """The report the query asks for, as the caller may see it."""
    return monthly_report(current_user, args["month"], args["region"], args["view"])


@bp.route("/reports/monthly", methods=["GET"])
@bp.arguments(MonthlyReportArgs, location="query")
@bp.response(200, MonthlyReportOut)
@bp.doc(summary="月度统计报表（JSON）")
@errors(403)
def monthly(args):
    """Every indicator as numerator, denominator, value and definition; a rate whose
    denominator is 0 has value null."""
    return _report(args)


@bp.route("/reports/monthly.<any(pdf, xlsx, csv):ext>", methods=["GET"])
@bp.arguments(MonthlyReportArgs, location="query")
@bp.response(200, {"type": "string", "format": "binary"}, description="PDF, XLSX 或 CSV 文件")
@bp.doc(summary="月度统计报表文件（PDF、XLSX、CSV）")
@errors(403)
def monthly_file(args, ext):
    """The same report as a file to archive: PDF with charts, XLSX, or CSV (UTF-8 with BOM)."""
    return exports.send_report(_report(args), ext)
