"""The monthly report's exports read back: the XLSX equals the report dict, the CSV starts with a
BOM and parses to the same figures, the PDF's text holds the headline figures and the page of
definitions. The three files are written once for the module (the PDF is a real WeasyPrint
render)."""

import csv
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from mediation.stats import exports
from mediation.stats.exports_pdf import PDF_ROWS, report_html
from tests.stats_sample import BREAKDOWN_COLUMNS, empty_report, records, sample_report

pytestmark = pytest.mark.documents  # a real PDF (tests/conftest.py)

SHEETS = ["指标", "下级区域", "纠纷类型", "案件来源", "化解层级", "调解员", "趋势", "指标说明"]


@pytest.fixture(scope="module")
def report():
    """The sample report."""
    return sample_report()


@pytest.fixture(scope="module")
def files(app, report, tmp_path_factory):
    """The three files written by write_report_files, by extension."""
    with app.app_context():
        paths = exports.write_report_files(report, tmp_path_factory.mktemp("report"))
    return {path.suffix[1:]: path for path in paths}


@pytest.fixture(scope="module")
def book(files):
    """The workbook, read back."""
    return openpyxl.load_workbook(files["xlsx"])


@pytest.fixture(scope="module")
def pdf_pages(files):
    """The text of each page of the PDF, whitespace removed (table cells wrap lines)."""
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(files["pdf"]).pages]


def header(report, key) -> str:
    """受理(件), 调解成功率(%): the header of a breakdown column."""
    indicator = report["indicators"][key]
    return f"{indicator['label']}({indicator['unit']})"


def percent(value) -> str:
    """A rate as the CSV writes it."""
    return "" if value is None else f"{value * 100:.1f}"


# ------------------------------------------------------------------------------ file names


def test_files_are_named_by_month_region_and_view(files, report):
    assert sorted(path.name for path in files.values()) == [
        "调解月报-2026-11-江岸区-期间口径.csv",
        "调解月报-2026-11-江岸区-期间口径.pdf",
        "调解月报-2026-11-江岸区-期间口径.xlsx",
    ]
    assert files["pdf"].read_bytes().startswith(b"%PDF-")
    assert files["xlsx"].read_bytes().startswith(b"PK")


def test_a_download_name_cannot_leave_its_folder():
    report = sample_report(region={"code": "420102", "name": "../江岸 区/x", "level": "district"})
    assert exports.download_name(report, "pdf") == "调解月报-2026-11-江岸_区_x-期间口径.pdf"


# ------------------------------------------------------------------------------ XLSX


def test_the_workbook_has_a_sheet_per_table_with_frozen_bold_headers(book):
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B3"
        assert all(cell.font.b for cell in sheet[2])
        assert sheet["A1"].value == "人民调解工作月度统计报表｜江岸区｜2026年11月｜期间口径"
        assert sheet.column_dimensions["A"].width >= 6


def test_the_indicator_sheet_equals_the_report(book, report):
    rows = records(book["指标"])
    assert [row["代码"].value for row in rows] == list(report["indicators"])
    for row in rows:
        item = report["indicators"][row["代码"].value]
        assert row["指标"].value == item["label"]
        assert row["数值"].value == item["value"]
        assert row["分子"].value == item["numerator"]
        assert row["分母"].value == item["denominator"]
        assert row["定义"].value == item["definition"]
        expected_format = {"rate": "0.0%", "amount": "#,##0.00", "count": "#,##0"}
        assert row["数值"].number_format == expected_format.get(item["kind"], "0.0")
    performance = next(row for row in rows if row["代码"].value == "performance_rate")
    assert performance["数值"].value is None  # a rate over zero: an empty cell, never 0%


def test_month_on_month_and_year_on_year_are_in_the_indicator_sheet(book, report):
    rows = {row["代码"].value: row for row in records(book["指标"])}
    for key, comparison in report["comparisons"].items():
        row = rows[key]
        assert row["上月"].value == comparison["previous_month"]
        assert row["去年同期"].value == comparison["previous_year"]
        if report["indicators"][key]["kind"] == "rate":  # a difference, in percentage points
            assert row["变化单位"].value == "个百分点"
            assert row["环比"].value == pytest.approx(comparison["mom"] * 100)
            assert "个百分点" in row["环比"].number_format
        else:
            assert row["变化单位"].value == "%"
            assert row["环比"].value == comparison["mom"]
            assert row["同比"].value == comparison["yoy"]
    assert rows["grid_resolution_rate"]["同比"].value is None
    assert rows["escalation_rate"]["环比"].value is None  # not a headline figure


def test_each_breakdown_sheet_equals_the_report(book, report):
    for key, expected in report["breakdowns"].items():
        rows = records(book[report["breakdown_labels"][key]])
        assert len(rows) == len(expected)
        for row, want in zip(rows, expected, strict=True):
            assert row["名称"].value == want["label"]
            assert (row["代码"].value or "") == want["code"]
            for column in BREAKDOWN_COLUMNS:
                cell = row[header(report, column)]
                assert cell.value == want[column], (key, want["label"], column)
                if report["indicators"][column]["kind"] == "rate":
                    assert cell.number_format == "0.0%"
                else:
                    assert isinstance(cell.value, int)


def test_the_trend_and_definitions_sheets_equal_the_report(book, report):
    trend = records(book["趋势"])
    assert [row["月份"].value for row in trend] == [point["month"] for point in report["trend"]]
    for row, point in zip(trend, report["trend"], strict=True):
        assert row[header(report, "received")].value == point["received"]
        assert row[header(report, "success_rate")].value == point["success_rate"]
    definitions = records(book["指标说明"])
    assert [(row["代码"].value, row["定义"].value) for row in definitions] == [
        (item["key"], item["definition"]) for item in report["definitions"]
    ]


