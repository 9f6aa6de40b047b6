"""The court's papers (issue 8): the parties' 司法确认申请书 and the court's 民事裁定书, read back
from real PDFs; the sealed ruling's verification; the downloads of the ruling, the 申请书 and
the materials.

The documents' content is checked on an application built directly with the models (one
three-party case, every outcome and ground rendered once for the module); what the court's
operations issue is checked through them: the sealed ruling, /verify and the downloads.
"""

from datetime import date
from io import BytesIO
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from pypdf import PdfReader, PdfWriter
from werkzeug.datastructures import MultiDict

from documents import verify_pdf
from mediation import papers
from mediation.cases import operations as ops
from mediation.extensions import db
from mediation.models import ConfirmationApplication, ConfirmationConsent, ConfirmationMaterial
from mediation.papers import court
from mediation.papers.store import store_file
from mediation.privacy import mask_id_number, mask_phone
from tests import factories as f
from tests.database import reset_to_demo_city
from workflows import (
    MATERIAL_KINDS,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
)
from workflows.deadlines import china_time

pytestmark = pytest.mark.documents  # they look at real PDFs (tests/conftest.py)

SCRIPT = "<script>alert(1)</script>"
PROPERTY_COMPANY = {
    "role": "third_party",
    "kind": "organization",
    "name": f"武汉市江岸区安居物业服务有限公司{SCRIPT}",
    "address": "武汉市江岸区大智路88号",
    "legal_representative": "周明",
}
MATERIALS = [("identity", "王建国身份证.pdf"), ("property", "房屋所有权证.png")]
COURT_CASE_NUMBER = "（2026）鄂0102民特15号"
OTHER_REMEDIES = (
    "当事人可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼。"
)
ENFORCEMENT = "一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请执行。"
OUTCOME_WORDS = {
    "confirmed": "确认调解协议有效",
    "rejected": "驳回申请",
    "not_accepted": "不予受理",
}
# A body typed by a judge: lines ended by single line breaks, markup in it.
JUDGES_TEXT = "本院经审查认为，协议合法。\n裁定如下：<b>确认有效</b>\n\n\n  "
# Every ruling there is: (outcome, ground).
RULINGS = [
    ("confirmed", None),
    *(("rejected", code) for code, _ in REJECT_GROUNDS_AFTER_ACCEPTANCE),
    *(("not_accepted", code) for code, _ in REJECT_GROUNDS_BEFORE_ACCEPTANCE),
]


def flat(text: str) -> str:
    """Text without white space, for finding phrases a line break split."""
    return "".join(text.split())


