"""Each demo user signs in through the real login form in Chromium and lands on her home page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser

SCREENS = Path("/tmp/screens")

# username, display name, role label on the home page
DEMO_ROLES = [
    ("grid_demo", "王网格", "网格员"),
    ("mediator_demo", "李调解", "人民调解员"),
    ("street_demo", "张街道", "街道综治中心/司法所"),
    ("judge_demo", "陈法官", "法官"),
    ("admin_demo", "刘管理", "管理员"),
]


def login_url(live_server: str) -> re.Pattern:
    """The login page, with or without a query string."""
    return re.compile(re.escape(f"{live_server}/login") + r"(\?.*)?$")


@pytest.mark.parametrize(("username", "display_name", "role_label"), DEMO_ROLES)
def test_demo_user_signs_in_and_sees_her_home_page(
    page, live_server, traffic, username, display_name, role_label
):
    sign_in(page, username)
    page.wait_for_url(f"{live_server}/")

    expect(page.get_by_test_id("home-heading")).to_have_text(f"工作台 · {role_label}")
    expect(page.get_by_test_id("whoami")).to_contain_text(display_name)
    expect(page.get_by_test_id("whoami")).to_contain_text(role_label)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"{username}.png", full_page=True)
    traffic.assert_clean()


def test_wrong_password_shows_chinese_error_and_stays_on_login(page, live_server, traffic):
    sign_in(page, "grid_demo", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page).to_have_url(login_url(live_server))
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    # The app answers a failed sign-in with 401, which Chromium logs as a failed resource;
    # any other console error (a CSP violation, a script error) is still a fault.
    assert [e for e in traffic.console_errors if "status of 401" not in e] == []
    assert traffic.failed_requests == []
    assert traffic.foreign_requests == []


def test_logout_returns_to_login_page(page, live_server):
    sign_in(page, "mediator_demo")
    page.wait_for_url(f"{live_server}/")

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(login_url(live_server))
    expect(page.get_by_role("alert")).to_contain_text("您已安全退出")
    expect(page.get_by_role("button", name="登录")).to_be_visible()

    page.goto("/")
    page.wait_for_url(login_url(live_server))


def test_login_page_loads_cleanly_from_the_app_alone(page, traffic):
    page.goto("/login")

    expect(page.get_by_role("heading", name="登录调解通")).to_be_visible()
    traffic.assert_clean()


def test_login_page_fits_a_tablet_without_sideways_scrolling(tablet_page, traffic):
    tablet_page.goto("/login")
    expect(tablet_page.get_by_role("button", name="登录")).to_be_visible()

    assert tablet_page.evaluate("document.documentElement.scrollWidth") <= 768
    traffic.assert_clean()
