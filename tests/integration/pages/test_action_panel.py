"""The case page's action panel offers only what can be done (issue 10, item 3).

A trigger whose guard would refuse for a fact the user cannot supply on its form is shown
disabled with the guard's reason, and offered once the fact exists; after a session that
reached agreement the panel points to drafting it; once drafted, signing comes first.
"""

import html
import re
from datetime import UTC, datetime, timedelta

from tests.factories import gen_case, gen_session, gen_visit, person, reload, sign, signers
from tests.pages import new_case, text, trigger_buttons

DRAFT_LINK = "/cases/{id}/agreement/draft"


def panel(page: str) -> str:
    """The HTML of the action panel (办理)."""
    return re.search(r'data-testid="actions">(.*?)</section>', page, re.S).group(1)


def blocked(page: str) -> dict[str, str]:
    """The disabled triggers of the panel, each with the reason shown under it."""
    found = re.findall(
        r'data-blocked-trigger="(\w+)">\s*<button[^>]*disabled[^>]*>.*?'
        r"data-blocked-reason>(.*?)</div>",
        panel(page),
        re.S,
    )
    return dict(found)


def first_item(page: str) -> str:
    """What comes first in the panel: the signing step, the pointer or a trigger."""
    item = re.search(
        r'data-testid="(sign-first|draft-next)"|data-(?:blocked-)?trigger(?:-link)?="(\w+)"',
        panel(page),
    )
    return item.group(1) or item.group(2)


def page_of(login, who: str, case) -> str:
    """The case page as who sees it."""
    response = login(who).get(f"/cases/{case.id}")
    assert response.status_code == 200
    return text(response)


def test_drafting_is_disabled_with_its_reason_until_a_session_is_recorded(login):
    """No 调解记录 yet: 拟定调解协议 is shown disabled with the reason, no form to fill."""
    case = new_case(status="grid_mediation")
    page = page_of(login, "mediator_demo", case)
    assert blocked(page) == {"draft_agreement": "暂不能办理：请先记录至少一次调解（调解记录）。"}
    assert "draft_agreement" not in trigger_buttons(page)
    assert "/transitions/draft_agreement" not in page
    assert {"escalate", "terminate", "withdraw"} <= trigger_buttons(page)

    gen_session(reload(case))
    page = page_of(login, "mediator_demo", case)
    assert blocked(page) == {}
    assert f'href="/cases/{case.id}/agreement/draft" data-trigger-link="draft_agreement"' in page


def test_closing_is_disabled_until_a_visit_records_performance(login):
    """结案 waits for a 回访 that records 履行情况."""
    case = new_case(status="agreement_effective")
    page = page_of(login, "mediator_demo", case)
    assert blocked(page) == {"close": "暂不能办理：请先在回访中登记协议履行情况。"}
    assert "/transitions/close" not in page

    gen_visit(reload(case))
    page = page_of(login, "mediator_demo", case)
    assert "close" not in blocked(page) and "close" in trigger_buttons(page)


def test_accepting_is_disabled_when_a_party_refuses_mediation_and_decline_stays(login):
    """人民调解法 Art 17: the reason says to decline instead, and 不予受理 is offered."""
    refusing = person("respondent", "李强", refuses_mediation=True)
    case = new_case(parties=[person("applicant", "王芳", "female"), refusing])
    page = page_of(login, "mediator_demo", case)
    assert "第十七条" in blocked(page)["accept"]
    assert {"decline", "withdraw"} <= trigger_buttons(page)


def test_accepting_is_offered_when_only_the_mediator_is_missing(login):
    """The mediator is chosen on the accept form itself: that does not disable it."""
    case = new_case()
    assert reload(case).mediator_id is None
    page = page_of(login, "grid_demo", case)
    assert blocked(page) == {} and trigger_buttons(page) == {"accept"}


