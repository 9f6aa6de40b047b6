"""The admin's map: the region and committee tree, a grid or committee added, a region or
committee renamed, each change written to the administration log; what is refused."""

import re

import pytest
import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import AdminEvent, Case, Committee, Region
from tests.builders import intake_form
from tests.factories import find_user, gen_user, unit
from tests.pages import carry_csrf, text

COMMUNITY = "420102002001"  # 工农兵社区, grids …01 to …03
STREET = "420102002"  # 大智街道
COMMITTEE_PAGE = "/admin/committees/420102002001-tw"
CANCEL = r'<a class="btn btn-outline-secondary" href="{back}"[^>]*>取消</a>'
OTHER_ROLES = ["grid_demo", "mediator_demo", "street_demo", "judge_demo"]


def events() -> list[AdminEvent]:
    """Every administration event, oldest first."""
    return db.session.scalars(sa.select(AdminEvent).order_by(AdminEvent.id)).all()


def region(code: str) -> Region | None:
    """The region with this code."""
    return db.session.scalar(sa.select(Region).where(Region.code == code))


def field_error(page: str, name: str) -> str:
    """The error text shown under a form field."""
    match = re.search(rf'data-field-error="{name}">\s*<div>([^<]+)</div>', page)
    assert match, f"no error on {name}"
    return match.group(1)


# ------------------------------------------------------------------------ the tree page


def test_the_tree_opens_down_to_a_grid_with_committees_and_actions(admin):
    """Opened at a community: the way down from the city, each committee under its region, the
    community's grids, and the links to change them."""
    page = text(admin.get(f"/admin/regions?open={COMMUNITY}"))
    for code in ("420100", "420102", STREET, COMMUNITY, f"{COMMUNITY}03"):
        assert f'data-testid="region" data-code="{code}"' in page
    assert 'data-testid="committee" data-code="420102002001-tw"' in page
    assert f'href="/admin/regions/grids/new?parent={COMMUNITY}"' in page
    assert f'href="/admin/committees/new?region={STREET}"' in page
    assert f'href="/admin/regions/grids/new?parent={STREET}"' not in page  # no grid on a street
    assert 'href="/admin/committees/420102002001-tw/name"' in page
    assert "还没有修改记录。" in page


def opened_codes(page: str) -> dict[str, str]:
    """{region code: "yes" | "no"} of every region on the tree page: opened or not."""
    return dict(re.findall(r'data-code="(\d+)" data-opened="(yes|no)"', page))


def test_the_tree_starts_at_the_top_and_drills_down_one_level_at_a_time(admin):
    """A city has thousands of regions: the page lists the top and its children, each closed
    child with the number of its own; 展开 opens one, 收起 goes back up."""
    top = text(admin.get("/admin/regions"))
    shown = opened_codes(top)
    assert shown["420100"] == "yes" and shown["420102"] == "no"
    assert STREET not in shown and COMMUNITY not in shown
    children = db.session.scalar(
        sa.select(sa.func.count(Region.id)).where(Region.parent_id == region("420102").id)
    )
    assert f'href="/admin/regions?open=420102#r-420102">展开（{children} 个下级）' in top
    street = text(admin.get(f"/admin/regions?open={STREET}"))
    shown = opened_codes(street)
    assert [shown[code] for code in ("420100", "420102", STREET, COMMUNITY)] == [
        "yes",
        "yes",
        "yes",
        "no",
    ]
    assert f"{COMMUNITY}01" not in shown  # a closed community's grids are not listed
    assert f'href="/admin/regions?open=420102#r-{STREET}">收起' in street


def test_the_tree_opens_only_inside_the_jurisdiction(login, admin):
    """?open= with a code outside the admin's district, or no such code: 404."""
    gen_user("admin_jiangan", "admin", region="420102")
    client = login("admin_jiangan", "Demo@2026")
    assert client.get("/admin/regions?open=420106").status_code == 404
    assert admin.get("/admin/regions?open=nothing").status_code == 404
    page = text(client.get(f"/admin/regions?open={STREET}"))
    assert "420100" not in opened_codes(page)  # the city is above her district
    assert "收起" in page  # from the street back up to her district
    assert "收起</a>" not in text(client.get("/admin/regions?open=420102"))  # her top


