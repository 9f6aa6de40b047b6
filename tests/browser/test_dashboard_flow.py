"""统计看板 in Chromium: the admin picks a month and a street, reads the cards, sorts a table
and takes the report away as PDF, XLSX and CSV; on a tablet in 大字模式 the page still fits."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.browser.test_large_text import assert_large, turn_on_large_text
from tests.factories import OTHER_DISTRICT_GRID, STREET, beijing, gen_case

pytestmark = pytest.mark.browser

DOWNLOAD_MS = 60_000
FIRST_BYTES = {"PDF": b"%PDF", "Excel": b"PK", "CSV": b"\xef\xbb\xbf"}


@pytest.fixture
def two_months():
    """May 2026: two cases in 大智街道 and one in 武昌区; June: one in 大智街道."""
    gen_case(status="agreement_effective", now=beijing(2026, 5, 11, 9))
    gen_case(status="withdrawn", now=beijing(2026, 5, 12, 9))
    gen_case("mediator_other", "agreement_effective", OTHER_DISTRICT_GRID, beijing(2026, 5, 13, 9))
    gen_case(status="grid_mediation", now=beijing(2026, 6, 2, 9))


def show(page, month: str, region: str | None = None) -> None:
    """Pick a month (and a region) in the form and press 查看."""
    form = page.get_by_test_id("stats-filters")
    form.get_by_label("统计月份").fill(month)
    if region is not None:
        form.get_by_label("统计区域").select_option(region)
    with page.expect_navigation():
        form.get_by_role("button", name="查看").click()


@pytest.mark.documents  # the PDF is rendered for real, charts and all
def test_admin_reads_a_month_and_takes_the_report_away(
    page, live_server, traffic, two_months, tmp_path
):
    sign_in(page, "admin_demo")
    page.wait_for_url(f"{live_server}/")
    page.get_by_role("link", name="统计看板", exact=True).click()
    expect(page.get_by_role("heading", name="统计看板", level=1)).to_be_visible()

    show(page, "2026-05")
    received = page.get_by_test_id("card-received").get_by_test_id("value")
    expect(received).to_have_text("3")
    expect(page.get_by_test_id("card-success_rate").get_by_test_id("value")).to_have_text("66.7%")

    show(page, "2026-06", STREET)
    expect(page).to_have_url(f"{live_server}/stats/?month=2026-06&region={STREET}&view=period")
    expect(page.get_by_test_id("report-scope")).to_contain_text("大智街道")
    expect(received).to_have_text("1")
    expect(page.get_by_test_id("card-success_rate").get_by_test_id("value")).to_have_text("0.0%")

    # Its two communities, most received first; a click on 受理 turns the order round.
    table = page.get_by_test_id("breakdown-region").get_by_role("table")
    rows = table.locator("tbody th")
    expect(rows).to_have_text(["工农兵社区", "天声街社区"])
    header = table.get_by_role("columnheader", name="受理")
    expect(header).to_have_attribute("aria-sort", "descending")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(rows).to_have_text(["天声街社区", "工农兵社区"])
    table.get_by_role("columnheader", name="下级区域").get_by_role("button").click()
    expect(header).not_to_have_attribute("aria-sort", "ascending")

    downloads = page.get_by_test_id("downloads")
    for kind, first_bytes in FIRST_BYTES.items():
        # The PDF is drawn on request (charts, WeasyPrint): a few seconds on a busy machine,
        # so a download may take longer than a page's 10 s.
        with page.expect_download(timeout=DOWNLOAD_MS) as started:
            downloads.get_by_role("link", name=f"下载 {kind}").click()
        download = started.value
        assert download.suggested_filename.startswith("调解月报-2026-06-大智街道-期间口径.")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        body = Path(saved).read_bytes()
        assert len(body) > 100 and body.startswith(first_bytes), kind
    traffic.assert_clean()


def test_dashboard_fits_a_tablet_in_large_text(tablet_page, live_server, traffic, two_months):
    sign_in(tablet_page, "street_demo")
    tablet_page.wait_for_url(f"{live_server}/")
    turn_on_large_text(tablet_page)

    tablet_page.goto("/stats/?month=2026-05")

    expect(tablet_page.get_by_test_id("card-received").get_by_test_id("value")).to_have_text("2")
    assert_large(tablet_page)
    # A wide table scrolls inside its own box, not the page.
    box = tablet_page.get_by_test_id("breakdown-category").get_by_role("region")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    traffic.assert_clean()
