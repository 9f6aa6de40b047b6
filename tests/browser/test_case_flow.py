"""A dispute from intake to an effective agreement, driven through the real pages in Chromium.

The grid worker registers it on a tablet; the mediator accepts it, records a session, drafts
the agreement and collects the signatures, the first one drawn on the signature pad.
"""

import base64
import random
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from mediation.demo import DEMO_PASSWORD
from mediation.demo.people import fake_id_number
from mediation.extensions import db
from mediation.models.types import utcnow
from mediation.privacy import mask_id_number
from tests.browser.steps import sign_in
from tests.factories import gen_case, reload
from workflows.deadlines import CHINA_TZ

pytestmark = pytest.mark.browser

APPLICANT_ID = "11010519491231002X"  # female, born 1949-12-31
RESPONDENT_ID = fake_id_number(random.Random(7), "male")
BAD_CHECK_DIGIT_ID = APPLICANT_ID[:17] + "3"
APPLICANT_PHONE = "13912345678"
RESPONDENT_PHONE = "027-82861234"
TITLE = "楼上漏水致楼下天花板受损"
CHECK_DIGIT_MESSAGE = "身份证号码校验位不正确，请逐位核对号码，尤其是最后一位。"
PNG_DATA_URL = "data:image/png;base64,"


def case_url(live_server: str) -> re.Pattern:
    """A case page (after a redirect, with or without an anchor)."""
    return re.compile(re.escape(f"{live_server}/cases/") + r"\d+(#\w+)?$")


def party_row(page, index: int):
    """The index-th party card of the intake form, counted from 0."""
    return page.locator("[data-party-row]").nth(index)


def fill_party(row, role: str, name: str, sex: str, id_number: str, phone: str) -> None:
    """Fill one party card the way a grid worker does."""
    row.get_by_label("当事人类型").select_option(label=role)
    row.get_by_label("主体类型").select_option(label="自然人")
    row.get_by_label("姓名或名称").fill(name)
    row.get_by_label("性别").select_option(label=sex)
    row.get_by_label("民族").fill("汉族")
    row.get_by_label("身份证号码").fill(id_number)
    row.get_by_label("联系电话").fill(phone)
    row.get_by_label("住址").fill("武汉市江岸区胜利街88号")


def open_intake_form(page, live_server: str) -> None:
    """Sign in as the grid worker and open 登记纠纷 from her home page."""
    sign_in(page, "grid_demo")
    page.wait_for_url(f"{live_server}/")
    page.get_by_test_id("intake-button").click()
    page.wait_for_url(f"{live_server}/cases/new")
    expect(page.get_by_role("heading", name="登记纠纷")).to_be_visible()


def fill_intake(page, applicant_id: str) -> None:
    """The case fields and the two parties the form starts with."""
    page.get_by_label("纠纷标题").fill(TITLE)
    page.get_by_label("纠纷类型").select_option(label="邻里")
    page.get_by_label("案件来源").select_option(label="当事人申请")
    page.get_by_label("所在网格").select_option(label="工农兵社区第1网格")
    page.get_by_label("涉及金额（元）").fill("3500")
    page.get_by_label("纠纷简要情况").fill("楼上卫生间漏水，楼下天花板受损，双方多次协商未果。")
    fill_party(party_row(page, 0), "申请人", "王秀兰", "女", applicant_id, APPLICANT_PHONE)
    fill_party(party_row(page, 1), "被申请人", "张建军", "男", RESPONDENT_ID, RESPONDENT_PHONE)


