"""通知: a court's decisions reach the case's mediator as in-app notices, counted in the
navigation bar until she marks them read; nobody else sees them."""

import re

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Notice
from mediation.templating import china_time
from tests.factories import fire, reload, user
from tests.pages import carry_csrf, new_case, text

BADGE = re.compile(r'data-testid="unread-notices">(\d+)<')


def unread_badge(client) -> str | None:
    """The unread count the navigation bar shows on the home page, or None without a badge."""
    match = BADGE.search(text(client.get("/")))
    return match.group(1) if match else None


def notices_of(username: str) -> list[Notice]:
    """A user's notices, newest first."""
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.user_id == user(username).id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
        )
    )


def test_a_court_decision_reaches_the_mediators_navigation_and_notice_list(login):
    """The court accepts, then confirms: two unread notices, listed newest first with the case
    number and China time; reading the list marks nothing, 全部标为已读 does."""
    case = new_case(status="confirmation_requested")
    mediator = carry_csrf(login("mediator_demo"))
    assert unread_badge(mediator) is None
    fire(case, "judge_demo", "accept_application")
    fire(reload(case), "judge_demo", "confirm")

    home = text(mediator.get("/"))
    assert 'aria-label="2 条未读通知"' in home and BADGE.search(home).group(1) == "2"
    page = text(mediator.get("/notices/"))
    notices = notices_of("mediator_demo")
    assert [n.kind for n in notices] == ["confirm", "accept_application"]
    listed = [int(i) for i in re.findall(r'data-notice-id="(\d+)" data-unread="true"', page)]
    assert listed == [n.id for n in notices]
    for notice in notices:
        assert notice.text in page and china_time(notice.created_at) in page
    assert page.count(f'href="/cases/{case.id}">{case.number}</a>') == 2
    assert page.count(">未读<") == 2
    assert unread_badge(mediator) == "2"

    response = mediator.post("/notices/read")
    assert response.status_code == 302
    assert unread_badge(mediator) is None
    page = text(mediator.get("/notices/"))
    assert 'data-unread="true"' not in page and page.count(">已读<") == 2


def test_one_notice_can_be_marked_read(login):
    """标为已读 beside a notice marks that one only."""
    case = new_case(status="confirmation_requested")
    fire(case, "judge_demo", "accept_application")
    fire(reload(case), "judge_demo", "confirm")
    mediator = carry_csrf(login("mediator_demo"))
    newest, older = notices_of("mediator_demo")
    assert mediator.post("/notices/read", data={"notice": str(older.id)}).status_code == 302
    assert unread_badge(mediator) == "1"
    page = text(mediator.get("/notices/"))
    assert f'data-notice-id="{newest.id}" data-unread="true"' in page
    assert f'data-notice-id="{older.id}" data-unread="false"' in page


def test_another_user_sees_no_notice_and_cannot_mark_one_read(login):
    """The grid worker who registered the case is not told: her list is empty, no badge, and
    posting the mediator's notice id leaves it unread."""
    case = new_case(status="confirmation_requested")
    fire(case, "judge_demo", "accept_application")
    grid = carry_csrf(login("grid_demo"))
    assert unread_badge(grid) is None
    page = text(grid.get("/notices/"))
    assert "暂无通知" in page and "data-notice-id" not in page
    (notice,) = notices_of("mediator_demo")
    assert grid.post("/notices/read", data={"notice": str(notice.id)}).status_code == 302
    assert unread_badge(carry_csrf(login("mediator_demo"))) == "1"