# ------------------------------------------------------------------------------ CSV


@pytest.fixture(scope="module")
def csv_sections(files) -> dict[str, list[list[str]]]:
    """The CSV's tables by name: each a header row, then the rows (notes dropped)."""
    text = files["csv"].read_bytes().decode("utf-8-sig")
    sections, current = {}, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None and len(row) == 1:
            current = sections[row[0]] = []
        elif current is not None and not row[0].startswith(("注", "环比")):
            current.append(row)
    return sections


def test_the_csv_starts_with_a_bom_and_names_its_scope(files):
    raw = files["csv"].read_bytes()
    assert raw.startswith("\ufeff".encode())
    head = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[:5]
    assert head[1] == ["区域", "江岸区", "420102"]
    assert head[2] == ["月份", "2026-11"]


def test_the_csv_holds_every_indicator(csv_sections, report):
    headers, *rows = csv_sections["指标"]
    assert headers[:6] == ["指标", "代码", "单位", "数值", "分子", "分母"]
    assert [row[1] for row in rows] == list(report["indicators"])
    for row in rows:
        item = report["indicators"][row[1]]
        if item["kind"] == "rate":
            assert row[3] == percent(item["value"])
            assert row[4:6] == [str(item["numerator"]), str(item["denominator"])]
        else:  # counts, the amount and the median, as numbers
            assert float(row[3]) == item["value"]
    success = next(row for row in rows if row[1] == "success_rate")
    assert success[2:4] == ["%", "92.2"] and success[8:11] == ["+0.6", "+1.1", "个百分点"]
    assert next(row for row in rows if row[1] == "performance_rate")[3] == ""


def test_the_csv_holds_each_breakdown_with_its_header(csv_sections, report):
    for key, expected in report["breakdowns"].items():
        headers, *rows = csv_sections[report["breakdown_labels"][key]]
        assert headers == ["名称", "代码", *(header(report, c) for c in BREAKDOWN_COLUMNS)]
        assert "调解成功率(%)" in headers
        for row, want in zip(rows, expected, strict=True):
            assert row[:2] == [want["label"], want["code"]]
            for column, field in zip(BREAKDOWN_COLUMNS, row[2:], strict=True):
                if report["indicators"][column]["kind"] == "rate":
                    assert field == percent(want[column])
                else:
                    assert field == str(want[column])
        assert len(rows) == len(expected)


# ------------------------------------------------------------------------------ PDF


def test_the_pdf_opens_with_a_cover(pdf_pages):
    cover = pdf_pages[0]
    for text in (
        "人民调解工作月度统计报表",
        "江岸区",
        "2026年11月",
        "期间口径",
        "2026年12月6日08:00",
    ):
        assert text in cover
    assert "本月受理矛盾纠纷128件，调解成功118件，调解成功率92.2%。" in cover


def test_the_pdf_holds_the_headline_figures(pdf_pages):
    figures = pdf_pages[1]
    for text in ("主要指标", "受理128件119件+7.6%101件+26.7%", "调解成功率92.2%118/128"):
        assert text in figures
    for text in ("+0.6个百分点", "1,234,567.50元", "12.5天", "履行率—0/0"):
        assert text in figures


def test_the_pdf_holds_the_charts_and_every_breakdown(pdf_pages, report):
    body = "".join(pdf_pages[1:-1])
    assert "图1近12个月受理与调解成功率" in body and "图3化解层级" in body
    for label in report["breakdown_labels"].values():
        assert f"按{label}" in body
    assert "大智街道524892.3%" in body and "未指派50" in body
    assert re.search(r"\d+页共\d+页", pdf_pages[1])  # page numbers in the footer


def test_the_pdf_ends_with_the_definitions(pdf_pages, report):
    definitions = pdf_pages[-1]
    assert "指标说明" in definitions
    for item in report["definitions"]:
        assert re.sub(r"\s+", "", item["label"] + item["definition"]) in definitions


def test_a_pdf_lists_a_long_breakdown_in_part(app):
    rows = [
        {"code": f"m{i}", "label": f"调解员{i}", **dict.fromkeys(BREAKDOWN_COLUMNS, 0)}
        for i in range(PDF_ROWS + 5)
    ]
    report = sample_report()
    report["breakdowns"]["mediator"] = rows
    with app.app_context():
        html = report_html(report)
    assert f"调解员{PDF_ROWS - 1}<" in html and f"调解员{PDF_ROWS}<" not in html
    assert "另有 5 行未列出" in html


def test_an_empty_month_shows_dashes_not_zero_percent(app):
    with app.app_context():
        html = report_html(empty_report())
    assert "本月受理矛盾纠纷0件，调解成功0件，调解成功率—。" in html
    assert "0.0%" not in html


def test_a_name_that_looks_like_a_formula_stays_text(app):
    """CSV/formula injection: a mediator's display name is typed by people."""
    report = sample_report()
    report["breakdowns"]["mediator"][0]["label"] = '=HYPERLINK("http://evil.example","点此")'
    report["breakdowns"]["mediator"][1]["label"] = "@SUM(1+1)"
    with app.app_context():
        book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(report)))
        text = exports.csv_bytes(report).decode("utf-8-sig")
    names = [row["名称"] for row in records(book["调解员"])[:2]]
    assert [cell.value for cell in names] == [
        '\'=HYPERLINK("http://evil.example","点此")',
        "'@SUM(1+1)",
    ]
    assert all(cell.data_type == "s" for cell in names)
    fields = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert "'@SUM(1+1)" in fields and "@SUM(1+1)" not in fields
