"""The home page: each role's work queue grouped by the next step in the order of the work,
each group by deadline and paged; a street's committees; the admin's overview; the menu."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from mediation.cases import queue
from mediation.cases.queue import committee_summary
from mediation.extensions import db
from mediation.models import Case, Committee, Region, User
from tests.factories import (
    COURT,
    DEMO_USER,
    GRID,
    NEIGHBOUR_GRID,
    OTHER_COMMUNITY_GRID,
    OTHER_COURT,
    OTHER_DISTRICT_GRID,
    STEP,
    STREET,
    beijing,
    gen_case,
    gen_visit,
    signed_draft,
)


def registered(title: str, who: str = "grid_demo", grid: str = GRID) -> Case:
    """A dispute registered just now, waiting to be accepted."""
    return gen_case(who, grid=grid, now=datetime.now(UTC), title=title)


def accepted(title: str, mediator: str = "mediator_demo", days_ago: float = 0) -> Case:
    """A dispute on grid_demo's grid that mediator accepted some days ago, which started its
    seven-day grid clock then."""
    moment = datetime.now(UTC) - timedelta(days=days_ago) - STEP
    return gen_case("grid_demo", "grid_mediation", now=moment, mediator=mediator, title=title)


def sent_to_court(mediator: str, grid: str, court: str, title: str) -> Case:
    """A case whose effective agreement the parties asked a court to confirm."""
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    return gen_case(mediator, "confirmation_requested", grid, an_hour_ago, court=court, title=title)


def queue_ids(page: str) -> list[int]:
    """The case ids of the home page's queue, in order."""
    queue = page[page.index('data-testid="queue"') :]
    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', queue)]


def groups(page: str) -> list[tuple[str, list[int]]]:
    """The queue's groups shown, in order, each with its case ids in order."""
    sections = re.findall(r'data-group="(\w+)"(.*?)</section>', page, re.S)
    return [
        (key, [int(i) for i in re.findall(r'data-case-id="(\d+)"', body)]) for key, body in sections
    ]


def counts(page: str) -> dict[str, int]:
    """The count on each group's button above the queue, by group key."""
    found = re.findall(
        r'data-testid="group-count-(\w+)">[^<]*<span class="badge[^"]*">(\d+)<', page
    )
    return {key: int(n) for key, n in found}