def test_a_district_admin_sees_and_changes_her_district_only(login):
    """Another district's regions are not on her tree, and their pages answer 404."""
    gen_user("admin_jiangan", "admin", region="420102")
    client = carry_csrf(login("admin_jiangan", "Demo@2026"))
    page = text(client.get("/admin/regions"))
    assert 'data-code="420102"' in page
    assert 'data-code="420100"' not in page
    assert 'data-code="420106"' not in page
    assert client.get("/admin/regions/420106/name").status_code == 404
    assert client.get("/admin/committees/420106001001-tw/name").status_code == 404
    city_admin = carry_csrf(login("admin_demo"))
    renamed = city_admin.post("/admin/regions/420106/name", data={"name": "武昌区（新）"})
    assert renamed.status_code == 302
    assert "武昌区（新）" not in text(client.get("/admin/regions"))  # nor its log
    form = {"parent": "420106001001", "name": "外区网格", "code": ""}
    refused = client.post("/admin/regions/grids/new", data=form)
    assert field_error(text(refused), "parent") == "所选区域不存在。"
    assert region("42010600100104") is None
    assert [event.action for event in events()] == ["region_renamed"]  # the city admin's


# ------------------------------------------------------------------------ adding a grid


def test_a_grid_added_gets_the_next_code_and_its_path_and_is_usable_at_once(admin, login):
    """Blank code: the community's next number; the grid is on the tree and intake takes it."""
    response = admin.post(
        "/admin/regions/grids/new", data={"parent": COMMUNITY, "name": " 新建第4网格 ", "code": ""}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/regions?open={COMMUNITY}#r-{COMMUNITY}")
    grid = region(f"{COMMUNITY}04")
    assert (grid.name, grid.level, grid.parent.code) == ("新建第4网格", "grid", COMMUNITY)
    assert grid.path == f"/420100/420102/{STREET}/{COMMUNITY}/{COMMUNITY}04/"
    [event] = events()
    assert (event.action, event.target, event.actor.username) == (
        "grid_added",
        f"region:{COMMUNITY}04",
        "admin_demo",
    )
    assert event.payload == {"name": "新建第4网格", "parent": COMMUNITY}
    page = text(admin.get(response.headers["Location"]))
    assert "已添加网格 新建第4网格（编码 42010200200104）。" in page
    assert 'data-code="42010200200104"' in page
    assert "新建第4网格" in page.split('data-testid="map-events"')[1]
    officer = login("street_demo")  # the street's officer registers a dispute on it
    assert f'value="{grid.code}"' in text(officer.get("/cases/new"))
    registered = officer.post("/cases/new", data=intake_form(grid=grid.code))
    assert registered.status_code == 302
    case = db.session.scalar(sa.select(Case).where(Case.grid_id == grid.id))
    assert case.committee.code == "420102002001-tw"


def test_a_grid_may_be_given_its_own_code(admin):
    """A typed code of the community's code and two digits is kept."""
    form = {"parent": COMMUNITY, "name": "第九网格", "code": f"{COMMUNITY}09"}
    assert admin.post("/admin/regions/grids/new", data=form).status_code == 302
    assert region(f"{COMMUNITY}09").name == "第九网格"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"parent": COMMUNITY, "name": "重复", "code": f"{COMMUNITY}01"},
            "code",
            f"编码 {COMMUNITY}01 已被“工农兵社区第1网格”使用，请换一个。",
        ),
        (
            {"parent": COMMUNITY, "name": "格式", "code": "42010200200"},
            "code",
            f"网格编码应为所在社区编码 {COMMUNITY} 后加两位数字，如 {COMMUNITY}04。",
        ),
        (
            {"parent": STREET, "name": "街道下", "code": ""},
            "parent",
            "网格只能设在社区下：请选择一个社区。",
        ),
        ({"parent": COMMUNITY, "name": "   ", "code": ""}, "name", "请输入名称，不能只填空格。"),
        ({"parent": "", "name": "无社区", "code": ""}, "parent", "请选择所在区域。"),
        ({"parent": COMMUNITY, "name": "长" * 81, "code": ""}, "name", "名称最多 80 个字。"),
    ],
)
def test_a_bad_grid_is_refused_keeping_what_was_typed(admin, form, field, message):
    """Duplicate or malformed code, a street as parent, an empty name: the form again with
    the message on its field, the typed values kept, nothing written."""
    before = db.session.scalar(sa.select(sa.func.count(Region.id)))
    response = admin.post("/admin/regions/grids/new", data=form)
    assert response.status_code == 200
    page = text(response)
    assert field_error(page, field) == message
    if form["name"].strip():
        assert f'value="{form["name"]}"' in page
    if form["code"]:
        assert f'value="{form["code"]}"' in page
    assert db.session.scalar(sa.select(sa.func.count(Region.id))) == before
    assert events() == []


