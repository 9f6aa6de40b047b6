"""The judge's own pages: her workbench with its two queues, the case as the court reviews
it, and her decisions (受理, 不予受理, 延长审查期限, 驳回申请, 裁定确认有效)."""

import re
from datetime import timedelta
from html import escape

import pytest
from flask import render_template_string

from mediation.cases import operations as ops
from mediation.court import queries
from mediation.court.queries import ACCEPTANCE, RULING
from mediation.models.types import utcnow
from mediation.papers.court import default_ruling_text
from tests.factories import (
    COURT,
    OTHER_COURT,
    OTHER_DISTRICT_GRID,
    beijing,
    gen_case,
    gen_user,
    later,
    reload,
    snapshot,
    user,
)
from tests.pages import new_case, text
from workflows.clocks import CLOCK_BY_KEY, Countdown
from workflows.deadlines import CHINA_TZ

DECISION_ROUTES = ("accept", "reject", "extend", "ruling")
PNG = b"\x89PNG\r\n\x1a\n"
CASE_ID = re.compile(r'data-case-id="(\d+)"')


def post_decision(client, case, decision: str, form: dict | None = None):
    """Submit one of the judge's decision forms with the version her page showed."""
    data = {"version": str(case.version), **(form or {})}
    return client.post(f"/court/cases/{case.id}/{decision}", data=data)


def queue_ids(page: str, status: str) -> list[int]:
    """The case ids listed in one queue of the workbench, top to bottom."""
    start = page.index(f'data-testid="queue-{status}"')
    section = page[start : page.index("</section>", start)]
    return [int(found) for found in CASE_ID.findall(section)]


def at_court(status: str, applied: tuple[int, ...], **options):
    """A case of 王建国 and 李秀英 sent to the court by mediator_demo on a day in 2026 (China
    time), and driven to status there."""
    return gen_case("mediator_demo", status, now=beijing(2026, *applied), **options)


@pytest.fixture
def judge(login):
    """陈法官 of 江岸区人民法院, signed in."""
    return login("judge_demo")


# ---------------------------------------------------------------------------- the workbench


def test_workbench_lists_her_courts_cases_nearest_deadline_first(judge):
    """Two queues, each by the nearer deadline; another court's and settled cases stay out."""
    later = at_court(ACCEPTANCE, (6, 3, 9))
    soonest = at_court(ACCEPTANCE, (6, 1, 9))
    middle = at_court(ACCEPTANCE, (6, 2, 9))
    ruling_later = at_court(RULING, (6, 1, 9))
    ruling_sooner = at_court(RULING, (5, 25, 9))
    elsewhere = gen_case(
        "mediator_other", ACCEPTANCE, OTHER_DISTRICT_GRID, beijing(2026, 5, 20), court=OTHER_COURT
    )
    not_sent = at_court("agreement_effective", (5, 20, 9))

    for address in ("/court/", "/"):
        page = text(judge.get(address))
        assert queue_ids(page, ACCEPTANCE) == [soonest.id, middle.id, later.id]
        assert queue_ids(page, RULING) == [ruling_sooner.id, ruling_later.id]
        assert f'data-case-id="{elsewhere.id}"' not in page
        assert f'data-case-id="{not_sent.id}"' not in page
        assert 'data-testid="queue-count">3件' in page and 'data-testid="queue-count">2件' in page

    row = page[page.index(f'data-case-id="{soonest.id}"') :]
    assert soonest.number in row and "王建国、李秀英" in row and soonest.committee.name in row
    assert "申请于 2026-06-01" in row and "2026-06-04" in row


def test_a_long_queue_is_paged(judge, monkeypatch):
    """Past a page's worth, the queue links to its next page, which holds the later ones."""
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    cases = [at_court(ACCEPTANCE, (6, day, 9)) for day in (1, 2, 3)]
    page = text(judge.get("/court/"))
    assert queue_ids(page, ACCEPTANCE) == [cases[0].id, cases[1].id]
    assert 'href="/court/?acceptance_page=2&amp;ruling_page=1"' in page
    # Other query arguments never reach the links (url_for would take them as its own).
    tampered = judge.get("/court/?endpoint=x&_external=1&_anchor=y")
    links = re.findall(r'href="(/court/\?[^"]*)"', text(tampered))
    assert tampered.status_code == 200 and links
    assert not [link for link in links if "_external" in link or "endpoint" in link]
    page = text(judge.get("/court/?acceptance_page=2"))
    assert queue_ids(page, ACCEPTANCE) == [cases[2].id]
    assert 'data-testid="queue-count">3件' in page
    assert queue_ids(text(judge.get("/court/?acceptance_page=x")), ACCEPTANCE)[0] == cases[0].id


