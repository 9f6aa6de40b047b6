"""Signing in and out, the login throttle, CSRF, one's own password, and who reaches which page."""

from urllib.parse import parse_qs, urlsplit

import pytest

from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from tests.factories import user
from tests.pages import carry_csrf, sign_out

BAD_LOGIN = "用户名或密码不正确"


def signed_in_user_id(client) -> str | None:
    """The user id kept in the client's session cookie, if any."""
    with client.session_transaction() as session:
        return session.get("_user_id")


def path_of(response) -> str:
    """The path a redirect points to."""
    return urlsplit(response.headers["Location"]).path


@pytest.mark.parametrize(
    ("username", "role_label"),
    [
        ("grid_demo", "网格员"),
        ("mediator_demo", "人民调解员"),
        ("street_demo", "街道综治中心/司法所"),
        ("judge_demo", "法官"),
        ("admin_demo", "管理员"),
    ],
)
def test_demo_user_signs_in_and_sees_her_workbench(client, username, role_label):
    """The right password leads home, where the role is named."""
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert path_of(response) == "/"
    assert signed_in_user_id(client) == str(user(username).id)
    home = client.get("/").get_data(as_text=True)
    assert f"工作台 · {role_label}" in home


def test_wrong_password_is_refused_in_chinese(client):
    """A wrong password answers 401 with a Chinese message and signs nobody in."""
    response = client.post("/login", data={"username": "grid_demo", "password": "Wrong@2026"})
    assert response.status_code == 401
    assert BAD_LOGIN in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_unknown_user_is_refused_like_a_wrong_password(client):
    """An unknown username gets the same answer, so usernames cannot be probed."""
    response = client.post("/login", data={"username": "nobody", "password": DEMO_PASSWORD})
    assert response.status_code == 401
    assert BAD_LOGIN in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_inactive_user_cannot_sign_in(client):
    """A deactivated account is refused even with the right password."""
    user("grid_demo").active = False
    db.session.commit()
    response = client.post("/login", data={"username": "grid_demo", "password": DEMO_PASSWORD})
    assert response.status_code == 401
    assert BAD_LOGIN in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_empty_login_form_asks_for_username_and_password(client):
    """Submitting nothing names both missing fields in Chinese."""
    response = client.post("/login", data={"username": "", "password": ""})
    page = response.get_data(as_text=True)
    assert "请输入用户名。" in page
    assert "请输入密码。" in page
    assert signed_in_user_id(client) is None


def test_logout_needs_a_post(login):
    """A link or an image cannot sign the user out: GET /logout is not allowed."""
    client = login("grid_demo")
    assert client.get("/logout").status_code == 405
    assert signed_in_user_id(client) is not None


def test_logout_ends_the_session(login):
    """After 退出 the session holds no user and pages ask to sign in again."""
    client = login("grid_demo")
    response = carry_csrf(client).post("/logout")
    assert response.status_code == 302
    assert path_of(response) == "/login"
    assert signed_in_user_id(client) is None
    assert path_of(client.get("/")) == "/login"


def test_logout_without_csrf_token_is_refused(login):
    """Another site cannot sign the user out."""
    client = login("grid_demo")
    assert client.post("/logout", csrf=False).status_code == 400
    assert signed_in_user_id(client) is not None


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example/login", "http://evil.example/", "evil.example"],
)
def test_login_ignores_a_next_that_leaves_the_site(client, target):
    """?next= pointing elsewhere is not followed (no open redirect): the user goes home."""
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "grid_demo", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == "/"