def home(client, query: str = "") -> str:
    """The home page's HTML."""
    response = client.get("/" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_grid_worker_queue_is_grouped_new_disputes_first(login, app, monkeypatch):
    """待受理 first, then the grid cases to mediate nearest deadline first, then the visits; a
    case in street mediation, a draft to sign and a closed case are not hers to act on."""
    monkeypatch.setitem(app.config, "TIME_LIMITS", {"intake_working_days": False})
    waiting = registered("尚未受理的纠纷")
    later = accepted("昨天受理的纠纷", days_ago=1)
    sooner = accepted("六天前受理的纠纷", days_ago=6)
    effective = gen_case(status="agreement_effective", title="协议已生效的纠纷")
    for status in ("street_mediation", "agreement_drafted", "closed", "confirmation_requested"):
        gen_case(status=status)
    page = home(login("grid_demo"))
    assert groups(page) == [
        ("accept", [waiting.id]),
        ("mediate", [sooner.id, later.id]),
        ("visit", [effective.id]),
    ]
    assert counts(page) == {"accept": 1, "mediate": 2, "visit": 1}
    assert f'href="/cases/{sooner.id}"' in page
    assert 'data-clock="soon"' in page and "网格调处期限" in page and "受理期限" in page
    assert 'data-testid="intake-button"' in page and 'href="/cases/new"' in page


def test_mediator_queue_follows_the_work_from_intake_to_closing(login):
    """Each of her cases in the group of its next step: accept, mediate, sign, seal (every
    signature in), visit, close (performance recorded); nearest deadline first in each."""
    intake = registered("待受理的纠纷")
    old_mediation = gen_case(status="grid_mediation", title="五月受理的纠纷")
    new_mediation = accepted("今天受理的纠纷")
    unsigned = gen_case(status="agreement_drafted")
    signed = signed_draft()
    effective = gen_case(status="agreement_effective")
    visited = gen_case(status="agreement_effective")
    gen_visit(visited)
    confirmed = gen_case(status="confirmed")
    page = home(login("mediator_demo"))
    assert groups(page) == [
        ("accept", [intake.id]),
        ("mediate", [old_mediation.id, new_mediation.id]),
        ("sign", [unsigned.id]),
        ("seal", [signed.id]),
        ("visit", [effective.id, confirmed.id]),
        ("close", [visited.id]),
    ]
    assert counts(page) == {"accept": 1, "mediate": 2, "sign": 1, "seal": 1, "visit": 2, "close": 1}
    assert 'data-testid="queue-count">8件' in page


def test_mediator_queue_holds_her_cases_and_unassigned_ones(login):
    """A case given to the street officer is not in the community mediator's queue."""
    unassigned = registered("待指派的纠纷")
    hers = accepted("由我承办的纠纷")
    others = accepted("街道承办的纠纷", "street_demo")
    page = home(login("mediator_demo"))
    assert set(queue_ids(page)) == {unassigned.id, hers.id}
    assert others.id not in queue_ids(page)
    assert "登记纠纷" in page


def test_seal_waits_for_whoever_holds_the_committee_seal(login):
    """A fully signed draft of a community committee waits for its mediators' seal, not the
    street officer's; one of the street's committee waits for the street officer."""
    community = signed_draft(title="社区调委会的协议")
    street = signed_draft(title="街道调委会的协议")
    street_committee = db.session.scalar(
        sa.select(Committee.id).join(Region).where(Region.code == STREET)
    )
    db.session.execute(
        sa.update(Case).where(Case.id == street.id).values(committee_id=street_committee)
    )
    db.session.commit()
    assert ("seal", [community.id]) in groups(home(login("mediator_demo")))
    officer = dict(groups(home(login("street_demo"))))
    assert officer.get("seal") == [street.id]
    assert community.id not in queue_ids(home(login("street_demo")))


def test_street_officer_assigns_escalated_cases_and_sees_her_street(login):
    """待指派 holds the escalated cases still with their community's mediator; once a street
    mediator has one it is to mediate. Cases of another district never show."""
    intake = registered("街道辖区新登记的纠纷", "street_demo", OTHER_COMMUNITY_GRID)
    escalated = gen_case(status="street_mediation", title="上报街道的纠纷")
    taken = gen_case("street_demo", "street_mediation", title="街道承办的纠纷")
    grid_case = accepted("社区调处中的纠纷")
    registered("武昌的纠纷", "mediator_other", OTHER_DISTRICT_GRID)
    page = home(login("street_demo"))
    assert groups(page) == [
        ("accept", [intake.id]),
        ("dispatch", [escalated.id]),
        ("mediate", [taken.id, grid_case.id]),
    ]
    assert counts(page)["dispatch"] == 1


def test_groups_are_paged_with_exact_counts(login, monkeypatch):
    """Each group shows one page, nearest deadline first, with its whole count; its page
    links keep the other groups where they are; a page past the end shows the last."""
    monkeypatch.setattr(queue, "PER_PAGE", 2)
    intakes = [registered(f"待受理{n}") for n in range(3)]
    mediations = [accepted(f"调处中{n}", days_ago=n) for n in range(3)]
    mediations.reverse()
    client = login("mediator_demo")
    page = home(client)
    assert groups(page) == [
        ("accept", [c.id for c in intakes[:2]]),
        ("mediate", [c.id for c in mediations[:2]]),
    ]
    assert counts(page) == {"accept": 3, "mediate": 3, "sign": 0, "seal": 0, "visit": 0, "close": 0}
    assert "第1页，共2页" in page and 'href="/?accept_page=2#group-accept"' in page
    second = home(client, "?accept_page=2&mediate_page=2")
    assert groups(second) == [("accept", [intakes[2].id]), ("mediate", [mediations[2].id])]
    assert 'href="/?accept_page=1&amp;mediate_page=2#group-accept"' in second
    assert groups(home(client, "?accept_page=9"))[0] == ("accept", [intakes[2].id])
    assert groups(home(client, "?accept_page=x"))[0] == ("accept", [c.id for c in intakes[:2]])


def test_overdue_case_is_marked_red_and_counted(login):
    """A case past its grid deadline (not yet swept) shows the red badge, and its group says
    how many of its cases are overdue."""
    accepted("逾期未调处的纠纷", days_ago=9)
    accepted("刚受理的纠纷")
    page = home(login("grid_demo"))
    assert 'data-clock="overdue"' in page and "已超期" in page
    assert 'data-testid="group-overdue">其中已超期1件' in page


@pytest.mark.parametrize("username", ["grid_demo", "mediator_demo", "street_demo"])
def test_no_group_shows_a_case_outside_her_jurisdiction(login, username):
    """Cases of another district, in every state a group holds, never show in any group."""
    mine = gen_case(status="agreement_effective")
    elsewhere = []
    for status in ("intake", "grid_mediation", "street_mediation", "agreement_drafted"):
        elsewhere.append(gen_case("mediator_other", status, OTHER_DISTRICT_GRID))
    elsewhere.append(signed_draft("mediator_other", grid=OTHER_DISTRICT_GRID))
    elsewhere.append(gen_case("mediator_other", "agreement_effective", OTHER_DISTRICT_GRID))
    visited = gen_case("mediator_other", "agreement_effective", OTHER_DISTRICT_GRID)
    gen_visit(visited, "mediator_other")
    ids = queue_ids(home(login(username)))
    assert mine.id in ids
    assert not {c.id for c in [*elsewhere, visited]} & set(ids)


def test_grid_worker_does_not_see_the_neighbouring_grid(login):
    """A grid worker's groups hold her own grid's cases only."""
    neighbour = registered("隔壁网格的纠纷", "mediator_demo", NEIGHBOUR_GRID)
    own = registered("本网格的纠纷")
    ids = queue_ids(home(login("grid_demo")))
    assert own.id in ids and neighbour.id not in ids


def test_street_officer_sees_each_committee_at_a_glance(login):
    """Per committee of her street, on 15 June: open cases, overdue ones, and agreements
    effective this month; concluded cases, May's agreements and other districts' cases are
    not counted."""
    with time_machine.travel(beijing(2026, 6, 15, 12), tick=False):
        accepted("在办且未超期")
        accepted("在办已超期", days_ago=9)
        gen_case(status="closed")
        may = gen_case(status="agreement_effective", now=beijing(2026, 5, 31, 9))
        june = gen_case(status="agreement_effective", now=beijing(2026, 6, 1, 9))
        registered("天声街社区的纠纷", "street_demo", OTHER_COMMUNITY_GRID)
        registered("武昌的纠纷", "mediator_other", OTHER_DISTRICT_GRID)
        page = home(login("street_demo"))
    assert (may.effective_on.month, june.effective_on.month) == (5, 6)
    rows = re.findall(
        r'data-committee="([\w-]+)">.*?committee-open">(\d+)<.*?committee-overdue">(\d+)<'
        r'.*?committee-settled">(\d+)<',
        page,
        re.S,
    )
    assert rows == [
        ("420102002-tw", "0", "0", "0"),
        ("420102002001-tw", "4", "1", "1"),
        ("420102002002-tw", "1", "0", "0"),
    ]
    assert 'data-testid="committees"' not in home(login("mediator_demo"))


def test_this_month_is_china_s_month(app):
    """An agreement effective late on 31 May in China counts for May, not for June, though
    both moments below are 31 May in UTC."""
    case = gen_case(status="agreement_effective", now=beijing(2026, 5, 31, 23, 0))
    assert case.effective_on.isoformat() == "2026-05-31"
    officer = db.session.scalar(sa.select(User).where(User.username == "street_demo"))

    def settled(now):
        return {f.committee.code: f.settled for f in committee_summary(officer, now)}

    assert settled(beijing(2026, 5, 31, 23, 59))["420102002001-tw"] == 1
    assert settled(beijing(2026, 6, 1, 0, 30))["420102002001-tw"] == 0


def test_judge_sees_confirmation_applications_for_her_court(login):
    """Her home is her workbench: only applications sent to her court, each a link to the
    court's page of the case; no intake button for a judge."""
    mine = sent_to_court("mediator_demo", GRID, COURT, "江岸的确认申请")
    sent_to_court("mediator_other", OTHER_DISTRICT_GRID, OTHER_COURT, "武昌的确认申请")
    registered("尚未调解的纠纷")
    page = home(login("judge_demo"))
    assert "送达本院的司法确认申请" in page
    assert "待决定受理" in page and "待裁定" in page
    assert re.findall(r'data-case-id="(\d+)"', page) == [str(mine.id)]
    assert f'href="/court/cases/{mine.id}"' in page and "江岸的确认申请" in page
    awaiting = page[page.index('data-testid="queue-confirmation_requested"') :]
    assert f'data-case-id="{mine.id}"' in awaiting[: awaiting.index("</section>")]
    assert 'data-testid="intake-button"' not in page


def test_empty_queue_says_so(login):
    """Nothing waiting: a calm sentence, not an empty table."""
    page = home(login("mediator_other"))
    assert 'data-testid="queue-empty"' in page and "暂无待办案件" in page


def test_admin_sees_counts_by_status_and_overdue(login):
    """The overview counts cases per state and the overdue ones, each linking to the list."""
    registered("待受理")
    registered("待受理二", "mediator_other", OTHER_DISTRICT_GRID)
    overdue = accepted("超期", days_ago=9)
    db.session.execute(sa.update(Case).where(Case.id == overdue.id).values(overdue=True))
    db.session.commit()
    page = home(login("admin_demo"))
    intake = page[page.index('data-testid="count-intake"') :]
    assert re.search(r"待受理</div>\s*<div[^>]*>2</div>", intake)
    mediation = page[page.index('data-testid="count-grid_mediation"') :]
    assert re.search(r"网格调处</div>\s*<div[^>]*>1</div>", mediation)
    overdue_card = page[page.index('data-testid="count-overdue"') :]
    assert re.search(r"已超期</div>\s*<div[^>]*>1</div>", overdue_card)
    assert 'href="/cases/?overdue=true"' in page and 'href="/cases/?status=closed"' in page
    assert 'href="/admin/users"' in page and 'href="/admin/workflow"' in page
    assert 'data-testid="queue"' not in page


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("grid_worker", ["案件列表", "登记纠纷"], ["用户管理", "流程图"]),
        ("mediator", ["案件列表", "登记纠纷"], ["用户管理", "流程图"]),
        ("street_officer", ["案件列表", "登记纠纷"], ["用户管理", "流程图"]),
        ("judge", ["案件列表"], ["登记纠纷", "用户管理", "流程图"]),
        ("admin", ["案件列表", "用户管理", "流程图"], ["登记纠纷"]),
    ],
)
def test_menu_offers_what_the_role_may_open(login, role, shown, hidden):
    """案件列表 for all, 登记纠纷 for the intake roles, 用户管理 and 流程图 for the admin."""
    page = home(login(DEMO_USER[role]))
    menu = page[page.index('id="mainnav"') : page.index('data-testid="whoami"')]
    for label in shown:
        assert f">{label}</a>" in menu
    for label in hidden:
        assert f">{label}</a>" not in menu