def test_court_clock_counts_china_calendar_days():
    """Applied on 1 June: decide by 4 June; just after midnight in China it is one day over."""
    case = at_court(ACCEPTANCE, (6, 1, 9))
    judge = user("judge_demo")

    def clock_at(*moment):
        return queries.queue(judge, ACCEPTANCE, now=beijing(2026, *moment)).rows[0].clock

    assert clock_at(6, 2, 23).days_left == 2
    assert clock_at(6, 4, 23, 59).days_left == 0
    late = clock_at(6, 5, 0, 30)
    assert late.overdue and late.days_over == 1
    assert late.deadline_at.astimezone(CHINA_TZ).date().isoformat() == "2026-06-04"
    counts = queries.queue(judge, ACCEPTANCE, now=beijing(2026, 6, 5, 0, 30))
    assert (counts.total, counts.overdue) == (1, 1)
    assert reload(case).status == ACCEPTANCE


@pytest.mark.parametrize(
    ("days_left", "words", "kind"),
    [
        (5, "还剩5天", "ok"),
        (3, "还剩3天", "ok"),
        (2, "还剩2天", "soon"),
        (1, "还剩1天", "soon"),
        (0, "今日到期", "soon"),
        (-3, "已超期3天", "overdue"),
    ],
)
def test_clock_badge_says_how_long_is_left_in_words(app, days_left, words, kind):
    """The badge's words and colour for a clock (the same on every page that shows one)."""
    clock = Countdown(CLOCK_BY_KEY["court_acceptance"], utcnow(), days_left)
    with app.test_request_context():
        badge = render_template_string(
            '{% from "cases/_macros.html" import clock_badge %}{{ clock_badge(clock) }}',
            clock=clock,
        )
    assert words in badge and f'data-clock="{kind}"' in badge


def test_recent_rulings_link_to_the_ruling(judge):
    """A ruling of the last 30 days is listed with its 民事裁定书; an older one is not."""
    recent = new_case(status="confirmed")
    page = text(judge.get("/court/"))
    listed = page[page.index('data-testid="recent-rulings"') :]
    assert f'data-case-id="{recent.id}"' in listed
    assert f'href="/cases/{recent.id}/ruling.pdf"' in listed and "确认调解协议有效" in listed
    month_later = utcnow() + timedelta(days=queries.RECENT_DAYS + 1)
    assert queries.recent_rulings(user("judge_demo"), now=month_later) == []


# ---------------------------------------------------------------------------- who may come


def test_judge_of_another_court_gets_404_on_every_court_route(login):
    """The case page, the ruling page and every decision: 404, and nothing changes."""
    gen_user("judge_wuchang", "judge", court=OTHER_COURT)
    case = new_case(status=RULING)
    before = snapshot(case)
    other = login("judge_wuchang")
    assert other.get(f"/court/cases/{case.id}").status_code == 404
    assert other.get(f"/court/cases/{case.id}/ruling").status_code == 404
    for decision in DECISION_ROUTES:
        form = {"reject-ground": "other", "extend-reason": "案情复杂。"}
        assert post_decision(other, case, decision, form).status_code == 404
    assert f'data-case-id="{case.id}"' not in text(other.get("/court/"))
    assert snapshot(case) == before


@pytest.mark.parametrize("username", ["mediator_demo", "street_demo", "grid_demo", "admin_demo"])
def test_other_roles_cannot_use_the_court_pages(login, username):
    """The court's pages are a judge's: 403 for the mediator, the officer, the grid worker
    and the admin, even on a case they may see."""
    case = new_case(status=ACCEPTANCE)
    before = snapshot(case)
    client = login(username)
    assert client.get("/court/").status_code == 403
    assert client.get(f"/court/cases/{case.id}").status_code == 403
    assert client.get(f"/court/cases/{case.id}/ruling").status_code == 403
    for decision in DECISION_ROUTES:
        assert post_decision(client, case, decision).status_code == 403
    assert snapshot(case) == before


# ---------------------------------------------------------------------------- the case page