def whole(pdf: bytes) -> str:
    """The whole text of a PDF, flattened."""
    return flat("".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


def blank_pdf() -> bytes:
    """A one-page PDF, as a scanned material would be."""
    writer, out = PdfWriter(), BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def day(value) -> str:
    """2026年5月11日."""
    return f"{value.year}年{value.month}月{value.day}日"


# ---------------------------------------------------------------------------- built directly


def _application(case, now) -> ConfirmationApplication:
    """An application of every party to the demo court, with two materials, as the models
    hold it (no operation involved)."""
    application = ConfirmationApplication(
        case=case,
        court=f.unit("court", f.COURT),
        applied_at=now,
        applied_by=f.user("mediator_demo"),
    )
    db.session.add(application)
    for party, method in zip(case.parties, ("signed", "in_person", "agent"), strict=True):
        db.session.add(
            ConfirmationConsent(
                application=application, party=party, method=method, consented_at=now
            )
        )
    for kind, filename in MATERIALS:
        stored = store_file(blank_pdf() + filename.encode())
        db.session.add(
            ConfirmationMaterial(
                application=application,
                kind=kind,
                filename=filename,
                media_type="application/pdf",
                size=stored.size,
                file=stored,
            )
        )
    db.session.flush()
    return application


@pytest.fixture(scope="module")
def papers_of(app):
    """A three-party case at agreement_effective, its 申请书 and every ruling, rendered once."""
    with app.app_context():
        reset_to_demo_city()
        parties = [*f.case_data()["parties"], PROPERTY_COMPANY]
        case = f.gen_case(status="agreement_effective", parties=parties)
        now = f.later(case)
        application = _application(case, now)
        applied_on = china_time(now).date()
        render = papers.renderer().pdf
        out = SimpleNamespace(
            number=case.number,
            effective_on=case.effective_on,
            committee=case.committee.name,
            court=application.court.name,
            parties=[(p.name, p.id_number, p.phone) for p in case.parties],
            terms=list(case.agreement.terms),
            application_html=court.application_html(case, application),
            applied_on=applied_on,
        )
        out.application = render(out.application_html)
        application.court_case_number = COURT_CASE_NUMBER
        application.decided_at = now
        application.decided_by = f.user("judge_demo")
        out.judge = application.decided_by.display_name
        out.decided_on = court.chinese_numeral_date(case.effective_on)
        out.rulings, out.texts = {}, {}
        for outcome, ground in RULINGS:
            application.outcome, application.ground = outcome, ground
            # 不予受理 is decided before acceptance.
            application.accepted_at = None if outcome == "not_accepted" else now
            text = court.default_ruling_text(case, application, outcome, ground)
            application.ruling_text = text
            html = court.ruling_html(case, application, verify_url=papers.verify_url("x" * 16))
            out.texts[outcome, ground] = text
            out.rulings[outcome, ground] = SimpleNamespace(html=html, text=whole(render(html)))
        application.outcome, application.ground = "confirmed", None
        application.ruling_text = JUDGES_TEXT
        out.judges_html = court.ruling_html(case, application, verify_url="http://x/verify/y")
        db.session.rollback()
    return out


def test_application_names_every_party_the_court_the_agreement_and_each_material(papers_of):
    text = whole(papers_of.application)
    assert "司法确认申请书" in text
    for name, id_number, phone in papers_of.parties:
        assert flat(f"申请人：{name}") in text
        if id_number:
            assert mask_id_number(id_number) in text and id_number not in text
        if phone:
            assert mask_phone(phone) in text and phone not in text
    assert "周明" in text and "武汉市江岸区大智路88号" in text
    assert flat(f"此致{papers_of.court}") in text
    agreed_on = day(papers_of.effective_on)
    assert (
        f"请求人民法院依法确认申请人于{agreed_on}经{papers_of.committee}主持调解达成的调解协议有效"
        in text
    )
    assert f"调解协议书（盖章原件，编号：{papers_of.number}）1份" in text
    kinds = dict(MATERIAL_KINDS)
    for kind, filename in MATERIALS:
        assert f"{kinds[kind]}：{filename}" in text
    for term in papers_of.terms:
        assert flat(term) in text


def test_application_states_the_joint_voluntary_application_and_each_consent(papers_of):
    text = whole(papers_of.application)
    assert "《中华人民共和国民事诉讼法》第二百零五条" in text and "法释〔2011〕5号" in text
    assert "申请人共同、自愿申请司法确认" in text
    assert "保证所作陈述和所提交的材料真实、合法" in text
    methods = ("书面申请签字", "到场当面申请", "委托代理人代为申请")
    for (name, _, _), method in zip(papers_of.parties, methods, strict=True):
        assert flat(f"申请人{name}：{method}") in text
    assert f"申请日期：{day(papers_of.applied_on)}" in text


@pytest.mark.parametrize(("outcome", "ground"), RULINGS)
def test_each_ruling_names_the_court_case_the_parties_and_the_agreement(papers_of, outcome, ground):
    text = papers_of.rulings[outcome, ground].text
    assert papers_of.court in text and "民事裁定书" in text
    assert COURT_CASE_NUMBER in text
    for name, _, _ in papers_of.parties:
        assert flat(f"申请人：{name}") in text
    assert papers_of.number in text and day(papers_of.effective_on) in text
    assert flat(f"审判员{papers_of.judge}") in text
    assert papers_of.decided_on in text


@pytest.mark.parametrize(("outcome", "ground"), RULINGS)
def test_each_ruling_says_what_the_law_makes_it_say(papers_of, outcome, ground):
    text = papers_of.rulings[outcome, ground].text
    if outcome == "confirmed":
        assert "主持调解达成的调解协议有效" in text and flat(ENFORCEMENT) in text
        assert "本裁定书自即日起发生法律效力" in text
        assert "《中华人民共和国民事诉讼法》第二百零五条、第二百零六条" in text
        assert OTHER_REMEDIES not in text
        return
    assert court.GROUNDS[ground].finding in text
    assert flat(OTHER_REMEDIES) in text and "申请执行" not in text
    # Every ruling of the special procedure is final (民事诉讼法 Art 185).
    assert "本裁定书自即日起发生法律效力" in text
    if outcome == "rejected":
        assert "的司法确认申请。" in text and text.count("驳回申请人") == 1
        # A 不予受理 ground found after acceptance rests on 民诉法解释 Art 355 para 2 alone.
        found_after = court.GROUNDS[ground].inadmissible
        assert ("第二百零六条" in text) is not found_after
    else:
        assert "的司法确认申请，本院不予受理。" in text and "驳回" not in text
        assert "受理后" not in text


def test_every_ground_has_its_own_wording():
    """One entry per code of the 驳回 list (which holds the 不予受理 ones), none shared."""
    assert set(court.GROUNDS) == {code for code, _ in REJECT_GROUNDS_AFTER_ACCEPTANCE}
    findings = {ground.finding for ground in court.GROUNDS.values()}
    assert len(findings) == len(court.GROUNDS)
    inadmissible = {code for code, ground in court.GROUNDS.items() if ground.inadmissible}
    assert inadmissible == {code for code, _ in REJECT_GROUNDS_BEFORE_ACCEPTANCE}


@pytest.mark.parametrize(
    ("ground", "cited"),
    [
        ("violates_mandatory_law", "解释》第三百五十八条第（一）项"),
        ("violates_mandatory_law", "规定》第七条第（一）项"),
        ("not_voluntary", "解释》第三百五十八条第（四）项"),
        ("not_civil_case", "解释》第三百五十五条第一款第（一）项、第二款"),
    ],
)
def test_a_rejection_cites_the_articles_of_its_ground(papers_of, ground, cited):
    assert cited in papers_of.rulings["rejected", ground].text


def test_an_inadmissible_ground_found_after_acceptance_cites_only_its_own_article(papers_of):
    """驳回 for a 不予受理 ground: 民诉法解释 Art 355 para 2, not Art 206 nor 法释 Art 4."""
    text = papers_of.rulings["rejected", "not_civil_case"].text
    assert "规定》第四条" not in text and "民事诉讼法》第二百零六条" not in text


def test_not_accepted_cites_the_inadmissibility_articles(papers_of):
    text = papers_of.rulings["not_accepted", "status_relationship"].text
    # Before acceptance no 第二款 (驳回 of a ground found after acceptance).
    assert "解释》第三百五十五条第一款第（三）项，" in text
    assert "规定》第四条第二款第（二）项、第（三）项、第（四）项规定" in text


def test_default_text_is_paragraphs_separated_by_blank_lines(papers_of):
    text = papers_of.texts["rejected", "harms_others"]
    paragraphs = text.split("\n\n")
    assert paragraphs == court.paragraphs_of(text)
    assert paragraphs[-2].startswith("驳回申请人") and paragraphs[-1] == OTHER_REMEDIES
    assert [p for p in paragraphs if p.startswith("1. ")] == [f"1. {papers_of.terms[0]}"]


def test_script_in_a_party_name_is_printed_as_text(papers_of):
    for html in (papers_of.application_html, papers_of.rulings["confirmed", None].html):
        assert SCRIPT not in html and "&lt;script&gt;" in html
    assert flat(SCRIPT) in papers_of.rulings["confirmed", None].text


def test_a_judges_lines_are_paragraphs_and_her_markup_is_text(papers_of):
    html = papers_of.judges_html
    assert '<p class="body">本院经审查认为，协议合法。</p>' in html
    assert '<p class="body">裁定如下：&lt;b&gt;确认有效&lt;/b&gt;</p>' in html
    assert "<b>" not in html


def test_chinese_numeral_dates():
    assert court.chinese_numeral_date(date(2026, 12, 6)) == "二〇二六年十二月六日"
    assert court.chinese_numeral_date(date(2030, 10, 20)) == "二〇三〇年十月二十日"
    assert court.chinese_numeral_date(date(2027, 1, 31)) == "二〇二七年一月三十一日"


# ---------------------------------------------------------------------------- issued by the court

# A decision of each kind, made through the court's operations: (outcome, ground).
DECISIONS = [
    ("confirmed", None),
    ("rejected", "violates_mandatory_law"),
    ("not_accepted", "no_jurisdiction"),
]
MATERIAL_NAME = "王建国身份证.pdf"


def apply_for_confirmation(case):
    """The parties' joint application to the demo court, with one material, by the mediator."""
    consents = [{"party_id": party.id, "method": "signed"} for party in case.parties]
    upload = ops.MaterialUpload("identity", MATERIAL_NAME, blank_pdf())
    ops.request_confirmation(
        f.user("mediator_demo"),
        case.id,
        case.version,
        court=f.COURT,
        consents=consents,
        materials=[upload],
        now=f.later(case),
    )
    return f.reload(case)


def decided(outcome: str, ground: str | None = None):
    """A case whose application the judge has decided (with the default ruling text)."""
    case = apply_for_confirmation(f.gen_case("mediator_demo", "agreement_effective"))
    judge, number = "judge_demo", {"court_case_number": COURT_CASE_NUMBER}
    if outcome == "not_accepted":
        f.fire(case, judge, "reject_confirmation", ground=ground, ruling_text="", **number)
        return f.reload(case)
    f.fire(case, judge, "accept_application", **number)
    case = f.reload(case)
    if outcome == "confirmed":
        f.fire(case, judge, "confirm", ruling_text="")
    else:
        f.fire(case, judge, "reject_confirmation", ground=ground, ruling_text="")
    return f.reload(case)


@pytest.mark.parametrize(("outcome", "ground"), DECISIONS)
def test_the_sealed_ruling_validates_as_the_courts_and_holds_the_case(outcome, ground):
    case = decided(outcome, ground)
    application = case.application
    assert application.outcome == outcome
    document = application.ruling_document
    assert (document.kind, document.number) == ("ruling", COURT_CASE_NUMBER)
    data = document.file.data
    store = papers.keys()
    verdict = verify_pdf(data, store.trust_roots(), store.intermediates())
    assert verdict.status == "intact" and verdict.signer == case.court.name

    text = whole(data)
    assert COURT_CASE_NUMBER in text and case.court.name in text
    for party in case.parties:
        assert flat(f"申请人：{party.name}") in text
    assert case.number in text
    assert (flat(ENFORCEMENT) in text) == (outcome == "confirmed")
    assert (flat(OTHER_REMEDIES) in text) == (outcome != "confirmed")
    if ground:
        assert court.GROUNDS[ground].finding in text


@pytest.mark.parametrize(("outcome", "ground"), DECISIONS)
def test_anyone_sees_what_a_rulings_qr_code_names(client, outcome, ground):
    case = decided(outcome, ground)
    document = case.application.ruling_document
    response = client.get(f"/verify/{document.public_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "民事裁定书" in html and COURT_CASE_NUMBER in html
    assert case.court.name in html and f"盖章单位：{case.court.name}" in html
    assert 'data-status="valid"' in html and "印章有效" in html
    assert "王＊＊、李＊＊" in html and "王建国" not in html
    assert f'data-outcome="{outcome}"' in html and OUTCOME_WORDS[outcome] in html
    assert day(document.effective_on) in html and "裁定日期" in html


def test_an_uploaded_ruling_is_known_by_the_api(client):
    case = decided("confirmed")
    document = case.application.ruling_document
    files = MultiDict([("file", (BytesIO(document.file.data), "ruling.pdf"))])
    response = client.post(
        "/api/v1/verify", data=files, content_type="multipart/form-data", csrf=False
    )
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["status"] == "intact" and answer["number"] == COURT_CASE_NUMBER
    assert answer["committee"] == answer["sealed_by"] == case.court.name
    assert answer["document"] == {"kind": "ruling", "public_id": document.public_id}


def test_a_ruling_uploaded_on_the_page_is_named_with_its_court(client):
    case = decided("not_accepted", "other_procedure")
    document = case.application.ruling_document
    form = MultiDict([("file", (BytesIO(document.file.data), "ruling.pdf"))])
    response = client.post("/verify", data=form, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-status="intact"' in html
    result = html.split('data-testid="upload-result"', 1)[1]
    assert "案号" in result and COURT_CASE_NUMBER in result
    assert "人民法院" in result and "调解委员会" not in result


def court_paths(case) -> dict[str, str]:
    """The addresses of the court's papers of a case."""
    material = case.application.materials[0]
    return {
        "ruling": f"/cases/{case.id}/ruling.pdf",
        "application": f"/cases/{case.id}/application.pdf",
        "material": f"/cases/{case.id}/materials/{material.id}",
    }


def test_the_court_papers_are_the_stored_files_for_the_case_s_users(login):
    case = decided("confirmed")
    application = case.application
    stored = {
        "ruling": application.ruling_document.file.data,
        "application": application.application_file.data,
        "material": application.materials[0].file.data,
    }
    for username in ("judge_demo", "mediator_demo"):
        client = login(username)
        for paper, path in court_paths(case).items():
            response = client.get(path)
            assert response.status_code == 200, (username, paper)
            assert response.mimetype == "application/pdf"
            assert response.data == stored[paper]
    response = login("judge_demo").get(court_paths(case)["material"] + "?download=1")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == MATERIAL_NAME
    ruling = login("street_demo").get(court_paths(case)["ruling"])
    assert unquote(ruling.headers["Content-Disposition"].split("''", 1)[1]) == (
        f"民事裁定书{COURT_CASE_NUMBER}.pdf"
    )


def test_the_court_papers_are_404_outside_the_jurisdiction(login):
    case = decided("rejected", "harms_others")
    client = login("mediator_other")
    for path in court_paths(case).values():
        assert client.get(path).status_code == 404


def test_a_material_of_another_case_is_404(login):
    first = apply_for_confirmation(f.gen_case("mediator_demo", "agreement_effective"))
    second = apply_for_confirmation(f.gen_case("mediator_demo", "agreement_effective"))
    material = second.application.materials[0]
    client = login("judge_demo")
    assert client.get(f"/cases/{second.id}/materials/{material.id}").status_code == 200
    assert client.get(f"/cases/{first.id}/materials/{material.id}").status_code == 404


def test_no_application_and_no_ruling_yet_are_404(login):
    case = f.gen_case("mediator_demo", "agreement_effective")
    client = login("mediator_demo")
    assert client.get(f"/cases/{case.id}/application.pdf").status_code == 404
    assert client.get(f"/cases/{case.id}/ruling.pdf").status_code == 404
    case = apply_for_confirmation(case)
    response = client.get(f"/cases/{case.id}/application.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert "司法确认申请书" in whole(response.data) and MATERIAL_NAME in whole(response.data)
    assert client.get(f"/cases/{case.id}/ruling.pdf").status_code == 404
