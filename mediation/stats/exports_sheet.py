"""The monthly report as tables: a workbook (openpyxl) and one CSV file, the same tables in both.

`tables(report)` lays the report out once: the indicators (with 环比 and 同比), one table per
breakdown, the twelve-month trend, and the definitions. Each cell carries its kind, and each
writer turns kinds into its own form:

- XLSX: numbers stay numbers, with a number format per kind (rates `0.0%`, amounts
  `#,##0.00`); a value that is None (a rate whose denominator is zero) is an empty cell.
- CSV: UTF-8 with a BOM so that Excel reads the Chinese; rates as percentages with one
  decimal under a header that says so (`调解成功率(%)`, 91.7); None as an empty field.

环比 and 同比 are relative changes for counts and amounts, and differences in percentage points
for rates; the column 变化单位 says which. In the workbook a difference in points is stored in
points (1.7 for 0.017) so that it reads "+1.7个百分点".
"""

import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mediation.stats.charts import month_words
from mediation.stats.definitions import BREAKDOWN_COLUMNS

TITLE = "人民调解工作月度统计报表"
NO_DATA = "本月无数据"
NOTES = (
    "注：比率的分母为零时不计算，单元格留空（报表中显示为“—”）。",
    "环比、同比：件数与金额为相对变化（%）；比率为两期之差（个百分点）。",
)

