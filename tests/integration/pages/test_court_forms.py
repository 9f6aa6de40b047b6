"""Judicial confirmation through the pages: the joint application, and the judge's forms."""

from tests.builders import visit_form
from tests.factories import fire, reload
from tests.pages import new_case, post_trigger, text


def test_judicial_confirmation_through_the_pages(login):
    """request_confirmation → accept_application → confirm → visit → close."""
    case = new_case(status="agreement_effective")
    mediator = login("mediator_demo")
    judge = login("judge_demo")
    page = text(mediator.get(f"/cases/{case.id}"))
    form = page[page.index('id="trigger-request_confirmation"') :]
    assert 'value="420102-court"' in form and "420106-court" not in form
    consents = [str(p.id) for p in case.parties]
    response = post_trigger(
        mediator,
        case,
        "request_confirmation",
        {"request_confirmation-court": "420102-court", "request_confirmation-consents": consents},
    )
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmation_requested" and case.court.code == "420102-court"

    response = post_trigger(
        judge,
        case,
        "accept_application",
        {"accept_application-court_case_number": "（2026）鄂0102民特1号"},
    )
    assert response.status_code == 302
    case = reload(case.id)
    assert case.court_case_number == "（2026）鄂0102民特1号"

    response = post_trigger(
        judge, case, "confirm", {"confirm-ruling_text": "调解协议有效，当事人应当按照约定履行。"}
    )
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmed"
    assert "调解协议有效" in text(judge.get(f"/cases/{case.id}"))

    mediator.post(
        f"/cases/{case.id}/visits/new",
        data=visit_form(satisfaction="basically"),
    )
    assert post_trigger(mediator, reload(case.id), "close").status_code == 302
    assert reload(case.id).status == "closed"


def test_request_confirmation_without_every_partys_consent_is_refused(login):
    """One party unticked: 422 with the reason, the form still open with the court chosen."""
    case = new_case(status="agreement_effective")
    response = post_trigger(
        login("mediator_demo"),
        case,
        "request_confirmation",
        {
            "request_confirmation-court": "420102-court",
            "request_confirmation-consents": [str(case.parties[0].id)],
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "请先登记全体当事人共同申请司法确认" in page
    assert 'class="collapse show" id="trigger-request_confirmation"' in page
    assert '<option selected value="420102-court">' in page
    assert reload(case.id).status == "agreement_effective"


def test_reject_withdraw_and_remediate_through_the_pages(login):
    """The judge rejects (不予受理 grounds before acceptance), the street mediates again."""
    case = new_case(status="agreement_effective")
    fire(
        case, "mediator_demo", "request_confirmation", court="420102-court", joint_application=True
    )
    case = reload(case.id)
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
    fire(
        case, "mediator_demo", "request_confirmation", court="420102-court", joint_application=True
    )
    case = reload(case.id)

    judge = login("judge_demo")
    page = text(judge.get(f"/cases/{case.id}"))
    form = page[page.index('id="trigger-reject_confirmation"') :]
    assert "不予受理理由" in form and "违背公序良俗" not in form[: form.index("</form>")]
    response = post_trigger(
        judge, case, "reject_confirmation", {"reject_confirmation-ground": "title_confirmation"}
    )
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "confirmation_rejected"

    response = post_trigger(
        mediator, case, "remediate", {"remediate-reason": "修改协议内容后重新调解。"}
    )
    assert response.status_code == 302
    assert reload(case.id).status == "street_mediation"
