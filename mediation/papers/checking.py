"""Is a public id ours, and is an uploaded copy intact? Shared by /verify and POST /api/v1/verify.

A document we issued is known by its public id (the QR code) and by the SHA-256 of its stored
original. An uploaded copy's PAdES seal is validated against our CA (`documents.verify_pdf`),
which also says who sealed it and when: intact, altered, or not ours; a copy whose bytes are
a stored original's is intact whatever the validation says. What
is said in public names no one: parties appear masked (王＊＊). A court's 民事裁定书 is
issued the same way: its number is the court case number, its issuer the court, and its
record says what the court decided.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO

import sqlalchemy as sa
from flask import current_app
from pypdf import PdfReader

from documents import KeysError, Verdict, verify_pdf
from documents.verification import ALTERED, INTACT, UNKNOWN
from mediation import papers
from mediation.errors import InvalidInput
from mediation.extensions import db, limiter
from mediation.models import Agreement, Case, ConfirmationApplication, IssuedDocument
from mediation.papers.store import file_bytes
from mediation.privacy import mask_name

log = logging.getLogger(__name__)

STATUSES = (INTACT, ALTERED, UNKNOWN)
PDF_MAGIC = b"%PDF-"
NOT_A_PDF = "请上传 PDF 文件：所选文件不是 PDF。"
# The id our documents carry in their metadata (templates/documents/agreement.html).
KEYWORD = re.compile(r"verify:([a-z0-9]{1,32})")

# One budget per address for every verification, page and API alike (VERIFY_RATE_LIMIT).
rate_limited = limiter.shared_limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], scope="verify")


@dataclass(frozen=True)
class PublicRecord:
    """What the public page may say about a public id: no names in full, no case facts.

    `verdict` is the validation of the stored original's seal; None for a draft, which has
    no seal and is not in force. For a ruling (kind "ruling") `committee` is the court,
    `effective_on` the day of the decision and `outcome` what was decided: confirmed,
    rejected or not_accepted.
    """

    public_id: str
    kind: str
    number: str
    committee: str
    parties: tuple[str, ...]
    effective_on: date | None
    verdict: Verdict | None
    # A sealed agreement whose case has since been mediated again (a new draft or seal).
    superseded: bool = False
    outcome: str | None = None

    @property
    def draft(self) -> bool:
        """True for an agreement not yet sealed."""
        return self.verdict is None


def document_by_public_id(public_id: str) -> IssuedDocument | None:
    """The issued document with this public id, or None."""
    return db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.public_id == public_id))


def public_record(public_id: str) -> PublicRecord | None:
    """What /verify/<public_id> shows: an issued document with its seal checked, a draft
    agreement, or None when the id names nothing."""
    document = document_by_public_id(public_id)
    if document is not None:
        case = db.session.get(Case, document.case_id)
        return PublicRecord(
            public_id=public_id,
            kind=document.kind,
            number=document.number,
            committee=document.issuer_name,
            parties=_masked_parties(case),
            effective_on=document.effective_on,
            verdict=_stored_verdict(document),
            superseded=_superseded(document, case),
            outcome=_outcome(document),
        )
    draft = db.session.scalar(sa.select(Agreement).where(Agreement.public_id == public_id))
    if draft is None:
        return None
    return PublicRecord(
        public_id=public_id,
        kind="agreement",
        number=draft.case.number,
        committee=draft.case.committee.name,
        parties=_masked_parties(draft.case),
        effective_on=None,
        verdict=None,
    )


def _superseded(document: IssuedDocument, case: Case) -> bool:
    """True when the case's agreement is no longer this sealed one (remediated, redrafted)."""
    agreement = case.agreement
    return document.kind == "agreement" and (
        agreement is None or agreement.sealed_document_id != document.id
    )


def _outcome(document: IssuedDocument) -> str | None:
    """What the court decided in a ruling (None for any other document)."""
    if document.kind != "ruling":
        return None
    return db.session.scalar(
        sa.select(ConfirmationApplication.outcome).where(
            ConfirmationApplication.ruling_document_id == document.id
        )
    )


def check_upload(data: bytes) -> dict:
    """Is this copy one we issued, and intact? status intact | altered | unknown.

    The answer names the document (number, committee, effective date) when it can be found:
    by the copy's hash, or by the `verify:<public id>` keyword in its metadata; nulls when
    the copy is not ours. `signer` and `signed_at` say who sealed it and when.

    :raise InvalidInput (400): the upload is not a PDF.
    """
    if not data.startswith(PDF_MAGIC):
        raise InvalidInput(NOT_A_PDF, {"file": NOT_A_PDF})
    verdict = _verify(data)
    document = db.session.scalar(
        sa.select(IssuedDocument).where(IssuedDocument.sha256 == verdict.sha256).limit(1)
    )
    status = INTACT if document is not None else verdict.status
    if document is None and status != UNKNOWN:
        public_id = _public_id_in(data)
        document = document_by_public_id(public_id) if public_id else None
    return {
        "status": status,
        "number": document.number if document else None,
        "committee": document.issuer_name if document else None,
        "effective_on": document.effective_on if document else None,
        "document": document,
        "signer": verdict.signer if status != UNKNOWN else None,
        "signed_at": verdict.signed_at if status != UNKNOWN else None,
    }


def _masked_parties(case: Case) -> tuple[str, ...]:
    """The case's parties, masked."""
    return tuple(mask_name(party.name) for party in case.parties)


def _stored_verdict(document: IssuedDocument) -> Verdict:
    """The validation of the stored original's seal (unknown when its bytes are missing)."""
    data = file_bytes(document.sha256)
    if data is None:
        log.error("issued document %s: stored file %s is missing", document.number, document.sha256)
        return Verdict(UNKNOWN, document.sha256)
    return _verify(data)


def _verify(data: bytes) -> Verdict:
    """documents.verify_pdf against our roots and intermediates; before `flask keys init`
    there are none, and nothing can be ours."""
    store = papers.keys()
    try:
        roots = store.trust_roots()
    except KeysError:
        log.warning("verification without a root certificate: run flask keys init")
        return Verdict(UNKNOWN, hashlib.sha256(data).hexdigest())
    return verify_pdf(data, roots, store.intermediates())


def _public_id_in(data: bytes) -> str | None:
    """The public id in the PDF's Keywords (verify:<public id>), if it can be read."""
    try:
        metadata = PdfReader(BytesIO(data), strict=False).metadata
        keywords = str(metadata.get("/Keywords") or "") if metadata else ""
    except Exception as error:  # noqa: BLE001 — an altered copy may be unreadable: no id then
        log.info("verification: unreadable metadata (%s)", type(error).__name__)
        return None
    match = KEYWORD.search(keywords)
    return match.group(1) if match else None
