"""The judge's day, driven through the real pages in Chromium on a 768 px tablet.

The mediator applies for judicial confirmation on the application page; the judge finds the
application in her 待决定受理 queue, accepts it under the next 民特 number, edits the ruling on
its full-width page and issues it; the sealed 民事裁定书 opens; the mediator then sees the
court's decisions in her notices. A shorter day: 不予受理 with a ground from the list.
"""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from mediation.extensions import db
from mediation.models.types import utcnow
from mediation.papers.court import default_ruling_text
from tests.browser.steps import sign_in
from tests.factories import COURT, gen_case, reload, unit
from workflows.deadlines import china_time

pytestmark = pytest.mark.browser

ADDED = "双方当事人均到庭确认调解协议系自愿达成。"
GROUND = "调解协议内容涉及物权、知识产权确权"


# ---------------------------------------------------------------------------- steps


def switch_user(page, live_server: str, username: str) -> None:
    """Drop the session (as a shared tablet is handed over) and sign in as someone else."""
    page.context.clear_cookies()
    sign_in(page, username)
    page.wait_for_url(f"{live_server}/")


def new_case(status: str):
    """A case of 王建国 and 李秀英 on grid_demo's grid, mediated by mediator_demo, driven to
    status through the operations and started an hour ago (so every window is open)."""
    case = gen_case("grid_demo", status, now=utcnow() - timedelta(hours=1))
    db.session.commit()
    return case