# Kinds of cell: the indicators' kinds, text, and the two kinds of change.
XLSX_FORMATS = {
    "count": "#,##0",
    "rate": "0.0%",
    "amount": "#,##0.00",
    "days": "0.0",
    "change": "+0.0%;-0.0%;0.0%",
    "points": '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"',
}
CHANGE_UNITS = {"change": "%", "points": "个百分点"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WIDE_COLUMN = 60  # characters, for definitions (wrapped)


@dataclass
class Table:
    """One sheet of the workbook, one section of the CSV: headers, then rows of (value, kind)."""

    name: str
    headers: list[str]
    rows: list[list[tuple]]
    notes: tuple[str, ...] = ()
    wide: set[int] = field(default_factory=set)  # indexes of columns of long text


# ------------------------------------------------------------------------------ the tables


def caption(report: dict) -> str:
    """人民调解工作月度统计报表｜江岸区｜2026年11月｜期间口径."""
    place = report["region"]["name"]
    return f"{TITLE}｜{place}｜{month_words(report['month'])}｜{report['view_label']}"


def tables(report: dict) -> list[Table]:
    """Every table of the report, in the order of the workbook's sheets."""
    indicators = report["indicators"]
    trend_columns = ("received", "succeeded", "success_rate")
    return [
        _indicator_table(report),
        *(
            _breakdown_table(report["breakdown_labels"][key], indicators, rows)
            for key, rows in report["breakdowns"].items()
        ),
        Table(
            "趋势",
            ["月份", *(_header(indicators[key]) for key in trend_columns)],
            [
                [(point["month"], "text")]
                + [(point[key], indicators[key]["kind"]) for key in trend_columns]
                for point in report["trend"]
            ],
        ),
        Table(
            "指标说明",
            ["指标", "代码", "定义"],
            [
                [(item["label"], "text"), (item["key"], "text"), (item["definition"], "text")]
                for item in report["definitions"]
            ],
            wide={2},
        ),
    ]


def _header(indicator: dict) -> str:
    """受理(件), 调解成功率(%)."""
    return f"{indicator['label']}({indicator['unit']})"


def _indicator_table(report: dict) -> Table:
    """指标: every indicator with its numerator and denominator; 环比, 同比 for the headline."""
    headers = ["指标", "代码", "单位", "数值", "分子", "分母"]
    headers += ["上月", "去年同期", "环比", "同比", "变化单位", "定义"]
    rows = []
    for key, item in report["indicators"].items():
        kind = item["kind"]
        # A rate's parts are counts; an amount's numerator is an amount; the median has none.
        part = "count" if kind in ("rate", "days") else kind
        row = [(item["label"], "text"), (key, "text"), (item["unit"], "text")]
        row += [(item["value"], kind), (item["numerator"], part), (item["denominator"], "count")]
        comparison = report["comparisons"].get(key)
        if comparison is None:
            row += [(None, "text")] * 5
        else:
            change = "points" if kind == "rate" else "change"
            row += [(comparison["previous_month"], kind), (comparison["previous_year"], kind)]
            row += [(comparison["mom"], change), (comparison["yoy"], change)]
            row += [(CHANGE_UNITS[change], "text")]
        rows.append([*row, (item["definition"], "text")])
    return Table("指标", headers, rows, NOTES, wide={11})


def _breakdown_table(name: str, indicators: dict, rows: list[dict]) -> Table:
    """A breakdown: 名称, 代码 (empty for 未指派), then a column per breakdown figure."""
    return Table(
        name,
        ["名称", "代码", *(_header(indicators[key]) for key in BREAKDOWN_COLUMNS)],
        [
            [(row["label"], "text"), (row["code"] or None, "text")]
            + [(row[key], indicators[key]["kind"]) for key in BREAKDOWN_COLUMNS]
            for row in rows
        ],
        () if rows else (NO_DATA,),
    )


# ------------------------------------------------------------------------------ XLSX


def xlsx_bytes(report: dict) -> bytes:
    """The workbook: a sheet per table; caption and header rows frozen; numbers formatted."""
    book = Workbook()
    book.remove(book.active)
    title = caption(report)
    for table in tables(report):
        _fill_sheet(book.create_sheet(table.name), title, table)
    book.properties.title = title
    book.properties.creator = "调解通"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(sheet, title: str, table: Table) -> None:
    """Row 1 the caption, row 2 the headers, then the rows and the notes."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(table.headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in table.rows:
        sheet.append([_xlsx_value(value, kind) for value, kind in row])
        for cell, (_value, kind) in zip(sheet[sheet.max_row], row, strict=True):
            if kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[kind]
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([note])
    sheet.freeze_panes = "B3"
    for index, header in enumerate(table.headers):
        letter = get_column_letter(index + 1)
        if index in table.wide:
            sheet.column_dimensions[letter].width = WIDE_COLUMN
            for cell in sheet[letter][2:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            shown = [_csv(*row[index]) for row in table.rows]
            sheet.column_dimensions[letter].width = min(max(map(_width, [header, *shown])) + 2, 40)


def _xlsx_value(value, kind: str):
    """The value a cell holds: points of a rate's change in points, text made inert, everything
    else as is."""
    if kind == "points" and value is not None:
        return round(value * 100, 4)
    if kind == "text":
        return inert(value)
    return value


# What a spreadsheet would run as a formula at the start of a cell (CSV / formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """Text that starts like a formula (a mediator named "=HYPERLINK(…)"), quoted so that
    Excel, WPS and openpyxl keep it as text; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _width(text: str) -> int:
    """Columns of text: a Chinese character is two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(text))


# ------------------------------------------------------------------------------ CSV


def csv_bytes(report: dict) -> bytes:
    """One CSV: the report's caption and scope, then each table under its name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    region = report["region"]
    writer.writerow([TITLE])
    writer.writerow(["区域", inert(region["name"]), inert(region["code"])])
    writer.writerow(["月份", report["month"]])
    writer.writerow(["口径", report["view_label"], report["view"]])
    writer.writerow(["生成时间", report["generated_at"]])
    for table in tables(report):
        writer.writerow([])
        writer.writerow([table.name])
        writer.writerow(table.headers)
        writer.writerows([_csv(value, kind) for value, kind in row] for row in table.rows)
        writer.writerows([note] for note in table.notes)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv(value, kind: str) -> str:
    """A field: rates and changes in percent with one decimal, amounts with two, None empty."""
    if value is None:
        return ""
    if kind == "rate":
        return f"{value * 100:.1f}"
    if kind in CHANGE_UNITS:
        return f"{value * 100:+.1f}"
    if kind == "amount":
        return f"{value:.2f}"
    if kind == "days":
        return f"{value:.1f}"
    return str(inert(value))
