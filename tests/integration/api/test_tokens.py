"""API tokens: trading a password for a bearer token, and what the token does and does not open."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.models import ApiToken
from mediation.models.types import utcnow
from tests.api_client import error
from tests.factories import user


def request_token(client, username: str = "grid_demo", password: str = DEMO_PASSWORD):
    """POST /api/v1/tokens with these credentials."""
    return client.post("/api/v1/tokens", json={"username": username, "password": password})


def bearer(token: str) -> dict:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


def test_right_password_gets_a_token(client, app):
    """201 with a token and its expiry, API_TOKEN_HOURS from now; only a digest is stored."""
    before = utcnow()
    response = request_token(client)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert len(body["token"]) >= 32
    expires_at = datetime.fromisoformat(body["expires_at"])
    lifetime = timedelta(hours=app.config["API_TOKEN_HOURS"])
    assert before + lifetime - timedelta(minutes=1) <= expires_at <= utcnow() + lifetime
    row = db.session.scalar(sa.select(ApiToken))
    assert row.user.username == "grid_demo"
    assert row.digest == ApiToken.digest_of(body["token"])
    assert row.digest != body["token"]


def test_token_opens_the_api(client):
    """A fresh token authenticates GET /api/v1/regions."""
    token = request_token(client).get_json()["token"]
    assert client.get("/api/v1/regions", headers=bearer(token)).status_code == 200


def test_wrong_password_gets_no_token(client):
    """A wrong password answers 401 in the API's error shape, with a Chinese message."""
    response = request_token(client, password="Wrong@2026")
    refusal = error(response, 401, "invalid_credentials")
    assert "用户名或密码不正确" in refusal["message"]
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_unknown_user_gets_no_token(client):
    """An unknown username answers like a wrong password."""
    error(request_token(client, username="nobody"), 401, "invalid_credentials")


def test_inactive_user_gets_no_token(client):
    """A deactivated account cannot trade its password for a token."""
    user("grid_demo").active = False
    db.session.commit()
    error(request_token(client), 401, "invalid_credentials")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-real-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic Z3JpZF9kZW1vOkRlbW9AMjAyNg=="},
        {"Authorization": "Token abcdef"},
    ],
)
def test_missing_or_garbage_token_is_refused(client, headers):
    """No token, an unknown token or another scheme answers 401 in the error shape."""
    error(client.get("/api/v1/regions", headers=headers), 401, "unauthorized")


def test_expired_token_is_refused(client):
    """A token past its expires_at answers 401."""
    token = request_token(client).get_json()["token"]
    row = db.session.scalar(sa.select(ApiToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    error(client.get("/api/v1/regions", headers=bearer(token)), 401, "unauthorized")


def test_token_expires_after_api_token_hours(client, app):
    """The token still works just before API_TOKEN_HOURS have passed and not just after."""
    token = request_token(client).get_json()["token"]
    lifetime = timedelta(hours=app.config["API_TOKEN_HOURS"])
    issued = datetime.now(UTC)
    with time_machine.travel(issued + lifetime - timedelta(minutes=1), tick=False):
        assert client.get("/api/v1/regions", headers=bearer(token)).status_code == 200
    with time_machine.travel(issued + lifetime + timedelta(minutes=1), tick=False):
        response = client.get("/api/v1/regions", headers=bearer(token))
        error(response, 401, "unauthorized")


def test_token_of_a_deactivated_user_is_refused(client):
    """Deactivating an account ends the tokens it already holds."""
    token = request_token(client).get_json()["token"]
    assert client.get("/api/v1/regions", headers=bearer(token)).status_code == 200
    user("grid_demo").active = False
    db.session.commit()
    error(client.get("/api/v1/regions", headers=bearer(token)), 401, "unauthorized")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "username"),
        ({"username": "grid_demo"}, "password"),
        ({"password": DEMO_PASSWORD}, "username"),
        ({"username": 42, "password": DEMO_PASSWORD}, "username"),
        ({"username": "grid_demo", "password": ["Demo@2026"]}, "password"),
        ({"username": None, "password": DEMO_PASSWORD}, "username"),
        ({"username": "", "password": DEMO_PASSWORD}, "username"),
    ],
)
def test_malformed_token_request_is_invalid_input(client, body, field):
    """Missing fields and wrong types answer 400 invalid_input naming the field."""
    response = client.post("/api/v1/tokens", json=body)
    refusal = error(response, 400, "invalid_input")
    assert field in refusal["message"]


@pytest.mark.parametrize("body", [["grid_demo", DEMO_PASSWORD], "grid_demo", None])
def test_token_request_that_is_not_an_object_is_invalid_input(client, body):
    """A JSON body that is not an object answers 400 invalid_input."""
    error(client.post("/api/v1/tokens", json=body), 400, "invalid_input")


def test_token_request_with_broken_json_is_invalid_input(client):
    """A body that is not JSON at all answers 400 invalid_input."""
    response = client.post(
        "/api/v1/tokens", data="{username:", content_type="application/json", csrf=False
    )
    error(response, 400, "invalid_input")


def test_token_requests_are_throttled_after_five_failures(client):
    """Guessing passwords through the API is throttled like the login page."""
    for _attempt in range(5):
        assert request_token(client, password="guess1234").status_code == 401
    error(request_token(client), 429, "too_many_requests")


def test_session_cookie_alone_does_not_open_the_api(login):
    """A signed-in browser calling the API without a bearer token gets 401."""
    client = login("admin_demo")
    assert client.get("/").status_code == 200
    error(client.get("/api/v1/regions"), 401, "unauthorized")


def test_openapi_document_lists_tokens_and_regions(client):
    """/api/v1/openapi.json is public and documents both endpoints."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert "post" in paths["/api/v1/tokens"]
    assert "get" in paths["/api/v1/regions"]


def test_unknown_api_path_answers_404_in_the_error_shape(client, token):
    """An unknown API address answers JSON, not an HTML page."""
    error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    signed = client.get("/api/v1/no-such-thing", headers=token("grid_demo"))
    error(signed, 404, "not_found")


def test_unauthenticated_api_call_answers_401_in_the_error_shape(client):
    """Without a token the API says so in JSON, with a Chinese message."""
    refusal = error(client.get("/api/v1/regions"), 401, "unauthorized")
    assert "令牌" in refusal["message"]


def test_wrong_method_answers_405_in_the_error_shape(client):
    """GET on the token endpoint is not allowed, and says so in JSON."""
    error(client.get("/api/v1/tokens"), 405, "method_not_allowed")