def one_page_pdf() -> bytes:
    """A small scanned-looking PDF: one blank A4 page."""
    writer, out = PdfWriter(), BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def flat_pdf_text(data: bytes) -> str:
    """Every page's text without white space (a line break may split a phrase)."""
    return "".join("".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def court_case_number_pattern() -> re.Pattern:
    """（<this year in China>）鄂0102民特<N>号: the number the app assigns at 江岸区人民法院."""
    year = china_time(utcnow()).year  # as the app numbers it, on China's calendar
    short_name = unit("court", COURT).short_name
    return re.compile(rf"^（{year}）{re.escape(short_name)}民特\d+号$")


def apply_for_confirmation(page, live_server: str, case) -> None:
    """The mediator opens the case, then 申请司法确认: both consents, one identity proof."""
    switch_user(page, live_server, "mediator_demo")
    page.goto(f"/cases/{case.id}")
    expect(page.get_by_test_id("status")).to_have_text("协议生效")
    page.get_by_test_id("actions").get_by_role("link", name="申请司法确认").click()
    page.wait_for_url(f"{live_server}/cases/{case.id}/confirmation")
    form = page.get_by_test_id("confirmation-form")
    # 江岸区人民法院 is the only competent court, so it is chosen already.
    expect(form.get_by_label("受理法院", exact=True)).to_have_value(COURT)
    consents = form.locator("fieldset[data-party-id]")
    expect(consents).to_have_count(len(case.parties))
    for index in range(len(case.parties)):
        consents.nth(index).get_by_label("同意共同申请").check()
    form.get_by_label("当事人身份证明", exact=True).set_input_files(
        {"name": "身份证复印件.pdf", "mimeType": "application/pdf", "buffer": one_page_pdf()}
    )
    form.get_by_role("button", name="提交司法确认申请").click()
    page.wait_for_url(re.compile(re.escape(f"{live_server}/cases/{case.id}") + r"(#\w+)?$"))
    expect(page.get_by_role("alert")).to_contain_text("已提交司法确认申请")
    expect(page.get_by_test_id("status")).to_have_text("司法确认申请中")


def queue_row(page, status: str, case):
    """The case's row in one queue of the judge's workbench."""
    return page.get_by_test_id(f"queue-{status}").locator(f'[data-case-id="{case.id}"]')


def open_from_queue(page, live_server: str, status: str, case) -> None:
    """Open the court's case page from the case's row in a workbench queue."""
    queue_row(page, status, case).get_by_role("link", name=case.title).click()
    page.wait_for_url(f"{live_server}/court/cases/{case.id}")


def open_ruling_pdf(page) -> bytes:
    """Fetch the 民事裁定书 the court case page links to, in the page's own session."""
    link = page.get_by_test_id("papers").get_by_test_id("ruling-link")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    return body


def judge_accepts_with_the_next_number(page, live_server: str, case) -> str:
    """From 待决定受理 on the workbench: 受理 with the number left blank; returns the number."""
    page.goto("/court/")
    row = queue_row(page, "confirmation_requested", case)
    expect(row).to_contain_text(case.title)
    deadline = china_time(reload(case).deadline_at).date().isoformat()
    expect(row.get_by_test_id("deadline")).to_have_text(deadline)
    expect(row.locator("[data-clock]")).to_have_text(re.compile(r"^还剩\d+天$"))
    open_from_queue(page, live_server, "confirmation_requested", case)
    expect(page.get_by_test_id("status")).to_have_text("司法确认申请中")
    expect(page.get_by_test_id("application").get_by_test_id("materials")).to_contain_text(
        "身份证复印件.pdf"
    )

    form = page.locator('form[data-decision-form="accept"]')
    expect(form.get_by_label("法院案号（选填）")).to_have_value("")
    form.get_by_role("button", name="决定受理").click()
    page.wait_for_url(f"{live_server}/court/cases/{case.id}")
    number = page.get_by_test_id("court-case-number")
    expect(number).to_have_text(court_case_number_pattern())
    expect(page.get_by_role("alert")).to_contain_text(f"已受理，法院案号 {number.inner_text()}")
    expect(page.get_by_test_id("status")).to_have_text("法院已受理")
    return number.inner_text()


def judge_confirms_with_a_sentence_added(page, live_server: str, case, number: str) -> None:
    """From 待裁定: the ruling page, its text pre-filled; one sentence added, then issued."""
    page.get_by_role("link", name="司法确认工作台").click()
    page.wait_for_url(f"{live_server}/court/")
    expect(page.get_by_test_id("queue-confirmation_requested")).to_contain_text(
        "没有待决定受理的申请"
    )
    expect(queue_row(page, "confirmation_accepted", case)).to_contain_text(number)
    open_from_queue(page, live_server, "confirmation_accepted", case)

    page.get_by_test_id("confirm-link").click()
    page.wait_for_url(f"{live_server}/court/cases/{case.id}/ruling")
    text = page.get_by_label("裁定书正文")
    case = reload(case)
    prefilled = default_ruling_text(case, case.application, "confirmed")
    expect(text).to_have_value(prefilled)
    text.fill(f"{prefilled}\n\n{ADDED}")
    page.get_by_role("button", name="出具裁定书").click()
    page.wait_for_url(f"{live_server}/court/cases/{case.id}")
    expect(page.get_by_role("alert")).to_contain_text("已裁定确认调解协议有效，民事裁定书已出具。")
    expect(page.get_by_test_id("status")).to_have_text("司法确认有效")
    expect(page.get_by_test_id("ruling")).to_contain_text(ADDED)


# ---------------------------------------------------------------------------- the tests


@pytest.mark.documents  # the ruling's text is read: its PDFs are rendered for real
def test_judge_accepts_and_confirms_and_the_mediator_is_told(tablet_page, live_server, traffic):
    page = tablet_page
    case = new_case("agreement_effective")
    apply_for_confirmation(page, live_server, case)

    switch_user(page, live_server, "judge_demo")
    number = judge_accepts_with_the_next_number(page, live_server, case)
    judge_confirms_with_a_sentence_added(page, live_server, case, number)
    ruling = flat_pdf_text(open_ruling_pdf(page))
    assert number in ruling
    assert ADDED in ruling

    # The mediator's navigation counts the court's two decisions; the notices list them.
    switch_user(page, live_server, "mediator_demo")
    unread = page.get_by_role("img", name="2 条未读通知")
    expect(unread).to_have_text("2")
    unread.click()
    page.wait_for_url(f"{live_server}/notices/")
    notices = page.get_by_test_id("notices").locator("[data-notice-id]")
    expect(notices).to_have_text(
        [
            re.compile("法院裁定确认调解协议有效。"),
            re.compile(re.escape(f"法院已受理司法确认申请，案号{number}。")),
        ]
    )
    expect(page.get_by_test_id("notices").locator('[data-unread="true"]')).to_have_count(2)
    traffic.assert_clean()


def test_judge_does_not_accept_an_application_on_a_ground_from_the_list(
    tablet_page, live_server, traffic
):
    page = tablet_page
    case = new_case("confirmation_requested")
    sign_in(page, "judge_demo")
    page.wait_for_url(f"{live_server}/")
    # Her home page is the workbench.
    open_from_queue(page, live_server, "confirmation_requested", case)

    page.get_by_test_id("decisions").get_by_role("button", name="不予受理").click()
    form = page.locator('form[data-decision-form="reject"]')
    expect(form).to_be_visible()
    form.get_by_label(GROUND).check()
    form.get_by_role("button", name="裁定不予受理").click()
    page.wait_for_url(f"{live_server}/court/cases/{case.id}")
    expect(page.get_by_role("alert")).to_contain_text("已裁定不予受理，民事裁定书已出具。")
    expect(page.get_by_test_id("status")).to_have_text("确认申请被驳回/不予受理")
    expect(page.get_by_test_id("ruling")).to_contain_text(GROUND)
    open_ruling_pdf(page)
    traffic.assert_clean()
