"""The documents through the API: each PDF of a case (bearer token), the committee's seal
(POST …/agreement/seal), and the public check of a copy (POST /verify, no token)."""

from datetime import datetime
from io import BytesIO

import pytest

from mediation.extensions import limiter
from mediation.papers.store import file_bytes
from tests.api_client import error, ok
from tests.copies import changed_byte, foreign_pdf, original
from tests.factories import gen_case, reload, signed_draft

pytestmark = pytest.mark.documents  # they look at real PDFs (tests/conftest.py)


DOCUMENTS = ("agreement.pdf", "intake.pdf", "sessions/{session}.pdf", "visits/{visit}.pdf")
DOCUMENTS += ("case-file.pdf",)


def document_path(case, document: str) -> str:
    """The API path of one document of a case with a session and a visit."""
    filled = document.format(session=case.sessions[0].id, visit=case.visits[0].id)
    return f"/cases/{case.id}/{filled}"


def seal(api, user: str, case, version: int | None = None):
    """POST …/agreement/seal with the case's version (or the one given)."""
    body = {"version": case.version if version is None else version}
    return api.post(user, f"/cases/{case.id}/agreement/seal", json=body)


def verify(api, data: bytes, name: str = "copy.pdf"):
    """POST /verify with a file and no token."""
    files = {"file": (BytesIO(data), name)}
    return api.post(None, "/verify", data=files, content_type="multipart/form-data")


@pytest.fixture
def closed_case():
    """A sealed, visited and closed case: every document exists."""
    return gen_case("mediator_demo", "closed")


# ---------------------------------------------------------------------------- the PDFs


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_document_comes_as_a_pdf(api, closed_case, document):
    """application/pdf, %PDF- bytes, to a bearer token of the case's jurisdiction."""
    response = api.get("street_demo", document_path(closed_case, document))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")


def test_the_sealed_agreement_is_the_stored_original(api, closed_case):
    """Byte for byte the file the seal signed."""
    response = api.get("mediator_demo", f"/cases/{closed_case.id}/agreement.pdf")
    assert response.data == file_bytes(closed_case.agreement.sealed_document.sha256)


def test_documents_need_a_token_and_the_jurisdiction(api, closed_case):
    """401 without a token; 404 to another district's mediator and for foreign record ids."""
    for document in DOCUMENTS:
        path = document_path(closed_case, document)
        error(api.get(None, path), 401, "unauthorized")
        error(api.get("mediator_other", path), 404, "not_found")
    error(api.get("mediator_demo", f"/cases/{closed_case.id}/sessions/987654.pdf"), 404)
    error(api.get("mediator_demo", f"/cases/{closed_case.id}/visits/987654.pdf"), 404)


# ---------------------------------------------------------------------------- the seal


def test_the_seal_makes_the_signed_agreement_effective(api):
    """200 with the case: agreement_effective, the sealed original named in the agreement."""
    case = signed_draft()
    version = case.version
    answer = ok(seal(api, "mediator_demo", case))
    assert (answer["status"], answer["version"]) == ("agreement_effective", version + 1)
    assert answer["agreement"]["sealed"]["sha256"] == reload(case).agreement.sealed_document.sha256


def test_the_seal_waits_for_every_signature(api):
    """422 naming who has not signed; nothing changes."""
    case = gen_case("mediator_demo", "agreement_drafted")
    refusal = error(seal(api, "mediator_demo", case), 422, "guard_refused")
    assert "尚缺" in refusal["message"]
    assert reload(case).status == "agreement_drafted"


def test_a_grid_worker_holds_no_seal(api):
    """403: the seal is the committee's."""
    case = signed_draft()
    error(seal(api, "grid_demo", case), 403, "forbidden")
    assert reload(case).agreement.sealed_document is None


def test_a_stale_version_is_refused(api):
    """409 when the case changed since the caller read it."""
    case = signed_draft()
    error(seal(api, "mediator_demo", case, version=case.version - 1), 409, "version_conflict")
    assert reload(case).status == "agreement_drafted"


# ---------------------------------------------------------------------------- verification


def test_verify_needs_no_token_and_names_the_original(api):
    """intact with number, committee and effective date."""
    case = gen_case("mediator_demo", "agreement_effective")
    answer = ok(verify(api, original(case)))
    sealed_at = answer.pop("sealed_at")
    document = case.agreement.sealed_document
    assert answer == {
        "status": "intact",
        "number": case.number,
        "committee": case.committee.name,
        "effective_on": case.effective_on.isoformat(),
        "document": {"kind": "agreement", "public_id": document.public_id},
        "sealed_by": case.committee.name,
    }
    assert datetime.fromisoformat(sealed_at).tzinfo is not None  # when pyHanko signed it


def test_verify_finds_a_changed_byte(api):
    """altered, still naming the document it claims to be."""
    case = gen_case("mediator_demo", "agreement_effective")
    answer = ok(verify(api, changed_byte(original(case))))
    assert (answer["status"], answer["number"]) == ("altered", case.number)


def test_verify_does_not_know_another_cas_pdf(api, tmp_path):
    """unknown, with nulls."""
    answer = ok(verify(api, foreign_pdf(tmp_path)))
    assert answer == {
        "status": "unknown",
        "number": None,
        "committee": None,
        "effective_on": None,
        "document": None,
        "sealed_by": None,
        "sealed_at": None,
    }


def test_verify_refuses_what_is_not_a_pdf(api):
    """400 naming the field, in Chinese; a request without the file too."""
    refusal = error(verify(api, b"plain text", "notes.txt"), 400, "invalid_input")
    assert "file" in refusal["fields"]
    error(api.post(None, "/verify", data={}, content_type="multipart/form-data"), 400)


def test_verify_is_rate_limited(api, app, monkeypatch):
    """After VERIFY_RATE_LIMIT the answer is 429 in the API's error shape."""
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "2 per minute")
    try:
        statuses = [verify(api, b"%PDF-1.7 nothing").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        error(verify(api, b"%PDF-1.7 nothing"), 429, "too_many_requests")
    finally:
        limiter.reset()


def test_the_document_says_verify_is_public_and_multipart(client):
    """security: [] and a multipart body; the seal lists its own refusals."""
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/verify"]["post"]
    assert operation["security"] == []
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "400", "413", "429"} == set(operation["responses"])
    seal_statuses = spec["paths"]["/api/v1/cases/{case_id}/agreement/seal"]["post"]["responses"]
    assert set(seal_statuses) == {"200", "400", "401", "403", "404", "409", "413", "422"}