def test_confirmation_is_disabled_after_its_thirty_day_window(login):
    """An agreement effective 60 days ago can no longer be sent to the court."""
    long_ago = datetime.now(UTC) - timedelta(days=60)
    case = gen_case("mediator_demo", "agreement_effective", now=long_ago)
    page = page_of(login, "mediator_demo", case)
    assert "已超过司法确认申请期限" in blocked(page)["request_confirmation"]
    assert 'data-trigger-link="request_confirmation"' not in page

    fresh = new_case(status="agreement_effective")
    page = page_of(login, "mediator_demo", fresh)
    assert "request_confirmation" not in blocked(page)
    assert 'data-trigger-link="request_confirmation"' in page


def test_a_session_that_reached_agreement_points_to_drafting(login):
    """达成一致: a callout links to the drafting page, whose link comes first in the panel."""
    case = new_case(status="grid_mediation")
    gen_session(case, outcome="agreed")
    page = page_of(login, "mediator_demo", case)
    assert 'data-testid="draft-next"' in page
    assert DRAFT_LINK.format(id=case.id) in page
    assert first_item(page) == "draft-next"
    assert re.findall(r'data-trigger(?:-link)?="(\w+)"', panel(page))[0] == "draft_agreement"

    drafting = text(login("mediator_demo").get(DRAFT_LINK.format(id=case.id)))
    assert "data-agreement-form" in drafting


def test_no_pointer_while_mediation_continues_or_for_who_cannot_draft(login):
    """继续调解 points nowhere; a grid worker, who drafts no agreements, sees no pointer."""
    case = new_case(status="grid_mediation")
    gen_session(case, outcome="continuing")
    page = page_of(login, "mediator_demo", case)
    assert 'data-testid="draft-next"' not in page
    assert first_item(page) == "escalate"

    gen_session(reload(case), outcome="agreed")
    assert 'data-testid="draft-next"' not in page_of(login, "grid_demo", case)


def test_signing_comes_first_once_the_agreement_is_drafted(login):
    """协议待签: 登记签名 is the first thing in the panel, naming who has yet to sign."""
    case = new_case(status="agreement_drafted")
    page = page_of(login, "mediator_demo", case)
    assert first_item(page) == "sign-first"
    first = re.search(r'data-testid="sign-first">(.*?)</div>\s*</div>', page, re.S).group(1)
    assert 'href="#sign"' in first and "王芳" in first and "李强" in first
    assert 'id="sign"' in page


def test_the_seal_comes_first_once_everyone_has_signed(login):
    """Every signature in: 加盖印章 comes first for who holds the committee's seal."""
    case = new_case(status="agreement_drafted")
    for signer in signers(case):
        sign(reload(case), signer)
    page = page_of(login, "mediator_demo", case)
    assert first_item(page) == "sign-first"
    assert 'href="#seal"' in panel(page) and 'href="#sign"' not in panel(page)
    assert 'id="seal"' in page


def test_who_may_not_sign_gets_no_signing_step(login):
    """A grid worker neither signs for anyone nor seals: nothing about it in her panel."""
    case = new_case(status="agreement_drafted")
    page = page_of(login, "grid_demo", case)
    assert 'data-testid="sign-first"' not in page


def test_a_disabled_trigger_gives_its_reason_in_english_with_the_date_in_english(login):
    """The English page says the guard's reason in English, its last day written so too."""
    long_ago = datetime.now(UTC) - timedelta(days=60)
    case = gen_case("mediator_demo", "agreement_effective", now=long_ago)
    client = login("mediator_demo")
    client.post("/locale/en", data={"next": "/"})
    reasons = blocked(text(client.get(f"/cases/{case.id}")))
    late = html.unescape(reasons["request_confirmation"])
    assert late.startswith("Not yet possible: The period for applying for judicial confirmation")
    assert re.search(r"until [A-Z][a-z]+ \d{1,2}, \d{4}\)", late)
    assert html.unescape(reasons["close"]) == (
        "Not yet possible: Record at a follow-up visit whether the agreement was performed first."
    )
    assert not re.search(r"[\u4e00-\u9fff]", late + reasons["close"])
