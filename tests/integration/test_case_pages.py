"""The case pages: intake, list, detail, every trigger's form, sessions, visits, signatures."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from mediation.cases import operations as ops
from mediation.extensions import db
from mediation.models import AuditEvent, Case, User
from mediation.models.types import utcnow
from mediation.privacy import id_check_char
from workflows import TRANSITIONS
from workflows.deadlines import CHINA_TZ

CASE_NUMBER = re.compile(r"（\d{4}）\S+人调字第\d+号")
GRID = "42010200200101"  # 工农兵社区第1网格: grid_demo's grid, in mediator_demo's community
OTHER_STREET_GRID = "42010600100101"  # 积玉桥街道, 武昌区
PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


def id_number(born: str, sex_digit: str) -> str:
    """A valid ID number of Wuhan 江岸区 for a birth date and sex digit (odd: male)."""
    first17 = f"420102{born}12{sex_digit}"
    return first17 + id_check_char(first17)


APPLICANT_ID = id_number("19850307", "4")  # a woman
RESPONDENT_ID = id_number("19790611", "3")  # a man


def user(username: str) -> User:
    """A demo user."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def case_count() -> int:
    """How many cases exist."""
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def reload(case_id: int) -> Case:
    """The case as the database has it now."""
    db.session.expire_all()
    return db.session.get(Case, case_id)


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def intake_form(**changes) -> dict:
    """A complete intake post: applicant and respondent in grid_demo's grid; None drops a key."""
    form = {
        "title": "楼上漏水致楼下受损纠纷",
        "category": "neighbor",
        "source": "grid_patrol",
        "grid": GRID,
        "amount": "3500",
        "description": "楼上卫生间漏水，楼下天花板受损，双方就维修费用争执。",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "王芳",
        "parties-0-sex": "female",
        "parties-0-ethnicity": "汉族",
        "parties-0-id_number": APPLICANT_ID,
        "parties-0-phone": "13812345678",
        "parties-0-address": "工农兵路12号",
        "parties-1-role": "respondent",
        "parties-1-kind": "person",
        "parties-1-name": "李强",
        "parties-1-sex": "male",
        "parties-1-id_number": RESPONDENT_ID,
        "parties-1-phone": "13987654321",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def new_case(username: str = "grid_demo", grid: str = GRID, **fields) -> Case:
    """A case registered through the operation (the pages are tested elsewhere in this file)."""
    data = {
        "title": "装修合同尾款纠纷",
        "category": "contract",
        "source": "application",
        "description": "双方就装修尾款发生争执。",
        "grid": grid,
        "parties": [
            {"role": "applicant", "name": "王芳", "sex": "female", "id_number": APPLICANT_ID},
            {"role": "respondent", "name": "李强", "phone": "13987654321"},
        ],
        **fields,
    }
    return ops.create_case(user(username), data)


def fire(case: Case, username: str, trigger: str, **payload) -> Case:
    """Move a case on through the operation."""
    return ops.apply_transition(user(username), case.id, trigger, case.version, payload)


def held_an_hour_ago() -> str:
    """A session or visit time in the past, as the datetime-local input sends it."""
    return (datetime.now(CHINA_TZ) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def record_session(case: Case, username: str = "mediator_demo") -> None:
    """A mediation session on record."""
    ops.record_session(
        user(username),
        case.id,
        {
            "held_at": utcnow() - timedelta(hours=2),
            "location": "工农兵社区人民调解室",
            "attendees": "双方当事人",
            "summary": "双方陈述了各自意见。",
            "outcome": "continuing",
        },
    )


def agreement_form(**changes) -> dict:
    """A complete draft_agreement post."""
    form = {
        "draft_agreement-facts": "楼上漏水致楼下天花板受损，楼上住户承担维修责任。",
        "draft_agreement-terms": "李强向王芳支付维修费3000元。\n双方就此事再无其他争议。",
        "draft_agreement-performance_method": "银行转账",
        "draft_agreement-performance_place": "工农兵社区人民调解委员会",
        "draft_agreement-performance_deadline": (utcnow() + timedelta(days=20)).date().isoformat(),
        "draft_agreement-amount": "3000",
        "draft_agreement-matter": "none",
    }
    form.update(changes)
    return form


def drafted_case() -> Case:
    """A case in grid mediation with a session on record, with its agreement drafted."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
    record_session(case)
    return fire(
        reload(case.id),
        "mediator_demo",
        "draft_agreement",
        facts="双方达成一致。",
        terms=["李强向王芳支付维修费3000元。"],
        performance_method="银行转账",
        performance_place="调解室",
        performance_deadline=(utcnow() + timedelta(days=20)).date().isoformat(),
    )


def effective_case() -> Case:
    """A case whose agreement every signer has signed."""
    case = drafted_case()
    for signer in case.agreement.required_signers():
        ops.sign_agreement(
            user("mediator_demo"),
            case.id,
            {"signer": signer, "method": "typed", "typed_name": "签"},
        )
    return reload(case.id)


def post_trigger(client, case: Case, trigger: str, form: dict | None = None, version=None):
    """Submit a trigger's form from the case page."""
    data = {"version": str(case.version if version is None else version), **(form or {})}
    return client.post(f"/cases/{case.id}/transitions/{trigger}", data=data)


# ---------------------------------------------------------------------------- intake


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
    assert case.parties[0].id_number == APPLICANT_ID
    page = text(client.get(f"/cases/{case_id}"))
    assert "已登记纠纷" in page and case.number in page
    listing = text(client.get("/cases/"))
    assert case.number in listing and "楼上漏水致楼下受损纠纷" in listing


def test_intake_page_offers_only_grids_of_the_users_jurisdiction(login):
    """A street officer picks among her street's grids, grouped by community."""
    page = text(login("street_demo").get("/cases/new"))
    assert 'optgroup label="大智街道 · 工农兵社区"' in page
    assert GRID in page
    assert OTHER_STREET_GRID not in page
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
    ({"parties-0-id_number": APPLICANT_ID[:-1] + "0"}, "校验位不正确"),
    ({"parties-0-id_number": "42010219850307"}, "身份证号码应为18位"),
    ({"parties-0-sex": "male"}, "与所填性别“男”不一致"),
    ({"parties-1-phone": "12345"}, "手机号码应为11位"),
    ({"parties-1-phone": "电话不详"}, "格式不正确"),
    ({"parties-1-role": "applicant"}, "请至少登记一名申请人和一名被申请人"),
    ({"parties-0-role": "judge"}, "请选择当事人类型"),
    ({"grid": OTHER_STREET_GRID}, "请选择您辖区内的一个网格"),
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
    bad_id = APPLICANT_ID[:-1] + "0"
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
    assert "请至少登记一名申请人和一名被申请人" in text(response)


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


# ---------------------------------------------------------------------------- list


def test_case_list_filters_by_status_category_region_overdue_and_text(login):
    """Each filter narrows the list; the filter bar keeps the chosen values."""
    neighbours = new_case(title="邻里噪声纠纷", category="neighbor")
    contract = new_case(
        "mediator_demo", title="装修尾款纠纷", category="contract", grid="42010200200102"
    )
    accepted = fire(contract, "mediator_demo", "accept", mediator="mediator_demo")
    past = datetime(2026, 1, 1, tzinfo=UTC)
    late = {"overdue": True, "deadline_at": past}
    db.session.execute(sa.update(Case).where(Case.id == accepted.id).values(**late))
    db.session.commit()
    client = login("street_demo")

    def listed(query: str) -> set[str]:
        page = text(client.get(f"/cases/?{query}"))
        return set(re.findall(r'data-case-id="(\d+)"', page))

    both = {str(neighbours.id), str(contract.id)}
    assert listed("") == both
    assert listed("status=grid_mediation") == {str(contract.id)}
    assert listed("category=neighbor") == {str(neighbours.id)}
    assert listed("region=42010200200102") == {str(contract.id)}
    assert listed("region=420102002001") == both
    assert listed("overdue=true") == {str(contract.id)}
    assert listed("overdue=false") == {str(neighbours.id)}
    assert listed("q=噪声") == {str(neighbours.id)}
    assert listed("q=王芳") == both
    assert listed(f"q={neighbours.number}") == {str(neighbours.id)}
    page = text(client.get("/cases/?status=grid_mediation&q=装修"))
    assert '<option value="grid_mediation" selected>' in page
    assert 'value="装修"' in page
    assert "网格调处" in page and "已超期" in page


def test_case_list_shows_masked_parties_and_deadline_badges(login):
    """Phones are masked in the list; a deadline within two days is amber."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
    soon = utcnow() + timedelta(hours=30)
    db.session.execute(sa.update(Case).where(Case.id == case.id).values(deadline_at=soon))
    db.session.commit()
    page = text(login("mediator_demo").get("/cases/"))
    assert "139****4321" in page and "13987654321" not in page
    assert 'data-deadline="soon"' in page and "即将到期" in page


def test_case_list_paginates(login):
    """Twenty cases a page, newest first, with links to the other pages."""
    for n in range(23):
        new_case(title=f"第{n}号邻里纠纷")
    client = login("grid_demo")
    first = text(client.get("/cases/"))
    assert len(re.findall(r'data-case-id="', first)) == 20
    assert "共 23 件" in first and "第 1 / 2 页" in first
    assert 'href="/cases/?page=2"' in first
    second = text(client.get("/cases/?page=2"))
    assert len(re.findall(r'data-case-id="', second)) == 3
    assert "第0号邻里纠纷" in second
    small = text(client.get("/cases/?per_page=5&page=3&category=contract"))
    assert len(re.findall(r'data-case-id="', small)) == 5
    assert "page=4" in small and "category=contract" in small


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lost", "未知的状态"),
        ("category=gossip", "未知的纠纷类型"),
        ("overdue=maybe", "overdue 只能是 true 或 false"),
        ("page=0", "page 应为 1 至 1000000 之间的整数"),
        ("page=abc", "page 应为 1 至 1000000 之间的整数"),
        ("per_page=1000", "每页最多 100 条"),
        ("page=99999999999999999999", "page 应为 1 至 1000000 之间的整数"),
    ],
)
def test_case_list_with_a_bad_filter_answers_400(login, query, message):
    """A bad filter value gets the filter bar back and a message, not a crash."""
    response = login("street_demo").get(f"/cases/?{query}")
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'name="status"' in page


def test_case_list_only_shows_the_users_jurisdiction(login):
    """A case of another street is not listed."""
    new_case()
    page = text(login("mediator_other").get("/cases/"))
    assert "共 0 件" in page and "没有符合条件的案件" in page


# ---------------------------------------------------------------------------- detail


def test_case_page_masks_id_number_and_phone(login):
    """The page shows masked numbers and never the full ones."""
    case = new_case()
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert case.number in page and "装修合同尾款纠纷" in page
    assert f"{APPLICANT_ID[:6]}********{APPLICANT_ID[-4:]}" in page
    assert "139****4321" in page
    assert APPLICANT_ID not in page and "13987654321" not in page
    assert 'data-testid="version">版本 1' in page
    assert "查看完整号码" in page


def test_mediator_reveals_full_id_number_and_it_is_logged(login):
    """The button shows the full number once, notes the logging, and writes an audit event."""
    case = new_case()
    applicant = case.parties[0]
    response = login("mediator_demo").post(
        f"/cases/{case.id}/parties/{applicant.id}/reveal", data={"field": "id_number"}
    )
    assert response.status_code == 200
    page = text(response)
    assert APPLICANT_ID in page
    assert "本次查看已记入审计日志" in page
    assert "13987654321" not in page
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq.desc())
    ).first()
    assert event.action == "reveal" and event.actor_role == "mediator"
    assert event.payload == {"party_id": applicant.id, "field": "id_number"}
    assert "查看完整号码" in page and "申请人王芳的身份证号码" in page


def test_grid_worker_cannot_reveal_full_numbers(login):
    """No button for her, and a forged post is refused with 403 and not logged."""
    case = new_case()
    client = login("grid_demo")
    assert "查看完整号码" not in text(client.get(f"/cases/{case.id}"))
    response = client.post(
        f"/cases/{case.id}/parties/{case.parties[1].id}/reveal", data={"field": "phone"}
    )
    assert response.status_code == 403
    assert "13987654321" not in text(response)
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.case_id == case.id))
    assert "reveal" not in list(actions)


def test_revealing_an_unknown_field_answers_400(login):
    """Only the ID number and the phone can be revealed."""
    case = new_case()
    response = login("mediator_demo").post(
        f"/cases/{case.id}/parties/{case.parties[0].id}/reveal", data={"field": "password_hash"}
    )
    assert response.status_code == 400


def test_mediator_of_another_street_gets_404(login):
    """Out of jurisdiction looks exactly like a case that does not exist."""
    case = new_case()
    client = login("mediator_other")
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/cases/{case.id}/sessions/new").status_code == 404
    assert (
        post_trigger(client, case, "decline", {"decline-reason_code": "party_refuses"}).status_code
        == 404
    )
    reveal = client.post(
        f"/cases/{case.id}/parties/{case.parties[0].id}/reveal", data={"field": "id_number"}
    )
    assert reveal.status_code == 404
    assert client.get("/cases/999999").status_code == 404
    assert reload(case.id).status == "intake"


def test_judge_cannot_see_a_case_not_sent_to_her_court(login):
    """Before the application reaches her court the judge gets 404; after, she sees it."""
    case = effective_case()
    client = login("judge_demo")
    assert client.get(f"/cases/{case.id}").status_code == 404
    parties = [p.id for p in case.parties]
    fire(case, "mediator_demo", "request_confirmation", court="420102-court", consents=parties)
    page = text(client.get(f"/cases/{case.id}"))
    assert "司法确认申请中" in page and 'data-trigger="accept_application"' in page


def test_timeline_is_built_from_the_audit_log(login):
    """Each event: China time, actor and role, action label, from → to, reason."""
    case = fire(new_case(), "grid_demo", "accept", mediator="mediator_demo")
    fire(case, "mediator_demo", "withdraw", reason="申请人表示已自行和解。")
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    timeline = page[page.index('data-testid="timeline"') :]
    for expected in ("登记纠纷", "受理", "受理登记 → 网格调处", "申请人撤回", "网格调处 → 已撤回"):
        assert expected in timeline
    assert "王网格 · 网格员" in timeline and "李调解 · 人民调解员" in timeline
    assert "申请人表示已自行和解。" in timeline and "调解员：李调解" in timeline
    created = db.session.scalar(
        sa.select(AuditEvent.at).where(AuditEvent.case_id == case.id, AuditEvent.seq == 1)
    )
    assert created.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") in timeline


# ---------------------------------------------------------------------------- trigger buttons


def trigger_buttons(page: str) -> set[str]:
    """The triggers offered as buttons on a case page."""
    return set(re.findall(r'data-bs-toggle="collapse"[^>]*data-trigger="(\w+)"', page, re.S))


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("grid_demo", {"accept"}),
        ("mediator_demo", {"accept", "decline", "withdraw"}),
        ("street_demo", {"accept", "decline", "withdraw"}),
        ("admin_demo", set()),
    ],
)
def test_each_role_sees_only_the_buttons_of_its_triggers(login, username, expected):
    """An intake case: the grid worker may accept, not decline or withdraw; the admin nothing."""
    case = new_case()
    page = text(login(username).get(f"/cases/{case.id}"))
    assert trigger_buttons(page) == expected


def test_judge_sees_only_court_buttons_and_no_system_trigger_anywhere(login):
    """No page ever offers auto_escalate or make_effective."""
    case = effective_case()
    mediator_page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert trigger_buttons(mediator_page) == {"request_confirmation", "close"}
    fire(
        case, "mediator_demo", "request_confirmation", court="420102-court", joint_application=True
    )
    judge_page = text(login("judge_demo").get(f"/cases/{case.id}"))
    assert trigger_buttons(judge_page) == {"accept_application", "reject_confirmation"}
    for page in (mediator_page, judge_page):
        assert "transitions/auto_escalate" not in page
        assert "transitions/make_effective" not in page


def test_accept_form_offers_only_mediators_of_the_area(login):
    """The mediator select lists active mediators and street officers who can see the grid."""
    case = new_case()
    page = text(login("grid_demo").get(f"/cases/{case.id}"))
    form = page[page.index('id="trigger-accept"') :]
    form = form[: form.index("</form>")]
    assert 'value="mediator_demo"' in form and 'value="street_demo"' in form
    assert "mediator_other" not in form and "grid_demo" not in form


def test_system_triggers_and_unknown_triggers_cannot_be_fired_from_a_page(login):
    """auto_escalate is the system's (403); a made-up trigger is not a page (404)."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
    client = login("street_demo")
    assert post_trigger(client, case, "auto_escalate").status_code == 403
    assert post_trigger(client, case, "teleport").status_code == 404
    assert reload(case.id).status == "grid_mediation"


def test_role_that_may_not_fire_a_trigger_gets_403(login):
    """A grid worker cannot decline, even by posting the form directly."""
    case = new_case()
    response = post_trigger(
        login("grid_demo"), case, "decline", {"decline-reason_code": "party_refuses"}
    )
    assert response.status_code == 403
    assert reload(case.id).status == "intake"


# ---------------------------------------------------------------------------- the main path


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
    assert session_page.status_code == 200 and 'value="李调解"' in text(session_page)
    response = mediator.post(
        f"/cases/{case_id}/sessions/new",
        data={
            "held_at": held_an_hour_ago(),
            "location": "工农兵社区人民调解室",
            "mediators": "李调解",
            "attendees": "王芳、李强",
            "summary": "王芳要求赔偿维修费，李强认为金额过高。",
            "outcome": "continuing",
        },
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

    response = post_trigger(street, case, "draft_agreement", agreement_form())
    assert response.status_code == 302
    case = reload(case_id)
    assert case.status == "agreement_drafted"
    assert case.agreement.terms == ["李强向王芳支付维修费3000元。", "双方就此事再无其他争议。"]
    assert case.agreement.matter is None

    signers = list(case.agreement.required_signers())
    for signer in signers[:-1]:
        response = street.post(
            f"/cases/{case_id}/signatures",
            data={"sign-signer": signer, "sign-method": "typed", "sign-typed_name": "签名人"},
        )
        assert response.status_code == 302
        assert reload(case_id).status == "agreement_drafted"
    response = street.post(
        f"/cases/{case_id}/signatures",
        data={"sign-signer": signers[-1], "sign-method": "typed", "sign-typed_name": "调委会"},
    )
    assert response.status_code == 302
    case = reload(case_id)
    assert case.status == "agreement_effective" and case.effective_on is not None
    page = text(street.get(f"/cases/{case_id}"))
    assert "调解协议已生效" in page and page.count("data-signed") == len(signers)

    response = street.post(
        f"/cases/{case_id}/visits/new",
        data={
            "visited_at": held_an_hour_ago(),
            "performed": "yes",
            "satisfaction": "satisfied",
            "notes": "维修费已付清。",
        },
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


def test_drawn_signature_is_kept_as_an_image(login):
    """A signature drawn on the canvas arrives as a PNG data URL and is shown."""
    case = drafted_case()
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
    case = drafted_case()
    signer = next(iter(case.agreement.required_signers()))
    response = login("mediator_demo").post(
        f"/cases/{case.id}/signatures", data={"sign-signer": signer, "sign-method": "drawn"}
    )
    assert response.status_code == 400
    assert "手写签名须附签名图片" in text(response)


def test_terminate_through_the_page(login):
    """Termination needs a reason and the routes told; both are recorded."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
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
    case = drafted_case()
    client = login("mediator_demo")
    signer = next(iter(case.agreement.required_signers()))
    client.post(
        f"/cases/{case.id}/signatures",
        data={"sign-signer": signer, "sign-method": "typed", "sign-typed_name": "王芳"},
    )
    case = reload(case.id)
    response = post_trigger(client, case, "reopen", {"reopen-reason": "条款需修改。"})
    assert response.status_code == 302
    case = reload(case.id)
    assert case.status == "grid_mediation"
    assert all(s.voided_at is not None for s in case.agreement.signatures)
    page = text(client.get(f"/cases/{case.id}"))
    assert "双方达成一致。" in page[page.index('id="trigger-draft_agreement"') :]


def test_judicial_confirmation_through_the_pages(login):
    """request_confirmation → accept_application → confirm → visit → close."""
    case = effective_case()
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
        data={"visited_at": held_an_hour_ago(), "performed": "yes", "satisfaction": "basically"},
    )
    assert post_trigger(mediator, reload(case.id), "close").status_code == 302
    assert reload(case.id).status == "closed"


def test_request_confirmation_without_every_partys_consent_is_refused(login):
    """One party unticked: 422 with the reason, the form still open with the court chosen."""
    case = effective_case()
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
    case = effective_case()
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


# ---------------------------------------------------------------------------- refusals


def test_draft_agreement_without_a_session_shows_the_reason_with_422(login):
    """The guard's reason is shown, the form stays open with what was typed."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
    response = post_trigger(login("mediator_demo"), case, "draft_agreement", agreement_form())
    assert response.status_code == 422
    page = text(response)
    assert "请先记录至少一次调解（调解记录）" in page
    assert 'class="collapse show" id="trigger-draft_agreement"' in page
    assert "李强向王芳支付维修费3000元。" in page
    assert reload(case.id).status == "grid_mediation"


def test_draft_agreement_with_a_bad_date_marks_the_field(login):
    """A malformed date is bad input: 400 and the message next to the field."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
    record_session(case)
    response = post_trigger(
        login("mediator_demo"),
        reload(case.id),
        "draft_agreement",
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
    assert 'data-testid="version">版本 2' in page
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


# ---------------------------------------------------------------------------- sessions, visits


def test_session_form_with_bad_input_shows_each_problem(login):
    """Missing place and summary, a future time and no outcome: 400, input kept."""
    case = fire(new_case(), "mediator_demo", "accept", mediator="mediator_demo")
    future = (datetime.now(CHINA_TZ) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
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
        data={
            "held_at": held_an_hour_ago(),
            "location": "调解室",
            "attendees": "双方",
            "summary": "陈述。",
            "outcome": "continuing",
        },
    )
    assert response.status_code == 422
    assert "不能记录调解" in text(response)


def test_visit_form_needs_to_know_whether_the_agreement_was_performed(login):
    """No choice made: 400 and the question asked again."""
    case = effective_case()
    response = login("mediator_demo").post(
        f"/cases/{case.id}/visits/new",
        data={"visited_at": held_an_hour_ago(), "satisfaction": "satisfied"},
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
    case = new_case(username="mediator_demo")
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


# ---------------------------------------------------------------------------- 流程图


def test_admin_sees_the_workflow_diagram_with_every_trigger(login):
    """The page carries the Mermaid source, the local mermaid.js and every trigger."""
    response = login("admin_demo").get("/admin/workflow")
    assert response.status_code == 200
    page = text(response)
    assert '<pre class="mermaid' in page and "stateDiagram" in page
    assert "/static/vendor/mermaid/mermaid.min.js" in page and "/static/js/workflow.js" in page
    assert "<details" in page
    for transition in TRANSITIONS:
        assert transition.trigger in page and transition.label in page
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert re.search(r"script-src 'self' 'nonce-[^']+';", policy)


def test_only_the_diagram_page_relaxes_styles(login):
    """Every other page keeps style-src to the nonce."""
    client = login("admin_demo")
    client.get("/admin/workflow")
    policy = client.get("/cases/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "username", ["grid_demo", "mediator_demo", "street_demo", "judge_demo", "mediator_other"]
)
def test_workflow_diagram_is_for_the_admin_only(login, username):
    """Everyone else gets 403."""
    assert login(username).get("/admin/workflow").status_code == 403


def test_mermaid_is_served_locally(client):
    """The vendored library and its licence are static files of the app."""
    assert client.get("/static/vendor/mermaid/mermaid.min.js").status_code == 200
    assert client.get("/static/vendor/mermaid/LICENSE").status_code == 200
