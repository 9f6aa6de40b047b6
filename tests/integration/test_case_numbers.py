"""Registering a dispute: its number （YYYY）<调委会>人调字第N号, and the input intake refuses."""

import re

import pytest
import sqlalchemy as sa

from mediation.cases import operations as ops
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.models import Case
from tests.factories import (
    GRID,
    OTHER_COMMUNITY_GRID,
    T0,
    beijing,
    case_data,
    events,
    gen_case,
    id_number,
    person,
    user,
)

NUMBER = re.compile(r"（(\d{4})）(.+)人调字第(\d+)号")


def register(who: str = "mediator_demo", grid: str = GRID, now=T0, **fields) -> Case:
    """create_case with a valid form."""
    return ops.create_case(user(who), case_data(grid, **fields), now=now)


def test_the_number_names_the_year_the_committee_and_the_serial():
    """（2026）工农兵人调字第1号: the community committee that owns the grid."""
    case = register()
    assert case.number == "（2026）工农兵人调字第1号"
    assert NUMBER.fullmatch(case.number).groups() == ("2026", "工农兵", "1")
    assert (case.year, case.serial, case.committee.name) == (2026, 1, "工农兵社区人民调解委员会")
    assert events(case)[0].payload == {"number": case.number}


def test_serials_count_up_within_a_committee_and_year():
    """Whoever registers, and on whichever of the community's grids: 1, 2, 3."""
    numbers = [
        register("mediator_demo").number,
        register("grid_demo").number,
        register("street_demo", grid="42010200200103").number,
    ]
    assert numbers == [f"（2026）工农兵人调字第{n}号" for n in (1, 2, 3)]


def test_the_serial_restarts_each_year_on_chinas_calendar():
    """New Year's Eve 23:59 and New Year 00:30 China time (both 2026 in UTC) differ in year."""
    first = register(now=beijing(2026, 12, 31, 23, 59))
    second = register(now=beijing(2026, 12, 31, 23, 59, 30))
    new_year = register(now=beijing(2027, 1, 1, 0, 30))
    late_2026 = register(now=beijing(2026, 12, 31, 23, 59, 59))
    assert new_year.created_at.year == 2026  # still 2026 in UTC
    assert [c.number for c in (first, second, new_year, late_2026)] == [
        "（2026）工农兵人调字第1号",
        "（2026）工农兵人调字第2号",
        "（2027）工农兵人调字第1号",
        "（2026）工农兵人调字第3号",
    ]


def test_committees_count_separately():
    """天声街社区's committee numbers its own cases from 1."""
    ours = [register(), register()]
    theirs = register("street_demo", grid=OTHER_COMMUNITY_GRID)
    assert [c.number for c in ours] == ["（2026）工农兵人调字第1号", "（2026）工农兵人调字第2号"]
    assert theirs.number == "（2026）天声街人调字第1号"
    assert theirs.committee_id != ours[0].committee_id


def test_a_failed_registration_uses_no_serial():
    """Bad input is refused before a number is taken: the next good case gets 1."""
    with pytest.raises(InvalidInput):
        register(title="")
    assert register().number == "（2026）工农兵人调字第1号"


def test_a_number_is_kept_whatever_happens_to_the_case():
    """One identity for the whole life: escalated, agreed, confirmed, closed."""
    case = gen_case(status="closed", via="street_mediation")
    assert case.number == "（2026）工农兵人调字第1号"


# ---------------------------------------------------------------------------- bad input


def party(index: int, **fields) -> dict:
    """The form's parties with fields changed on one of them."""
    parties = case_data()["parties"]
    parties[index] = {**parties[index], **fields}
    return {"parties": parties}


BAD_FORMS = {
    "no title": ({"title": ""}, "title"),
    "title not text": ({"title": 42}, "title"),
    "title too long": ({"title": "纠" * 201}, "title"),
    "title with a NUL": ({"title": "漏水\x00纠纷"}, "title"),
    "no description": ({"description": "   "}, "description"),
    "description too long": ({"description": "情" * 5001}, "description"),
    "unknown category": ({"category": "gossip"}, "category"),
    "category as a list": ({"category": ["neighbor"]}, "category"),
    "no category": ({"category": None}, "category"),
    "unknown source": ({"source": "rumour"}, "source"),
    "source as an object": ({"source": {"code": "application"}}, "source"),
    "amount not a number": ({"amount": "三千"}, "amount"),
    "negative amount": ({"amount": -1}, "amount"),
    "amount with three decimals": ({"amount": "1.005"}, "amount"),
    "amount infinite": ({"amount": "Infinity"}, "amount"),
    "amount a trillion": ({"amount": "1000000000000"}, "amount"),
    "amount as a list": ({"amount": [1]}, "amount"),
    "no grid": ({"grid": None}, "grid"),
    "grid outside the area": ({"grid": "42010600100101"}, "grid"),
    "a street given as the grid": ({"grid": "420102002"}, "grid"),
    "unknown grid": ({"grid": "999"}, "grid"),
    "grid as a number": ({"grid": 42010200200101}, "grid"),
    "no parties": ({"parties": []}, "parties"),
    "parties not a list": ({"parties": "王建国"}, "parties"),
    "only an applicant": ({"parties": [person("applicant", "王建国")]}, "parties"),
    "twenty-one parties": ({"parties": [person("applicant", "甲")] * 21}, "parties"),
    "a party that is not an object": ({"parties": ["王建国", "李秀英"]}, "parties.0"),
    "party without a name": (party(0, name=""), "parties.0.name"),
    "unknown party role": (party(1, role="witness"), "parties.1.role"),
    "party role as a list": (party(1, role=["respondent"]), "parties.1.role"),
    "unknown party kind": (party(0, kind="robot"), "parties.0.kind"),
    "unknown sex": (party(0, sex="x"), "parties.0.sex"),
    "sex as a list": (party(0, sex=["male"]), "parties.0.sex"),
    "bad mobile": (party(0, phone="1381234567"), "parties.0.phone"),
    "phone not text": (party(0, phone=13812345678), "parties.0.phone"),
    "id number for an organisation": (
        party(1, kind="organization", sex=None, legal_representative="李总"),
        "parties.1.id_number",
    ),
    "ethnicity too long": (party(0, ethnicity="族" * 33), "parties.0.ethnicity"),
}


