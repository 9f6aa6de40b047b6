"""Registering a dispute through the API (POST /cases): every field it refuses, and why."""

from tests.api_client import assert_bad_body_refused, bad_bodies
from tests.builders import MISSING, TOO_LONG, applicant, changed, intake, respondent
from tests.factories import APPLICANT_ID, OTHER_DISTRICT_GRID, STREET, id_number

BAD_DATE_ID = id_number("19800230")  # born on 30 February


def party_change(index: int, **changes) -> list[dict]:
    """The intake parties with one of them changed."""
    parties = [applicant(), respondent()]
    parties[index] = changed(parties[index], **changes)
    return parties


def first_party(**changes) -> dict:
    """An intake body whose applicant is changed."""
    return intake(parties=party_change(0, **changes))


BAD_BODIES = {
    ("none", "POST", "/cases"): {
        "title missing": (intake(title=MISSING), "title"),
        "title not text": (intake(title=5), "title"),
        "title blank": (intake(title="   "), "title"),
        "title null": (intake(title=None), "title"),
        "title too long": (intake(title=TOO_LONG), "title"),
        "title with NUL": (intake(title="漏\x00水"), "title"),
        "description missing": (intake(description=MISSING), "description"),
        "description not text": (intake(description=[]), "description"),
        "category unknown": (intake(category="gossip"), "category"),
        "category missing": (intake(category=MISSING), "category"),
        "category not text": (intake(category=["neighbor"]), "category"),
        "source unknown": (intake(source="fax"), "source"),
        "source missing": (intake(source=MISSING), "source"),
        "grid unknown": (intake(grid="999"), "grid"),
        "grid not a grid": (intake(grid=STREET), "grid"),
        "grid out of scope": (intake(grid=OTHER_DISTRICT_GRID), "grid"),
        "grid not text": (intake(grid=42010200200101), "grid"),
        "amount negative": (intake(amount=-1), "amount"),
        "amount not a number": (intake(amount="三千"), "amount"),
        "amount boolean": (intake(amount=True), "amount"),
        "amount three decimals": (intake(amount="1.234"), "amount"),
        "amount infinite": (intake(amount="Infinity"), "amount"),
        "amount huge": (intake(amount="1e15"), "amount"),
        "parties missing": (intake(parties=MISSING), "parties"),
        "parties empty": (intake(parties=[]), "parties"),
        "parties not a list": (intake(parties="王建国"), "parties"),
        "no respondent": (intake(parties=[applicant()]), "parties"),
        "too many parties": (intake(parties=[applicant(), respondent()] * 11), "parties"),
        "party not an object": (intake(parties=["王建国", respondent()]), "parties"),
        "party role unknown": (first_party(role="judge"), "parties.0.role"),
        "party role missing": (first_party(role=MISSING), "role"),
        "party kind unknown": (first_party(kind="alien"), "parties.0.kind"),
        "party name missing": (first_party(name=MISSING), "name"),
        "party name blank": (first_party(name=" "), "parties.0.name"),
        "party sex unknown": (first_party(sex="x"), "parties.0.sex"),
        "ID bad check digit": (first_party(id_number=APPLICANT_ID[:-1] + "1"), "id_number"),
        "ID no such birth date": (first_party(id_number=BAD_DATE_ID), "parties.0.id_number"),
        "ID sex disagrees": (first_party(sex="female"), "parties.0.id_number"),
        "ID fifteen digits": (first_party(id_number="420102800101001"), "parties.0.id_number"),
        "ID not text": (first_party(id_number=420102198001010010), "id_number"),
        "ID of an organisation": (first_party(kind="organization", sex=None), "id_number"),
        "phone too short": (first_party(phone="1381234567"), "parties.0.phone"),
        "phone no such prefix": (first_party(phone="12812345678"), "parties.0.phone"),
        "phone letters": (first_party(phone="call me"), "parties.0.phone"),
        "phone not text": (first_party(phone=13812345678), "phone"),
        "refuses_mediation not bool": (first_party(refuses_mediation="yes"), "refuses_mediation"),
        "party unknown field": (first_party(nickname="老王"), "nickname"),
        "unknown field": (intake(priority="high"), "priority"),
    },
}


@bad_bodies(BAD_BODIES)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    assert_bad_body_refused(api, setup, method, path, body, status, field)
