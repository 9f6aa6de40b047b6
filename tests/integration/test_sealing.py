"""The committee's seal: who may apply it and when, what the sealed original holds, and that a
failure leaves nothing behind (issue 7)."""

import hashlib
from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from documents import capital_yuan, verify_pdf
from mediation import papers
from mediation.cases import operations as ops
from mediation.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from mediation.extensions import db
from mediation.models import AuditEvent, IssuedDocument, StoredFile
from tests.factories import (
    agreement,
    case_data,
    events,
    gen_case,
    gen_user,
    person,
    reload,
    seal,
    sign,
    signed_draft,
    signers,
    snapshot,
    unit,
    user,
)

pytestmark = pytest.mark.documents  # they look at real PDFs (tests/conftest.py)

TERMS = [
    "被申请人于2026年6月10日前赔偿申请人维修费12345.60元。",
    "第三人于7日内修复公共管道。",
    "双方就此事再无其他争议。",
]
STREET_COMMITTEE = "420102002-tw"


def signed_case():
    """A drafted 3-party agreement that every party and the mediator have signed."""
    fields = case_data()
    fields["parties"] = [*fields["parties"], person("third_party", "赵志强")]
    return signed_draft(draft=agreement(terms=TERMS, amount="12345.6"), **fields)


def counts() -> tuple[int, int, int]:
    """Rows of audit events, issued documents and stored files."""
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (AuditEvent, IssuedDocument, StoredFile)
    )


def test_the_sealed_original_holds_the_agreement_and_validates_as_the_committees():
    case = signed_case()
    seal(case)
    case = reload(case)
    document = case.agreement.sealed_document
    data = document.file.data
    assert document.sha256 == hashlib.sha256(data).hexdigest() == document.file.sha256
    assert document.public_id == case.agreement.public_id and len(document.public_id) == 16
    assert (document.kind, document.number) == ("agreement", case.number)

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    flat = "".join(text.split())
    assert case.number in flat
    for party in case.parties:
        assert party.name in flat
    for term in TERMS:
        assert term in flat
    assert capital_yuan("12345.60") == "壹万贰仟叁佰肆拾伍元陆角整"
    assert "壹万贰仟叁佰肆拾伍元陆角整" in flat
    assert "本协议一式4份" in flat
    effective = case.effective_on
    assert f"{effective.year}年{effective.month}月{effective.day}日" in flat
    assert "草稿" not in flat

    verdict = verify_pdf(data, papers.keys().trust_roots())
    assert verdict.status == "intact"
    assert verdict.signer == case.committee.name
    _, cert_path = papers.keys().paths("committee", case.committee.code)
    assert cert_path.exists()

    (event,) = [e for e in events(case) if e.action == "make_effective"]
    assert event.payload == {"sha256": document.sha256, "public_id": document.public_id}


def test_sealing_waits_for_every_party_and_the_mediator():
    case = gen_case(status="agreement_drafted")
    *first, last = signers(case)
    for signer in first:
        sign(case, signer)
    before = snapshot(case)
    with pytest.raises(Refused, match="尚缺：调解员"):
        seal(case)
    assert snapshot(case) == before


@pytest.mark.parametrize("who", ["grid_demo", "judge_demo", "admin_demo"])
def test_roles_that_hold_no_seal_are_refused(who):
    case = signed_case()
    with pytest.raises(Forbidden, match="加盖调委会印章"):
        ops.seal_agreement(user(who), case.id, case.version)
    assert reload(case).status == "agreement_drafted"


def test_only_the_owning_committee_seals():
    """A mediator of the street's committee sees the community's case but holds not its seal;
    the street officer holds none of a community committee's; the other district's mediator
    does not see the case at all."""
    case = signed_case()
    street_mediator = gen_user("street_mediator", "mediator", committee=STREET_COMMITTEE)
    for who in (street_mediator, user("street_demo")):
        with pytest.raises(Forbidden, match="只有本案调解委员会的调解员"):
            ops.seal_agreement(who, case.id, case.version)
    with pytest.raises(NotFound):
        ops.seal_agreement(user("mediator_other"), case.id, case.version)
    assert reload(case).status == "agreement_drafted"