@pytest.mark.parametrize(("fields", "key"), BAD_FORMS.values(), ids=BAD_FORMS.keys())
def test_bad_intake_is_refused_with_a_message_for_the_field(fields, key):
    """400 naming the field in Chinese, never another exception, and nothing registered."""
    with pytest.raises(InvalidInput) as bad:
        register(**fields)
    assert key in bad.value.fields
    assert bad.value.message.startswith("登记信息有误，请按提示修改：")
    assert bad.value.fields[key] in bad.value.message
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_a_form_that_is_not_an_object_is_refused():
    """The API may send a list or a string."""
    for data in (["title"], "title", None):
        with pytest.raises(InvalidInput, match="请求内容应为对象。"):
            ops.create_case(user("mediator_demo"), data)


def test_every_bad_field_is_named_at_once():
    """Several mistakes: all of them, so the user fixes the form once."""
    data = case_data(title="", category="gossip", grid="42010600100101", parties=[])
    with pytest.raises(InvalidInput) as bad:
        ops.create_case(user("mediator_demo"), data)
    assert set(bad.value.fields) == {"title", "category", "grid", "parties"}


# ---------------------------------------------------------------------------- ID numbers

VALID_FEMALE = "11010519491231002X"  # the standard's own example


def id_refusal(number: str, sex: str = "female") -> str | None:
    """The message intake gives for a respondent with this ID number (None: accepted)."""
    try:
        register(**party(1, id_number=number, sex=sex))
    except InvalidInput as bad:
        return bad.fields.get("parties.1.id_number")
    return None


@pytest.mark.parametrize(
    ("number", "sex", "message"),
    [
        (VALID_FEMALE[:-1] + "1", "female", "身份证号码校验位不正确"),
        (id_number("19800230", "124"), "female", "出生日期 19800230 不存在"),
        (id_number("19000229", "124"), "female", "出生日期 19000229 不存在"),
        (id_number("20990101", "124"), "female", "晚于今天"),
        (id_number("18991231", "124"), "female", "早于1900年"),
        (VALID_FEMALE, "male", "第17位表示女性，与所填性别“男”不一致"),
        (id_number("19800101", "123"), "female", "第17位表示男性，与所填性别“女”不一致"),
        ("420102198001011", "female", "这是15位的旧版身份证号码"),
        ("4201021980010112", "female", "身份证号码应为18位，现在是16位"),
        ("42010219800101123Y", "female", "前17位应为数字"),
        (id_number(region="990102"), "male", "前两位 99 不是有效的省级地区代码"),
    ],
    ids=[
        "check digit",
        "30 February",
        "29 February 1900",
        "born in the future",
        "born before 1900",
        "woman entered as a man",
        "man entered as a woman",
        "old 15 digits",
        "16 digits",
        "letter inside",
        "no such province",
    ],
)
def test_id_numbers_are_checked_at_intake(number, sex, message):
    """GB 11643-1999 through create_case: each mistake refused with what to fix."""
    refusal = id_refusal(number, sex)
    assert refusal is not None and message in refusal


@pytest.mark.parametrize(
    "number",
    [
        VALID_FEMALE,
        "11010519491231002x",
        " 1101 0519 4912 3100 2X ",
        "１１０１０５１９４９１２３１００２Ｘ",
    ],
    ids=["standard example", "lower-case x", "with spaces", "full-width"],
)
def test_valid_id_numbers_are_stored_normalised(number):
    """Lower-case x, spaces and full-width digits from Chinese input methods are accepted."""
    assert id_refusal(number) is None
    stored = db.session.scalars(sa.select(Case)).one().parties[1].id_number
    assert stored == VALID_FEMALE


def test_february_29_of_a_leap_year_is_a_real_birthday():
    """2000 was a leap year (divisible by 400)."""
    assert id_refusal(id_number("20000229", "124")) is None