# ------------------------------------------------------------------------ adding a committee


def test_a_committee_added_to_a_street_is_usable_at_once(admin):
    """Blank code: `<region>-tw2` (the street has one); a mediator can be put in it."""
    form = {"region": STREET, "name": "大智街道第二调委会", "short_name": "大智二", "code": ""}
    assert admin.post("/admin/committees/new", data=form).status_code == 302
    committee = unit("committee", f"{STREET}-tw2")
    assert (committee.name, committee.short_name, committee.region.code) == (
        "大智街道第二调委会",
        "大智二",
        STREET,
    )
    [event] = events()
    assert (event.action, event.target) == ("committee_added", f"committee:{STREET}-tw2")
    assert event.payload == {"name": "大智街道第二调委会", "short_name": "大智二", "region": STREET}
    user_form = {
        "username": "mediator_new",
        "display_name": "新调解",
        "role": "mediator",
        "unit": f"committee:{committee.id}",
        "password": "Start2026x",
        "active": "y",
    }
    assert admin.post("/admin/users/new", data=user_form).status_code == 302
    assert find_user("mediator_new").committee.code == f"{STREET}-tw2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"code": "420102002001-tw"},
            "code",
            "编码 420102002001-tw 已被“工农兵社区人民调解委员会”使用，请换一个。",
        ),
        ({"code": "a b/c"}, "code", "调委会编码应为 3 至 32 个字母、数字或连字符。"),
        ({"region": "42010200200101"}, "region", "调委会只能设在街道或社区：请选择街道或社区。"),
        ({"region": "420102"}, "region", "调委会只能设在街道或社区：请选择街道或社区。"),
        ({"name": ""}, "name", "请输入名称，不能只填空格。"),
        ({"short_name": " "}, "short_name", "请输入名称，不能只填空格。"),
    ],
)
def test_a_bad_committee_is_refused_keeping_what_was_typed(admin, changes, field, message):
    """Duplicate or malformed code, a grid or district as its region, an empty name."""
    form = {
        "region": COMMUNITY,
        "name": "新调委会",
        "short_name": "新",
        "code": "new-tw",
        **changes,
    }
    before = db.session.scalar(sa.select(sa.func.count(Committee.id)))
    response = admin.post("/admin/committees/new", data=form)
    assert response.status_code == 200
    page = text(response)
    assert field_error(page, field) == message
    for name in ("name", "short_name", "code"):
        if form[name].strip():
            assert f'value="{form[name]}"' in page
    assert db.session.scalar(sa.select(sa.func.count(Committee.id))) == before
    assert events() == []


# ------------------------------------------------------------------------ renaming


def test_renaming_a_region_keeps_its_code_and_path_and_is_logged(admin):
    """The name changes; code, path and the cases' ties do not; the event holds both names."""
    street = region(STREET)
    code, path = street.code, street.path
    response = admin.post(f"/admin/regions/{STREET}/name", data={"name": "大智街道（新）"})
    assert response.status_code == 302
    db.session.expire_all()
    street = region(STREET)
    assert (street.name, street.code, street.path) == ("大智街道（新）", code, path)
    [event] = events()
    assert (event.action, event.target) == ("region_renamed", f"region:{STREET}")
    assert event.payload == {"from": "大智街道", "to": "大智街道（新）"}
    page = text(admin.get("/admin/regions"))
    assert "已将 大智街道 改名为 大智街道（新）。" in page
    assert "大智街道 → 大智街道（新）" in page


def test_renaming_a_committee_keeps_its_code_and_is_logged(admin):
    """Name and short name change; the code stays."""
    form = {"name": "工农兵社区调委会", "short_name": "工农兵新"}
    assert admin.post("/admin/committees/420102002001-tw/name", data=form).status_code == 302
    committee = unit("committee", "420102002001-tw")
    assert (committee.name, committee.short_name) == ("工农兵社区调委会", "工农兵新")
    [event] = events()
    assert event.action == "committee_renamed"
    assert event.payload["from"] == {"name": "工农兵社区人民调解委员会", "short_name": "工农兵"}
    assert event.payload["to"] == form


