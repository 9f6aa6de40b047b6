"""The application factory and its settings: secrets, database URLs, headers, cookies, assets."""

import logging
import re
import stat
from pathlib import Path

import pytest

import mediation
from config import Config, TestConfig, database_url, instance_secret_key
from mediation import create_app

ROOT = Path(__file__).resolve().parents[2]
ASSET = re.compile(r'\b(?:src|href)\s*=\s*"([^"]*)"')
SCRIPT_TAG = re.compile(r"<script\b[^>]*>")


def test_create_app_builds_the_app_with_test_settings():
    """create_app(TestConfig) gives a testing app with every area registered and CSRF on."""
    built = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert built.testing
    assert built.config["WTF_CSRF_ENABLED"] is True
    assert {"auth", "main", "admin", "api", "i18n"} <= set(built.blueprints)
    assert "seed-demo" in built.cli.commands


def test_no_secret_key_is_written_in_the_code():
    """No settings class and no source file carries a SECRET_KEY value."""
    assert not hasattr(Config, "SECRET_KEY")
    assert not hasattr(TestConfig, "SECRET_KEY")
    assignment = re.compile(r"""SECRET_KEY["']?\s*[:=]\s*["']""")
    sources = [ROOT / "config.py", ROOT / "wsgi.py", *(ROOT / "mediation").rglob("*.py")]
    offenders = [str(p) for p in sources if assignment.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    """Without SECRET_KEY in the environment, a key is made into instance/secret_key (0600)."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key = instance_secret_key(tmp_path)
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == key
    assert len(key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert instance_secret_key(tmp_path) == key


def test_another_instance_folder_gets_another_secret_key(tmp_path, monkeypatch):
    """Each installation generates its own key."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = instance_secret_key(tmp_path / "one")
    second = instance_secret_key(tmp_path / "two" / "nested")
    assert first != second


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    """SECRET_KEY set in the environment is used as is, and nothing is written to disk."""
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert instance_secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_app_without_a_configured_key_uses_the_instance_key(tmp_path, monkeypatch):
    """create_app falls back to the key generated in its instance folder."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(mediation, "INSTANCE_DIR", tmp_path)
    built = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert built.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://postgres@db:5432/tjt", "postgresql+psycopg://postgres@db:5432/tjt"),
        ("postgres://u:p@db/tjt", "postgresql+psycopg://u:p@db/tjt"),
        ("postgresql+psycopg://u@db/tjt", "postgresql+psycopg://u@db/tjt"),
        ("sqlite:///instance/tiaojietong.sqlite", "sqlite:///instance/tiaojietong.sqlite"),
    ],
)
def test_database_url_points_postgresql_at_psycopg(given, expected):
    """Plain postgresql:// URLs are given the psycopg 3 driver; others pass unchanged."""
    assert database_url(given) == expected


def assert_security_headers(response) -> None:
    """CSP with a nonce carried by every script tag, no framing, no sniffing."""
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = SCRIPT_TAG.findall(response.get_data(as_text=True))
    assert scripts, "the page has no script tag to check"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_login_page_sends_security_headers(client):
    """The login page carries the CSP nonce on its scripts and forbids framing and sniffing."""
    assert_security_headers(client.get("/login"))


def test_home_page_sends_security_headers(login):
    """A signed-in page carries the same headers."""
    assert_security_headers(login("admin_demo").get("/"))


def session_cookie(response) -> str:
    """The Set-Cookie header of the session cookie."""
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "no session cookie was set"
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite_lax(client):
    """Scripts cannot read the session cookie and other sites cannot post with it."""
    cookie = session_cookie(client.get("/login"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_settings_send_the_session_cookie_over_https_only():
    """Outside tests and development the session cookie is Secure."""
    production = create_app(Config, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    response = production.test_client().get("/login", base_url="https://localhost")
    cookie = session_cookie(response)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def assert_assets_are_local(client, page: str) -> None:
    """No link leaves the site, and every stylesheet and script is served by the app."""
    html = client.get(page).get_data(as_text=True)
    assert "cdn" not in html.lower()
    links = ASSET.findall(html)
    remote = [link for link in links if link.startswith(("http://", "https://", "//"))]
    assert remote == []
    assets = [link for link in links if link.endswith((".css", ".js"))]
    assert any("/static/" in a and a.endswith("bootstrap.min.css") for a in assets)
    assert any("/static/" in a and a.endswith("bootstrap.min.js") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_login_page_loads_nothing_from_a_cdn(client):
    """Government intranets have no internet: Bootstrap comes from the app's static files."""
    assert_assets_are_local(client, "/login")


def test_home_page_loads_nothing_from_a_cdn(login):
    """The signed-in workbench is served from local assets too."""
    assert_assets_are_local(login("admin_demo"), "/")


def test_a_missing_harfbuzz_subset_library_is_logged_at_start_up(monkeypatch, caplog):
    """Without libharfbuzz-subset0 a Chinese PDF takes seconds: the app says so when it starts."""
    monkeypatch.setattr("mediation.papers.harfbuzz_subset_available", lambda: False)
    # Alembic's fileConfig (run by the migrations) disables the loggers that existed before.
    monkeypatch.setattr(logging.getLogger("mediation.papers"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="mediation.papers"):
        create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert "libharfbuzz-subset0 is missing" in caplog.text
    assert "apt-get install -y libharfbuzz-subset0" in caplog.text
