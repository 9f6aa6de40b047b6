"""Is this PDF a copy of one we sealed, and is it intact? (pyHanko validation against our CA)"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from documents.running import run_to_completion

log = logging.getLogger(__name__)

INTACT, ALTERED, UNKNOWN = "intact", "altered", "unknown"


@dataclass(frozen=True)
class Verdict:
    """What validation found: `status` is intact, altered or unknown (not sealed by us)."""

    status: str
    sha256: str
    signer: str | None = None
    signed_at: datetime | None = None


def verify_pdf(data: bytes, trust_roots: list, intermediates: list = ()) -> Verdict:
    """Validate the first signature of `data` against `trust_roots`, as of its signing time.

    - intact: signed by a certificate under our roots, the signature matches, and it covers
      the whole file;
    - altered: signed under our roots (directly or through one of `intermediates`), but the
      bytes were changed or added to afterwards;
    - unknown: not a PDF, no signature, or a signature from anyone else.

    The path is checked at the moment the seal was applied, so a seal stays valid after the
    committee's certificate has expired.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return Verdict(UNKNOWN, digest)
        context = ValidationContext(
            trust_roots=trust_roots,
            other_certs=list(intermediates),
            allow_fetching=False,
            moment=signatures[0].self_reported_timestamp,
        )
        status = run_to_completion(
            async_validate_pdf_signature(signatures[0], context, skip_diff=True)
        )
    except Exception as error:  # noqa: BLE001 — any unreadable upload is simply not ours
        log.info("verification: unreadable PDF (%s)", type(error).__name__)
        return Verdict(UNKNOWN, digest)
    cert = status.signing_cert
    signer = cert.subject.native.get("common_name") if cert is not None else None
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    if status.intact and status.valid and status.trusted and whole:
        return Verdict(INTACT, digest, signer, status.signer_reported_dt)
    # A changed byte breaks the digest, and pyHanko then skips the path: ask the roots.
    changed = not (status.intact and status.valid and whole)
    if changed and cert is not None and issued_by(cert, trust_roots, intermediates):
        return Verdict(ALTERED, digest, signer, status.signer_reported_dt)
    return Verdict(UNKNOWN, digest, signer)


def issued_by(cert, roots, intermediates=()) -> bool:
    """True when `cert` chains to one of `roots`, directly or through `intermediates`."""
    anchors = [_x509(root) for root in roots]
    middle = [_x509(other) for other in intermediates]
    current = _x509(cert)
    for _ in range(len(middle) + 1):
        if any(_signed(current, anchor) for anchor in anchors):
            return True
        current = next((other for other in middle if _signed(current, other)), None)
        if current is None:
            return False
    return False


def _x509(cert) -> x509.Certificate:
    """An asn1crypto certificate as a `cryptography` one."""
    return x509.load_der_x509_certificate(cert.dump())


def _signed(leaf, issuer) -> bool:
    """True when `issuer` directly issued `leaf` (its name and a valid signature)."""
    if leaf.issuer != issuer.subject:
        return False
    try:
        leaf.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
    return False
