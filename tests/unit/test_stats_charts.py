"""The report's charts: SVG elements to inline, with Chinese drawn by the CJK font, honest when
a month has no data, and the same picture whichever thread draws it."""

import re
from base64 import b64decode
from concurrent.futures import ThreadPoolExecutor

import pytest

from mediation.stats import charts
from tests.stats_sample import empty_report, sample_report

CHARTS = {
    "trend": charts.trend_svg,
    "categories": charts.categories_svg,
    "levels": charts.levels_svg,
}
IDS = re.compile(r'\bid="([^"]+)"')
REFERENCES = re.compile(r'(?:href="#|url\(#)([^")]+)')


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    """Each chart of the sample report, drawn once for the module."""
    report = sample_report()
    return {name: draw(report) for name, draw in CHARTS.items()}


def glyph(char: str) -> str:
    """The id matplotlib gives a character drawn from the Simplified Chinese face."""
    return f"NotoSansCJKsc-Regular-{ord(char):x}"


def rate_line(svg: str) -> str:
    """The path of the 调解成功率 line (the longest path in its colour and width)."""
    paths = re.findall(rf'<path d="([^"]*)"[^>]*stroke: {charts.RATE}; stroke-width: 1.8', svg)
    return max(paths, key=len)


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_an_svg_element_titled_in_chinese(drawn, name):
    svg = drawn[name]
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata>" not in svg
    assert 'role="img"' in svg and 'viewBox="0 0 460.8 ' in svg and 'width="640"' in svg
    title = re.search(r"<title>(.*?)</title>", svg).group(1)
    assert title.startswith("江岸区") and f'aria-label="{title}"' in svg
    assert "<text" not in svg  # glyphs are paths: no font needed where the chart is shown
    assert f'class="chart chart-{name}"' in svg
    assert "<style" not in svg.replace(f'<style type="text/css">.chart-{name} *{{', "")


def test_the_pdf_gets_the_same_charts_with_their_words_as_text():
    """For the PDF, the same drawings write their words as text in the CJK font (WeasyPrint
    sets them in the font it embeds anyway); the page's keep the outlines."""
    report = sample_report()
    page, pdf = charts.pictures(report), charts.pictures(report, text=True)
    assert [(p["name"], p["alt"]) for p in page] == [(p["name"], p["alt"]) for p in pdf]
    for outlines, words in zip(page, pdf, strict=True):
        outlines_svg = b64decode(outlines["src"].split(",", 1)[1]).decode()
        words_svg = b64decode(words["src"].split(",", 1)[1]).decode()
        assert "<text" not in outlines_svg
        assert "<text" in words_svg and "Noto Sans CJK SC" in words_svg
    trend = b64decode(pdf[0]["src"].split(",", 1)[1]).decode()
    assert "受理（件）" in trend and "调解成功率" in trend


def test_chinese_is_drawn_with_the_simplified_chinese_face(drawn):
    svg = drawn["trend"]
    for char in "受理调解成功率月":
        assert f'id="chart-trend-{glyph(char)}"' in svg
    assert "DejaVu" not in svg  # no box from a Latin font


def test_three_charts_can_share_a_page(drawn):
    svgs = drawn.values()
    ids = [name for svg in svgs for name in IDS.findall(svg)]
    assert len(ids) == len(set(ids))
    for svg in svgs:
        assert set(REFERENCES.findall(svg)) <= set(IDS.findall(svg))


def test_the_trend_has_twelve_bars_and_a_line_of_the_success_rate(drawn):
    svg = drawn["trend"]
    assert "2025年12月至2026年11月" in svg and "本月受理128件，调解成功率92.2%" in svg
    assert rate_line(svg).count("M ") == 1
    assert svg.count('id="chart-trend-xtick_') == 12


def test_months_without_a_rate_leave_gaps_in_the_line():
    trend = sample_report()["trend"]
    for month in (trend[3], trend[7], trend[-1]):
        month.update(received=0, succeeded=0, success_rate=None)
    svg = charts.trend_svg(sample_report(trend=trend))
    assert rate_line(svg).count("M ") == 3  # three runs of months: 0–2, 4–6 and 8–10
    assert "调解成功率无（分母为零）" in svg


def test_a_month_settling_more_than_it_receives_stays_inside_the_chart():
    # In the period view a month may settle cases received earlier: a rate over 100%.
    trend = sample_report()["trend"]
    trend[5].update(received=4, succeeded=5, success_rate=1.25)
    svg = charts.trend_svg(sample_report(trend=trend))
    plot_area = re.search(r'id="chart-trend-patch_2">\s*<path d="([^"]*)"', svg).group(1)
    top = min(ys(plot_area))
    assert min(ys(rate_line(svg))) >= top


def ys(path: str) -> list[float]:
    """The y coordinates of an SVG path made of M and L commands."""
    return [float(y) for y in re.findall(r"[ML] [-\d.]+ ([-\d.]+)", path)]


def test_categories_are_sorted_and_empty_ones_left_out(drawn):
    svg = drawn["categories"]
    assert "婚姻家庭31件，邻里27件，物业18件，损害赔偿14件" in svg
    assert "其他" not in svg


def test_the_levels_chart_says_where_cases_were_settled(drawn):
    svg = drawn["levels"]
    assert "网格受理114件、调解成功107件；街道受理14件、调解成功11件" in svg


@pytest.mark.parametrize("draw", CHARTS.values(), ids=CHARTS)
def test_a_month_without_cases_draws_axes_and_says_so(draw):
    svg = draw(empty_report())
    assert svg.startswith("<svg ") and 'role="img"' in svg
    for char in "无数据":
        assert glyph(char) in svg
    assert "axes_1" in svg


def test_charts_drawn_in_threads_equal_those_drawn_one_by_one(drawn):
    report = sample_report()
    with ThreadPoolExecutor(max_workers=3) as pool:
        in_threads = list(pool.map(lambda draw: draw(report), CHARTS.values()))
    assert in_threads == list(drawn.values())
