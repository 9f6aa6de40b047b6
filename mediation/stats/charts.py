"""The monthly report's charts as SVG, drawn on the server by matplotlib: the same pictures on
the dashboard and in the PDF.

Each function takes the report dict (`mediation.stats.report.monthly_report`) and returns an
`<svg>` element ready to inline in HTML: no XML prolog, `role="img"` with a `<title>` that says
in words what the chart shows, ids prefixed per chart so that three charts can share a page,
and the glyphs drawn as paths, so the picture needs no font where it is shown.

matplotlib is used without pyplot (a `Figure` and its SVG canvas): no display, no global figure
list. Its font cache and rcParams are shared by the process, so drawing holds one lock.

The Chinese font is the system's Noto Sans CJK. matplotlib 3.10 reads only the first face of a
font collection, the Japanese one, whose 门, 房, 化 … are drawn the Japanese way; the Simplified
Chinese face is therefore copied out of the collection once into matplotlib's cache folder.
"""

import html
import json
import logging
import math
import os
import re
import tempfile
import threading
from base64 import b64encode
from contextvars import ContextVar
from functools import lru_cache
from io import StringIO
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

log = logging.getLogger(__name__)

CHINESE_FACE = "Noto Sans CJK SC"
FALLBACK_FAMILY = "DejaVu Sans"
WIDTH, HEIGHT = 6.4, 2.8  # inches; shown as 640 × 280 px

RECEIVED = "#2f6aa8"  # 受理: blue
SUCCEEDED = "#23795a"  # 调解成功: green
RATE = "#c24c00"  # 调解成功率: vermilion; each ≥ 4.5:1 on white
INK = "#2b2b2b"
MUTED = "#5c5c5c"
GRIDLINE = "#dddddd"

_drawing = threading.Lock()
_family: str | None = None


# ------------------------------------------------------------------------------ the charts


def trend_svg(report: dict) -> str:
    """Twelve months: bars of 受理 and, on a second axis, the line of 调解成功率 (gaps where a
    month has no rate)."""
    trend = report["trend"]
    received = [point["received"] for point in trend]
    rates = [math.nan if p["success_rate"] is None else p["success_rate"] * 100 for p in trend]
    labels = [_month_tick(point["month"], first=i == 0) for i, point in enumerate(trend)]
    positions = range(len(trend))

    def draw(figure):
        counts = figure.add_subplot()
        counts.bar(positions, received, width=0.62, color=RECEIVED, label="受理（件）")
        counts.set_xticks(list(positions), labels)
        counts.set_ylim(0, max(max(received, default=0), 1) * 1.4)
        counts.set_ylabel("受理（件）")
        counts.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        _tidy(counts)
        share = counts.twinx()
        share.plot(positions, rates, color=RATE, marker="o", markersize=3.5, linewidth=1.8)
        share.plot([], [], color=RATE, marker="o", label="调解成功率")  # legend entry only
        # In the period view a month can settle more cases than it receives (over 100%).
        share.set_ylim(0, max([100, *(r * 1.1 for r in rates if not math.isnan(r))]))
        share.set_ylabel("调解成功率")
        share.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        _tidy(share, right=True)
        # The bars' counts belong to the upper axes, so that the line never hides them.
        for position, count in zip(positions, received, strict=True):
            if count:
                share.annotate(
                    str(count),
                    (position, count),
                    xycoords=counts.transData,
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
                )
        if not math.isnan(rates[-1]):
            share.annotate(
                f"{rates[-1]:.1f}%",
                (positions[-1], rates[-1]),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                fontsize=7.5,
                color=RATE,
            )
        if not any(received):
            counts.set_yticks([0])
            _note(counts, "近12个月无数据")
        figure.legend(
            loc="outside upper left", ncols=2, frameon=False, fontsize=8, handlelength=1.4
        )

    months = f"{month_words(trend[0]['month'])}至{month_words(trend[-1]['month'])}"
    rate_words = _percent_words(trend[-1]["success_rate"])
    title = (
        f"{report['region']['name']}近12个月受理件数与调解成功率（{months}）："
        f"本月受理{trend[-1]['received']}件，调解成功率{rate_words}"
    )
    return _svg("trend", title, draw)