def test_login_follows_a_local_next(client):
    """?next=/password brings the user back to the page she asked for."""
    response = client.post(
        "/login",
        query_string={"next": "/password"},
        data={"username": "grid_demo", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert path_of(response) == "/password"


def test_login_without_csrf_token_is_refused(client):
    """A login form posted without its CSRF token answers 400 and signs nobody in."""
    response = client.post(
        "/login", data={"username": "grid_demo", "password": DEMO_PASSWORD}, csrf=False
    )
    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    assert path_of(client.get("/")) == "/login"


def test_login_is_throttled_after_five_failures(client):
    """After five wrong passwords the sixth attempt answers 429, even with the right password."""
    for _attempt in range(5):
        response = client.post("/login", data={"username": "grid_demo", "password": "guess1234"})
        assert response.status_code == 401
    response = client.post("/login", data={"username": "grid_demo", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_successful_logins_do_not_count_against_the_throttle(client):
    """Signing in and out many times never locks the user out."""
    for _round in range(6):
        response = client.post("/login", data={"username": "grid_demo", "password": DEMO_PASSWORD})
        assert response.status_code == 302
        sign_out(client)
    for _attempt in range(5):
        response = client.post("/login", data={"username": "grid_demo", "password": "guess1234"})
        assert response.status_code == 401


def change_password(client, current: str, new: str, confirm: str | None = None):
    """Submit the 修改密码 form."""
    return carry_csrf(client).post(
        "/password",
        data={"current": current, "new": new, "confirm": new if confirm is None else confirm},
    )


def test_change_password_with_wrong_current_password_is_refused(login):
    """The current password must be right; the page says so and nothing changes."""
    client = login("grid_demo")
    response = change_password(client, "Wrong@2026", "NewPass2026")
    assert response.status_code == 200
    assert "当前密码不正确。" in response.get_data(as_text=True)
    assert user("grid_demo").check_password(DEMO_PASSWORD)


def test_change_password_needs_the_same_new_password_twice(login):
    """A mistyped confirmation is caught."""
    client = login("grid_demo")
    response = change_password(client, DEMO_PASSWORD, "NewPass2026", "NewPass2027")
    assert response.status_code == 200
    assert "两次输入的新密码不一致。" in response.get_data(as_text=True)
    assert user("grid_demo").check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("ab12", "新密码长度须为 8 至 128 个字符。"),
        ("onlyletters", "密码须同时包含字母和数字。"),
        ("1234567890", "密码须同时包含字母和数字。"),
    ],
)
def test_change_password_refuses_a_weak_password(login, new, message):
    """A short password, or one without both letters and digits, is refused with the reason."""
    client = login("grid_demo")
    response = change_password(client, DEMO_PASSWORD, new)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user("grid_demo").check_password(DEMO_PASSWORD)


def test_changed_password_replaces_the_old_one(login):
    """After a change the old password no longer signs in and the new one does."""
    client = login("grid_demo")
    response = change_password(client, DEMO_PASSWORD, "NewPass2026")
    assert response.status_code == 302
    assert path_of(response) == "/"
    sign_out(client)
    old = client.post("/login", data={"username": "grid_demo", "password": DEMO_PASSWORD})
    assert old.status_code == 401
    new = client.post("/login", data={"username": "grid_demo", "password": "NewPass2026"})
    assert new.status_code == 302


def test_admin_reaches_user_management(login):
    """The city admin opens 用户管理."""
    response = login("admin_demo").get("/admin/users")
    assert response.status_code == 200
    assert "用户管理" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "username", ["grid_demo", "mediator_demo", "street_demo", "judge_demo", "mediator_other"]
)
def test_other_roles_cannot_open_user_management(login, username):
    """Every role but admin gets a 403 page in Chinese."""
    client = login(username)
    for page in ("/admin/users", "/admin/users/new"):
        response = client.get(page)
        assert response.status_code == 403
        assert "您没有权限执行此操作。" in response.get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_login(client):
    """A visitor who is not signed in is sent to /login, which brings her back afterwards."""
    response = client.get("/admin/users")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/admin/users"]


def test_anonymous_visitor_of_home_is_sent_to_login(client):
    """The workbench itself needs a signed-in user."""
    assert path_of(client.get("/")) == "/login"


def test_unknown_page_answers_404_in_chinese(client):
    """A mistyped address gets a Chinese 404 page."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "页面不存在" in page
    assert 'lang="zh-CN"' in page
