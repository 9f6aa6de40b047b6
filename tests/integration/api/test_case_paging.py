"""The case list paged by key: pages never skip or repeat a case, even while cases are added
between them; walking back gives the same pages; bad cursors are refused; big counts stop."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation.access.scoping import case_clause
from mediation.cases import paging
from mediation.cases.queries import SORTS, CaseFilters, list_cases
from mediation.extensions import db
from mediation.models import Case
from tests.factories import GRID, NEIGHBOUR_GRID, OTHER_COMMUNITY_GRID, T0, gen_case, user
from tests.pages import text

# Every case's title holds it: a search that finds them all.
SEARCH = "邻里"
CLERKS = {GRID: "grid_demo", NEIGHBOUR_GRID: "mediator_demo", OTHER_COMMUNITY_GRID: "street_demo"}
# Few moments, so that many cases share a received time (the key's id breaks the tie); the
# statuses give some a deadline and leave others without (withdrawn).
MOMENTS = [T0 + timedelta(minutes=m) for m in (0, 0, 5, 5, 5, 9)]
STATUSES = ("intake", "withdrawn", "grid_mediation")

new_cases = st.lists(
    st.tuples(st.sampled_from(list(CLERKS)), st.sampled_from(MOMENTS), st.sampled_from(STATUSES)),
    max_size=2,
)


def add(grid: str, moment, status: str) -> int:
    """Register a case on grid at moment, driven to status; its id."""
    case = gen_case(CLERKS[grid], status, grid, moment, title="邻里纠纷")
    db.session.commit()
    return case.id


@pytest.fixture
def cases() -> None:
    """Eleven cases on three grids of 大智街道, with shared times and missing deadlines."""
    for n in range(11):
        add(list(CLERKS)[n % 3], MOMENTS[n % len(MOMENTS)], STATUSES[n % len(STATUSES)])


def visible_ids(username: str) -> set[int]:
    """Every case the user may see now."""
    return set(db.session.scalars(sa.select(Case.id).where(case_clause(user(username)))))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sort=st.sampled_from(sorted(SORTS)),
    per_page=st.integers(1, 4),
    username=st.sampled_from(["street_demo", "admin_demo", "grid_demo"]),
    added=st.lists(new_cases, min_size=12, max_size=12),
    q=st.sampled_from([None, SEARCH]),
)
def test_walking_the_pages_neither_skips_nor_repeats(cases, sort, per_page, username, added, q):
    """Walking forward by next_cursor while cases are added between pages, every case there at
    the start is seen exactly once, and no case is seen twice; so for a search, which counts
    every match on each page (on PostgreSQL, paging.counted_page). (The cases of earlier
    examples stay: later ones walk longer lists.)"""
    there_at_start = visible_ids(username)
    seen = []
    result = list_cases(user(username), CaseFilters(sort=sort, q=q), 1, per_page)
    batches = iter(added)
    while True:
        seen += [case.id for case in result.items]
        if result.next_cursor is None:
            break
        for new in next(batches, []):
            add(*new)
        filters = CaseFilters(sort=sort, q=q, cursor=result.next_cursor)
        result = list_cases(user(username), filters, 1, per_page)
        if q:
            assert result.total_exact and result.total == len(visible_ids(username))
    assert len(seen) == len(set(seen))
    assert there_at_start <= set(seen)


@pytest.mark.parametrize("q", [None, SEARCH])
@pytest.mark.parametrize("sort", sorted(SORTS))
def test_walking_back_gives_the_same_pages(cases, sort, q):
    """prev_cursor from the last page leads back through the same pages to the first."""
    forward = [list_cases(user("street_demo"), CaseFilters(sort=sort, q=q), 1, 3)]
    while forward[-1].next_cursor:
        filters = CaseFilters(sort=sort, q=q, cursor=forward[-1].next_cursor)
        forward.append(list_cases(user("street_demo"), filters, 1, 3))
    assert len(forward) == 4 and forward[0].prev_cursor is None
    assert {page.total for page in forward} == {11}
    back = [forward[-1]]
    while back[-1].prev_cursor:
        filters = CaseFilters(sort=sort, q=q, cursor=back[-1].prev_cursor)
        back.append(list_cases(user("street_demo"), filters, 1, 3))
    ids = [[case.id for case in page.items] for page in forward]
    assert [[case.id for case in page.items] for page in reversed(back)] == ids
    assert back[-1].page == 1  # back at the start: the numbered first page


@pytest.mark.parametrize("q", [None, SEARCH])
def test_a_page_past_the_last_is_empty_and_still_counts(cases, q):
    """A page number past the end shows no case, and the count of all the cases found."""
    result = list_cases(user("street_demo"), CaseFilters(q=q), 9, 3)
    assert result.items == [] and result.total == 11 and result.total_exact
    assert result.next_cursor is None


def test_the_list_page_links_by_number_then_by_cursor(login, cases):
    """The first pages are linked by number; past them, 下一页 carries a cursor that the page
    follows, and 上一页 leads back."""
    client = login("street_demo")
    first = text(client.get("/cases/?per_page=2"))
    assert "共 11 件" in first and "第 1 / 6 页" in first
    assert 'href="/cases/?page=2&amp;per_page=2"' in first
    fifth = text(client.get("/cases/?per_page=2&page=5"))
    older = re.search(r'data-testid="older" href="([^"]+)"', fifth).group(1).replace("&amp;", "&")
    assert "cursor=" in older
    sixth = text(client.get(older))
    assert "共 11 件" in sixth and "第 " not in sixth.split('data-testid="total"')[1][:80]
    assert len(re.findall(r'data-case-id="', sixth)) == 1
    assert 'data-testid="older" aria-disabled="true"' in sixth
    newer = re.search(r'data-testid="newer" href="([^"]+)"', sixth).group(1).replace("&amp;", "&")
    assert re.findall(r'data-case-id="(\d+)"', text(client.get(newer))) == re.findall(
        r'data-case-id="(\d+)"', fifth
    )


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "eyJ4Ijox",
        paging.Cursor("number", "a", (1, 2026, 3)).encode(),
        paging.Cursor("received", "x", (T0, 1)).encode(),
    ],
)
def test_a_bad_cursor_answers_400(login, api, cases, cursor):
    """Not a cursor, one of another order, or one with a wrong direction: 400 naming it."""
    response = login("street_demo").get(f"/cases/?cursor={cursor}")
    assert response.status_code == 400 and "翻页位置无效" in text(response)
    answer = api.get("street_demo", "/cases", query_string={"cursor": cursor})
    assert answer.status_code == 400 and "cursor" in answer.get_json()["error"]["fields"]


def test_a_big_count_stops_at_the_cap(login, api, cases, monkeypatch):
    """Beyond the cap the page says N+ or 约 N and the API says its total is an estimate."""
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    page = text(login("street_demo").get("/cases/"))
    assert re.search(r"(4\+ 件|约 [0-9,]+ 件)", page) and "共 11 件" not in page
    body = api.get("street_demo", "/cases", query_string={"per_page": 3}).get_json()
    assert body["total_is_estimate"] is True and body["total_at_least"] == 5
    assert body["total"] >= 5 and body["next_cursor"] and body["prev_cursor"] is None
    small = api.get("grid_demo", "/cases", query_string={"status": "withdrawn"}).get_json()
    assert small["total_is_estimate"] is False and small["total"] == small["total_at_least"]


def test_the_api_walks_by_cursor(api, cases):
    """next_cursor pages the API list to its end, page is null on those pages."""
    seen, args = [], {"per_page": 4}
    while True:
        body = api.get("street_demo", "/cases", query_string=args).get_json()
        seen += [item["id"] for item in body["items"]]
        if not body["next_cursor"]:
            break
        args = {"per_page": 4, "cursor": body["next_cursor"]}
        assert body["total"] == 11
    assert body["page"] is None and len(seen) == len(set(seen)) == 11


def test_the_api_sorts_and_walks_each_order(api, cases):
    """sort is an API argument too; a cursor of one order walks that order, and a bad order
    answers 400."""
    for sort in sorted(SORTS):
        first = api.get("street_demo", "/cases", query_string={"sort": sort, "per_page": 6})
        body = first.get_json()
        args = {"sort": sort, "per_page": 6, "cursor": body["next_cursor"]}
        rest = api.get("street_demo", "/cases", query_string=args).get_json()
        everything = api.get("street_demo", "/cases", query_string={"sort": sort}).get_json()
        both = [item["id"] for item in body["items"] + rest["items"]]
        assert both == [item["id"] for item in everything["items"]]
    assert api.get("street_demo", "/cases", query_string={"sort": "title"}).status_code == 400