def test_an_unchanged_name_writes_nothing(admin):
    """Saving the same name: a note, no event."""
    response = admin.post(f"/admin/regions/{STREET}/name", data={"name": "大智街道"})
    assert response.status_code == 302
    assert events() == []
    assert "名称未改变。" in text(admin.get("/admin/regions"))


@pytest.mark.parametrize(
    ("path", "form", "field"),
    [
        (f"/admin/regions/{STREET}/name", {"name": "  "}, "name"),
        ("/admin/committees/420102002001-tw/name", {"name": "", "short_name": "新简称"}, "name"),
        (
            "/admin/committees/420102002001-tw/name",
            {"name": "新名称", "short_name": ""},
            "short_name",
        ),
    ],
)
def test_renaming_to_empty_is_refused_keeping_the_other_field(admin, path, form, field):
    """An empty name: the message on it, the other field as typed, nothing changed."""
    response = admin.post(path, data=form)
    assert response.status_code == 200
    page = text(response)
    assert field_error(page, field) == "请输入名称，不能只填空格。"
    for value in form.values():
        if value.strip():
            assert f'value="{value}"' in page
    assert events() == []
    assert region(STREET).name == "大智街道"
    assert unit("committee", "420102002001-tw").short_name == "工农兵"


@pytest.mark.parametrize(
    ("path", "back"),
    [
        ("/admin/regions/grids/new", "/admin/regions"),
        (f"/admin/regions/grids/new?parent={COMMUNITY}", f"/admin/regions?open={COMMUNITY}"),
        ("/admin/committees/new", "/admin/regions"),
        (f"/admin/regions/{STREET}/name", f"/admin/regions?open={STREET}"),
        (COMMITTEE_PAGE + "/name", f"/admin/regions?open={COMMUNITY}"),
    ],
)
def test_each_map_form_has_a_cancel_link_to_the_tree(admin, path, back):
    """取消 goes back to the tree, opened where the form was opened from, without saving."""
    page = text(admin.get(path))
    assert re.search(rf'<a class="btn btn-outline-secondary" href="{re.escape(back)}[#"]', page)


def test_unknown_regions_and_committees_answer_404(admin):
    """A code that does not exist."""
    assert admin.get("/admin/regions/999/name").status_code == 404
    assert admin.get("/admin/committees/none-tw/name").status_code == 404


# ------------------------------------------------------------------------ other roles


@pytest.mark.parametrize("username", OTHER_ROLES)
@pytest.mark.parametrize(
    ("method", "path", "form"),
    [
        ("get", "/admin/regions", None),
        ("get", "/admin/regions/grids/new", None),
        ("post", "/admin/regions/grids/new", {"parent": COMMUNITY, "name": "越权", "code": ""}),
        ("get", "/admin/committees/new", None),
        ("post", "/admin/committees/new", {"region": STREET, "name": "越权", "short_name": "越"}),
        ("post", f"/admin/regions/{STREET}/name", {"name": "越权"}),
        ("post", "/admin/committees/420102002001-tw/name", {"name": "越权", "short_name": "越"}),
    ],
)
def test_other_roles_may_not_see_or_change_the_map(login, username, method, path, form):
    """Every other role gets 403 and nothing changes."""
    client = carry_csrf(login(username))
    response = client.get(path) if method == "get" else client.post(path, data=form)
    assert response.status_code == 403
    assert events() == []
    assert region(STREET).name == "大智街道"
    assert region(f"{COMMUNITY}04") is None


@pytest.mark.parametrize("username", OTHER_ROLES)
def test_other_roles_have_no_map_link(login, username):
    """The navigation offers 区域与调委会 to the admin only."""
    assert "/admin/regions" not in text(login(username).get("/cases"))


def test_the_operations_refuse_a_non_admin_directly(app):
    """The operations ask the policy themselves (403), whoever calls them."""
    from mediation.admin.regions import add_grid, rename_region
    from mediation.errors import Forbidden

    worker = find_user("grid_demo")
    with app.test_request_context(), pytest.raises(Forbidden):
        add_grid(worker, {"parent": COMMUNITY, "name": "越权"})
    with app.test_request_context(), pytest.raises(Forbidden):
        rename_region(worker, region(STREET), {"name": "越权"})
    assert events() == []
