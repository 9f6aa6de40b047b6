"""Privacy through the API: ID numbers and phones masked in every answer, and shown in full
only through POST /cases/<id>/parties/<party>/reveal, which the audit log records."""

from tests.api_client import (
    actions,
    assert_bad_body_refused,
    bad_bodies,
    create,
    error,
    history,
    ok,
    show,
)
from tests.builders import applicant, intake, respondent
from tests.factories import APPLICANT_ID, APPLICANT_PHONE, RESPONDENT_ID


def full_numbers_in(response) -> list[str]:
    """The parties' full ID numbers and phones that appear anywhere in a response."""
    text = response.get_data(as_text=True)
    full = (APPLICANT_ID, RESPONDENT_ID, APPLICANT_PHONE, "82861234")
    return [number for number in full if number in text]


def test_numbers_are_masked_in_every_answer(api):
    """Intake, detail, list and history never show a full ID number or phone."""
    response = api.post("grid_demo", "/cases", json=intake())
    assert full_numbers_in(response) == []
    case = response.get_json()
    applicant_json, respondent_json = case["parties"]
    assert applicant_json["id_number"] == "420102********001X"
    assert applicant_json["phone"] == "138****5678"
    assert respondent_json["phone"] == "027-******34"
    for user in ("grid_demo", "mediator_demo", "street_demo", "admin_demo"):
        for path in ("/cases", f"/cases/{case['id']}", f"/cases/{case['id']}/history"):
            response = api.get(user, path)
            assert response.status_code == 200
            assert full_numbers_in(response) == [], (user, path)


def test_revealing_a_number_is_logged(api):
    """The full number is answered once, and the audit log says who saw which field of whom."""
    case = create(api)
    party = case["parties"][0]
    path = f"/cases/{case['id']}/parties/{party['id']}/reveal"
    assert ok(api.post("mediator_demo", path, json={"field": "id_number"})) == {
        "value": APPLICANT_ID
    }
    assert ok(api.post("street_demo", path, json={"field": "phone"})) == {"value": APPLICANT_PHONE}
    events = history(api, "mediator_demo", case)
    assert [(e["action"], e["actor"], e["payload"]) for e in events[-2:]] == [
        ("reveal", "mediator_demo", {"party_id": party["id"], "field": "id_number"}),
        ("reveal", "street_demo", {"party_id": party["id"], "field": "phone"}),
    ]
    again = api.get("mediator_demo", f"/cases/{case['id']}")
    assert full_numbers_in(again) == []
    assert show(api, "mediator_demo", case)["version"] == 1


def test_revealing_an_absent_number_answers_empty(api):
    """A party without a phone has nothing to reveal."""
    case = create(api, parties=[applicant(phone=None), respondent()])
    path = f"/cases/{case['id']}/parties/{case['parties'][0]['id']}/reveal"
    assert ok(api.post("mediator_demo", path, json={"field": "phone"})) == {"value": ""}


def test_revealing_a_party_of_another_case_is_not_found(api):
    """The party must belong to the case in the URL."""
    first, second = create(api), create(api)
    path = f"/cases/{first['id']}/parties/{second['parties'][0]['id']}/reveal"
    error(api.post("mediator_demo", path, json={"field": "id_number"}), 404, "not_found")
    assert actions(api, first) == ["create"]


# ---------------------------------------------------------------------------- bad input


BAD_BODIES = {
    ("intake", "POST", "/cases/{id}/parties/{party}/reveal"): {
        "reveal field missing": ({}, "field"),
        "reveal field unknown": ({"field": "name"}, "field"),
        "reveal field not text": ({"field": ["phone"]}, "field"),
    },
}


@bad_bodies(BAD_BODIES)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    assert_bad_body_refused(api, setup, method, path, body, status, field)
