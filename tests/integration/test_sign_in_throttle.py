"""The login page and POST /api/v1/tokens spend one budget of failed sign-ins, per address and
per username (LOGIN_RATE_LIMIT, 5 per minute in the tests), and answer 429 with Retry-After."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from mediation.demo import DEMO_PASSWORD

WRONG = "guess1234"


def page_sign_in(client, username: str = "grid_demo", password: str = WRONG, address=None):
    """Post the login form, from address (REMOTE_ADDR) when given."""
    environ = {"REMOTE_ADDR": address} if address else {}
    data = {"username": username, "password": password}
    return client.post("/login", data=data, environ_base=environ)


def api_sign_in(client, username: str = "grid_demo", password: str = WRONG, address=None):
    """Ask POST /api/v1/tokens for a token, from address (REMOTE_ADDR) when given."""
    environ = {"REMOTE_ADDR": address} if address else {}
    body = {"username": username, "password": password}
    return client.post("/api/v1/tokens", json=body, environ_base=environ)


def retry_after(response) -> int:
    """The Retry-After header, in seconds: present, and no longer than the budget's minute."""
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    return seconds


def assert_page_throttled(response) -> None:
    """429 on the login page itself, with a Chinese message and Retry-After."""
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "尝试次数过多" in page
    assert 'name="password"' in page
    retry_after(response)


def assert_api_throttled(response) -> None:
    """429 in the API's error shape, with a Chinese message and Retry-After."""
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "too_many_requests"
    assert "尝试次数过多" in error["message"]
    retry_after(response)


def test_page_failures_spend_the_api_budget(client):
    """Five wrong passwords on the page: the API refuses the sixth, even the right password."""
    for _attempt in range(5):
        assert page_sign_in(client).status_code == 401
    assert_api_throttled(api_sign_in(client, password=DEMO_PASSWORD))


def test_api_failures_spend_the_page_budget(client):
    """Three wrong passwords through the API and two on the page: the page refuses the sixth."""
    for _attempt in range(3):
        assert api_sign_in(client).status_code == 401
    for _attempt in range(2):
        assert page_sign_in(client).status_code == 401
    assert_page_throttled(page_sign_in(client, password=DEMO_PASSWORD))


def test_one_username_has_one_budget_across_addresses(client):
    """Guessing grid_demo's password from five addresses locks grid_demo, not the sixth address."""
    for n in range(5):
        assert page_sign_in(client, address=f"10.0.0.{n + 1}").status_code == 401
    assert_page_throttled(page_sign_in(client, password=DEMO_PASSWORD, address="10.0.0.9"))
    assert_api_throttled(api_sign_in(client, password=DEMO_PASSWORD, address="10.0.0.9"))
    other = page_sign_in(client, "mediator_demo", DEMO_PASSWORD, address="10.0.0.9")
    assert other.status_code == 302


def test_one_address_has_one_budget_across_usernames(client):
    """Five wrong passwords for five names from one address lock that address for everyone."""
    for username in ("grid_demo", "mediator_demo", "street_demo", "judge_demo", "nobody"):
        assert page_sign_in(client, username, address="10.0.0.1").status_code == 401
    throttled = api_sign_in(client, "admin_demo", DEMO_PASSWORD, address="10.0.0.1")
    assert_api_throttled(throttled)
    elsewhere = api_sign_in(client, "admin_demo", DEMO_PASSWORD, address="10.0.0.2")
    assert elsewhere.status_code == 201


def test_throttled_attempt_checks_no_password(client):
    """While refused, even the right password does not sign in."""
    for _attempt in range(5):
        page_sign_in(client)
    assert_page_throttled(page_sign_in(client, password=DEMO_PASSWORD))
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_refused_attempts_do_not_spend_the_budget(client, app, monkeypatch):
    """Knocking while refused costs nothing: the hour's budget is still there next minute."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute;4 per hour")
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        page_sign_in(client)
        page_sign_in(client)
        for _attempt in range(5):
            assert_page_throttled(page_sign_in(client))
        clock.move_to(start + timedelta(seconds=61))
        assert page_sign_in(client).status_code == 401
        assert page_sign_in(client).status_code == 401
        assert page_sign_in(client, password=DEMO_PASSWORD).status_code == 429


def test_the_budget_comes_back_after_its_window(client):
    """A minute after the fifth failure, the right password signs in again."""
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _attempt in range(5):
            page_sign_in(client)
        assert_page_throttled(page_sign_in(client, password=DEMO_PASSWORD))
        clock.move_to(start + timedelta(seconds=61))
        assert page_sign_in(client, password=DEMO_PASSWORD).status_code == 302


def test_malformed_requests_do_not_spend_the_budget(client):
    """Only wrong credentials count: empty forms and bad API bodies check no password."""
    for _attempt in range(5):
        assert page_sign_in(client, username="", password="").status_code == 401
        assert client.post("/api/v1/tokens", json={"username": "grid_demo"}).status_code == 400
    assert page_sign_in(client, password=DEMO_PASSWORD).status_code == 302


def test_login_rate_limit_setting_sets_the_budget(client, app, monkeypatch):
    """LOGIN_RATE_LIMIT="2 per minute" refuses the third attempt."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    assert page_sign_in(client).status_code == 401
    assert api_sign_in(client).status_code == 401
    assert_page_throttled(page_sign_in(client, password=DEMO_PASSWORD))


@pytest.mark.parametrize("limit", ["5 per minute;2 per hour", "2 per hour;5 per minute"])
def test_every_limit_of_the_setting_applies(client, app, monkeypatch, limit):
    """With several limits the tightest one refuses, and Retry-After waits for its window."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", limit)
    page_sign_in(client)
    page_sign_in(client)
    response = page_sign_in(client, password=DEMO_PASSWORD)
    assert response.status_code == 429
    assert 60 < int(response.headers["Retry-After"]) <= 3600
    assert "分钟后再试" in response.get_data(as_text=True)


def test_throttle_is_off_when_rate_limiting_is_disabled(client, app, monkeypatch):
    """RATELIMIT_ENABLED=false switches the sign-in throttle off too."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    for _attempt in range(6):
        assert page_sign_in(client).status_code == 401
    assert page_sign_in(client, password=DEMO_PASSWORD).status_code == 302
