"""大字模式 (适老化): one switch at the top of every page, remembered per user, that makes body
text 18 px or more, headings 24 px or more and buttons 44 × 44 px or more, and still fits a
tablet held upright (768 px) without sideways scrolling."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.factories import gen_case

pytestmark = pytest.mark.browser

SIZES = """() => {
  const px = (e, p) => parseFloat(getComputedStyle(e)[p]);
  const shown = [...document.querySelectorAll('main .btn, main .form-control, main .form-select')]
    .filter(e => e.offsetParent !== null);
  return {
    body: px(document.body, 'fontSize'),
    headings: [...document.querySelectorAll('h1, h2, h3')].map(h => px(h, 'fontSize')),
    controls: shown.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height,
                              e.textContent.trim() || e.name]),
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def turn_on_large_text(page) -> None:
    """Press the 大字模式 switch at the top of the page."""
    switch = page.get_by_test_id("large-text-switch").get_by_role("button")
    expect(switch).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        switch.click()
    expect(page.get_by_test_id("large-text-switch").get_by_role("button")).to_have_attribute(
        "aria-pressed", "true"
    )


def assert_large(page) -> None:
    """Body text, headings and controls are large enough, and the page fits its width."""
    sizes = page.evaluate(SIZES)
    assert sizes["body"] >= 18
    assert sizes["headings"] and min(sizes["headings"]) >= 24, sizes["headings"]
    small = [c for c in sizes["controls"] if c[0] < 44 or c[1] < 44]
    assert small == [], "controls under 44 × 44 px"
    assert sizes["sideways"] <= 0, "the page scrolls sideways"


def test_large_text_mode_fits_a_tablet_and_is_remembered(tablet_page, live_server, traffic):
    case = gen_case(status="agreement_drafted")
    sign_in(tablet_page, "mediator_demo")
    tablet_page.wait_for_url(f"{live_server}/")
    assert tablet_page.evaluate(SIZES)["body"] < 18

    turn_on_large_text(tablet_page)
    for path in ["/", "/cases/", "/cases/new", f"/cases/{case.id}", f"/cases/{case.id}/visits/new"]:
        tablet_page.goto(path)
        expect(tablet_page.locator("html")).to_have_class("large-text")
        assert_large(tablet_page)

    # The signing pad keeps its room, and the typed name stays the labelled default.
    tablet_page.goto(f"/cases/{case.id}")
    form = tablet_page.locator("[data-signature-form]")
    expect(form.get_by_label("签名姓名")).to_be_visible()
    form.get_by_label("手写签名", exact=True).check()
    box = form.locator("canvas.signature-pad").bounding_box()
    assert box["width"] >= 300 and box["height"] >= 100, box

    # Remembered for her, not for the browser: a fresh sign-in still shows large text.
    tablet_page.get_by_role("button", name="菜单").click()
    # Once the menu has finished opening (Bootstrap's collapse animates it): a click during
    # the animation was once lost under load.
    expect(tablet_page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    expect(tablet_page.locator("#mainnav")).not_to_have_class(re.compile(r"\bcollapsing\b"))
    with tablet_page.expect_navigation():
        tablet_page.get_by_role("button", name="退出").click()
    tablet_page.wait_for_url(f"{live_server}/login")
    expect(tablet_page.locator("html")).not_to_have_class("large-text")
    sign_in(tablet_page, "mediator_demo")
    tablet_page.wait_for_url(f"{live_server}/")
    expect(tablet_page.locator("html")).to_have_class("large-text")
    traffic.assert_clean()


def test_login_page_offers_large_text_before_signing_in(tablet_page, traffic):
    tablet_page.goto("/login")
    turn_on_large_text(tablet_page)

    expect(tablet_page.locator("html")).to_have_class("large-text")
    assert_large(tablet_page)
    traffic.assert_clean()
