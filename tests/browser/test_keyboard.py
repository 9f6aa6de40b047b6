"""Every action within reach of the keyboard, in the order the page reads (WCAG 2.1.1, 2.1.2,
2.4.1, 2.4.3, 2.4.7): on the main pages of each role, Tab from the top reaches every shown
control once, in reading order, each with a name and a visible focus ring, and comes round
to the top again. The skip link comes first and lands in the main content; the case's
action panel opens with the keyboard; the agreement is signed with the keyboard alone, by
the typed name that stands in for the signing pad."""

import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mediation.extensions import db
from mediation.models.types import utcnow
from tests.browser.keyboard import problems, retraces, tab_through
from tests.browser.steps import sign_in
from tests.factories import gen_case

pytestmark = pytest.mark.browser

SKIP_LINK = "跳到正文"
SUMMARY = Path(tempfile.gettempdir()) / "keyboard-summary.json"
# Each role's main pages, in the order she opens them; {state} is the case in that state.
PAGES = {
    None: ["/login"],
    "grid_demo": ["/", "/cases/new"],
    "mediator_demo": [
        "/",
        "/cases/",
        "/cases/{grid_mediation}",
        "/cases/{grid_mediation}/sessions/new",
        "/cases/{agreement_drafted}",
        "/notices/",
    ],
    "street_demo": ["/"],
    "judge_demo": ["/", "/court/cases/{confirmation_requested}"],
    "admin_demo": ["/"],
}


@pytest.fixture
def case_in(live_server):
    """Make a case of grid_demo's grid, begun an hour ago, in a state; returns its id."""

    def make(status: str) -> int:
        case = gen_case("grid_demo", status, now=utcnow() - timedelta(hours=1))
        db.session.commit()
        return case.id

    return make


def walk_problems(page, where: str, summary: dict) -> list[str]:
    """Tab round the page as it stands and return what is wrong, each line saying where."""
    walk = tab_through(page)
    found = problems(page, walk)
    if not walk.stops or walk.stops[0].name != SKIP_LINK:
        found.insert(0, f"the first stop is not the skip link: {walk.stops[:1]}")
    summary[where] = len(walk.page_stops)
    return [f"{where}: {problem}" for problem in found]


def test_each_roles_main_pages_work_by_keyboard(page, live_server, case_in):
    states = ("grid_mediation", "agreement_drafted", "confirmation_requested")
    ids = {status: case_in(status) for status in states}
    summary, found = {}, []
    for username, paths in PAGES.items():
        page.context.clear_cookies()
        if username:
            sign_in(page, username)
            page.wait_for_url(f"{live_server}/**")
        for path in paths:
            page.goto(path.format(**ids))
            found += walk_problems(page, f"{username or 'anonymous'} {path}", summary)
    SUMMARY.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    assert found == [], "\n".join(found)


def test_case_pages_work_by_keyboard_on_a_tablet(tablet_page, live_server, case_in):
    drafted = case_in("agreement_drafted")
    sign_in(tablet_page, "grid_demo")
    tablet_page.wait_for_url(f"{live_server}/")
    for path in [f"/cases/{drafted}", "/cases/new"]:
        tablet_page.goto(path)
        walk = tab_through(tablet_page)
        assert problems(tablet_page, walk) == []
        assert retraces(tablet_page, walk), "Shift+Tab does not go back the way Tab came"

    # The folded menu opens from the keyboard, and Tab then goes through its links.
    menu = tablet_page.get_by_role("button", name="菜单")
    menu.focus()
    tablet_page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    tablet_page.keyboard.press("Tab")
    expect(tablet_page.get_by_role("link", name="工作台")).to_be_focused()


def test_skip_link_comes_first_and_lands_in_the_main_content(page, live_server):
    sign_in(page, "grid_demo")
    page.wait_for_url(f"{live_server}/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=SKIP_LINK)
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("intake-button")).to_be_focused()


def test_action_panel_opens_by_keyboard(page, live_server, case_in):
    case_id = case_in("grid_mediation")
    sign_in(page, "mediator_demo")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"/cases/{case_id}")
    actions = page.get_by_test_id("actions")

    trigger = actions.get_by_role("button", name="终止调解", exact=True)
    trigger.focus()
    page.keyboard.press("Enter")
    expect(trigger).to_have_attribute("aria-expanded", "true")
    # Tab goes into the form it opened, through its fields to its button, and on to the next.
    form = page.locator("[data-trigger-form=terminate]")
    fields = form.locator("select, input:not([type=hidden]), textarea")
    for index in range(fields.count()):
        page.keyboard.press("Tab")
        expect(fields.nth(index)).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.get_by_role("button", name="确认终止调解")).to_be_focused()
    page.keyboard.press("Tab")
    expect(actions.get_by_role("button", name="申请人撤回")).to_be_focused()


def test_agreement_is_signed_by_keyboard_with_the_typed_name(page, live_server, case_in, traffic):
    case_id = case_in("agreement_drafted")
    sign_in(page, "mediator_demo")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"/cases/{case_id}")
    form = page.locator("[data-signature-form]")

    typed = form.get_by_role("radio", name="输入姓名并按指印")
    typed.focus()
    expect(typed).to_be_checked()
    # The arrow keys choose 手写签名, whose pad has a button of its own, and back.
    page.keyboard.press("ArrowLeft")
    expect(form.get_by_role("radio", name="手写签名", exact=True)).to_be_checked()
    expect(form.get_by_role("button", name="清除重签")).to_be_visible()
    expect(form.get_by_label("签名姓名")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(typed).to_be_checked()

    page.keyboard.press("Tab")
    name = form.get_by_role("textbox", name="签名姓名")
    expect(name).to_be_focused()
    # The first signer's name is typed in already; the keyboard replaces it.
    expect(name).to_have_value("王建国")
    page.keyboard.press("Control+A")
    page.keyboard.type("王建国（本人）")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="签名已登记")).to_be_visible()
    traffic.assert_clean()
