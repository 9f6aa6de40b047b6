"""The record forms of a case: sessions, follow-up visits, signatures and the mediator."""

import re

from tests.builders import PNG, local_time, session_form, visit_form
from tests.factories import reload, sign
from tests.pages import new_case, text


def checked(page: str, name: str) -> set[str]:
    """The values of the ticked checkboxes called name."""
    boxes = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return {re.search(r'value="([^"]*)"', box).group(1) for box in boxes if "checked" in box}


def offered(page: str, name: str) -> set[str]:
    """The values of every checkbox called name."""
    return set(re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page))


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
    assert 'value="王芳"' in page
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


# ---------------------------------------------------------------------------- who was there


def test_session_form_offers_the_parties_and_the_mediators_of_the_area(login):
    """Every party ticked, the mediator recording ticked; a mediator elsewhere not offered."""
    case = new_case(status="grid_mediation")
    page = text(login("mediator_demo").get(f"/cases/{case.id}/sessions/new"))
    party_ids = {str(p.id) for p in case.parties}
    assert offered(page, "attendee_parties") == party_ids == checked(page, "attendee_parties")
    assert "申请人王芳" in page and "被申请人李强" in page
    assert {"mediator_demo", "street_demo"} <= offered(page, "mediator_users")
    assert "mediator_other" not in offered(page, "mediator_users")
    assert checked(page, "mediator_users") == {"mediator_demo"}


def test_a_grid_worker_recording_is_typed_as_the_mediator(login):
    """网格员 is no committee mediator: her name goes in the free text, nothing is ticked."""
    case = new_case(status="grid_mediation")
    page = text(login("grid_demo").get(f"/cases/{case.id}/sessions/new"))
    assert checked(page, "mediator_users") == set()
    assert re.search(r'name="mediators"[^>]*value="[^"]+"', page)


def test_picked_people_are_recorded_by_name_before_those_typed(login):
    """The record keeps the names as text, as the 调解笔录 prints them."""
    case = new_case(status="grid_mediation")
    applicant, respondent = (str(p.id) for p in case.parties)
    response = login("mediator_demo").post(
        f"/cases/{case.id}/sessions/new",
        data=session_form(
            attendee_parties=[respondent, applicant],
            attendees="张律师（申请人代理人）",
            mediator_users=["mediator_demo", "street_demo"],
            mediators="",
        ),
    )
    assert response.status_code == 302
    session = reload(case.id).sessions[0]
    assert session.attendees == "被申请人李强、申请人王芳、张律师（申请人代理人）"
    assert session.mediators == "李调解、张街道"


def test_a_party_of_another_case_is_refused_in_words_and_the_form_kept(login):
    """An attendee id that is not of this case: 400, said next to the field, input kept."""
    case = new_case(status="grid_mediation")
    other = new_case(status="grid_mediation")
    stranger = str(other.parties[0].id)
    response = login("mediator_demo").post(
        f"/cases/{case.id}/sessions/new",
        data=session_form(
            attendee_parties=[str(case.parties[0].id), stranger],
            attendees="张律师",
            summary="双方各自陈述。",
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "所选的参加人中有不是本案当事人的，请重新勾选。" in page
    assert 'id="attendee_parties-error"' in page
    assert 'value="张律师"' in page and "双方各自陈述。</textarea>" in page
    assert checked(page, "attendee_parties") == {str(case.parties[0].id)}
    assert reload(case.id).sessions == []


def test_a_mediator_of_another_district_is_refused_in_words_and_the_form_kept(login):
    """mediator_other works in 武昌区: 400 in words (no username echoed), input kept."""
    case = new_case(status="grid_mediation")
    response = login("mediator_demo").post(
        f"/cases/{case.id}/sessions/new",
        data=session_form(mediator_users=["mediator_demo", "mediator_other"], location="调解室"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "所选的调解员中有人已停用，或不负责本案所在辖区" in page
    assert 'id="mediator_users-error"' in page and 'value="调解室"' in page
    assert "mediator_other" not in re.sub(r"<input[^>]*>", "", page)
    assert reload(case.id).sessions == []


# ---------------------------------------------------------------------------- signatures


def test_signature_form_types_the_name_of_the_signer(login):
    """The first signer still to sign is chosen and her name typed in; every pending
    signer's name is on the select for the page's script."""
    case = new_case(status="agreement_drafted")
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert re.search(r'name="sign-typed_name"[^>]*value="王芳"', page)
    names = re.search(r'data-signer-names="([^"]*)"', page).group(1)
    assert "王芳" in names and "李强" in names and "李调解" in names

    sign(case, f"party:{case.parties[0].id}")
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert re.search(r'name="sign-typed_name"[^>]*value="李强"', page)


def test_a_refused_signature_keeps_the_name_typed(login):
    """A drawn signature without a drawing: the name typed is not replaced by the default."""
    case = new_case(status="agreement_drafted")
    response = login("mediator_demo").post(
        f"/cases/{case.id}/signatures",
        data={"sign-signer": "mediator", "sign-method": "drawn", "sign-typed_name": "李某"},
    )
    assert response.status_code == 400
    assert re.search(r'name="sign-typed_name"[^>]*value="李某"', text(response))
