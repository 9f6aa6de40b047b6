"""Signing out, a new password, deactivation and a new role end every earlier session.

A session cookie is signed, not stored: whoever kept a copy (another tab, a shared computer,
a stolen cookie) could use it until it expires. Each user has a session generation, copied
into the cookie at sign-in; these events raise it, and older cookies no longer sign anyone in.
"""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestConfig
from mediation import create_app
from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.models import ApiToken
from tests.builders import edit_form, unit_choice
from tests.factories import user
from tests.pages import carry_csrf, sign_out


def saved_copy(app, client):
    """A second browser holding a copy of client's session cookie, as an eavesdropper might."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def opens_cases(client) -> bool:
    """True when the case list opens; False when the visitor is sent to sign in."""
    response = client.get("/cases/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login"
    return response.status_code == 200


def api_token(client, username: str) -> str:
    """A fresh bearer token of a demo user."""
    response = client.post("/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 201
    return response.get_json()["token"]


def token_works(client, token: str) -> bool:
    """True when the token still opens the API."""
    response = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (200, 401)
    return response.status_code == 200


def test_saved_cookie_is_refused_after_logout(app, login):
    """退出 ends the session for every copy of the cookie, not only in this browser."""
    browser = login("grid_demo")
    copy = saved_copy(app, browser)
    assert opens_cases(copy)
    sign_out(browser)
    assert not opens_cases(copy)
    assert not opens_cases(browser)


def test_logout_ends_the_users_sessions_on_other_browsers(login):
    """Signing out on the office computer also signs the same user out on her tablet."""
    office, tablet = login("grid_demo"), login("grid_demo")
    sign_out(office)
    assert not opens_cases(tablet)


def test_logout_leaves_other_users_signed_in(login):
    """grid_demo signing out does not touch mediator_demo's session."""
    grid, mediator = login("grid_demo"), login("mediator_demo")
    sign_out(grid)
    assert opens_cases(mediator)


def test_signing_in_again_after_logout_works(login):
    """A new sign-in after 退出 gets a session of the new generation."""
    browser = login("grid_demo")
    sign_out(browser)
    response = browser.post("/login", data={"username": "grid_demo", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert opens_cases(browser)


def test_logout_keeps_the_users_api_tokens(login, client):
    """Signing out of the browser does not revoke tokens that programs hold (a password does)."""
    token = api_token(client, "grid_demo")
    sign_out(login("grid_demo"))
    assert token_works(client, token)


def test_password_change_ends_other_sessions_but_not_this_one(app, login):
    """After 修改密码 the saved cookie is refused; the browser that changed it stays in."""
    browser = login("grid_demo")
    copy, tablet = saved_copy(app, browser), login("grid_demo")
    response = carry_csrf(browser).post(
        "/password", data={"current": DEMO_PASSWORD, "new": "NewPass2026", "confirm": "NewPass2026"}
    )
    assert response.status_code == 302
    assert not opens_cases(copy)
    assert not opens_cases(tablet)
    assert opens_cases(browser)


def test_password_change_revokes_the_users_api_tokens(login, client):
    """A token obtained with the old password stops working; other users' tokens do not."""
    mine, theirs = api_token(client, "grid_demo"), api_token(client, "mediator_demo")
    carry_csrf(login("grid_demo")).post(
        "/password", data={"current": DEMO_PASSWORD, "new": "NewPass2026", "confirm": "NewPass2026"}
    )
    assert not token_works(client, mine)
    assert token_works(client, theirs)
    owners = db.session.scalars(sa.select(ApiToken.user_id)).all()
    assert owners == [user("mediator_demo").id]


def test_wrong_current_password_ends_nothing(app, login):
    """A refused 修改密码 leaves every session as it was."""
    browser = login("grid_demo")
    copy = saved_copy(app, browser)
    carry_csrf(browser).post(
        "/password", data={"current": "Wrong2026x", "new": "NewPass2026", "confirm": "NewPass2026"}
    )
    assert opens_cases(copy)


def test_deactivation_ends_sessions_for_good(app, login, admin, client):
    """停用 signs the user out everywhere and ends her tokens; 启用 does not revive them."""
    grid = login("grid_demo")
    copy, token = saved_copy(app, grid), api_token(client, "grid_demo")
    user_id = user("grid_demo").id
    assert admin.post(f"/admin/users/{user_id}/active").status_code == 302
    assert not opens_cases(grid)
    assert not token_works(client, token)
    assert admin.post(f"/admin/users/{user_id}/active").status_code == 302
    assert user("grid_demo").active
    assert not opens_cases(copy)
    assert not token_works(client, token)


def test_deactivation_leaves_other_users_signed_in(login, admin):
    """Only the deactivated account is signed out."""
    mediator = login("mediator_demo")
    admin.post(f"/admin/users/{user('grid_demo').id}/active")
    assert opens_cases(mediator)
    assert admin.get("/admin/users").status_code == 200


def test_deactivation_through_the_edit_form_ends_sessions(login, admin):
    """Unticking 启用 on the edit form ends the sessions like the 停用 button."""
    grid = login("grid_demo")
    grid_worker = user("grid_demo")
    form = edit_form(grid_worker, active=None)
    assert admin.post(f"/admin/users/{grid_worker.id}", data=form).status_code == 302
    assert not opens_cases(grid)


def test_role_change_by_admin_ends_sessions(login, admin, client):
    """A grid worker made street officer must sign in again, with her new role."""
    grid, token = login("grid_demo"), api_token(client, "grid_demo")
    grid_worker = user("grid_demo")
    form = edit_form(grid_worker, role="street_officer", unit=unit_choice("region", "420102003"))
    assert admin.post(f"/admin/users/{grid_worker.id}", data=form).status_code == 302
    assert not opens_cases(grid)
    assert not token_works(client, token)


def test_password_reset_by_admin_ends_sessions(login, admin):
    """A password the admin sets shuts out whoever held the old one."""
    grid = login("grid_demo")
    grid_worker = user("grid_demo")
    form = edit_form(grid_worker, password="Reset2026x")
    assert admin.post(f"/admin/users/{grid_worker.id}", data=form).status_code == 302
    assert not opens_cases(grid)


def test_editing_only_the_name_keeps_sessions(login, admin):
    """A new display name is no reason to sign anyone out."""
    grid = login("grid_demo")
    grid_worker = user("grid_demo")
    form = edit_form(grid_worker, display_name="王网格长")
    assert admin.post(f"/admin/users/{grid_worker.id}", data=form).status_code == 302
    assert opens_cases(grid)


def test_admin_setting_her_own_password_stays_signed_in(app, admin):
    """The admin's other sessions end, but not the browser she typed the password in."""
    copy = saved_copy(app, admin)
    me = user("admin_demo")
    form = edit_form(me, password="Reset2026x")
    assert admin.post(f"/admin/users/{me.id}", data=form).status_code == 302
    assert admin.get("/admin/users").status_code == 200
    assert copy.get("/admin/users").status_code == 302


def test_existing_users_start_at_generation_zero_after_the_migration(tmp_path):
    """The column arrives on a database that already holds users, with 0 for each of them."""
    app = create_app(
        TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite", "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade(revision="d98e70cb6583")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO regions (code, name, level, path) VALUES ('1', '市', 'city', '1')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO users (username, display_name, role, region_id, active,"
                    " password_hash, created_at) VALUES ('old', '旧用户', 'admin', 1, true, 'x',"
                    " '2026-01-01 00:00:00')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT session_generation FROM users")) == 0
        db.engine.dispose()
