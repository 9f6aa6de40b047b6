"""Fixtures: the app on SQLite (or PostgreSQL when TEST_DATABASE_URL is set), clients, logins."""

import os
import re
import tempfile

import hypothesis
import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.datastructures import MultiDict
from xdist.scheduler import LoadGroupScheduling

from config import TestConfig
from mediation import create_app
from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from tests.database import (
    ON_POSTGRES,
    drop_everything,
    quick_sqlite_commits,
    reset_to_demo_city,
    worker_database_url,
)
from tests.stand_in import stand_in_pdf

# Hypothesis's per-example deadline (200 ms) and its too_slow health check time the machine,
# not the code: with the suite on every core (pytest-xdist) a busy moment could fail them.
hypothesis.settings.register_profile(
    "suite", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("suite")

CSRF_INPUT = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


class CsrfClient(FlaskClient):
    """A test client that behaves like a browser: CSRF tokens on form posts, and each request
    in an app context of its own (so nothing in flask.g leaks from one request to the next)."""

    token: str | None = None

    def fetch_token(self) -> str:
        """Read a CSRF token from a page (it is tied to this client's session)."""
        page = self.get("/login", follow_redirects=True).get_data(as_text=True)
        match = CSRF_INPUT.search(page)
        assert match, "no CSRF token on /login or the page it redirects to"
        return match.group(1) or match.group(2)

    def open(self, *args, **kwargs):
        """Run the request in a fresh app context; then let the test's session see its commits."""
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def post(self, *args, csrf: bool = True, **kwargs):
        """POST, adding csrf_token to form data unless csrf=False or the body is JSON."""
        if csrf and "json" not in kwargs:
            data = kwargs.pop("data", None)
            data = MultiDict(data) if data is not None else MultiDict()
            if "csrf_token" not in data:
                data["csrf_token"] = self.token or self.fetch_token()
            kwargs["data"] = data
        return super().post(*args, **kwargs)


# Tests that `make test` (--dist loadgroup) gives to one pytest-xdist worker together, first:
# the accessibility walks share what they have checked. pytest 9 names tests in a way that
# xdist 3.8's own xdist_group mark cannot change, so the groups are chosen here by node id.
RUN_TOGETHER = ("tests/browser/test_accessibility.py::",)


class RunTogether(LoadGroupScheduling):
    """xdist's loadgroup scheduling, each test on its own but those of RUN_TOGETHER."""

    def _split_scope(self, nodeid: str) -> str:
        """The group of a test: its RUN_TOGETHER prefix, else as xdist would have it."""
        for prefix in RUN_TOGETHER:
            if nodeid.startswith(prefix):
                return prefix
        return super()._split_scope(nodeid)


def pytest_xdist_make_scheduler(config, log):
    """Schedule --dist loadgroup with RunTogether (other modes as xdist does)."""
    if config.getvalue("dist") == "loadgroup":
        return RunTogether(config, log)
    return None


@pytest.fixture(scope="session")
def app():
    """One app for the session (for each pytest-xdist worker: its own temporary folder and
    database); the schema is built by the migrations, as in production."""
    folder = tempfile.mkdtemp(prefix="tiaojietong-test-")
    settings = {"SECRET_KEY": "test-only-key", "KEYS_DIR": f"{folder}/keys"}
    if ON_POSTGRES:
        settings["SQLALCHEMY_DATABASE_URI"] = worker_database_url(os.environ["TEST_DATABASE_URL"])
    else:
        settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder}/test.sqlite"
    app = create_app(TestConfig, settings)
    app.test_client_class = CsrfClient
    with app.app_context():
        if not ON_POSTGRES:
            quick_sqlite_commits(db.engine)
        drop_everything()
        upgrade()
    yield app


@pytest.fixture(autouse=True)
def _quick_pdfs(request, app, monkeypatch):
    """A one-page stand-in for each rendered PDF, except in tests marked `documents`.

    WeasyPrint takes ~0.25 s a document, and hundreds of tests drive a case past its seal
    only to test something else (a court's trigger, a role's refusal). They get a blank page
    with the document's title and `verify:<id>` keyword, sealed for real. What documents
    hold, how they look and how they verify is tested in the modules marked `documents`,
    which render with WeasyPrint.
    """
    if request.node.get_closest_marker("documents") is None:
        renderer = app.extensions["documents.renderer"]
        monkeypatch.setattr(renderer, "pdf", stand_in_pdf)


@pytest.fixture
def clean_state(app):
    """Each test starts with the demo city and users, a fresh throttle and an app context."""
    with app.app_context():
        reset_to_demo_city()
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    """A browser-like client that carries CSRF tokens."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A Click runner for `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def login(app):
    """Return a function that signs a demo user in on a fresh client and returns that client."""

    def sign_in(username: str, password: str = DEMO_PASSWORD):
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"login of {username} failed"
        return client

    return sign_in


@pytest.fixture
def token(client):
    """Return a function that gets an API bearer header for a demo user."""

    def bearer(username: str) -> dict:
        response = client.post(
            "/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return bearer
