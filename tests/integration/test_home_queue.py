"""The home page: each role's work queue sorted by deadline, the admin's overview, the menu."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Case
from tests.factories import (
    COURT,
    DEMO_USER,
    GRID,
    OTHER_COURT,
    OTHER_DISTRICT_GRID,
    STEP,
    gen_case,
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


def home(client) -> str:
    """The home page's HTML."""
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_grid_worker_queue_is_sorted_by_deadline(login, app, monkeypatch):
    """Soonest deadline first, whichever its clock (a registered case's 受理期限, here three
    calendar days; an accepted one's 网格调处期限), each a link to the case."""
    monkeypatch.setitem(app.config, "TIME_LIMITS", {"intake_working_days": False})
    waiting = registered("尚未受理的纠纷")
    later = accepted("昨天受理的纠纷", days_ago=1)
    sooner = accepted("六天前受理的纠纷", days_ago=6)
    page = home(login("grid_demo"))
    assert queue_ids(page) == [sooner.id, waiting.id, later.id]
    assert f'href="/cases/{sooner.id}"' in page
    assert 'data-clock="soon"' in page and "网格调处期限" in page and "受理期限" in page
    assert 'data-testid="intake-button"' in page and 'href="/cases/new"' in page


def test_overdue_case_is_marked_red_in_the_queue(login):
    """A case past its grid deadline (not yet swept) shows the red badge."""
    accepted("逾期未调处的纠纷", days_ago=9)
    page = home(login("grid_demo"))
    assert 'data-clock="overdue"' in page and "已超期" in page


def test_mediator_queue_holds_her_cases_and_unassigned_ones(login):
    """A case given to the street officer is not in the community mediator's queue."""
    unassigned = registered("待指派的纠纷")
    hers = accepted("由我承办的纠纷")
    others = accepted("街道承办的纠纷", "street_demo")
    page = home(login("mediator_demo"))
    assert set(queue_ids(page)) == {unassigned.id, hers.id}
    assert others.id not in queue_ids(page)
    assert "登记纠纷" in page


def test_street_officer_queue_covers_her_street(login):
    """Every open case of the street waiting for a step she may take."""
    case = accepted("街道辖区纠纷")
    elsewhere = registered("武昌的纠纷", "mediator_other", OTHER_DISTRICT_GRID)
    ids = queue_ids(home(login("street_demo")))
    assert case.id in ids and elsewhere.id not in ids


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
