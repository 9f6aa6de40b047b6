"""Judicial confirmation through the pages: the joint application on its own page, the
judge's decisions on the court's page of the case, and the street's part after them.

The refusals of the application form (a missing consent, a bad file, the window) are in
test_confirmation_form; those of the judge's forms in test_judge_pages.
"""

from datetime import UTC, datetime, timedelta

from tests.builders import visit_form
from tests.factories import COURT, fire, reload
from tests.pages import carry_csrf, new_case, post_trigger, text
from workflows.deadlines import CHINA_TZ


def apply_through_the_page(client, case):
    """File the application on /cases/<id>/confirmation: the court, and every party's written
    consent given ten minutes ago (no materials)."""
    moment = (datetime.now(UTC) - timedelta(minutes=10)).astimezone(CHINA_TZ)
    form = {"version": str(case.version), "court": COURT}
    for party in case.parties:
        form[f"party-{party.id}-consented"] = "y"
        form[f"party-{party.id}-method"] = "signed"
        form[f"party-{party.id}-consented_at"] = moment.strftime("%Y-%m-%dT%H:%M")
    return client.post(f"/cases/{case.id}/confirmation", data=form)


def decide(client, case, decision: str, form: dict | None = None):
    """Submit one of the judge's forms (accept, reject, extend, ruling) with the version her
    page showed."""
    data = {"version": str(case.version), **(form or {})}
    return client.post(f"/court/cases/{case.id}/{decision}", data=data)


def test_judicial_confirmation_through_the_pages(login):
    """request_confirmation → accept_application → confirm → visit → close."""
    case = new_case(status="agreement_effective")
    mediator = carry_csrf(login("mediator_demo"))
    judge = login("judge_demo")
    page = text(mediator.get(f"/cases/{case.id}/confirmation"))
    courts = page[page.index('id="court"') :]
    courts = courts[: courts.index("</select>")]
    assert 'value="420102-court"' in courts and "420106-court" not in courts
    response = apply_through_the_page(mediator, case)
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmation_requested" and case.court.code == "420102-court"
    assert {c.party_id for c in case.application.consents} == {p.id for p in case.parties}

    number = "（2026）鄂0102民特1号"
    response = decide(judge, case, "accept", {"accept-court_case_number": number})
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmation_accepted" and case.court_case_number == number

    ruling = "调解协议有效，当事人应当按照约定履行。"
    response = decide(judge, case, "ruling", {"ruling-ruling_text": ruling})
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmed"
    assert ruling in text(judge.get(f"/court/cases/{case.id}"))

    mediator.post(
        f"/cases/{case.id}/visits/new",
        data=visit_form(satisfaction="basically"),
    )
    assert post_trigger(mediator, reload(case.id), "close").status_code == 302
    assert reload(case.id).status == "closed"


def test_reject_withdraw_and_remediate_through_the_pages(login):
    """The mediator withdraws and applies again; the judge rejects (不予受理 grounds before
    acceptance); the street mediates again."""
    case = fire(new_case(status="agreement_effective"), "mediator_demo", "request_confirmation")
    mediator = login("mediator_demo")
    response = post_trigger(
        mediator,
        case,
        "withdraw_confirmation",
        {"withdraw_confirmation-reason": "当事人撤回申请。"},
    )
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "agreement_effective"
    assert case.application.outcome == "withdrawn"
    case = fire(case, "mediator_demo", "request_confirmation")

    judge = login("judge_demo")
    page = text(judge.get(f"/court/cases/{case.id}"))
    form = page[page.index('data-decision-form="reject"') :]
    form = form[: form.index("</form>")]
    assert "不予受理的理由" in form and "违背公序良俗" not in form
    response = decide(judge, case, "reject", {"reject-ground": "title_confirmation"})
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmation_rejected"
    assert case.application.outcome == "not_accepted"

    response = post_trigger(
        mediator, case, "remediate", {"remediate-reason": "修改协议内容后重新调解。"}
    )
    assert response.status_code == 302
    assert reload(case.id).status == "street_mediation"
