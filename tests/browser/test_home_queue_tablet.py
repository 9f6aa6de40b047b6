"""The work queue on a tablet (768 px): the groups in the order of the work, nothing sideways."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.factories import OTHER_COMMUNITY_GRID, gen_case, gen_visit, signed_draft

pytestmark = pytest.mark.browser

LONG_TITLE = "楼上住户卫生间长期漏水导致楼下天花板和墙面受损赔偿纠纷"


def test_street_officer_queue_on_a_tablet(tablet_page, traffic):
    """Her groups stand in the order of the work, each with its count, the new dispute
    first; the group buttons lead to their group; the committees' table is in sight; the
    page never scrolls sideways."""
    page = tablet_page
    intake = gen_case("street_demo", now=datetime.now(UTC), grid=OTHER_COMMUNITY_GRID)
    escalated = gen_case(status="street_mediation", title=LONG_TITLE)
    drafted = gen_case("street_demo", "agreement_drafted")
    signed_draft("street_demo")
    effective = gen_case("street_demo", "agreement_effective")
    visited = gen_case("street_demo", "agreement_effective")
    gen_visit(visited, "street_demo")
    sign_in(page, "street_demo")
    page.goto("/")

    sections = page.get_by_test_id("group")
    expect(sections).to_have_count(5)
    keys = [sections.nth(n).get_attribute("data-group") for n in range(5)]
    assert keys == ["accept", "dispatch", "sign", "visit", "close"]
    expect(sections.first.locator("h3")).to_have_text("待受理")
    expect(sections.first.locator("[data-case-id]")).to_have_attribute(
        "data-case-id", str(intake.id)
    )
    for key, case in (("dispatch", escalated), ("sign", drafted), ("visit", effective)):
        group = page.locator(f'[data-group="{key}"]')
        expect(group.get_by_test_id("group-total")).to_have_text("1件")
        expect(group.locator(f'[data-case-id="{case.id}"]')).to_be_visible()
    expect(page.get_by_test_id("group-count-seal")).to_contain_text("0")
    expect(page.get_by_test_id("committees")).to_be_visible()

    page.get_by_test_id("group-count-close").click()
    expect(page).to_have_url(re.compile(r"/#group-close$"))
    expect(page.locator('[data-group="close"]')).to_be_in_viewport()
    wide = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not wide, "the home page scrolls sideways at 768 px"
    traffic.assert_clean()
