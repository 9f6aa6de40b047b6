"""The city admin manages accounts: create, edit, deactivate and reactivate users."""

import re

import pytest
import sqlalchemy as sa

from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.models import User
from tests.builders import edit_form, unit_choice, user_form
from tests.factories import find_user
from tests.pages import carry_csrf


def user_count() -> int:
    """How many accounts exist."""
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_admin_creates_a_user_with_every_field(admin):
    """A complete form creates the account with its name, role, unit, password and status."""
    response = admin.post("/admin/users/new", data=user_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users")
    created = find_user("grid_new")
    assert created.display_name == "周网格"
    assert created.role == "grid_worker"
    assert created.region.code == "42010200200102"
    assert created.committee is None
    assert created.court is None
    assert created.active
    assert created.check_password("Start2026x")
    assert created.password_hash != "Start2026x"
    listing = admin.get("/admin/users").get_data(as_text=True)
    assert "已保存用户 grid_new。" in listing
    assert "周网格" in listing


def test_admin_creates_an_inactive_user(admin):
    """Leaving 启用 unticked creates the account deactivated."""
    response = admin.post("/admin/users/new", data=user_form(active=None))
    assert response.status_code == 302
    assert not find_user("grid_new").active


@pytest.mark.parametrize(
    ("username", "role", "kind", "code"),
    [
        ("mediator_new", "mediator", "committee", "420102003001-tw"),
        ("street_new", "street_officer", "region", "420106002"),
        ("judge_new", "judge", "court", "420106-court"),
        ("admin_new", "admin", "region", "420106"),
        ("grid_community", "grid_worker", "region", "420102002002"),
    ],
)
def test_admin_creates_each_role_in_its_kind_of_unit(admin, username, role, kind, code):
    """Each role is accepted in the kind of unit it belongs to."""
    form = user_form(username=username, role=role, unit=unit_choice(kind, code))
    assert admin.post("/admin/users/new", data=form).status_code == 302
    created = find_user(username)
    assert created.role == role
    assert getattr(created, kind).code == code


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": ""}, "请输入用户名。"),
        ({"username": "张 三"}, "用户名只能包含字母、数字、点、下划线和连字符。"),
        ({"username": "bad/name"}, "用户名只能包含字母、数字、点、下划线和连字符。"),
        ({"username": "ab"}, "用户名长度须为 3 至 64 个字符。"),
        ({"username": "x" * 65}, "用户名长度须为 3 至 64 个字符。"),
        ({"display_name": ""}, "请输入姓名。"),
        ({"display_name": "名" * 81}, "姓名过长。"),
        ({"password": ""}, "新用户须设置初始密码。"),
        ({"password": None}, "新用户须设置初始密码。"),
        ({"password": "short1"}, "密码长度须为 8 至 128 个字符。"),
        ({"password": "lettersonly"}, "密码须同时包含字母和数字。"),
        ({"password": "1234567890"}, "密码须同时包含字母和数字。"),
        ({"unit": ""}, "请选择所属单位。"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(admin, changes, message):
    """Each bad field is named in Chinese on the form page, and no account is created."""
    before = user_count()
    response = admin.post("/admin/users/new", data=user_form(**changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count() == before


def test_duplicate_username_is_refused(admin):
    """A username already in use is refused, and the existing account is untouched."""
    before = user_count()
    response = admin.post("/admin/users/new", data=user_form(username="grid_demo"))
    assert response.status_code == 200
    assert "用户名 grid_demo 已被使用。" in response.get_data(as_text=True)
    assert user_count() == before
    assert find_user("grid_demo").display_name == "王网格"


@pytest.mark.parametrize(
    ("role", "kind", "code", "hint"),
    [
        ("judge", "region", "420102", "法官应属于法院"),
        ("mediator", "court", "420102-court", "人民调解员应属于调委会"),
        ("mediator", "region", "420102002001", "人民调解员应属于调委会"),
        ("grid_worker", "region", "420102002", "网格员应属于网格或社区"),
        ("grid_worker", "committee", "420102002001-tw", "网格员应属于网格或社区"),
        ("street_officer", "region", "420102002001", "街道工作人员应属于街道"),
        ("admin", "region", "42010200200101", "管理员应属于市、区或街道"),
        ("admin", "court", "420106-court", "管理员应属于市、区或街道"),
    ],
)
def test_role_and_unit_must_match(admin, role, kind, code, hint):
    """A role in the wrong kind of unit is refused with a hint, and no account is created."""
    before = user_count()
    form = user_form(role=role, unit=unit_choice(kind, code))
    response = admin.post("/admin/users/new", data=form)
    assert response.status_code == 200
    assert f"该角色不能属于所选单位：{hint}。" in response.get_data(as_text=True)
    assert user_count() == before
    assert find_user("grid_new") is None


def test_admin_changes_a_users_role_and_unit(admin):
    """Editing moves grid_demo to 一元街道 as a street officer; her password is kept."""
    grid = find_user("grid_demo")
    form = edit_form(
        grid, display_name="王街道", role="street_officer", unit=unit_choice("region", "420102003")
    )
    response = admin.post(f"/admin/users/{grid.id}", data=form)
    assert response.status_code == 302
    db.session.refresh(grid)
    assert grid.role == "street_officer"
    assert grid.region.code == "420102003"
    assert grid.display_name == "王街道"
    assert grid.active
    assert grid.check_password(DEMO_PASSWORD)


def test_admin_moves_a_mediator_to_a_court_as_judge(admin):
    """Changing unit kind clears the old unit: a mediator who becomes a judge has no committee."""
    mediator = find_user("mediator_demo")
    form = edit_form(
        mediator, display_name="李法官", role="judge", unit=unit_choice("court", "420106-court")
    )
    assert admin.post(f"/admin/users/{mediator.id}", data=form).status_code == 302
    db.session.refresh(mediator)
    assert mediator.court.code == "420106-court"
    assert mediator.committee is None
    assert mediator.region is None


def test_edit_form_shows_the_users_current_unit(admin):
    """The edit page preselects the user's unit."""
    grid = find_user("grid_demo")
    page = admin.get(f"/admin/users/{grid.id}").get_data(as_text=True)
    selected = unit_choice("region", "42010200200101")
    assert re.search(rf'<option selected value="{selected}"|value="{selected}" selected', page)


def test_admin_sets_a_new_password_for_a_user(admin):
    """A password typed on the edit form replaces the old one."""
    grid = find_user("grid_demo")
    form = edit_form(grid, password="Reset2026x")
    assert admin.post(f"/admin/users/{grid.id}", data=form).status_code == 302
    db.session.refresh(grid)
    assert grid.check_password("Reset2026x")
    assert not grid.check_password(DEMO_PASSWORD)


def test_editing_an_unknown_user_answers_404(admin):
    """There is no user 99999."""
    assert admin.get("/admin/users/99999").status_code == 404


def test_admin_deactivates_and_reactivates_a_user(admin):
    """停用 then 启用 flips the account, with a message each time."""
    grid = find_user("grid_demo")
    response = admin.post(f"/admin/users/{grid.id}/active", follow_redirects=True)
    assert "已停用 grid_demo。" in response.get_data(as_text=True)
    db.session.refresh(grid)
    assert not grid.active
    response = admin.post(f"/admin/users/{grid.id}/active", follow_redirects=True)
    assert "已启用 grid_demo。" in response.get_data(as_text=True)
    db.session.refresh(grid)
    assert grid.active


def test_deactivating_needs_a_csrf_token(admin):
    """Another site cannot make the admin deactivate someone."""
    grid = find_user("grid_demo")
    assert admin.post(f"/admin/users/{grid.id}/active", csrf=False).status_code == 400
    db.session.refresh(grid)
    assert grid.active


def test_admin_cannot_deactivate_herself(admin):
    """The admin's own 停用 answers 400 and she stays active."""
    me = find_user("admin_demo")
    assert admin.post(f"/admin/users/{me.id}/active").status_code == 400
    db.session.refresh(me)
    assert me.active


def test_admin_cannot_deactivate_herself_through_the_edit_form(admin):
    """Unticking 启用 on her own account must not lock the admin out either."""
    me = find_user("admin_demo")
    admin.post(f"/admin/users/{me.id}", data=edit_form(me, active=None))
    db.session.refresh(me)
    assert me.active


def test_other_roles_cannot_create_users(login):
    """A street officer posting the new-user form gets 403 and nothing is created."""
    client = carry_csrf(login("street_demo"))
    before = user_count()
    assert client.post("/admin/users/new", data=user_form()).status_code == 403
    assert user_count() == before
