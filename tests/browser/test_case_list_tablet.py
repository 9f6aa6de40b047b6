"""The case list on a tablet (768 px): who is involved in sight, titles short, order chosen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.factories import beijing, gen_case

pytestmark = pytest.mark.browser

LONG_TITLE = "楼上住户卫生间长期漏水导致楼下天花板和墙面受损赔偿纠纷"


def test_case_list_on_a_tablet_shows_people_and_sorts(tablet_page, traffic):
    """Each row names its mediator and parties; a long title takes at most three lines; the
    order is shown, and choosing 案号 lists the cases in register order, kept on reload."""
    page = tablet_page
    # Registered first (第1号) but received earlier: the newest (第2号) heads the default order.
    older = gen_case(status="grid_mediation", now=beijing(2026, 5, 11, 9), title=LONG_TITLE)
    newest = gen_case(status="intake", now=beijing(2026, 5, 12, 9))
    sign_in(page, "street_demo")
    page.goto("/cases/")

    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("sorted-by")).to_have_text("排序：受理时间，最新在前")
    expect(rows.first).to_have_attribute("data-case-id", str(newest.id))
    for row in (rows.nth(0), rows.nth(1)):
        expect(row.get_by_test_id("case-mediator")).to_be_visible()
        expect(row.get_by_test_id("case-mediator")).to_have_text("李调解")
        expect(row.get_by_test_id("case-party")).to_have_text(["王建国", "李秀英"])
        for party in row.get_by_test_id("case-party").all():
            expect(party).to_be_visible()

    title = page.get_by_role("link", name=LONG_TITLE)
    lines = title.evaluate("link => link.getClientRects().length")
    assert 1 <= lines <= 3, f"the title takes {lines} lines"
    wide = page.locator(".table-responsive").evaluate("box => box.scrollWidth > box.clientWidth")
    assert not wide, "the table scrolls sideways at 768 px"

    page.get_by_label("排序").select_option(label="案号，按顺序")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=number(&|$)"))
    expect(page.get_by_test_id("sorted-by")).to_have_text("排序：案号，按顺序")
    expect(page.get_by_label("排序")).to_have_value("number")
    expect(rows.first).to_have_attribute("data-case-id", str(older.id))
    expect(rows.nth(1)).to_have_attribute("data-case-id", str(newest.id))
    traffic.assert_clean()
