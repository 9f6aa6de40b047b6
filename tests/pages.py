"""The web pages as the tests use them: the HTML, the CSRF token of a signed-in client, a
trigger's form; and the pages' own dispute, 王芳's renovation bill that 李强 has not paid."""

import re
from datetime import UTC, datetime, timedelta

from mediation.models import Case
from tests.factories import GRID, gen_case, wang_and_li

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def carry_csrf(client):
    """Give a signed-in client the CSRF token of its session.

    conftest's CsrfClient reads its token from /login, which redirects once signed in.
    """
    client.token = CSRF_FIELD.search(text(client.get("/"))).group(1)
    return client


def sign_out(client) -> None:
    """Press 退出."""
    assert carry_csrf(client).post("/logout").status_code == 302


def post_trigger(client, case: Case, trigger: str, form: dict | None = None, version=None):
    """Submit a trigger's form from the case page, with the version the page showed."""
    data = {"version": str(case.version if version is None else version), **(form or {})}
    return client.post(f"/cases/{case.id}/transitions/{trigger}", data=data)


def post_agreement(client, case: Case, form: dict | None = None, version=None):
    """Submit the agreement's own page (拟定调解协议), with the version the page showed."""
    data = {"version": str(case.version if version is None else version), **(form or {})}
    return client.post(f"/cases/{case.id}/agreement/draft", data=data)


def trigger_buttons(page: str) -> set[str]:
    """The triggers offered as buttons on a case page."""
    return set(re.findall(r'data-bs-toggle="collapse"[^>]*data-trigger="(\w+)"', page, re.S))


def new_case(who: str = "grid_demo", status: str = "intake", grid: str = GRID, **fields) -> Case:
    """王芳 against 李强 over a renovation bill, registered by who an hour ago and driven to
    status by gen_case (so that what a page does comes after it); fields override case_data's.

    Its agreement, once drafted, has 李强 pay 王芳 3000 yuan.
    """
    dispute = {
        "title": "装修合同尾款纠纷",
        "category": "contract",
        "description": "双方就装修尾款发生争执。",
        "parties": wang_and_li(),
        **fields,
    }
    draft = {"facts": "双方达成一致。", "terms": ["李强向王芳支付维修费3000元。"]}
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    return gen_case(who, status, grid, an_hour_ago, draft=draft, **dispute)