def test_case_page_shows_what_the_court_needs(judge):
    """The clock, the sealed agreement inline and checked, the consents, the 申请书, the
    history; no grid or mediation deadlines and none of the mediator's actions."""
    case = new_case(status=ACCEPTANCE)
    page = text(judge.get(f"/court/cases/{case.id}"))
    clock = page[page.index('data-testid="court-clock"') :]
    assert "法院受理审查期限" in clock[:400]
    assert f'src="/cases/{case.id}/agreement.pdf#' in page
    assert 'data-testid="seal-check" data-status="intact"' in page
    assert "李强向王芳支付维修费3000元。" in page
    consents = page[page.index('data-testid="consents"') :]
    assert "申请人 王芳" in consents and "书面申请签字" in consents
    assert f'href="/cases/{case.id}/application.pdf"' in page
    assert 'data-action="request_confirmation"' in page
    for absent in ("网格调处期限", "调解期限：", "/sessions/new", "/visits/new", "/mediator"):
        assert absent not in page
    assert 'data-decision="accept"' in page and 'data-decision="reject"' in page
    assert 'data-decision="extend"' not in page and 'data-testid="confirm-link"' not in page


def test_case_page_lists_each_consent_and_material(judge):
    """Each party's consent by manner and time, each material by kind, name, size and link."""
    case = new_case(status="agreement_effective")
    applicant, respondent = case.parties
    applied = later(case)
    in_person = applied - timedelta(minutes=1)
    consents = [
        {"party_id": applicant.id, "method": "in_person", "consented_at": in_person},
        {"party_id": respondent.id, "method": "agent", "consented_at": applied},
    ]
    scan = ops.MaterialUpload("identity", "王芳身份证.png", PNG + b"\x00" * 2048)
    mediator = user("mediator_demo")
    ops.request_confirmation(
        mediator,
        case.id,
        case.version,
        court=COURT,
        consents=consents,
        materials=[scan],
        now=applied,
    )
    material = reload(case).application.materials[0]
    page = text(judge.get(f"/court/cases/{case.id}"))
    rows = page[page.index('data-testid="consents"') :]
    when = in_person.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    assert re.search(rf"申请人 王芳</td>\s*<td>到场当面申请</td>\s*<td[^>]*>{when}<", rows)
    assert re.search(r"被申请人 李强</td>\s*<td>委托代理人代为申请</td>", rows)
    listed = page[page.index(f'data-material-id="{material.id}"') :]
    assert "当事人身份证明" in listed and "王芳身份证.png" in listed and "2 KB" in listed
    assert f'href="/cases/{case.id}/materials/{material.id}"' in listed


def test_decided_case_page_offers_the_ruling_and_no_decision(judge):
    """After the ruling: what was decided, its text, the link to the 民事裁定书; no forms."""
    case = new_case(status="confirmed")
    page = text(judge.get(f"/court/cases/{case.id}"))
    assert f'href="/cases/{case.id}/ruling.pdf"' in page
    assert "data-decision-form" not in page
    assert "裁定：确认调解协议有效。" in page[page.index('data-testid="no-decision"') :]
    assert escape(case.application.ruling_text, quote=False) in page


# ---------------------------------------------------------------------------- decisions


def test_accept_with_a_blank_number_assigns_the_next_one(judge):
    """受理 with the number left blank: the court's next 民特 number."""
    case = new_case(status=ACCEPTANCE)
    page = text(judge.get(f"/court/cases/{case.id}"))
    assert "留空则自动编号，如（2026）鄂0102民特1号" in page
    response = post_decision(judge, case, "accept", {"accept-court_case_number": "  "})
    assert response.status_code == 302
    case = reload(case)
    year = utcnow().astimezone(CHINA_TZ).year
    assert case.status == RULING
    assert re.fullmatch(rf"（{year}）鄂0102民特\d+号", case.court_case_number)
    page = text(judge.get(response.headers["Location"]))
    assert case.court_case_number in page and "审查期限" in page


def test_a_decision_without_the_csrf_token_is_refused(judge):
    """A post from another site carries no token: 400, and the case stays as it was."""
    case = new_case(status=ACCEPTANCE)
    before = snapshot(case)
    response = judge.post(
        f"/court/cases/{case.id}/accept", data={"version": str(case.version)}, csrf=False
    )
    assert response.status_code == 400
    assert snapshot(case) == before


def test_accept_with_a_typed_number_keeps_it(judge):
    """The court's own number is kept as typed."""
    case = new_case(status=ACCEPTANCE)
    number = "（2026）鄂0102民特88号"
    response = post_decision(judge, case, "accept", {"accept-court_case_number": number})
    assert response.status_code == 302
    assert reload(case).court_case_number == number
    assert reload(case).application.court_case_number == number


