"""The case page (/cases/<id>): masked numbers and revealing them, who may see it, the
timeline, and the trigger buttons each role is offered."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from mediation.cases.sla import sweep
from mediation.extensions import db
from mediation.models import AuditEvent
from tests.factories import WANG_FANG_ID, fire, reload
from tests.pages import new_case, post_trigger, text, trigger_buttons
from workflows.deadlines import CHINA_TZ


def test_case_page_masks_id_number_and_phone(login):
    """The page shows masked numbers and never the full ones."""
    case = new_case()
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert case.number in page and "装修合同尾款纠纷" in page
    assert f"{WANG_FANG_ID[:6]}********{WANG_FANG_ID[-4:]}" in page
    assert "139****4321" in page
    assert WANG_FANG_ID not in page and "13987654321" not in page
    # The version travels in the forms, not on the page for people to read.
    assert 'name="version" value="1"' in page and "版本" not in page
    assert "查看完整号码" in page


def test_mediator_reveals_full_id_number_and_it_is_logged(login):
    """The button shows the full number once, notes the logging, and writes an audit event."""
    case = new_case()
    applicant = case.parties[0]
    response = login("mediator_demo").post(
        f"/cases/{case.id}/parties/{applicant.id}/reveal", data={"field": "id_number"}
    )
    assert response.status_code == 200
    page = text(response)
    assert WANG_FANG_ID in page
    assert "本次查看已记入审计日志" in page
    assert "13987654321" not in page
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq.desc())
    ).first()
    assert event.action == "reveal" and event.actor_role == "mediator"
    assert event.payload == {"party_id": applicant.id, "field": "id_number"}
    assert "查看完整号码" in page and "申请人王芳的身份证号码" in page


def test_grid_worker_cannot_reveal_full_numbers(login):
    """No button for her, and a forged post is refused with 403 and not logged."""
    case = new_case()
    client = login("grid_demo")
    assert "查看完整号码" not in text(client.get(f"/cases/{case.id}"))
    response = client.post(
        f"/cases/{case.id}/parties/{case.parties[1].id}/reveal", data={"field": "phone"}
    )
    assert response.status_code == 403
    assert "13987654321" not in text(response)
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.case_id == case.id))
    assert "reveal" not in list(actions)


def test_revealing_an_unknown_field_answers_400(login):
    """Only the ID number and the phone can be revealed."""
    case = new_case()
    response = login("mediator_demo").post(
        f"/cases/{case.id}/parties/{case.parties[0].id}/reveal", data={"field": "password_hash"}
    )
    assert response.status_code == 400


def test_mediator_of_another_street_gets_404(login):
    """Out of jurisdiction looks exactly like a case that does not exist."""
    case = new_case()
    client = login("mediator_other")
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/cases/{case.id}/sessions/new").status_code == 404
    assert (
        post_trigger(client, case, "decline", {"decline-reason_code": "party_refuses"}).status_code
        == 404
    )
    reveal = client.post(
        f"/cases/{case.id}/parties/{case.parties[0].id}/reveal", data={"field": "id_number"}
    )
    assert reveal.status_code == 404
    assert client.get("/cases/999999").status_code == 404
    assert reload(case.id).status == "intake"


def test_judge_cannot_see_a_case_not_sent_to_her_court(login):
    """Before the application reaches her court the judge gets 404 (on her court's page
    too); after, the case page sends her to the court's page of it, which she sees."""
    case = new_case(status="agreement_effective")
    client = login("judge_demo")
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/court/cases/{case.id}").status_code == 404
    parties = [p.id for p in case.parties]
    fire(case, "mediator_demo", "request_confirmation", court="420102-court", consents=parties)
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/court/cases/{case.id}")
    page = text(client.get(response.headers["Location"]))
    assert "司法确认申请中" in page and 'data-decision-form="accept"' in page


