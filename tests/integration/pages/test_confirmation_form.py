"""申请司法确认 on its own page: the competent courts only, every party's consent, the materials
of 法释〔2011〕5号 Art 3 checked before anything is stored, and the last day to apply in words."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from mediation.cases import operations as ops
from tests.database import row_counts
from tests.factories import COURT, OTHER_COURT, gen_case, reload, user
from tests.pages import carry_csrf, new_case, text
from workflows.deadlines import CHINA_TZ, confirmation_deadline

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
COURT_SELECT = re.compile(r'<select[^>]*id="court"[^>]*>(.*?)</select>', re.S)
OPTION_VALUE = re.compile(r'<option[^>]*value="([^"]*)"')
CHECKBOX = re.compile(r'(<input [^>]*id="party-(\d+)-consented"[^>]*>)')


def url(case) -> str:
    """The application page of a case."""
    return f"/cases/{case.id}/confirmation"


def mediator(login):
    """mediator_demo, signed in, able to post the form."""
    return carry_csrf(login("mediator_demo"))


def application(case, consenting=None, files=(), court=COURT) -> dict:
    """The form as a browser sends it: the court, a ticked row per consenting party (all by
    default, in writing, ten minutes ago), and files as (kind, name, bytes)."""
    parties = case.parties if consenting is None else consenting
    moment = (datetime.now(UTC) - timedelta(minutes=10)).astimezone(CHINA_TZ)
    data = {"version": str(case.version), "court": court}
    for party in parties:
        data[f"party-{party.id}-consented"] = "y"
        data[f"party-{party.id}-method"] = "signed"
        data[f"party-{party.id}-consented_at"] = moment.strftime("%Y-%m-%dT%H:%M")
    for kind, name, content in files:
        data.setdefault(f"material-{kind}", []).append((io.BytesIO(content), name))
    return data


def last_day_in_words(case) -> str:
    """The last day to apply, as the page writes it: 2026年12月31日."""
    day = confirmation_deadline(case.effective_on, ops.time_limits())
    return f"{day.year}年{day.month}月{day.day}日"


def refused_with_nothing_stored(client, case, form: dict, status: int) -> str:
    """Post the form; check the answer's status and that no row was added; return the page."""
    before = row_counts()
    response = client.post(url(case), data=form)
    assert response.status_code == status
    assert row_counts() == before
    assert reload(case).status == "agreement_effective"
    return text(response)


def test_the_case_page_links_to_the_application_page(login):
    """申请司法确认 is a link to the full page, no longer a small form on the case page."""
    case = new_case(status="agreement_effective")
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert f'href="{url(case)}" data-trigger-link="request_confirmation"' in page
    assert 'id="trigger-request_confirmation"' not in page


def test_the_form_offers_only_the_courts_serving_the_case(login):
    """The base court of the committee's district; not the court of another district."""
    case = new_case(status="agreement_effective")
    page = text(login("mediator_demo").get(url(case)))
    offered = OPTION_VALUE.findall(COURT_SELECT.search(page).group(1))
    competent = [court.code for court in ops.competent_courts(user("mediator_demo"), case.id)]
    assert [code for code in offered if code] == competent
    assert COURT in competent and OTHER_COURT not in offered
    assert f'<option selected value="{COURT}">' in page
    for party in case.parties:
        assert f'name="party-{party.id}-consented"' in page and party.name in page
    assert 'accept="application/pdf,image/jpeg,image/png"' in page


def test_a_grid_worker_may_not_apply(login):
    """The role that files no applications gets 403."""
    case = new_case(status="agreement_effective")
    assert login("grid_demo").get(url(case)).status_code == 403


def test_the_last_day_is_shown_in_words(login):
    """最迟于<年月日>前申请, thirty days after the agreement took effect."""
    case = new_case(status="agreement_effective")
    page = text(login("mediator_demo").get(url(case)))
    assert f"最迟于{last_day_in_words(case)}前申请" in page
    assert "提交司法确认申请" in page


def test_after_the_window_the_page_says_it_closed_and_offers_no_submit(login):
    """An agreement effective ninety days ago: the window closed on its named last day."""
    case = gen_case("mediator_demo", "agreement_effective", now=datetime.now(UTC) - timedelta(90))
    client = mediator(login)
    page = text(client.get(url(case)))
    assert f"申请期限已于{last_day_in_words(case)}届满" in page
    assert "提交司法确认申请" not in page and 'data-testid="confirmation-form"' not in page
    page = refused_with_nothing_stored(client, case, application(case), 422)
    assert "已超过司法确认申请期限" in page and last_day_in_words(case) in page