def categories_svg(report: dict) -> str:
    """Horizontal bars of 受理 per category, the largest on top; categories without a case
    are left out."""
    rows = sorted(
        (row for row in report["breakdowns"]["category"] if row["received"]),
        key=lambda row: -row["received"],
    )
    total = sum(row["received"] for row in rows)

    def draw(figure):
        axes = figure.add_subplot()
        labels = [row["label"] for row in rows]
        counts = [row["received"] for row in rows]
        bars = axes.barh(range(len(rows)), counts, height=0.66, color=RECEIVED)
        values = [f"{n}件（{n / total:.1%}）" for n in counts]
        axes.bar_label(bars, values, padding=3, fontsize=7.5, color=INK)
        axes.set_yticks(range(len(rows)), labels)
        axes.invert_yaxis()
        axes.set_xlim(0, max(counts, default=1) * 1.3)
        axes.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        axes.set_xlabel("受理（件）")
        _tidy(axes, horizontal=True)
        if not rows:
            axes.set_xticks([0])
            _note(axes, "本月无数据")

    listed = "，".join(f"{row['label']}{row['received']}件" for row in rows) or "本月无数据"
    title = f"{report['region']['name']}{month_words(report['month'])}各纠纷类型受理件数：{listed}"
    height = max(HEIGHT, 0.75 + 0.24 * len(rows))
    return _svg("categories", title, draw, height=height)


def levels_svg(report: dict) -> str:
    """Where cases were handled and settled: 受理 and 调解成功 per level (网格, 街道), with each
    level's share of the successes."""
    rows = report["breakdowns"]["level"]
    settled = sum(row["succeeded"] for row in rows)

    def draw(figure):
        axes = figure.add_subplot()
        places = range(len(rows))
        received = [row["received"] for row in rows]
        succeeded = [row["succeeded"] for row in rows]
        upper = [p - 0.19 for p in places]
        lower = [p + 0.19 for p in places]
        bars = axes.barh(upper, received, height=0.36, color=RECEIVED, label="受理（件）")
        axes.bar_label(bars, [f"{n}件" for n in received], padding=3, fontsize=8, color=INK)
        bars = axes.barh(lower, succeeded, height=0.36, color=SUCCEEDED, label="调解成功（件）")
        shares = [
            f"{n}件（占调解成功{n / settled:.1%}）" if settled else f"{n}件" for n in succeeded
        ]
        axes.bar_label(bars, shares, padding=3, fontsize=8, color=INK)
        axes.set_yticks(list(places), [row["label"] for row in rows])
        axes.invert_yaxis()
        axes.set_xlim(0, max(*received, *succeeded, 1) * 1.45)
        axes.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        axes.set_xlabel("件数")
        _tidy(axes, horizontal=True)
        if not any(received) and not any(succeeded):
            axes.set_xticks([0])
            _note(axes, "本月无数据")
        figure.legend(
            loc="outside upper left", ncols=2, frameon=False, fontsize=8, handlelength=1.4
        )

    listed = "；".join(
        f"{row['label']}受理{row['received']}件、调解成功{row['succeeded']}件" for row in rows
    )
    title = (
        f"{report['region']['name']}{month_words(report['month'])}化解层级："
        f"{listed or '本月无数据'}"
    )
    return _svg("levels", title, draw)


# ------------------------------------------------------------------------------ drawing


# The report's charts in order: (name, caption, drawing).
CHARTS = (
    ("trend", "近12个月受理与调解成功率", trend_svg),
    ("categories", "各纠纷类型受理件数", categories_svg),
    ("levels", "化解层级：在网格还是街道", levels_svg),
)


def pictures(report: dict, *, text: bool = False) -> list[dict]:
    """The charts as images {name, caption, src (a data: address), alt}, for an <img> on the
    page and in the PDF. Drawing is most of their cost and a month's figures change only when
    cases do: the charts of the same figures are drawn once (generated_at aside).

    text False: the words are drawn as glyph outlines, so a browser needs no Chinese font to
    show them (the page). text True: the same drawing with its words as SVG text in the CJK
    font (the PDF, which carries that font anyway: WeasyPrint sets the words in a third of the
    time it takes to draw their outlines, and they can be searched and copied).
    """
    figures = {key: value for key, value in report.items() if key != "generated_at"}
    return _pictures(json.dumps(figures, sort_keys=True, ensure_ascii=False), text)


@lru_cache(maxsize=32)
def _pictures(figures: str, text: bool) -> list[dict]:
    report = json.loads(figures)
    drawn = []
    token = _FONTTYPE.set("none" if text else "path")
    try:
        for name, caption, draw in CHARTS:
            svg = draw(report)
            drawn.append(
                {
                    "name": name,
                    "caption": caption,
                    "src": "data:image/svg+xml;base64," + b64encode(svg.encode()).decode("ascii"),
                    "alt": html.unescape(_TITLE.search(svg).group(1)),
                }
            )
    finally:
        _FONTTYPE.reset(token)
    return drawn


# How the drawings being made write their words: "path" (outlines) or "none" (text).
_FONTTYPE: ContextVar[str] = ContextVar("chart_fonttype", default="path")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _svg(name: str, title: str, draw, *, height: float = HEIGHT) -> str:
    """Draw a figure with `draw(figure)` and return it as an inline, labelled <svg>."""
    family = _font_family()
    buffer = StringIO()
    with _drawing, matplotlib.rc_context(_style(family)):
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        draw(figure)
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    return _inline(buffer.getvalue(), f"chart-{name}", title, height)


