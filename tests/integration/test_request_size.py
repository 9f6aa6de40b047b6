"""A body over MAX_CONTENT_LENGTH (MAX_REQUEST_MB) gets 413 before any of it is read."""

import io
import json

from tests.builders import CJK
from tests.database import row_counts
from tests.factories import case_data

TWENTY_MB = 20 * 2**20


def send(client, path: str, body: bytes, content_type: str, **kwargs):
    """POST a body from a stream; return the response and how many bytes the app read."""
    stream = io.BytesIO(body)
    response = client.post(
        path,
        input_stream=stream,
        content_length=len(body),
        content_type=content_type,
        csrf=False,
        **kwargs,
    )
    return response, stream.tell()


def test_the_default_limit_is_two_megabytes(app):
    """MAX_REQUEST_MB defaults to 2."""
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 2**20


def test_a_20_mb_token_request_gets_413_in_the_api_shape_unread(client):
    """No login needed to send one, so it must cost nothing: 413 and not a byte read."""
    body = json.dumps({"username": "grid_demo", "password": "x" * TWENTY_MB}).encode()
    response, consumed = send(client, "/api/v1/tokens", body, "application/json")
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "payload_too_large"
    assert "2 MB" in error["message"] and CJK.search(error["message"])
    assert consumed == 0


def test_a_20_mb_intake_through_the_api_gets_413(client, token):
    """A signed-in client gets the same answer, and nothing is stored."""
    headers = token("grid_demo")
    before = row_counts()
    body = json.dumps(case_data(description="纠" * TWENTY_MB)).encode()
    response, consumed = send(client, "/api/v1/cases", body, "application/json", headers=headers)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert consumed == 0
    assert row_counts() == before


def test_a_body_just_under_the_limit_is_read(app, client):
    """The limit is on size only: a body one byte under it is parsed (and refused for its
    password length, not its size)."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    shell = json.dumps({"username": "grid_demo", "password": ""}).encode()
    body = shell.replace(b'""', b'"' + b"x" * (limit - len(shell) - 1) + b'"')
    assert len(body) == limit - 1
    response, consumed = send(client, "/api/v1/tokens", body, "application/json")
    assert response.status_code == 400
    assert consumed == len(body)


def test_a_20_mb_form_gets_a_calm_413_page(login):
    """The intake page answers a huge post with a Chinese page saying the limit."""
    client = login("grid_demo")
    before = row_counts()
    body = b"csrf_token=x&title=" + b"a" * TWENTY_MB
    response, consumed = send(client, "/cases/new", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "内容过大" in page and "2 MB" in page
    assert consumed == 0
    assert row_counts() == before


def test_a_20_mb_login_gets_413_before_any_password_is_checked(client):
    """Signed out, the login form is the only door: it answers 413 too."""
    body = b"username=grid_demo&password=" + b"a" * TWENTY_MB
    response, consumed = send(client, "/login", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "内容过大" in response.get_data(as_text=True)
    assert consumed == 0