@pytest.mark.parametrize(
    ("status", "form"),
    [
        (ACCEPTANCE, {}),
        (ACCEPTANCE, {"reject-ground": "no_such_ground"}),
        # A 驳回 ground, offered only after acceptance.
        (ACCEPTANCE, {"reject-ground": "against_public_order"}),
        (RULING, {"reject-ground": ""}),
    ],
)
def test_rejection_without_a_listed_ground_is_refused_on_the_page(judge, status, form):
    """No ground, or one not in the stage's list: a message by the list, nothing changes."""
    case = new_case(status=status)
    before = snapshot(case)
    response = post_decision(judge, case, "reject", form)
    assert response.status_code == 400
    page = text(response)
    what = "驳回申请的理由" if status == RULING else "不予受理的理由"
    assert f"请在列表中选择{what}。" in page
    assert 'class="collapse show" id="decision-reject"' in page
    assert "no_such_ground" not in page
    assert snapshot(case) == before


def test_not_accepting_issues_the_ruling(judge):
    """不予受理 with a ground from the list: the application is not accepted, with a ruling."""
    case = new_case(status=ACCEPTANCE)
    page = text(judge.get(f"/court/cases/{case.id}"))
    grounds = page[page.index('id="decision-reject"') :]
    grounds = grounds[: grounds.index("</form>")]
    assert "调解协议内容涉及物权、知识产权确权" in grounds and "违背公序良俗" not in grounds
    response = post_decision(judge, case, "reject", {"reject-ground": "title_confirmation"})
    assert response.status_code == 302
    case = reload(case)
    assert case.status == "confirmation_rejected"
    assert case.application.outcome == "not_accepted"
    assert f'href="/cases/{case.id}/ruling.pdf"' in text(judge.get(f"/court/cases/{case.id}"))


def test_extension_needs_a_reason_and_is_offered_once(judge):
    """A blank reason is refused on the page; a reason extends the ruling clock by ten days,
    and the extension is not offered again."""
    case = new_case(status=RULING)
    before = snapshot(case)
    response = post_decision(judge, case, "extend", {"extend-reason": "   "})
    assert response.status_code == 400
    page = text(response)
    assert 'class="collapse show" id="decision-extend"' in page
    assert 'data-testid="problems"' in page and "延长理由" in page
    assert snapshot(case) == before

    reason = "案情复杂，经院长批准延长审查期限。"
    response = post_decision(judge, case, "extend", {"extend-reason": reason})
    assert response.status_code == 302
    extended = reload(case)
    assert (extended.deadline_at - before[3]).days == 10
    page = text(judge.get(f"/court/cases/{case.id}"))
    assert "审查期限（已延长）" in page and reason in page
    assert 'data-decision="extend"' not in page
    assert 'data-decision="reject"' in page and 'data-testid="confirm-link"' in page


def test_ruling_page_is_prefilled_and_issues_the_edited_ruling(judge):
    """裁定确认有效: the page holds the default text; the edited text is the ruling's."""
    case = new_case(status=RULING)
    page = text(judge.get(f"/court/cases/{case.id}/ruling"))
    default = default_ruling_text(case, case.application, "confirmed")
    assert escape(default, quote=False) in page
    edited = default + "\n\n本裁定书送达后即发生法律效力。"
    response = judge.post(
        f"/court/cases/{case.id}/ruling",
        data={"version": str(case.version), "ruling-ruling_text": edited},
    )
    assert response.status_code == 302
    case = reload(case)
    assert case.status == "confirmed"
    assert case.application.ruling_text == edited.strip()
    assert case.application.ruling_document is not None


def test_ruling_text_over_the_limit_is_refused_and_kept(judge):
    """A body longer than the limit: the message, the text as typed, nothing changes."""
    case = new_case(status=RULING)
    before = snapshot(case)
    typed = "经审查" + "确" * 20000
    response = judge.post(
        f"/court/cases/{case.id}/ruling",
        data={"version": str(case.version), "ruling-ruling_text": typed},
    )
    assert response.status_code == 400
    page = text(response)
    assert 'data-testid="problems"' in page and typed in page
    assert snapshot(case) == before


def test_ruling_page_of_a_case_not_yet_accepted_sends_her_back(judge):
    """Before acceptance there is nothing to confirm: back to the case page with a word."""
    case = new_case(status=ACCEPTANCE)
    response = judge.get(f"/court/cases/{case.id}/ruling")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/court/cases/{case.id}")


def test_stale_version_keeps_the_form_and_changes_nothing(judge):
    """A decision on a version the case no longer has: 409 and the number as typed."""
    case = new_case(status=ACCEPTANCE)
    before = snapshot(case)
    number = "（2026）鄂0102民特7号"
    response = judge.post(
        f"/court/cases/{case.id}/accept",
        data={"version": str(case.version - 1), "accept-court_case_number": number},
    )
    assert response.status_code == 409
    assert f'value="{number}"' in text(response)
    assert snapshot(case) == before