def test_grid_worker_registers_a_dispute_on_a_tablet(tablet_page, live_server, traffic):
    page = tablet_page
    open_intake_form(page, live_server)
    expect(page.locator("[data-party-row]")).to_have_count(2)

    # A third party is added with the page's button and taken out again.
    page.get_by_role("button", name="添加当事人").click()
    expect(page.locator("[data-party-row]")).to_have_count(3)
    third = party_row(page, 2)
    expect(third.locator("[data-party-number]")).to_have_text("3")
    expect(third.get_by_label("姓名或名称")).to_be_focused()
    third.get_by_label("当事人类型").select_option(label="第三人")
    third.get_by_label("姓名或名称").fill("赵第三")
    third.get_by_role("button", name="移除").click()
    expect(page.locator("[data-party-row]")).to_have_count(2)
    expect(page.get_by_label("姓名或名称", exact=True)).to_have_count(2)

    fill_intake(page, APPLICANT_ID)
    page.get_by_role("button", name="登记", exact=True).click()

    page.wait_for_url(case_url(live_server))
    year = datetime.now(CHINA_TZ).year
    number = rf"^（{year}）工农兵人调字第\d+号$"
    expect(page.get_by_test_id("number")).to_have_text(re.compile(number))
    expect(page.get_by_role("alert")).to_contain_text("已登记纠纷，案号")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("待受理")

    parties = page.get_by_test_id("parties")
    expect(parties.locator("[data-party-id]")).to_have_count(2)
    expect(parties).to_contain_text("申请人")
    expect(parties).to_contain_text("王秀兰")
    expect(parties).to_contain_text("被申请人")
    expect(parties).to_contain_text("张建军")
    expect(parties).not_to_contain_text("赵第三")
    expect(parties.locator('[data-masked="id_number"]')).to_have_text(
        [mask_id_number(APPLICANT_ID), mask_id_number(RESPONDENT_ID)]
    )
    expect(parties.locator('[data-masked="phone"]')).to_have_text(["139****5678", "027-******34"])
    # Neither the text nor the markup carries a full number.
    for secret in (APPLICANT_ID, RESPONDENT_ID, APPLICANT_PHONE, RESPONDENT_PHONE):
        assert secret not in page.inner_text("body")
        assert secret not in page.content()
    traffic.assert_clean()


def test_bad_id_check_digit_is_shown_next_to_the_field_and_input_kept(
    tablet_page, live_server, traffic
):
    page = tablet_page
    open_intake_form(page, live_server)
    fill_intake(page, BAD_CHECK_DIGIT_ID)
    page.get_by_role("button", name="登记", exact=True).click()

    expect(page.get_by_test_id("problems")).to_contain_text("登记信息有误，请按红色提示修改。")
    applicant = party_row(page, 0)
    id_input = applicant.get_by_label("身份证号码")
    expect(id_input).to_have_class(re.compile(r"\bis-invalid\b"))
    # The message sits in the same field wrapper as the input it is about.
    wrapper = id_input.locator("xpath=..")
    expect(wrapper.locator('[data-field-error="parties-0-id_number"]')).to_have_text(
        CHECK_DIGIT_MESSAGE
    )
    expect(page.locator("[data-field-error]")).to_have_count(1)
    expect(page).to_have_url(f"{live_server}/cases/new")

    # What was typed is still there.
    expect(page.get_by_label("纠纷标题")).to_have_value(TITLE)
    expect(page.get_by_label("纠纷类型")).to_have_value("neighbor")
    expect(id_input).to_have_value(BAD_CHECK_DIGIT_ID)
    expect(applicant.get_by_label("姓名或名称")).to_have_value("王秀兰")
    expect(party_row(page, 1).get_by_label("身份证号码")).to_have_value(RESPONDENT_ID)

    # The rejected post answers 400, which Chromium logs as a failed resource.
    assert [e for e in traffic.console_errors if "status of 400" not in e] == []
    assert traffic.failed_requests == []
    assert traffic.foreign_requests == []


def trigger_form(page, label: str, trigger: str):
    """Open a trigger's collapsed form by its button and return the form."""
    page.get_by_test_id("actions").get_by_role("button", name=label, exact=True).click()
    form = page.locator(f'form[data-trigger-form="{trigger}"]')
    expect(form).to_be_visible()
    return form


