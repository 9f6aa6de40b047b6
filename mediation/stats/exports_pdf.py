"""The monthly report as a PDF: the figures as text, the charts, the breakdowns, the definitions.

The HTML comes from `templates/stats/report_pdf.html` (which extends the documents' base: A4,
the CJK font, page numbers) through the app's Jinja environment, and the PDF from the app's
document renderer (`mediation.papers.renderer`), so there is one WeasyPrint set-up in the app.
What the template shows is prepared here as text: figures formatted, None as "—". Needs an
app context.
"""

from datetime import datetime

from flask import current_app

from mediation import papers
from mediation.stats import charts
from mediation.stats.charts import month_words
from mediation.stats.definitions import BREAKDOWN_COLUMNS, HEADLINE, VIEW_NOTES
from mediation.stats.exports_sheet import TITLE, caption

TEMPLATE = "stats/report_pdf.html"
NONE = "—"
# The PDF is a summary: a breakdown longer than this (a city's mediators) shows its largest
# rows and says how many more the XLSX and CSV hold.
PDF_ROWS = 30


def pdf_bytes(report: dict) -> bytes:
    """The report as PDF bytes (A4 portrait, not sealed: it is a statistical report)."""
    return papers.renderer().pdf(report_html(report))


def report_html(report: dict) -> str:
    """The report as the HTML the PDF is rendered from."""
    indicators = report["indicators"]
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(
        title=TITLE,
        caption=caption(report),
        cover=_cover(report),
        headline=[_figure_row(key, indicators[key], report["comparisons"]) for key in HEADLINE],
        others=[
            _figure_row(key, item, {})
            for key, item in indicators.items()
            if key not in report["comparisons"]
        ],
        charts=charts.pictures(report, text=True),
        breakdowns=[
            _breakdown(report["breakdown_labels"][key], indicators, rows)
            for key, rows in report["breakdowns"].items()
        ],
        view_note=VIEW_NOTES.get(report["view"], ""),
        definitions=report["definitions"],
    )


def _cover(report: dict) -> dict:
    """The cover's lines and the month in one sentence, as officials publish it."""
    indicators = report["indicators"]
    region = report["region"]
    summary = (
        f"本月受理矛盾纠纷{figure(indicators['received']['value'], 'count')}件，"
        f"调解成功{figure(indicators['succeeded']['value'], 'count')}件，"
        f"调解成功率{figure(indicators['success_rate']['value'], 'rate')}。"
    )
    generated = datetime.fromisoformat(report["generated_at"])
    return {
        "region": region["name"],
        "region_line": f"{region['name']}（{region['level_label']}，代码 {region['code']}）",
        "month": month_words(report["month"]),
        "view": report["view_label"],
        "generated": f"{generated.year}年{generated.month}月{generated.day}日 {generated:%H:%M}",
        "summary": summary,
    }


def _figure_row(key: str, item: dict, comparisons: dict) -> dict:
    """One indicator as the tables show it."""
    kind = item["kind"]
    row = {
        "label": item["label"],
        "value": with_unit(item["value"], kind, item["unit"]),
        "parts": parts(item),
    }
    comparison = comparisons.get(key)
    if comparison is not None:
        row.update(
            previous_month=with_unit(comparison["previous_month"], kind, item["unit"]),
            previous_year=with_unit(comparison["previous_year"], kind, item["unit"]),
            mom=change(comparison["mom"], kind),
            yoy=change(comparison["yoy"], kind),
        )
    return row


def _breakdown(name: str, indicators: dict, rows: list[dict]) -> dict:
    """A breakdown table: its headers and its first PDF_ROWS rows as text."""
    return {
        "name": name,
        "headers": [indicators[key]["label"] for key in BREAKDOWN_COLUMNS],
        "more": max(len(rows) - PDF_ROWS, 0),
        "rows": [
            {
                "label": row["label"],
                "cells": [figure(row[key], indicators[key]["kind"]) for key in BREAKDOWN_COLUMNS],
            }
            for row in rows[:PDF_ROWS]
        ],
    }


# ------------------------------------------------------------------------------ figures as text


def figure(value, kind: str) -> str:
    """128, 1,234; 91.7%; 1,234,567.50; 12.5 — or "—" for None."""
    if value is None:
        return NONE
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "amount":
        return f"{value:,.2f}"
    if kind == "days":
        return f"{value:.1f}"
    return f"{value:,}"


def with_unit(value, kind: str, unit: str) -> str:
    """128 件, 91.7%, 1,234,567.50 元, 12.5 天 — or "—"."""
    text = figure(value, kind)
    return text if value is None or kind == "rate" else f"{text} {unit}"


def parts(item: dict) -> str:
    """A rate's numerator / denominator, or how many cases a median counts; else empty."""
    if item["kind"] == "rate":
        return f"{figure(item['numerator'], 'count')} / {figure(item['denominator'], 'count')}"
    if item["kind"] == "days":
        return f"计入 {figure(item['denominator'], 'count')} 件"
    return ""


def change(value, kind: str) -> str:
    """+7.6% for counts and amounts, +0.6 个百分点 for rates, "—" without a base."""
    if value is None:
        return NONE
    if kind == "rate":
        return f"{value * 100:+.1f} 个百分点"
    return f"{value * 100:+.1f}%"
