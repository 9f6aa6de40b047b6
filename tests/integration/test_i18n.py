"""Languages: 简体中文 by default, English on request, remembered in the session."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import flask_babel
import pytest

HTML_LANG = re.compile(r'<html lang="([^"]+)"')
ENGLISH_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "mediation/translations/en/LC_MESSAGES/messages.mo"
)


def page_lang(response) -> str:
    """The lang attribute of the page's <html> tag."""
    return HTML_LANG.search(response.get_data(as_text=True)).group(1)


def session_locale(client) -> str | None:
    """The locale kept in the client's session."""
    with client.session_transaction() as session:
        return session.get("locale")


def next_request() -> None:
    """Forget the locale Flask-Babel cached for the previous request.

    conftest keeps the test's app context pushed, so requests share flask.g, where
    Flask-Babel caches the locale; a real browser's next request starts afresh.
    """
    flask_babel.refresh()


def test_login_page_is_in_simplified_chinese_by_default(client):
    """A first visit gets lang="zh-CN" and Chinese text."""
    response = client.get("/login")
    assert page_lang(response) == "zh-CN"
    page = response.get_data(as_text=True)
    assert "登录调解通" in page
    assert "用户名" in page


def test_browser_language_does_not_change_the_default(client):
    """An English-speaking browser still gets Chinese until the user asks for English."""
    response = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page_lang(response) == "zh-CN"


def test_signed_in_pages_are_in_simplified_chinese(login):
    """The workbench is Chinese too."""
    response = login("street_demo").get("/")
    assert page_lang(response) == "zh-CN"
    assert "工作台" in response.get_data(as_text=True)


def test_switching_to_english_changes_the_login_page(client):
    """POST /locale/en remembers English in the session and the page's lang becomes en."""
    response = client.post("/locale/en", data={"next": "/login"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert session_locale(client) == "en"
    next_request()
    assert page_lang(client.get("/login")) == "en"
    next_request()
    assert page_lang(client.get("/login")) == "en"


@pytest.mark.skipif(not ENGLISH_CATALOGUE.exists(), reason="no compiled English catalogue yet")
def test_english_login_page_is_translated(client):
    """With the English catalogue compiled, the login page's Chinese text is gone."""
    client.post("/locale/en", data={"next": "/login"})
    next_request()
    page = client.get("/login").get_data(as_text=True)
    assert "登录调解通" not in page
    assert "用户名" not in page


def test_switching_back_to_chinese(client):
    """The 简体中文 link restores the default."""
    client.post("/locale/en", data={"next": "/login"})
    client.post("/locale/zh_Hans_CN", data={"next": "/login"})
    assert session_locale(client) == "zh_Hans_CN"
    next_request()
    assert page_lang(client.get("/login")) == "zh-CN"


def test_unknown_locale_is_ignored(client):
    """A language the app does not offer changes nothing."""
    client.post("/locale/fr", data={"next": "/login"})
    assert session_locale(client) is None
    next_request()
    assert page_lang(client.get("/login")) == "zh-CN"


def test_locale_switch_needs_a_csrf_token(client):
    """The switch is a form post and is refused without its token."""
    assert client.post("/locale/en", data={"next": "/login"}, csrf=False).status_code == 400
    assert session_locale(client) is None


def test_locale_switch_does_not_redirect_off_site(client):
    """next pointing to another site is ignored."""
    response = client.post("/locale/en", data={"next": "https://evil.example/"})
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == "/"
