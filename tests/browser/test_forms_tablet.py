"""Forms that know what the system knows, on a tablet (768 px): the intake fills sex and birth
date from the ID number and shows each party the fields of its kind; the agreement is written
on a page of its own, its terms a list to add to and reorder."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.factories import gen_session, id_number, reload
from tests.pages import new_case

pytestmark = pytest.mark.browser

WOMAN_1985 = id_number("19850307", "124")
MAN_1979 = id_number("19790611", "123")


def party_row(page, index: int):
    """The index-th party card of the intake form, counted from 0."""
    return page.locator("[data-party-row]").nth(index)


def test_intake_on_a_tablet_fills_sex_and_birth_date_from_the_id(tablet_page, traffic):
    """Typing a valid number fills both fields; a wrong check digit says so instead; the first
    two cards cannot be removed; an organisation is asked for its legal representative."""
    page = tablet_page
    sign_in(page, "grid_demo")
    page.goto("/cases/new")
    applicant, respondent = party_row(page, 0), party_row(page, 1)
    for row in (applicant, respondent):
        expect(row.get_by_role("button", name="移除")).to_have_count(0)
        expect(row.get_by_label("法定代表人")).to_be_hidden()

    applicant.get_by_label("身份证号码").fill(WOMAN_1985)
    expect(applicant.get_by_label("性别")).to_have_value("female")
    expect(applicant.get_by_label("出生日期")).to_have_value("1985-03-07")
    expect(applicant.locator("[data-id-hint]")).to_have_text("已按身份证号码填入性别和出生日期。")
    # Full-width digits, as a Chinese input method types them, count too.
    wide = MAN_1979.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    respondent.get_by_label("身份证号码").fill(wide)
    expect(respondent.get_by_label("性别")).to_have_value("male")
    expect(respondent.get_by_label("出生日期")).to_have_value("1979-06-11")

    wrong = MAN_1979[:-1] + ("1" if MAN_1979[-1] != "1" else "2")
    respondent.get_by_label("身份证号码").fill(wrong)
    expect(respondent.locator("[data-id-hint]")).to_have_text(
        "身份证号码校验位或出生日期不正确，请逐位核对。"
    )

    page.get_by_role("button", name="添加当事人").click()
    third = party_row(page, 2)
    expect(third.get_by_role("button", name="移除")).to_be_visible()
    third.get_by_label("主体类型").select_option(label="法人或其他组织")
    expect(third.get_by_label("法定代表人")).to_be_visible()
    expect(third.get_by_label("身份证号码")).to_be_hidden()
    expect(third.get_by_label("性别")).to_be_hidden()
    wide_page = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide_page, "the intake form scrolls sideways at 768 px"
    traffic.assert_clean()


def test_agreement_page_on_a_tablet_adds_and_reorders_terms(tablet_page, live_server, traffic):
    """From the case page to the agreement's own page: a term added, moved up and posted; the
    agreement keeps the order the page showed."""
    case = new_case(status="grid_mediation")
    gen_session(case)
    page = tablet_page
    sign_in(page, "mediator_demo")
    page.goto(f"/cases/{case.id}")
    page.get_by_role("link", name="拟定调解协议").click()
    page.wait_for_url(f"{live_server}/cases/{case.id}/agreement/draft")
    form = page.locator("[data-agreement-form]")
    box = form.get_by_label("纠纷事实、争议事项及各方责任").bounding_box()
    assert box is not None and box["width"] > 600, "the agreement is written full width"

    form.get_by_label("纠纷事实、争议事项及各方责任").fill("楼上漏水，李强负全责。")
    form.get_by_label("第1条").fill("李强向王芳支付维修费3000元。")
    form.get_by_label("第2条").fill("双方就此事再无其他争议。")
    form.get_by_label("第3条").fill("")
    form.locator("[data-term-row]").nth(2).get_by_role("button", name="删除").click()
    expect(form.locator("[data-term-row]")).to_have_count(2)
    form.get_by_role("button", name="添加条款").click()
    expect(form.get_by_label("第3条")).to_be_focused()
    form.get_by_label("第3条").fill("李强于7日内修复漏水的管道。")
    form.locator("[data-term-row]").nth(2).get_by_role("button", name="上移").click()
    expect(form.get_by_label("第2条")).to_have_value("李强于7日内修复漏水的管道。")
    expect(form.get_by_label("第3条")).to_have_value("双方就此事再无其他争议。")
    expect(
        form.locator("[data-term-row]").first.get_by_role("button", name="上移")
    ).to_be_disabled()

    form.get_by_label("履行方式").fill("银行转账")
    form.get_by_label("履行地点").fill("工农兵社区人民调解委员会")
    form.get_by_label("履行期限").fill("2027-01-15")
    form.get_by_label("协议金额（元）").fill("3000")
    form.get_by_role("button", name="确认拟定调解协议").click()
    expect(page.get_by_test_id("status")).to_have_text("协议待签")
    terms = [
        "李强向王芳支付维修费3000元。",
        "李强于7日内修复漏水的管道。",
        "双方就此事再无其他争议。",
    ]
    expect(page.get_by_test_id("agreement").locator("ol > li")).to_have_text(terms)
    assert reload(case.id).agreement.terms == terms
    traffic.assert_clean()
