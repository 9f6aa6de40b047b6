"""The intake page (/cases/new): registering a dispute with its parties, and what it refuses."""

import re

import pytest
import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Case
from tests.builders import intake_form
from tests.factories import GRID, OTHER_DISTRICT_GRID, WANG_FANG_ID, reload
from tests.pages import text

CASE_NUMBER = re.compile(r"（\d{4}）\S+人调字第\d+号")


def case_count() -> int:
    """How many cases exist."""
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def test_grid_worker_registers_case_with_two_parties(login):
    """The intake form creates the case, numbers it, and the list shows it."""
    client = login("grid_demo")
    response = client.post("/cases/new", data=intake_form())
    assert response.status_code == 302
    case_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    case = reload(case_id)
    assert CASE_NUMBER.fullmatch(case.number), case.number
    assert case.status == "intake" and case.amount == 3500
    assert [(p.role, p.name) for p in case.parties] == [
        ("applicant", "王芳"),
        ("respondent", "李强"),
    ]
    assert case.parties[0].id_number == WANG_FANG_ID
    page = text(client.get(f"/cases/{case_id}"))
    assert "已登记纠纷" in page and case.number in page
    listing = text(client.get("/cases/"))
    assert case.number in listing and "楼上漏水致楼下受损纠纷" in listing


def test_intake_page_offers_only_grids_of_the_users_jurisdiction(login):
    """A street officer picks among her street's grids, grouped by community."""
    page = text(login("street_demo").get("/cases/new"))
    assert 'optgroup label="大智街道 · 工农兵社区"' in page
    assert GRID in page
    assert OTHER_DISTRICT_GRID not in page
    assert 'name="parties-0-name"' in page and 'name="parties-1-name"' in page
    assert 'id="party-row-template"' in page and "parties-__index__-name" in page


def test_party_rows_added_on_the_page_are_registered(login):
    """A third row the page's script added (with a gap in the numbering) becomes a party."""
    form = intake_form(
        **{
            "parties-5-role": "third_party",
            "parties-5-kind": "organization",
            "parties-5-name": "工农兵物业公司",
            "parties-5-legal_representative": "周经理",
            "parties-5-phone": "027-85551234",
        }
    )
    response = login("grid_demo").post("/cases/new", data=form)
    assert response.status_code == 302
    case = db.session.scalars(sa.select(Case)).one()
    third = case.parties[2]
    assert (third.role, third.kind, third.name) == ("third_party", "organization", "工农兵物业公司")
    assert third.phone == "027-85551234"


def test_empty_party_rows_are_ignored(login):
    """A row left blank on a page without JavaScript is not a party."""
    form = intake_form(**{"parties-2-role": "third_party", "parties-2-name": ""})
    assert login("grid_demo").post("/cases/new", data=form).status_code == 302
    assert len(db.session.scalars(sa.select(Case)).one().parties) == 2


