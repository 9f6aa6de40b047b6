"""The record forms of a case: sessions, follow-up visits, signatures and the mediator."""

from tests.builders import PNG, local_time, session_form, visit_form
from tests.factories import reload
from tests.pages import new_case, text


def test_drawn_signature_is_kept_as_an_image(login):
    """A signature drawn on the canvas arrives as a PNG data URL and is shown."""
    case = new_case(status="agreement_drafted")
    signer = next(iter(case.agreement.required_signers()))
    response = login("mediator_demo").post(
        f"/cases/{case.id}/signatures",
        data={"sign-signer": signer, "sign-method": "drawn", "sign-image": PNG},
    )
    assert response.status_code == 302
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert f'src="{PNG}"' in page


def test_drawn_signature_without_a_drawing_is_refused(login):
    """Choosing 手写签名 and sending no image answers 400 with the message."""
    case = new_case(status="agreement_drafted")
    signer = next(iter(case.agreement.required_signers()))
    response = login("mediator_demo").post(
        f"/cases/{case.id}/signatures", data={"sign-signer": signer, "sign-method": "drawn"}
    )
    assert response.status_code == 400
    assert "手写签名须附签名图片" in text(response)


def test_session_form_with_bad_input_shows_each_problem(login):
    """Missing place and summary, a future time and no outcome: 400, input kept."""
    case = new_case(status="grid_mediation")
    future = local_time(-48)
    response = login("mediator_demo").post(
        f"/cases/{case.id}/sessions/new",
        data={"held_at": future, "attendees": "王芳", "outcome": "maybe"},
    )
    assert response.status_code == 400
    page = text(response)
    for message in (
        "调解时间不能晚于现在",
        "请填写调解地点",
        "请填写各方陈述及调解经过",
        "请选择调解结果",
    ):
        assert message in page
    assert 'value="王芳"' not in page and "王芳</textarea>" in page
    assert reload(case.id).sessions == []


def test_session_on_a_case_not_under_mediation_is_refused(login):
    """An intake case has no sessions yet: 422 with the reason."""
    case = new_case()
    response = login("grid_demo").post(
        f"/cases/{case.id}/sessions/new",
        data=session_form(),
    )
    assert response.status_code == 422
    assert "不能记录调解" in text(response)


def test_visit_form_needs_to_know_whether_the_agreement_was_performed(login):
    """No choice made: 400 and the question asked again."""
    case = new_case(status="agreement_effective")
    response = login("mediator_demo").post(
        f"/cases/{case.id}/visits/new",
        data=visit_form(performed=None),
    )
    assert response.status_code == 400
    assert "请选择协议是否已履行" in text(response)


def test_judge_and_admin_cannot_record_sessions(login):
    """Recording is for the grid worker, the mediator and the street officer."""
    case = new_case()
    assert login("admin_demo").get(f"/cases/{case.id}/sessions/new").status_code == 403
    assert login("admin_demo").get(f"/cases/{case.id}/visits/new").status_code == 403


def test_street_officer_assigns_another_mediator(login):
    """The assign form on the case page changes the mediator and logs it."""
    case = new_case("mediator_demo")
    client = login("street_demo")
    response = client.post(f"/cases/{case.id}/mediator", data={"assign-mediator": "street_demo"})
    assert response.status_code == 302
    assert reload(case.id).mediator.username == "street_demo"
    response = client.post(f"/cases/{case.id}/mediator", data={"assign-mediator": "mediator_other"})
    assert response.status_code == 422
    assert "不负责本案所在辖区" in text(response)
    assert (
        login("grid_demo")
        .post(f"/cases/{case.id}/mediator", data={"assign-mediator": "mediator_demo"})
        .status_code
        == 403
    )
