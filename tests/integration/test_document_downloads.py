"""The case's documents as PDFs from the case pages: each opens in the tablet's browser for a
user of the case's jurisdiction, the sealed agreement is the stored original byte for byte,
and outside the jurisdiction every one of them is 404."""

from io import BytesIO
from urllib.parse import unquote

import pytest
from pypdf import PdfReader

from mediation.extensions import db
from mediation.papers.store import file_bytes
from tests.factories import gen_case

pytestmark = pytest.mark.documents  # they look at real PDFs (tests/conftest.py)


DOCUMENTS = ("agreement", "intake", "session", "visit", "case_file")


def paths(case) -> dict[str, str]:
    """The address of each document of a case that has a session and a visit."""
    return {
        "agreement": f"/cases/{case.id}/agreement.pdf",
        "intake": f"/cases/{case.id}/intake.pdf",
        "session": f"/cases/{case.id}/sessions/{case.sessions[0].id}.pdf",
        "visit": f"/cases/{case.id}/visits/{case.visits[0].id}.pdf",
        "case_file": f"/cases/{case.id}/case-file.pdf",
    }


def assert_pdf(response) -> bytes:
    """A PDF answer: 200, application/pdf, %PDF- bytes, kept by no cache."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert "no-store" in response.headers["Cache-Control"]
    return response.data


def file_name(response) -> str:
    """The UTF-8 file name of Content-Disposition's filename* (RFC 5987)."""
    disposition = response.headers["Content-Disposition"]
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def pdf_text(data: bytes) -> str:
    """The text of every page, without white space (letter-spacing puts spaces in words)."""
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return "".join(text.split())


@pytest.fixture
def closed_case():
    """A case sealed, visited and closed: it has every kind of document."""
    return gen_case("mediator_demo", "closed")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_mediator_opens_each_document_of_her_case_in_the_browser(login, closed_case, document):
    """Inline, so that the tablet's browser shows it; named in Chinese with the case number."""
    response = login("mediator_demo").get(paths(closed_case)[document])
    assert_pdf(response)
    assert response.headers["Content-Disposition"].startswith("inline")
    assert file_name(response).endswith(f"{closed_case.number}.pdf")


def test_download_1_saves_the_file_with_its_chinese_name(login, closed_case):
    """?download=1 makes it an attachment named 受理登记表<案号>.pdf."""
    response = login("grid_demo").get(paths(closed_case)["intake"] + "?download=1")
    assert_pdf(response)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert file_name(response) == f"受理登记表{closed_case.number}.pdf"


def test_sealed_agreement_is_the_stored_original_byte_for_byte(login, closed_case):
    """Never rendered again: what is downloaded is exactly what the seal signed."""
    stored = file_bytes(closed_case.agreement.sealed_document.sha256)
    client = login("street_demo")
    first = assert_pdf(client.get(paths(closed_case)["agreement"]))
    assert first == stored
    assert assert_pdf(client.get(paths(closed_case)["agreement"])) == stored


def test_draft_agreement_carries_its_watermark(login):
    """Before the seal the agreement is a rendering of the draft, marked 草稿 and so named."""
    case = gen_case("mediator_demo", "agreement_drafted")
    response = login("mediator_demo").get(f"/cases/{case.id}/agreement.pdf")
    assert "草稿" in pdf_text(assert_pdf(response))
    assert file_name(response) == f"调解协议书（草稿）{case.number}.pdf"


def test_an_agreement_in_force_before_electronic_seals_is_no_draft(login):
    """An agreement that took effect before this version (no sealed original) renders with its
    effective date and a note on its paper original, never as a 草稿."""
    case = gen_case("mediator_demo", "agreement_effective")
    case.agreement.sealed_document = None
    db.session.commit()
    response = login("mediator_demo").get(f"/cases/{case.id}/agreement.pdf")
    text = pdf_text(assert_pdf(response))
    assert "草稿" not in text and "原件为纸质盖章件" in text
    day = case.effective_on
    assert f"{day.year}年{day.month}月{day.day}日" in text
    assert file_name(response) == f"调解协议书{case.number}.pdf"


def test_a_case_without_an_agreement_has_no_agreement_pdf(login):
    """Nothing drafted, nothing to print: 404."""
    case = gen_case("mediator_demo", "grid_mediation")
    assert login("mediator_demo").get(f"/cases/{case.id}/agreement.pdf").status_code == 404


def test_another_districts_mediator_gets_404_for_every_document(login, closed_case):
    """Out of scope answers as a case that does not exist, before anything is rendered."""
    client = login("mediator_other")
    for document, path in paths(closed_case).items():
        assert client.get(path).status_code == 404, document


@pytest.mark.parametrize("record", ["sessions", "visits"])
def test_a_record_of_another_case_or_none_is_404(login, closed_case, record):
    """A session or visit id that is not this case's is not found, even if it exists."""
    other = gen_case("mediator_demo", "closed")
    theirs = getattr(other, record)[0].id
    client = login("mediator_demo")
    assert client.get(f"/cases/{closed_case.id}/{record}/{theirs}.pdf").status_code == 404
    assert client.get(f"/cases/{closed_case.id}/{record}/987654.pdf").status_code == 404


def test_documents_need_a_signed_in_user(client, closed_case):
    """Without signing in, every address leads to the login page."""
    for document, path in paths(closed_case).items():
        response = client.get(path)
        assert response.status_code == 302, document
        assert "/login" in response.headers["Location"]
