"""The admin's user list: searched by name or username, filtered by role and unit, paged; the
user form's 取消 link."""

import re

import pytest

from mediation.admin import queries
from tests.builders import unit_choice
from tests.factories import gen_user
from tests.pages import text

ROW = re.compile(r'<tr data-testid="user-row">\s*<td><a href="/admin/users/\d+">([^<]+)</a>')


def listed(admin, **args) -> list[str]:
    """The usernames the list shows for these query arguments, in order."""
    response = admin.get("/admin/users", query_string=args)
    assert response.status_code == 200
    return ROW.findall(text(response))


def test_the_unfiltered_list_shows_every_account_by_role_then_username(admin):
    """No filter: the six demo accounts, grouped by role."""
    assert listed(admin) == [
        "admin_demo",
        "grid_demo",
        "judge_demo",
        "mediator_demo",
        "mediator_other",
        "street_demo",
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("mediator", ["mediator_demo", "mediator_other"]),  # part of the username
        ("李调解", ["mediator_demo"]),  # the name
        ("调解", ["mediator_demo", "mediator_other"]),  # part of the name
        ("  judge_demo  ", ["judge_demo"]),  # spaces around are ignored
        ("100%", []),  # % and _ are matched as themselves
        ("_demo", ["admin_demo", "grid_demo", "judge_demo", "mediator_demo", "street_demo"]),
    ],
)
def test_the_text_matches_a_part_of_the_username_or_the_name(admin, q, expected):
    """q finds accounts whose username or name contains it."""
    assert listed(admin, q=q) == expected


def test_the_role_filter_keeps_one_role(admin):
    """role=mediator lists the mediators only."""
    assert listed(admin, role="mediator") == ["mediator_demo", "mediator_other"]


def test_a_region_unit_lists_everyone_in_its_subtree(admin):
    """A district: its grid worker, street officer and its committees' mediators, not the
    other district's mediator nor the city's admin."""
    gen_user("grid_far", "grid_worker", region="42010600100101")
    district = unit_choice("region", "420102")
    assert listed(admin, unit=district) == ["grid_demo", "mediator_demo", "street_demo"]
    other = unit_choice("region", "420106")
    assert listed(admin, unit=other) == ["grid_far", "mediator_other"]


def test_a_committee_or_court_unit_lists_its_members(admin):
    """A court: its judges; a committee: its mediators."""
    assert listed(admin, unit=unit_choice("court", "420102-court")) == ["judge_demo"]
    committee = unit_choice("committee", "420106001001-tw")
    assert listed(admin, unit=committee) == ["mediator_other"]


def test_the_filters_combine_and_stay_in_the_form(admin):
    """Text, role and unit together narrow the list; the form shows what was chosen."""
    district = unit_choice("region", "420102")
    response = admin.get(
        "/admin/users", query_string={"q": "demo", "role": "mediator", "unit": district}
    )
    page = text(response)
    assert ROW.findall(page) == ["mediator_demo"]
    assert 'id="u-q" name="q" type="search" value="demo"' in page
    assert '<option value="mediator" selected>' in page
    assert f'<option value="{district}" selected>' in page
    assert "共 1 个用户" in page


def test_nothing_found_says_so(admin):
    """A search that matches nobody shows the empty message, not an empty table."""
    page = text(admin.get("/admin/users", query_string={"q": "nobody-here"}))
    assert 'data-testid="empty"' in page
    assert "没有符合条件的用户。" in page


@pytest.mark.parametrize(
    "args",
    [{"role": "king"}, {"unit": "region:999999"}, {"unit": "planet:1"}, {"page": "x"}],
)
def test_unknown_filters_are_dropped(admin, args):
    """An unknown role, a unit that does not exist or a bad page shows the whole list."""
    assert len(listed(admin, **args)) == 6


def test_a_long_list_is_paged_and_the_links_keep_the_filters(admin, monkeypatch):
    """Two to a page: three pages of the '_demo' accounts, each link carrying q."""
    monkeypatch.setattr(queries, "USERS_PER_PAGE", 2)
    first = text(admin.get("/admin/users", query_string={"q": "_demo"}))
    assert ROW.findall(first) == ["admin_demo", "grid_demo"]
    assert "第 1 / 3 页" in first
    assert 'href="/admin/users?page=2&amp;q=_demo"' in first
    assert listed(admin, q="_demo", page="3") == ["street_demo"]
    assert listed(admin, q="_demo", page="99") == ["street_demo"]  # past the end: the last


@pytest.mark.parametrize("path", ["/admin/users/new", "/admin/users/{id}"])
def test_the_user_form_has_a_cancel_link_back_to_the_list(admin, path):
    """New and edit forms: 取消 goes back to the list without saving."""
    colleague = gen_user("grid_x", "grid_worker", region="42010200200101")
    page = text(admin.get(path.format(id=colleague.id)))
    assert re.search(
        r'<a class="btn btn-outline-secondary" href="/admin/users"[^>]*>取消</a>', page
    )


@pytest.mark.parametrize("username", ["grid_demo", "mediator_demo", "street_demo", "judge_demo"])
def test_other_roles_may_not_list_users(login, username):
    """Only the admin reaches the user list, with or without filters."""
    client = login(username)
    assert client.get("/admin/users", query_string={"q": "demo"}).status_code == 403