def test_mediator_accepts_records_a_session_and_drafts_the_agreement(page, live_server, traffic):
    case = gen_case("grid_demo", "intake", now=utcnow() - timedelta(hours=1), title=TITLE)
    db.session.commit()
    sign_in(page, "mediator_demo")
    page.wait_for_url(f"{live_server}/")
    page.get_by_role("link", name="案件列表").click()
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{live_server}/cases/{case.id}")
    expect(page.get_by_test_id("status")).to_have_text("待受理")

    # 受理, with herself as the mediator.
    form = trigger_form(page, "受理", "accept")
    mediator = form.get_by_label("承办调解员")
    mediator.select_option("mediator_demo")
    expect(mediator.locator("option:checked")).to_contain_text("李调解")
    form.get_by_role("button", name="确认受理").click()
    expect(page.get_by_test_id("status")).to_have_text("网格调处")
    expect(page.get_by_test_id("mediator")).to_have_text("李调解")
    accepted = page.get_by_test_id("timeline").locator('[data-action="accept"]')
    expect(accepted).to_have_count(1)
    expect(accepted).to_contain_text("待受理 → 网格调处")
    expect(accepted).to_contain_text("调解员：李调解")
    expect(accepted).to_contain_text("李调解 · 人民调解员")

    # 记录调解: time, the parties and the mediator are filled in already (issue 10, item 5).
    page.get_by_test_id("actions").get_by_role("link", name="记录调解").click()
    page.wait_for_url(f"{live_server}/cases/{case.id}/sessions/new")
    for who in ("申请人王建国", "被申请人李秀英"):
        expect(page.get_by_role("checkbox", name=who, exact=True)).to_be_checked()
    mediators = page.get_by_test_id("mediators").get_by_role("checkbox", checked=True)
    expect(mediators).to_have_count(1)
    expect(mediators).to_have_value("mediator_demo")
    held_at = page.get_by_label("调解时间")
    expect(held_at).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$"))
    held_at_shown = held_at.input_value().replace("T", " ")
    page.get_by_label("调解地点").fill("工农兵社区人民调解室")
    page.get_by_label("其他参加人").fill("王建国之子王小明")
    page.get_by_label("各方陈述及调解经过").fill("双方陈述了意见，经释法说理，同意赔偿。")
    page.get_by_label("调解结果").select_option(label="达成一致")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server}/cases/{case.id}")
    expect(page.get_by_role("alert")).to_contain_text("已保存调解记录。")
    expect(page.get_by_test_id("sessions")).to_contain_text("工农兵社区人民调解室")
    expect(page.get_by_test_id("sessions")).to_contain_text("同意赔偿")
    expect(page.get_by_test_id("sessions")).to_contain_text(
        "申请人王建国、被申请人李秀英、王建国之子王小明"
    )
    # The time is kept as typed, on China's clock.
    expect(page.get_by_test_id("sessions")).to_contain_text(held_at_shown)
    expect(page.get_by_test_id("timeline").locator('[data-action="session"]')).to_have_count(1)

    # 拟定调解协议: the session reached agreement, so the panel points there first.
    expect(page.get_by_test_id("draft-next")).to_be_visible()
    terms = ["被申请人赔偿申请人维修费3500元。", "双方就此事再无其他争议。"]
    deadline = (datetime.now(CHINA_TZ) + timedelta(days=30)).date().isoformat()
    # The callout and the panel both lead to the drafting page; the user follows the callout.
    page.get_by_test_id("draft-next").get_by_role("link", name="拟定调解协议").click()
    page.wait_for_url(f"{live_server}/cases/{case.id}/agreement/draft")
    page.get_by_label("纠纷事实、争议事项及各方责任").fill("楼上防水层老化漏水，被申请人负全责。")
    page.get_by_label("第1条").fill(terms[0])
    page.get_by_label("第2条").fill(terms[1])
    page.get_by_label("履行方式").fill("银行转账")
    page.get_by_label("履行地点").fill("工农兵社区人民调解委员会")
    page.get_by_label("履行期限").fill(deadline)
    page.get_by_label("协议金额（元）").fill("3500")
    page.get_by_role("button", name="确认拟定调解协议").click()
    expect(page.get_by_test_id("status")).to_have_text("协议待签")
    agreement = page.get_by_test_id("agreement")
    expect(agreement.locator("ol > li")).to_have_text(terms)
    expect(agreement).to_contain_text(deadline)
    drafted = page.get_by_test_id("timeline").locator('[data-action="draft_agreement"]')
    expect(drafted).to_contain_text("网格调处 → 协议待签")
    expect(agreement.locator("[data-signer] .badge")).to_have_text(["待签署"] * 3)
    traffic.assert_clean()


def draw_signature(page, canvas) -> None:
    """Write a stroke on the signature pad with the mouse."""
    box = canvas.bounding_box()
    assert box is not None
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(left + width * 0.1, top + height * 0.6)
    page.mouse.down()
    page.mouse.move(left + width * 0.3, top + height * 0.3, steps=8)
    page.mouse.move(left + width * 0.5, top + height * 0.7, steps=8)
    page.mouse.move(left + width * 0.8, top + height * 0.4, steps=8)
    page.mouse.up()


