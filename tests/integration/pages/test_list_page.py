"""The case list (/cases/): filters, masked parties, deadline badges, pages, jurisdiction."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Case
from mediation.models.types import utcnow
from tests.factories import fire
from tests.pages import new_case, text


def test_case_list_filters_by_status_category_region_overdue_and_text(login):
    """Each filter narrows the list; the filter bar keeps the chosen values."""
    neighbours = new_case(title="邻里噪声纠纷", category="neighbor")
    contract = new_case(
        "mediator_demo", title="装修尾款纠纷", category="contract", grid="42010200200102"
    )
    accepted = fire(contract, "mediator_demo", "accept", mediator="mediator_demo")
    past = datetime(2026, 1, 1, tzinfo=UTC)
    late = {"overdue": True, "deadline_at": past}
    db.session.execute(sa.update(Case).where(Case.id == accepted.id).values(**late))
    db.session.commit()
    client = login("street_demo")

    def listed(query: str) -> set[str]:
        page = text(client.get(f"/cases/?{query}"))
        return set(re.findall(r'data-case-id="(\d+)"', page))

    both = {str(neighbours.id), str(contract.id)}
    assert listed("") == both
    assert listed("status=grid_mediation") == {str(contract.id)}
    assert listed("category=neighbor") == {str(neighbours.id)}
    assert listed("region=42010200200102") == {str(contract.id)}
    assert listed("region=420102002001") == both
    assert listed("overdue=true") == {str(contract.id)}
    assert listed("overdue=false") == {str(neighbours.id)}
    assert listed("q=噪声") == {str(neighbours.id)}
    assert listed("q=王芳") == both
    assert listed(f"q={neighbours.number}") == {str(neighbours.id)}
    page = text(client.get("/cases/?status=grid_mediation&q=装修"))
    assert '<option value="grid_mediation" selected>' in page
    assert 'value="装修"' in page
    assert "网格调处" in page and "已超期" in page


def test_case_list_shows_masked_parties_and_deadline_badges(login):
    """Phones are masked in the list; the running clock is named, and amber within two days."""
    case = new_case(status="grid_mediation")
    soon = utcnow() + timedelta(hours=30)
    db.session.execute(sa.update(Case).where(Case.id == case.id).values(deadline_at=soon))
    db.session.commit()
    page = text(login("mediator_demo").get("/cases/"))
    assert "139****4321" in page and "13987654321" not in page
    assert 'data-clock="soon"' in page and "网格调处期限" in page
    assert re.search(r"还剩[12]天", page)


def test_case_list_paginates(login):
    """Twenty cases a page, newest first, with links to the other pages."""
    for n in range(23):
        new_case(title=f"第{n}号邻里纠纷")
    client = login("grid_demo")
    first = text(client.get("/cases/"))
    assert len(re.findall(r'data-case-id="', first)) == 20
    assert "共 23 件" in first and "第 1 / 2 页" in first
    assert 'href="/cases/?page=2"' in first
    second = text(client.get("/cases/?page=2"))
    assert len(re.findall(r'data-case-id="', second)) == 3
    assert "第0号邻里纠纷" in second
    small = text(client.get("/cases/?per_page=5&page=3&category=contract"))
    assert len(re.findall(r'data-case-id="', small)) == 5
    assert "page=4" in small and "category=contract" in small


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lost", "所选的状态无效"),
        ("category=gossip", "所选的纠纷类型无效"),
        ("overdue=maybe", "期限筛选只能是“已超期”或“未超期”"),
        ("sort=title", "排序方式只能按受理时间、期限、案号"),
        ("page=0", "页码应为 1 至 1000000 之间的整数"),
        ("page=abc", "页码应为 1 至 1000000 之间的整数"),
        ("per_page=1000", "每页最多 100 条"),
        ("page=99999999999999999999", "页码应为 1 至 1000000 之间的整数"),
    ],
)
def test_case_list_with_a_bad_filter_answers_400(login, query, message):
    """A bad filter value gets the filter bar back and a message, not a crash."""
    response = login("street_demo").get(f"/cases/?{query}")
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'name="status"' in page


def listed_ids(client, query: str) -> list[int]:
    """The case ids the list shows for query, in their order on the page."""
    page = text(client.get(f"/cases/?{query}"))
    return [int(n) for n in re.findall(r'data-case-id="(\d+)"', page)]


def test_case_list_sorts_by_received_deadline_or_number(login):
    """Newest first by default; soonest deadline first with no clock last; register order."""
    first, second, third = (new_case(title=f"第{n}件") for n in range(3))
    soon, later = utcnow() + timedelta(days=2), utcnow() + timedelta(days=9)
    for case, deadline in ((first, later), (second, None), (third, soon)):
        db.session.execute(sa.update(Case).where(Case.id == case.id).values(deadline_at=deadline))
    db.session.commit()
    client = login("grid_demo")
    assert listed_ids(client, "") == [third.id, second.id, first.id]
    assert listed_ids(client, "sort=received") == [third.id, second.id, first.id]
    assert listed_ids(client, "sort=deadline") == [third.id, first.id, second.id]
    by_number = sorted((first, second, third), key=lambda c: (c.committee_id, c.year, c.serial))
    assert listed_ids(client, "sort=number") == [c.id for c in by_number]
    page = text(client.get("/cases/?sort=deadline"))
    assert '<option value="deadline" selected>' in page
    assert "排序：期限，最近在前" in page


def test_case_list_keeps_its_order_on_every_page(login):
    """The paging links carry the chosen order along with the filters."""
    for n in range(4):
        new_case(title=f"第{n}号邻里纠纷")
    client = login("grid_demo")
    page = text(client.get("/cases/?sort=number&per_page=2"))
    link = re.search(r'href="/cases/\?page=2&amp;([^"]+)"', page)
    assert link and set(link.group(1).split("&amp;")) == {"sort=number", "per_page=2"}
    ids = listed_ids(client, "sort=number&per_page=2") + listed_ids(
        client, "sort=number&per_page=2&page=2"
    )
    assert ids == listed_ids(client, "sort=number&per_page=4")


def test_case_list_only_shows_the_users_jurisdiction(login):
    """A case of another street is not listed."""
    new_case()
    page = text(login("mediator_other").get("/cases/"))
    assert "共 0 件" in page and "没有符合条件的案件" in page