def _style(family: str) -> dict:
    """rcParams for one drawing: the CJK font, words as outlines (or text), stable ids."""
    return {
        "font.family": [family, FALLBACK_FAMILY],
        "font.size": 8.5,
        "axes.unicode_minus": False,
        "svg.fonttype": _FONTTYPE.get(),
        "svg.hashsalt": "mediation.stats.charts",
        "text.color": INK,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "axes.edgecolor": MUTED,
        "figure.facecolor": "white",
    }


def _tidy(axes, *, right: bool = False, horizontal: bool = False) -> None:
    """Light gridlines along the value axis; no frame but the axes that carry ticks."""
    axes.spines["top"].set_visible(False)
    axes.spines["left" if right else "right"].set_visible(False)
    if not right:
        axes.grid(axis="x" if horizontal else "y", color=GRIDLINE, linewidth=0.6)
        axes.set_axisbelow(True)
    axes.tick_params(length=2.5)


def _note(axes, text: str) -> None:
    """A centred remark for a chart without data."""
    axes.text(
        0.5,
        0.5,
        text,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        color=MUTED,
    )


# The prolog and the RDF metadata are dropped; the default style (`*{…}`, which inlined would
# reach the whole page) is kept to the chart; ids and references get the chart's prefix.
_BEFORE_SVG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_DEFAULT_STYLE = '<style type="text/css">*{'
_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')
_REFERENCES = re.compile(r'(\bid="|href="#|url\(#)')


def _inline(svg: str, prefix: str, title: str, height: float) -> str:
    """matplotlib's SVG document as an element to inline: sized in px, titled, ids unique."""
    svg = _METADATA.sub("", _BEFORE_SVG.sub("", svg, count=1), count=1)
    svg = svg.replace(_DEFAULT_STYLE, f'<style type="text/css">.{prefix} *{{', 1)
    svg = _REFERENCES.sub(lambda match: f"{match.group(1)}{prefix}-", svg)
    view_box = _VIEWBOX.search(svg).group(1)
    label = html.escape(title)
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{round(WIDTH * 100)}" height="{round(height * 100)}" viewBox="{view_box}" '
        f'class="chart {prefix}" role="img" aria-label="{label}">'
        f"<title>{label}</title>"
    )
    return _ROOT.sub(lambda _match: root, svg, count=1).strip()


# ------------------------------------------------------------------------------ words


def _month_tick(month: str, *, first: bool) -> str:
    """11月 under a bar; the year under the first bar and under each January."""
    year, number = month.split("-")
    label = f"{int(number)}月"
    return f"{label}\n{year}" if first or number == "01" else label


def month_words(month: str) -> str:
    """2026年11月 for 2026-11 (also used by the exports)."""
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def _percent_words(rate: float | None) -> str:
    """91.7%, or 无（分母为零） for a rate without a denominator."""
    return "无（分母为零）" if rate is None else f"{rate * 100:.1f}%"


# ------------------------------------------------------------------------------ the font


def _font_family() -> str:
    """The family to draw Chinese with, registered with matplotlib on first use."""
    global _family
    with _drawing:
        if _family is None:
            _family = _register_chinese_font()
        return _family


def _register_chinese_font() -> str:
    """Noto Sans CJK's Simplified Chinese face; else the collection's first face; else a
    Latin font (with a warning: Chinese would show as boxes)."""
    collection = next(
        (
            entry.fname
            for entry in font_manager.fontManager.ttflist
            if entry.name.startswith("Noto Sans CJK") and entry.weight == 400
        ),
        None,
    )
    if collection is None:
        log.warning("Noto Sans CJK is not installed: charts will show Chinese as boxes.")
        return FALLBACK_FAMILY
    try:
        font_manager.fontManager.addfont(_chinese_face(Path(collection)))
    except Exception:  # fontTools can fail in many ways on an odd file; the first face will do
        log.exception("could not copy %s out of %s; using its first face", CHINESE_FACE, collection)
        return font_manager.FontProperties(fname=collection).get_name()
    return CHINESE_FACE


def _chinese_face(collection: Path) -> Path:
    """The Simplified Chinese face of a font collection as a font file of its own, cached."""
    from fontTools.ttLib import TTCollection, TTFont

    if collection.suffix.lower() != ".ttc":
        return collection
    target = Path(matplotlib.get_cachedir()) / f"{CHINESE_FACE.replace(' ', '')}-Regular.otf"
    if target.exists():
        return target
    faces = TTCollection(str(collection), lazy=True).fonts
    number = next(i for i, face in enumerate(faces) if face["name"].getDebugName(1) == CHINESE_FACE)
    # Another process may be writing the same file: write aside, then rename atomically.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".otf")
    os.close(handle)
    try:
        TTFont(str(collection), fontNumber=number, lazy=True).save(temporary)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from other users of the cache
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return target