def test_parties_sign_then_the_seal_makes_the_agreement_effective_on_a_tablet(
    tablet_page, live_server, traffic
):
    """On a 768 px tablet: a drawn signature, typed ones, the seal with the password, and the
    sealed PDF opens."""
    page = tablet_page
    case = gen_case("grid_demo", "agreement_drafted", now=utcnow() - timedelta(hours=1))
    applicant, respondent = (f"party:{p.id}" for p in case.parties)
    db.session.commit()
    sign_in(page, "mediator_demo")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"/cases/{case.id}")
    expect(page.get_by_test_id("status")).to_have_text("协议待签")
    signatures = page.get_by_test_id("signatures")
    form = page.locator("form[data-signature-form]")

    # The applicant signs on the pad.
    form.get_by_label("签名人").select_option(label="申请人王建国")
    form.get_by_label("手写签名", exact=True).check()
    canvas = form.locator("canvas[data-signature-pad]")
    expect(canvas).to_be_visible()
    expect(form.get_by_label("签名姓名")).to_be_hidden()
    draw_signature(page, canvas)
    inked = canvas.evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data"
        ".filter((v, i) => i % 4 === 3 && v > 0).length"
    )
    assert inked > 100, "the stroke left no ink on the pad"
    with page.expect_request(lambda r: r.method == "POST" and "/signatures" in r.url) as sent:
        form.get_by_role("button", name="登记签名").click()
    image = parse_qs(sent.value.post_data).get("sign-image", [""])[0]
    assert image.startswith(PNG_DATA_URL), "signature.js sent no PNG data URL"
    assert base64.b64decode(image.removeprefix(PNG_DATA_URL)).startswith(b"\x89PNG\r\n\x1a\n")

    page.wait_for_url(case_url(live_server))
    expect(page.get_by_role("alert")).to_contain_text("签名已登记。")
    drawn = signatures.locator(f'[data-signer="{applicant}"]')
    expect(drawn.locator("[data-signed]")).to_have_text("已签署")
    expect(drawn.get_by_role("img", name="手写签名")).to_have_attribute("src", image)
    expect(page.get_by_test_id("status")).to_have_text("协议待签")

    # The others sign with typed names, each typed in when the signer is chosen; the draft
    # then waits for the seal.
    typed = [(respondent, "被申请人李秀英", "李秀英"), ("mediator", "调解员", "李调解")]
    for signer, label, name in typed:
        expect(page.get_by_test_id("status")).to_have_text("协议待签")
        form.get_by_label("签名人").select_option(label=label)
        form.get_by_label("输入姓名并按指印").check()
        expect(form.get_by_label("签名姓名")).to_have_value(name)
        form.get_by_role("button", name="登记签名").click()
        row = signatures.locator(f'[data-signer="{signer}"]')
        expect(row.locator("[data-signed]")).to_have_text("已签署")
        expect(row).to_contain_text(name)
    expect(signatures.locator("[data-signed]")).to_have_count(3)
    expect(form).to_have_count(0)
    expect(page.get_by_test_id("status")).to_have_text("协议待签")

    # The seal: a wrong password is refused and nothing changes; the right one seals.
    seal = page.locator("form[data-seal-form]")
    seal.get_by_label("您的登录密码").fill("not-my-password")
    seal.get_by_role("button", name="加盖印章").click()
    expect(page.locator("form[data-seal-form]")).to_contain_text("密码不正确")
    expect(page.get_by_test_id("status")).to_have_text("协议待签")
    seal = page.locator("form[data-seal-form]")
    seal.get_by_label("您的登录密码").fill(DEMO_PASSWORD)
    seal.get_by_role("button", name="加盖印章").click()
    page.wait_for_url(case_url(live_server))
    expect(page.get_by_test_id("status")).to_have_text("协议生效")
    expect(page.get_by_role("alert")).to_contain_text("已加盖调委会印章，调解协议已生效。")
    expect(page.get_by_test_id("seal")).to_contain_text("已加盖印章")
    effective = page.get_by_test_id("timeline").locator('[data-action="make_effective"]')
    expect(effective).to_contain_text("协议待签 → 协议生效")

    # The sealed original opens from the page: the stored bytes, inline.
    link = page.get_by_test_id("documents").get_by_role("link", name="调解协议书", exact=True)
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    stored = reload(case).agreement.sealed_document.file.data
    assert response.body() == stored
    # The wrong password answered 400, which Chromium logs as a failed resource.
    assert [e for e in traffic.console_errors if "status of 400" not in e] == []
    assert traffic.failed_requests == []
    assert traffic.foreign_requests == []