def test_the_street_officer_seals_for_a_street_committee():
    case = signed_case()
    case.committee = unit("committee", STREET_COMMITTEE)
    db.session.commit()
    with pytest.raises(Forbidden):
        ops.seal_agreement(user("mediator_demo"), case.id, case.version)
    ops.seal_agreement(user("street_demo"), case.id, case.version)
    case = reload(case)
    assert case.status == "agreement_effective"
    assert case.agreement.sealed_document.issuer_name == unit("committee", STREET_COMMITTEE).name


def test_sealing_twice_or_on_a_stale_version_is_refused():
    case = signed_case()
    version = case.version
    ops.seal_agreement(user("mediator_demo"), case.id, version)
    logged = counts()
    with pytest.raises(Conflict):
        ops.seal_agreement(user("mediator_demo"), case.id, version)
    with pytest.raises(Refused, match="没有待盖章的协议"):
        ops.seal_agreement(user("mediator_demo"), case.id, version + 1)
    with pytest.raises(InvalidInput, match="version"):
        ops.seal_agreement(user("mediator_demo"), case.id, "2")
    assert counts() == logged


@pytest.mark.parametrize(
    "where",
    [
        "mediation.papers.seal",  # before anything is stored
        "mediation.cases.operations.sealing.change_state",  # after the file and the document
    ],
)
def test_a_failure_while_sealing_leaves_the_case_as_it_was(monkeypatch, where):
    case = signed_case()
    before, logged = snapshot(case), counts()

    def broken(*args, **kwargs):
        raise RuntimeError("sealing broke here")

    monkeypatch.setattr(where, broken)
    with pytest.raises(RuntimeError, match="sealing broke here"):
        seal(case)
    case = reload(case)
    assert case.status == "agreement_drafted" and case.agreement.sealed_document is None
    assert snapshot(case) == before
    assert counts() == logged


def test_a_sealed_agreement_cannot_be_reopened_or_signed_again():
    case = signed_case()
    seal(case)
    case = reload(case)
    with pytest.raises(Refused):
        ops.apply_transition(
            user("mediator_demo"), case.id, "reopen", case.version, {"reason": "想改条款。"}
        )
    with pytest.raises(Refused, match="没有待签署的协议"):
        sign(case, "mediator")
    assert reload(case).status == "agreement_effective"


def test_the_sealed_original_is_never_rendered_again(monkeypatch):
    """The download after sealing is the stored bytes, even if the templates changed since."""
    case = signed_case()
    seal(case)
    stored = reload(case).agreement.sealed_document.file.data

    def no_rendering(*args, **kwargs):
        raise AssertionError("a sealed document was rendered again")

    monkeypatch.setattr(papers.renderer(), "pdf", no_rendering)
    from mediation.papers.downloads import agreement_pdf

    data, _ = agreement_pdf(user("street_demo"), case.id)
    assert data == stored


def test_keys_init_creates_the_ca_and_a_key_per_committee_and_court_once(runner, tmp_path, app):
    """flask keys init: a CA, then a key and certificate per committee and court; a second run
    creates nothing; private keys do not open without the passphrase."""
    from documents import KeyStore

    app.config["KEYS_DIR"], saved = str(tmp_path / "keys"), app.config["KEYS_DIR"]
    app.extensions.pop("documents.keys", None)
    try:
        first = runner.invoke(args=["keys", "init"])
        assert first.exit_code == 0, first.output
        second = runner.invoke(args=["keys", "init"])
        assert "新建 0 个" in second.output
    finally:
        app.config["KEYS_DIR"] = saved
        app.extensions.pop("documents.keys", None)
    made = {path.name for path in (tmp_path / "keys").iterdir()}
    assert {"ca.key.pem", "ca.cert.pem"} <= made
    assert "committee-420102002001-tw.cert.pem" in made
    assert "court-420102-court.key.pem" in made
    assert f"新建 {len(made) // 2} 个" in first.output
    key = (tmp_path / "keys" / "court-420102-court.key.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in key
    with pytest.raises(Exception, match="口令"):
        KeyStore(tmp_path / "keys", b"wrong").signer("court", "420102-court", "江岸区人民法院")
