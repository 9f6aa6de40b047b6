"""The intake form knows what an ID number says, keeps the two minimum parties, and asks for a
legal representative of organisations only."""

import re
from datetime import date

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Case
from mediation.papers import build
from tests.builders import intake_form
from tests.factories import WANG_FANG_ID
from tests.pages import text

# WANG_FANG_ID is a woman's, born 1985-03-07; LI_QIANG_ID a man's, born 1979-06-11.
ORGANIZATION = {
    "parties-2-role": "third_party",
    "parties-2-kind": "organization",
    "parties-2-name": "工农兵物业公司",
    "parties-2-legal_representative": "周经理",
}


def registered() -> Case | None:
    """The one case registered, if any."""
    return db.session.scalars(sa.select(Case)).one_or_none()


def post(login, **changes):
    """The grid worker posts the intake form with these changes."""
    return login("grid_demo").post("/cases/new", data=intake_form(**changes))


def test_a_valid_id_number_gives_sex_and_birth_date(login):
    """Sex and birth date left empty are taken from the ID number."""
    response = post(login, **{"parties-0-sex": "", "parties-1-sex": ""})
    assert response.status_code == 302
    applicant, respondent = registered().parties
    assert (applicant.sex, applicant.birth_date) == ("female", date(1985, 3, 7))
    assert (respondent.sex, respondent.birth_date) == ("male", date(1979, 6, 11))


def test_a_birth_date_typed_as_the_id_number_says_is_kept(login):
    """A birth date that agrees with the number is accepted."""
    response = post(login, **{"parties-0-birth_date": "1985-03-07"})
    assert response.status_code == 302
    assert registered().parties[0].birth_date == date(1985, 3, 7)


def test_a_wrong_check_digit_is_refused_and_nothing_derived(login):
    """One mistyped character: the check digit says so, beside the field."""
    bad = WANG_FANG_ID[:-1] + ("0" if WANG_FANG_ID[-1] != "0" else "1")
    response = post(login, **{"parties-0-id_number": bad, "parties-0-sex": ""})
    assert response.status_code == 400
    page = text(response)
    assert "身份证号码校验位不正确" in page
    assert 'data-field-error="parties-0-id_number"' in page and f'value="{bad}"' in page
    assert registered() is None


def test_a_birth_date_contradicting_the_id_number_is_refused_in_words(login):
    """The message names both dates; the typed one stays in the field."""
    response = post(login, **{"parties-0-birth_date": "1985-07-03"})
    assert response.status_code == 400
    page = text(response)
    assert (
        "出生日期 1985-07-03 与身份证号码中的出生日期 1985-03-07 不一致，请核对号码或出生日期。"
        in page
    )
    assert 'data-field-error="parties-0-birth_date"' in page and 'value="1985-07-03"' in page
    assert registered() is None


def test_a_sex_contradicting_the_id_number_is_refused_in_words(login):
    """李强's number encodes a man: 女 is refused, saying which digit tells."""
    response = post(login, **{"parties-1-sex": "female"})
    assert response.status_code == 400
    assert "身份证号码第17位表示男性，与所填性别“女”不一致" in text(response)
    assert registered() is None


def test_a_birth_date_without_an_id_number_is_kept_and_checked(login):
    """No number: the typed birth date is kept; one in the future is refused."""
    no_id = {"parties-1-id_number": "", "parties-1-sex": "male"}
    response = post(login, **no_id, **{"parties-1-birth_date": "2099-01-01"})
    assert response.status_code == 400
    assert "出生日期不合理，请核对年份。" in text(response)
    response = post(login, **no_id, **{"parties-1-birth_date": "1979-06-11"})
    assert response.status_code == 302
    respondent = registered().parties[1]
    assert (respondent.id_number, respondent.birth_date) == (None, date(1979, 6, 11))
    # The agreement gives his age from it, as it does from an ID number.
    assert build.party_details(respondent, date(2026, 6, 10))["age"] == 46
    assert build.party_details(respondent, date(2026, 6, 11))["age"] == 47


def test_fewer_than_two_parties_is_refused_with_the_count(login):
    """Only the applicant's row sent: the message says two are needed and one was given."""
    form = {k: v for k, v in intake_form().items() if not k.startswith("parties-1-")}
    response = login("grid_demo").post("/cases/new", data=form)
    assert response.status_code == 400
    assert "当事人至少两名：一名申请人和一名被申请人，现在登记了1名，请补充。" in text(response)
    assert registered() is None


def test_the_two_minimum_rows_have_no_remove_button(login):
    """The applicant's and respondent's cards cannot be removed; an added card can."""
    page = text(login("grid_demo").get("/cases/new"))
    rows = page.split("data-party-row")[1:]
    assert len(rows) == 3  # two cards and the template's
    assert ["data-remove-party" in row.split("card-body")[0] for row in rows] == [
        False,
        False,
        True,
    ]
    assert page.count("data-party-fixed") == 2


def test_a_person_with_a_legal_representative_is_refused(login):
    """法定代表人 belongs to organisations: for a natural person it is refused, in words."""
    response = post(login, **{"parties-0-legal_representative": "王大"})
    assert response.status_code == 400
    page = text(response)
    assert "自然人不填写法定代表人（仅法人或其他组织填写）" in page
    assert 'data-field-error="parties-0-legal_representative"' in page
    assert registered() is None


def test_an_organization_needs_its_legal_representative(login):
    """An organisation without one is refused; with one it is registered."""
    without = {**ORGANIZATION, "parties-2-legal_representative": ""}
    response = post(login, **without)
    assert response.status_code == 400
    assert "请填写法定代表人（法人或其他组织须填写）。" in text(response)
    assert registered() is None
    assert post(login, **ORGANIZATION).status_code == 302
    company = registered().parties[2]
    assert (company.kind, company.legal_representative) == ("organization", "周经理")
    assert (company.sex, company.birth_date, company.id_number) == (None, None, None)


def test_an_organization_with_a_birth_date_or_an_id_number_is_refused(login):
    """Person-only facts on an organisation are refused, each beside its field."""
    response = post(
        login, **ORGANIZATION, **{"parties-2-birth_date": "1990-01-01", "parties-2-sex": "male"}
    )
    assert response.status_code == 400
    assert "法人或其他组织不填写性别和出生日期。" in text(response)
    response = post(login, **ORGANIZATION, **{"parties-2-id_number": WANG_FANG_ID})
    assert response.status_code == 400
    assert "法人或其他组织不填写身份证号码，请填写法定代表人。" in text(response)
    assert registered() is None


def test_the_party_row_marks_fields_by_kind(login):
    """The page's script hides by these marks: person-only fields and the organisation's."""
    page = text(login("grid_demo").get("/cases/new"))
    first = page.split("data-party-row")[1]

    def marked(mark: str, name: str) -> bool:
        label = rf'<label class="form-label" for="parties-0-{name}"'
        return re.search(rf'data-{mark}>\s*<div class="">\s*{label}', first) is not None

    assert marked("organization", "legal_representative")
    assert not marked("person", "legal_representative")
    for name in ("id_number", "sex", "birth_date"):
        assert marked("person", name) and not marked("organization", name)
    assert 'data-id-filled="已按身份证号码填入性别和出生日期。"' in page
