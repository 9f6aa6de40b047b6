"""The trigger forms of the case page: a dispute from intake to closing through the pages,
each mediator's trigger, and the refusals a form shows."""

import re

import pytest
import sqlalchemy as sa

from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.models import AuditEvent
from tests.builders import agreement_form, intake_form, session_form, signature_form, visit_form
from tests.factories import fire, gen_session, reload
from tests.pages import new_case, post_agreement, post_trigger, text, trigger_buttons


def test_case_goes_from_intake_to_closing_through_the_pages(login):
    """intake → accept → session → escalate → draft → signatures → effective → visit → close."""
    grid = login("grid_demo")
    mediator = login("mediator_demo")
    street = login("street_demo")

    response = grid.post("/cases/new", data=intake_form())
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    case = reload(case_id)

    response = post_trigger(grid, case, "accept", {"accept-mediator": "mediator_demo"})
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case_id}"
    case = reload(case_id)
    assert (case.status, case.version, case.mediator.username) == (
        "grid_mediation",
        2,
        "mediator_demo",
    )
    assert "已完成“受理”" in text(grid.get(f"/cases/{case_id}"))

    session_page = mediator.get(f"/cases/{case_id}/sessions/new")
    assert session_page.status_code == 200
    ticked = re.findall(r'<input checked[^>]*name="mediator_users"[^>]*>', text(session_page))
    assert len(ticked) == 1 and 'value="mediator_demo"' in ticked[0]
    response = mediator.post(
        f"/cases/{case_id}/sessions/new",
        data=session_form(attendees="王芳、李强", summary="王芳要求赔偿维修费，李强认为金额过高。"),
    )
    assert response.status_code == 302
    assert "王芳要求赔偿维修费" in text(mediator.get(f"/cases/{case_id}"))

    response = post_trigger(
        grid,
        case,
        "escalate",
        {"escalate-reason_code": "cannot_settle", "escalate-reason": "分歧较大，需街道联调。"},
    )
    assert response.status_code == 302
    case = reload(case_id)
    assert case.status == "street_mediation"

    response = post_agreement(street, case, agreement_form())
    assert response.status_code == 302
    case = reload(case_id)
    assert case.status == "agreement_drafted"
    assert case.agreement.terms == ["李强向王芳支付维修费3000元。", "双方就此事再无其他争议。"]
    assert case.agreement.matter is None

    signers = list(case.agreement.required_signers())
    for signer in signers:
        response = street.post(
            f"/cases/{case_id}/signatures",
            data=signature_form(signer),
        )
        assert response.status_code == 302
        assert reload(case_id).status == "agreement_drafted"
    # The street officer holds no community committee's seal: no seal form for her.
    assert "data-seal-form" not in text(street.get(f"/cases/{case_id}"))
    page = text(mediator.get(f"/cases/{case_id}"))
    assert "data-seal-form" in page
    seal = {"version": str(reload(case_id).version), "seal-password": "wrong-password"}
    response = mediator.post(f"/cases/{case_id}/agreement/seal", data=seal)
    assert response.status_code == 400 and "密码不正确" in text(response)
    assert reload(case_id).status == "agreement_drafted"
    response = mediator.post(
        f"/cases/{case_id}/agreement/seal", data={**seal, "seal-password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    case = reload(case_id)
    assert case.status == "agreement_effective" and case.effective_on is not None
    assert case.agreement.sealed_document.issued_by.username == "mediator_demo"
    page = text(street.get(f"/cases/{case_id}"))
    assert "已加盖印章" in page and page.count("data-signed") == len(signers)

    response = street.post(
        f"/cases/{case_id}/visits/new",
        data=visit_form(notes="维修费已付清。"),
    )
    assert response.status_code == 302

    response = post_trigger(street, case, "close")
    assert response.status_code == 302
    case = reload(case_id)
    assert case.status == "closed"
    page = text(street.get(f"/cases/{case_id}"))
    assert "结案归档" in page and trigger_buttons(page) == set()
    actions = list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.seq)
        )
    )
    assert actions == [
        "create",
        "accept",
        "session",
        "escalate",
        "draft_agreement",
        *["sign"] * len(signers),
        "make_effective",
        "visit",
        "close",
    ]


