"""Reading cases through the API: the list (GET /cases) with its filters and pages, a case
(GET /cases/<id>) and its history (GET /cases/<id>/history)."""

import json
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from mediation.cases import queries
from mediation.extensions import db
from mediation.models import Case
from tests.api_client import create, drafted, effective, error, fire, history, ok, show, sign
from tests.builders import applicant, respondent
from tests.factories import GRID, OTHER_COMMUNITY_GRID, OTHER_DISTRICT_GRID, STREET


@pytest.fixture
def street_cases(api):
    """Four cases in 大智街道: three on grid_demo's grid, one in another community.

    The contract dispute is accepted; the first neighbour dispute is overdue.
    """
    first = create(api, title="楼上漏水纠纷")
    contract = create(
        api,
        title="装修合同尾款纠纷",
        category="contract",
        parties=[
            applicant(name="周小明"),
            respondent(),
        ],
    )
    third = create(api, title="噪音扰民纠纷", amount=None)
    other = create(api, "street_demo", title="停车位纠纷", grid=OTHER_COMMUNITY_GRID)
    fire(api, "mediator_demo", contract, "accept", mediator="mediator_demo")
    past = datetime(2026, 1, 1, tzinfo=UTC)
    overdue = {"overdue": True, "deadline_at": past}
    db.session.execute(sa.update(Case).where(Case.id == first["id"]).values(**overdue))
    db.session.commit()
    return {"first": first, "contract": contract, "third": third, "other": other}


def listed(api, user: str = "street_demo", **args) -> dict:
    """The list with these query arguments."""
    return ok(api.get(user, "/cases", query_string=args))


def ids(page: dict) -> set[int]:
    """The case ids on a page."""
    return {item["id"] for item in page["items"]}


def test_list_is_scoped_and_newest_first(api, street_cases):
    """The street sees all four, the grid worker her grid, others nothing."""
    page = listed(api)
    assert (page["total"], page["page"], page["per_page"]) == (4, 1, 20)
    assert [item["title"] for item in page["items"]] == [
        "停车位纠纷",
        "噪音扰民纠纷",
        "装修合同尾款纠纷",
        "楼上漏水纠纷",
    ]
    assert listed(api, "grid_demo")["total"] == 3
    assert listed(api, "mediator_other")["total"] == 0
    assert listed(api, "judge_demo")["total"] == 0
    assert listed(api, "admin_demo")["total"] == 4
    item = page["items"][1]
    assert item["available_triggers"] == ["accept", "decline", "withdraw"]
    assert item["amount"] is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"status": "intake"}, {"first", "third", "other"}),
        ({"status": "grid_mediation"}, {"contract"}),
        ({"status": "closed"}, set()),
        ({"category": "contract"}, {"contract"}),
        ({"category": "neighbor", "status": "intake"}, {"first", "third", "other"}),
        ({"region": GRID}, {"first", "contract", "third"}),
        ({"region": OTHER_COMMUNITY_GRID}, {"other"}),
        ({"region": STREET}, {"first", "contract", "third", "other"}),
        ({"region": OTHER_DISTRICT_GRID}, set()),
        ({"region": "nowhere"}, set()),
        ({"overdue": "true"}, {"first"}),
        ({"overdue": "false"}, {"contract", "third", "other"}),
        ({"q": "装修"}, {"contract"}),
        ({"q": "周小明"}, {"contract"}),
        ({"q": "李秀英"}, {"first", "contract", "third", "other"}),
        ({"q": "没有这个词"}, set()),
        ({"q": ""}, {"first", "contract", "third", "other"}),
    ],
)
def test_list_filters(api, street_cases, args, expected):
    """Status, category, region (a subtree), overdue and free text narrow the list."""
    page = listed(api, **args)
    assert ids(page) == {street_cases[name]["id"] for name in expected}
    assert page["total"] == len(expected)