def test_timeline_is_built_from_the_audit_log(login):
    """Each event: China time, actor and role, action label, from → to, reason."""
    case = fire(new_case(), "grid_demo", "accept", mediator="mediator_demo")
    fire(case, "mediator_demo", "withdraw", reason="申请人表示已自行和解。")
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    timeline = page[page.index('data-testid="timeline"') :]
    for expected in ("登记纠纷", "受理", "待受理 → 网格调处", "申请人撤回", "网格调处 → 已撤回"):
        assert expected in timeline
    assert "王网格 · 网格员" in timeline and "李调解 · 人民调解员" in timeline
    assert "申请人表示已自行和解。" in timeline and "调解员：李调解" in timeline
    created = db.session.scalar(
        sa.select(AuditEvent.at).where(AuditEvent.case_id == case.id, AuditEvent.seq == 1)
    )
    assert created.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") in timeline


# ---------------------------------------------------------------------------- trigger buttons


def trigger_links(page: str) -> set[str]:
    """The triggers offered as links to a page of their own (申请司法确认)."""
    return set(re.findall(r'data-trigger-link="(\w+)"', page))


def decision_forms(page: str) -> set[str]:
    """The judge's decisions offered as forms on the court's page of a case."""
    return set(re.findall(r'data-decision-form="(\w+)"', page))


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("grid_demo", {"accept"}),
        ("mediator_demo", {"accept", "decline", "withdraw"}),
        ("street_demo", {"accept", "decline", "withdraw"}),
        ("admin_demo", set()),
    ],
)
def test_each_role_sees_only_the_buttons_of_its_triggers(login, username, expected):
    """An intake case: the grid worker may accept, not decline or withdraw; the admin nothing."""
    case = new_case()
    page = text(login(username).get(f"/cases/{case.id}"))
    assert trigger_buttons(page) == expected


def test_judge_sees_only_court_buttons_and_no_system_trigger_anywhere(login):
    """The mediator's page links to the application page; the judge's (the court's page)
    offers only the court's decisions. No page ever offers auto_escalate or make_effective."""
    case = new_case(status="agreement_effective")
    mediator_page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    # 结案 waits for a 回访 that records performance: shown, disabled (test_action_panel).
    assert trigger_buttons(mediator_page) == set()
    assert trigger_links(mediator_page) == {"request_confirmation"}
    fire(case, "mediator_demo", "request_confirmation")
    judge = login("judge_demo")
    assert judge.get(f"/cases/{case.id}").status_code == 302
    judge_page = text(judge.get(f"/court/cases/{case.id}"))
    assert decision_forms(judge_page) == {"accept", "reject"}
    assert 'data-testid="confirm-link"' not in judge_page
    assert trigger_buttons(judge_page) == set() and trigger_links(judge_page) == set()
    assert "/transitions/" not in judge_page
    for page in (mediator_page, judge_page):
        assert "transitions/auto_escalate" not in page
        assert "transitions/make_effective" not in page


def test_accept_form_offers_only_mediators_of_the_area(login):
    """The mediator select lists active mediators and street officers who can see the grid."""
    case = new_case()
    page = text(login("grid_demo").get(f"/cases/{case.id}"))
    form = page[page.index('id="trigger-accept"') :]
    form = form[: form.index("</form>")]
    assert 'value="mediator_demo"' in form and 'value="street_demo"' in form
    assert "mediator_other" not in form and "grid_demo" not in form


def test_system_triggers_and_unknown_triggers_cannot_be_fired_from_a_page(login):
    """auto_escalate is the system's (403); a made-up trigger is not a page (404)."""
    case = new_case(status="grid_mediation")
    client = login("street_demo")
    assert post_trigger(client, case, "auto_escalate").status_code == 403
    assert post_trigger(client, case, "teleport").status_code == 404
    assert reload(case.id).status == "grid_mediation"


def test_role_that_may_not_fire_a_trigger_gets_403(login):
    """A grid worker cannot decline, even by posting the form directly."""
    case = new_case()
    response = post_trigger(
        login("grid_demo"), case, "decline", {"decline-reason_code": "party_refuses"}
    )
    assert response.status_code == 403
    assert reload(case.id).status == "intake"


def test_timeline_says_the_system_escalated_by_itself(login):
    """The sweep's 超期自动上报 is 系统自动 in the history, not “系统 · 系统”."""
    case = new_case(status="grid_mediation")
    case_id, due = case.id, case.grid_deadline_at
    sweep(now=due + timedelta(seconds=1))
    page = text(login("mediator_demo").get(f"/cases/{case_id}"))
    history = page[page.index("超期自动上报") :]
    assert "系统自动" in history[:600]
    assert "系统 · 系统" not in page