BAD_INTAKE = [
    ({"title": ""}, "请填写纠纷标题"),
    ({"description": "  "}, "请填写纠纷简要情况"),
    ({"category": "gossip"}, "请选择纠纷类型"),
    ({"category": ""}, "请选择纠纷类型"),
    ({"source": "rumour"}, "请选择案件来源"),
    ({"parties-0-name": ""}, "请填写姓名或名称"),
    ({"parties-0-id_number": WANG_FANG_ID[:-1] + "0"}, "校验位不正确"),
    ({"parties-0-id_number": "42010219850307"}, "身份证号码应为18位"),
    ({"parties-0-sex": "male"}, "与所填性别“男”不一致"),
    ({"parties-1-phone": "12345"}, "手机号码应为11位"),
    ({"parties-1-phone": "电话不详"}, "格式不正确"),
    ({"parties-1-role": "applicant"}, "请至少登记一名申请人和一名被申请人"),
    ({"parties-0-role": "judge"}, "请选择当事人类型"),
    ({"grid": OTHER_DISTRICT_GRID}, "请选择您辖区内的一个网格"),
    ({"grid": "nowhere"}, "请选择您辖区内的一个网格"),
    ({"grid": "420102002"}, "请选择您辖区内的一个网格"),
    ({"amount": "-5"}, "金额应为 0 至 1 万亿元之间的数字"),
    ({"amount": "三千元"}, "金额应为数字"),
    ({"amount": "12.345"}, "金额最多保留两位小数"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INTAKE)
def test_intake_with_bad_input_shows_what_to_fix(login, changes, message):
    """Every bad field answers 400 with its Chinese message; nothing is created."""
    response = login("grid_demo").post("/cases/new", data=intake_form(**changes))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "登记信息有误" in page
    assert case_count() == 0


def test_intake_with_bad_input_keeps_what_the_user_typed(login):
    """The form comes back filled in, the bad field marked next to it."""
    bad_id = WANG_FANG_ID[:-1] + "0"
    response = login("grid_demo").post(
        "/cases/new", data=intake_form(**{"parties-0-id_number": bad_id, "amount": "三千"})
    )
    page = text(response)
    assert 'value="楼上漏水致楼下受损纠纷"' in page
    assert f'value="{bad_id}"' in page and 'value="李强"' in page and 'value="三千"' in page
    assert re.search(r'class="form-control is-invalid"[^>]*name="parties-0-id_number"', page)
    assert 'data-field-error="parties-0-id_number"' in page
    assert 'data-field-error="amount"' in page
    assert 'data-field-error="parties-1-id_number"' not in page


def test_intake_with_no_parties_at_all_asks_for_them(login):
    """Both rows removed: the message says who must be registered."""
    form = {k: v for k, v in intake_form().items() if not k.startswith("parties-")}
    response = login("grid_demo").post("/cases/new", data=form)
    assert response.status_code == 400
    assert "当事人至少两名：一名申请人和一名被申请人，现在登记了0名，请补充。" in text(response)


@pytest.mark.parametrize("username", ["judge_demo", "admin_demo"])
def test_roles_that_do_not_register_disputes_cannot_open_intake(login, username):
    """The judge and the admin get 403 on the form and on a post."""
    client = login(username)
    assert client.get("/cases/new").status_code == 403
    assert client.post("/cases/new", data=intake_form()).status_code == 403
    assert case_count() == 0


def test_intake_without_csrf_token_is_refused(login):
    """A forged post without the token changes nothing."""
    response = login("grid_demo").post("/cases/new", data=intake_form(), csrf=False)
    assert response.status_code == 400
    assert case_count() == 0


def label_of_field(page: str, field_id: str) -> str:
    """The label element of the input with this id, and what stands right after it."""
    label = rf'<label[^>]*for="{re.escape(field_id)}"[^>]*>.*?</label>(<span[^>]*>\*</span>)?'
    match = re.search(label, page, re.S)
    assert match, field_id
    return match.group(0)


def test_intake_marks_its_required_fields(login):
    """Required fields carry the asterisk the note explains, and `required` for screen readers;
    an optional one carries neither."""
    page = text(login("grid_demo").get("/cases/new"))
    assert "标有" in page and "的为必填项" in page
    required = ["title", "category", "source", "grid", "description"]
    required += ["parties-0-role", "parties-0-name", "parties-1-role", "parties-1-name"]
    for field_id in required:
        assert "data-required-mark" in label_of_field(page, field_id), field_id
        assert re.search(rf'<(input|select|textarea)[^>]*id="{field_id}"[^>]*\brequired\b', page)
    for field_id in ("amount", "parties-0-phone", "parties-0-address"):
        assert "data-required-mark" not in label_of_field(page, field_id), field_id


def test_intake_refusal_names_the_choices_in_words_on_the_field(login):
    """A bad 纠纷类型 is marked on its own select, listed in words, with no code in sight."""
    response = login("grid_demo").post("/cases/new", data=intake_form(category="gossip"))
    assert response.status_code == 400
    page = text(response)
    error = re.search(
        r'<div class="invalid-feedback[^"]*" id="category-error".*?</div>', page, re.S
    )
    assert error and "请选择纠纷类型：婚姻家庭、邻里" in error.group(0)
    select = re.search(r'<select[^>]*id="category"[^>]*>', page)
    assert select and 'aria-invalid="true"' in select.group(0) and "is-invalid" in select.group(0)
    assert "marriage_family" not in error.group(0) and "gossip" not in error.group(0)
    assert 'value="楼上漏水致楼下受损纠纷"' in page