@pytest.mark.parametrize("few_regions", [0, queries.FEW_REGIONS], ids=["subquery", "named"])
def test_late_cases_are_those_of_the_jurisdiction_either_way(
    api, street_cases, monkeypatch, few_regions
):
    """The overdue filter reads a street's or a committee's regions named in its statement on
    PostgreSQL (queries._scope), a city's through a subquery: the same late cases either
    way, for every user, and none from beyond her jurisdiction."""
    monkeypatch.setattr(queries, "FEW_REGIONS", few_regions)
    elsewhere = create(api, "mediator_other", title="武昌区的漏水纠纷", grid=OTHER_DISTRICT_GRID)
    late = [street_cases["first"]["id"], street_cases["other"]["id"], elsewhere["id"]]
    past = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.execute(sa.update(Case).where(Case.id.in_(late)).values(deadline_at=past))
    db.session.commit()
    first, other, far = late
    expected = {
        "grid_demo": {first},
        "mediator_demo": {first},
        "street_demo": {first, other},
        "mediator_other": {far},
        "admin_demo": {first, other, far},
        "judge_demo": set(),
    }
    for user, cases in expected.items():
        page = listed(api, user, overdue="true")
        assert (ids(page), page["total"]) == (cases, len(cases)), user


def test_list_names_each_case_clock(api, street_cases):
    """deadline_at comes with the clock it belongs to: 受理期限 before acceptance, the grid's
    after it."""
    clocks = {item["title"]: item["clock"] for item in listed(api)["items"]}
    assert clocks["噪音扰民纠纷"] == "intake" and clocks["装修合同尾款纠纷"] == "grid"


def test_list_finds_a_case_by_its_number(api, street_cases):
    """The case number is searchable."""
    number = street_cases["third"]["number"]
    assert ids(listed(api, q=number)) == {street_cases["third"]["id"]}


def test_list_pages(api, street_cases):
    """per_page and page cut the newest-first list; past the end is an empty page."""
    pages = [listed(api, per_page=1, page=n) for n in (1, 2, 3, 4, 5)]
    assert [len(p["items"]) for p in pages] == [1, 1, 1, 1, 0]
    assert all(p["total"] == 4 and p["per_page"] == 1 for p in pages)
    assert len(set().union(*(ids(p) for p in pages))) == 4
    assert len(listed(api, per_page=3, page=2)["items"]) == 1
    assert len(listed(api, per_page=100)["items"]) == 4


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"category": "gossip"}, "category"),
        ({"overdue": "maybe"}, "overdue"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "many"}, "per_page"),
        ({"q": "漏\x00水"}, "q"),
        ({"region": "\x00"}, "region"),
    ],
)
def test_bad_list_arguments_get_400(api, street_cases, args, field):
    """Each bad filter or paging argument is named."""
    refusal = error(api.get("street_demo", "/cases", query_string=args), 400, "invalid_input")
    assert field in json.dumps(refusal.get("fields", {})) or field in refusal["message"]


@pytest.mark.parametrize("path", ["/cases/0", "/cases/99999999999999999999", "/cases/abc"])
def test_case_ids_that_cannot_exist_are_not_found(api, path):
    """Zero, ids beyond 32 bits and non-numbers are 404, never a database error."""
    error(api.get("street_demo", path), 404)
    error(api.get("street_demo", f"{path}/history"), 404)


# ---------------------------------------------------------------------------- history


def test_history_is_ordered_and_hash_linked(api):
    """Events come oldest first, numbered from 1, each prev_hash the previous event's hash."""
    case = drafted(api)
    ok(sign(api, "mediator_demo", case, "mediator"), 201)
    events = history(api, "street_demo", case)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["action"] for e in events] == [
        "create",
        "accept",
        "session",
        "draft_agreement",
        "sign",
    ]
    assert events[0]["prev_hash"] is None
    for previous, event in zip(events, events[1:], strict=False):
        assert event["prev_hash"] == previous["hash"]
        assert datetime.fromisoformat(event["at"]) >= datetime.fromisoformat(previous["at"])
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["hash"]) for e in events)
    accept = events[1]
    assert (accept["actor"], accept["actor_role"]) == ("mediator_demo", "mediator")
    assert (accept["from"], accept["to"]) == ("intake", "grid_mediation")
    assert accept["payload"] == {"mediator": "mediator_demo"}
    assert events[0]["actor"] == "grid_demo"


def test_the_sealing_mediator_is_the_actor_of_make_effective(api):
    """The seal fires make_effective as the mediator who applied it, with the file's hash."""
    case = effective(api)
    event = history(api, "mediator_demo", case)[-1]
    assert (event["action"], event["actor"], event["actor_role"]) == (
        "make_effective",
        "mediator_demo",
        "mediator",
    )
    sealed = show(api, "mediator_demo", case)["agreement"]["sealed"]
    assert event["payload"]["sha256"] == sealed["sha256"]