def test_without_every_partys_consent_the_reason_is_shown_and_nothing_stored(login):
    """One party unticked: 422 with the reason; the court and the ticked row are kept, and
    the page says the chosen files must be chosen again."""
    case = new_case(status="agreement_effective")
    first, second = case.parties
    form = application(case, [first], [("identity", "身份证.pdf", PDF)])
    page = refused_with_nothing_stored(mediator(login), case, form, 422)
    assert 'role="alert"' in page and "司法确认须由双方当事人共同申请" in page
    assert second.name in page[page.index("尚缺") :]
    assert f'<option selected value="{COURT}">' in page
    boxes = {int(party): tag for tag, party in CHECKBOX.findall(page)}
    assert "checked" in boxes[first.id] and "checked" not in boxes[second.id]
    assert "已选择的文件不会保留，请重新选择后再提交" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("协议.pdf", "这不是PDF文件，只是改了扩展名。".encode(), "按文件内容判断"),
        ("../x.pdf", PDF, "文件名不能包含路径"),
        ("a/b.pdf", PDF, "文件名不能包含路径"),
    ],
    ids=["text named .pdf", "parent path", "folder path"],
)
def test_a_disguised_file_or_a_name_with_a_path_is_refused(login, name, content, message):
    """400 with the message beside the file's own input, marked invalid, nothing stored."""
    case = new_case(status="agreement_effective")
    form = application(case, files=[("property", name, content), ("identity", "id.pdf", PDF)])
    page = refused_with_nothing_stored(mediator(login), case, form, 400)
    feedback = re.search(
        r'<div[^>]*id="material-property-error"[^>]*>(.*?)</div>\s*</div>', page, re.S
    )
    assert feedback and message in feedback.group(1)
    assert "与调解协议相关的财产权利证明" in feedback.group(1)
    assert 'id="material-identity-error"' not in page


def test_a_file_over_the_limit_is_refused(app, login, monkeypatch):
    """With MATERIAL_MAX_MB at 1, a file one byte over a megabyte is refused; the hint says 1 MB."""
    monkeypatch.setitem(app.config, "MATERIAL_MAX_MB", 1)
    case = new_case(status="agreement_effective")
    client = mediator(login)
    assert "每个文件不超过 1 MB" in text(client.get(url(case)))
    big = PDF + bytes(2**20 + 1 - len(PDF))
    page = refused_with_nothing_stored(
        client, case, application(case, files=[("identity", "身份证.pdf", big)]), 400
    )
    assert "文件超过1MB的上限" in page


def test_a_valid_application_with_two_files_goes_to_the_court(login):
    """Both parties consent, two files (a PNG named .pdf is typed from its content; a 3 MB PDF,
    over the 2 MB limit of other forms): the case is 司法确认申请中, the files are stored, and
    the case page sums the application up."""
    case = new_case(status="agreement_effective")
    scan = PDF + bytes(3 * 2**20)
    files = [("identity", "身份证.pdf", PNG), ("service_address", "送达地址确认书.pdf", scan)]
    client = mediator(login)
    response = client.post(url(case), data=application(case, files=files))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}#application")
    case = reload(case)
    assert case.status == "confirmation_requested" and case.court.code == COURT
    materials = case.application.materials
    assert [(m.kind, m.filename, m.media_type) for m in materials] == [
        ("identity", "身份证.pdf", "image/png"),
        ("service_address", "送达地址确认书.pdf", "application/pdf"),
    ]
    assert [m.file.data for m in materials] == [PNG, scan]
    assert {c.party_id for c in case.application.consents} == {p.id for p in case.parties}
    page = text(client.get(f"/cases/{case.id}"))
    summary = page[page.index('data-testid="application"') :]
    assert "司法确认申请书" in summary and f"/cases/{case.id}/application.pdf" in summary
    for material in materials:
        assert f"/cases/{case.id}/materials/{material.id}" in summary
    assert "待法院决定是否受理" in summary


def test_a_judge_opening_the_case_page_goes_to_the_courts_page(login):
    """/cases/<id> sends a judge to /court/cases/<id>; a case not sent to her court is 404."""
    judge = login("judge_demo")
    assert judge.get(f"/cases/{new_case(status='agreement_effective').id}").status_code == 404
    case = new_case(status="confirmation_requested")
    response = judge.get(f"/cases/{case.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/court/cases/{case.id}")