def test_terminate_through_the_page(login):
    """Termination needs a reason and the routes told; both are recorded."""
    case = new_case(status="grid_mediation")
    client = login("mediator_demo")
    response = post_trigger(client, case, "terminate", {"terminate-reason": "分歧过大。"})
    assert response.status_code == 422
    assert "请告知当事人可以通过其他途径维护权利" in text(response)
    response = post_trigger(
        client,
        case,
        "terminate",
        {"terminate-reason": "分歧过大。", "terminate-routes_told": ["litigation", "arbitration"]},
    )
    assert response.status_code == 302
    assert reload(case.id).status == "mediation_failed"
    assert "已告知：诉讼、仲裁" in text(client.get(f"/cases/{case.id}"))


def test_withdraw_through_the_page(login):
    """The applicant's withdrawal is recorded as the reason."""
    case = new_case()
    client = login("street_demo")
    response = post_trigger(client, case, "withdraw", {"withdraw-reason": "申请人撤回申请。"})
    assert response.status_code == 302
    assert reload(case.id).status == "withdrawn"
    assert "申请人撤回申请。" in text(client.get(f"/cases/{case.id}"))


def test_decline_through_the_page(login):
    """不予受理 with a reason from the list; the label appears on the page."""
    case = new_case()
    client = login("mediator_demo")
    response = post_trigger(client, case, "decline", {"decline-reason_code": "not_civil_dispute"})
    assert response.status_code == 302
    assert reload(case.id).status == "declined"
    assert "不属于民间纠纷" in text(client.get(f"/cases/{case.id}"))


def test_reopen_through_the_page(login):
    """退回重新调解 returns to the stage the draft came from and voids signatures."""
    case = new_case(status="agreement_drafted")
    client = login("mediator_demo")
    signer = next(iter(case.agreement.required_signers()))
    client.post(
        f"/cases/{case.id}/signatures",
        data=signature_form(signer),
    )
    case = reload(case.id)
    response = post_trigger(client, case, "reopen", {"reopen-reason": "条款需修改。"})
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "grid_mediation"
    assert all(s.voided_at is not None for s in case.agreement.signatures)
    assert "双方达成一致。" in text(client.get(f"/cases/{case.id}/agreement/draft"))


# ---------------------------------------------------------------------------- refusals


def test_draft_agreement_posted_without_a_session_is_refused_and_shown_disabled(login):
    """The page offers no drafting form before a session (issue 10, item 3); a post made
    anyway is refused with the guard's reason, and the page shows the trigger disabled."""
    case = new_case(status="grid_mediation")
    response = post_agreement(login("mediator_demo"), case, agreement_form())
    assert response.status_code == 422
    page = text(response)
    assert "请先记录至少一次调解（调解记录）" in page
    assert "data-agreement-form" in page
    assert "李强向王芳支付维修费3000元。" in page
    case_page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert 'data-blocked-trigger="draft_agreement"' in case_page
    assert 'data-trigger-link="draft_agreement"' not in case_page
    assert reload(case.id).status == "grid_mediation"


def test_draft_agreement_with_a_bad_date_marks_the_field(login):
    """A malformed date is bad input: 400 and the message next to the field."""
    case = new_case(status="grid_mediation")
    gen_session(case)
    response = post_agreement(
        login("mediator_demo"),
        reload(case.id),
        agreement_form(**{"draft_agreement-performance_deadline": "下个月"}),
    )
    assert response.status_code == 400
    page = text(response)
    assert 'data-field-error="draft_agreement-performance_deadline"' in page
    assert "履行期限应为日期" in page


def test_accept_without_a_mediator_is_refused(login):
    """The grid worker must pick a mediator: 422 and the reason."""
    case = new_case()
    response = post_trigger(login("grid_demo"), case, "accept", {"accept-mediator": ""})
    assert response.status_code == 422
    assert "请指派一名人民调解员" in text(response)


def test_stale_version_answers_409_and_changes_nothing(login):
    """Someone else moved the case first: the page says so and shows the new state."""
    case = new_case()
    stale = case.version
    fire(case, "mediator_demo", "accept", mediator="mediator_demo")
    response = post_trigger(
        login("street_demo"), case, "withdraw", {"withdraw-reason": "撤回。"}, version=stale
    )
    assert response.status_code == 409
    page = text(response)
    assert "案件已被他人更新，请刷新后重试" in page
    assert 'name="version" value="2"' in page and 'name="version" value="1"' not in page
    assert reload(case.id).status == "grid_mediation"


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_missing_or_garbage_version_answers_400(login, version):
    """The version is required and must be a number."""
    case = new_case()
    response = post_trigger(
        login("street_demo"), case, "withdraw", {"withdraw-reason": "撤回。"}, version=version
    )
    assert response.status_code == 400
    assert "version" in text(response)
    assert reload(case.id).status == "intake"
