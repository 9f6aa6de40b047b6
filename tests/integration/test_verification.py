"""The public verification page: anyone holding a copy, with no account, learns whether the
document is one the system sealed and whether the copy was changed; names stay masked.

The helpers that make a changed copy and another CA's PDF serve the API's tests too
(tests/integration/api/test_documents_api.py).
"""

import re
from io import BytesIO

import pytest
from werkzeug.datastructures import MultiDict

from mediation.extensions import limiter
from tests.copies import changed_byte, foreign_pdf, original
from tests.factories import fire, gen_case, gen_session, reload

pytestmark = pytest.mark.documents  # they look at real PDFs (tests/conftest.py)


STATUS = re.compile(r'data-testid="upload-result" data-status="(\w+)"')


# ---------------------------------------------------------------------------- copies


@pytest.fixture(scope="module")
def foreign(tmp_path_factory) -> bytes:
    """Another CA's sealed PDF, made once."""
    return foreign_pdf(tmp_path_factory.mktemp("another-ca"))


@pytest.fixture
def sealed():
    """A case whose agreement has been sealed and is in force (王建国 and 李秀英)."""
    return gen_case("mediator_demo", "agreement_effective")


@pytest.fixture
def low_limit(app, monkeypatch):
    """VERIFY_RATE_LIMIT of 3 a minute for this test; the counters are emptied afterwards."""
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    yield
    limiter.reset()


def page(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def upload(client, data: bytes, path: str = "/verify", name: str = "copy.pdf"):
    """Send a file through the page's form, with the CSRF token of the client's session.

    A MultiDict: the client's MultiDict(data) would split a dict's (file, name) tuple in two.
    """
    form = MultiDict([("file", (BytesIO(data), name))])
    return client.post(path, data=form, content_type="multipart/form-data")


def verdict(response) -> str:
    """The status the page shows for an upload: intact, altered or unknown."""
    return STATUS.search(page(response)).group(1)


# ---------------------------------------------------------------------------- the page


def test_anyone_sees_what_the_qr_code_names_with_the_names_masked(client, sealed):
    """Number, committee, masked parties, effective date and 印章有效, with no login."""
    response = client.get(f"/verify/{sealed.agreement.public_id}")
    assert response.status_code == 200
    html = page(response)
    assert sealed.number in html
    assert sealed.committee.name in html
    assert "王＊＊、李＊＊" in html
    assert "王建国" not in html and "李秀英" not in html
    effective = sealed.effective_on
    assert f"{effective.year}年{effective.month}月{effective.day}日" in html
    assert 'data-status="valid"' in html and "印章有效" in html
    assert f"盖章单位：{sealed.committee.name}" in html
    assert 'data-testid="superseded"' not in html


def test_a_sealed_agreement_mediated_again_says_it_was_superseded(client):
    """After a court's rejection and new mediation the old original's seal stays valid, and
    its page says a new agreement has taken its place."""
    case = gen_case("mediator_demo", "confirmation_rejected")
    old = case.agreement.sealed_document.public_id
    fire(case, "mediator_demo", "remediate", reason="双方同意重新调解。")
    assert 'data-testid="superseded"' not in page(client.get(f"/verify/{old}"))
    gen_session(case)
    fire(reload(case), "mediator_demo", "draft_agreement")
    html = page(client.get(f"/verify/{old}"))
    assert 'data-status="valid"' in html
    assert 'data-testid="superseded"' in html and "已被新协议取代" in html


def test_a_drafts_qr_code_says_it_is_not_in_force(client):
    """The draft's public id is known, but the page says plainly it is not yet effective."""
    case = gen_case("mediator_demo", "agreement_drafted")
    html = page(client.get(f"/verify/{case.agreement.public_id}"))
    assert 'data-status="draft"' in html and "草稿，尚未生效" in html
    assert "印章有效" not in html


def test_an_unknown_public_id_is_404(client, sealed):
    """A mistyped or invented id names nothing."""
    assert client.get("/verify/zzzzzzzzzzzzzzzz").status_code == 404
    assert client.get("/verify").status_code == 200


def test_the_original_uploaded_is_intact(client, sealed):
    """一致, with the document it is a copy of."""
    response = upload(client, original(sealed))
    assert response.status_code == 200
    assert verdict(response) == "intact" and "一致" in page(response)
    assert sealed.number in page(response)


def test_a_copy_with_one_changed_byte_is_altered(client, sealed):
    """已被改动: the seal is ours, the content is not what was sealed; the document is named."""
    response = upload(
        client, changed_byte(original(sealed)), f"/verify/{sealed.agreement.public_id}"
    )
    assert response.status_code == 200
    assert verdict(response) == "altered" and "已被改动" in page(response)
    assert page(response).count(sealed.number) == 2


def test_a_pdf_sealed_by_another_ca_is_not_ours(client, foreign):
    """非本系统出具, naming no document."""
    response = upload(client, foreign)
    assert verdict(response) == "unknown" and "非本系统出具" in page(response)


def test_a_file_that_is_not_a_pdf_is_refused(client):
    """400 with a message in Chinese; nothing is checked."""
    response = upload(client, b"GIF89a not a pdf", name="photo.gif")
    assert response.status_code == 400
    assert "请上传 PDF 文件" in page(response)
    assert not STATUS.search(page(response))


def test_the_upload_form_is_protected_by_csrf(client, sealed):
    """A post without the session's token is refused like every form of the app."""
    response = client.post(
        "/verify", data=MultiDict([("file", (BytesIO(original(sealed)), "a.pdf"))]), csrf=False
    )
    assert response.status_code == 400


def test_too_many_checks_from_one_address_are_refused(client, sealed, low_limit):
    """After VERIFY_RATE_LIMIT the page answers 429, uploads and look-ups alike."""
    path = f"/verify/{sealed.agreement.public_id}"
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(path)
    assert refused.status_code == 429
    assert "尝试次数过多" in page(refused)
    assert upload(client, original(sealed)).status_code == 429
