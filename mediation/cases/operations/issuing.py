"""Issuing a sealed document: render, seal with the unit's key, store once, record it."""

import logging

from documents import KeysError
from mediation import papers
from mediation.errors import Refused
from mediation.extensions import db
from mediation.models import IssuedDocument
from mediation.papers.store import store_file
from workflows.deadlines import china_time

log = logging.getLogger(__name__)
KEYS_UNAVAILABLE = {
    "committee": "本调委会的电子签章密钥暂时不可用，无法加盖印章：请联系系统管理员。",
    "court": "本院的电子签章密钥暂时不可用，无法签发裁定书：请联系系统管理员。",
}


def issue_sealed(case, user, now, *, html, kind, public_id, number, unit, reason) -> IssuedDocument:
    """Render `html`, seal it with the key of `unit` ((kind, Committee or Court)), store the
    file once and record the IssuedDocument, all in the caller's transaction.

    :raise Refused (422): the unit's key cannot be used (logged: KEYS_DIR, KEYS_PASSPHRASE).
    """
    unit_kind, issuer = unit
    pdf = papers.renderer().pdf(html)
    try:
        signer = papers.keys().signer(unit_kind, issuer.code, issuer.name)
    except KeysError:
        log.exception("issuing %s of %s: the key of %s cannot be used", kind, number, issuer.code)
        raise Refused([KEYS_UNAVAILABLE[unit_kind]]) from None
    stored = store_file(papers.seal(pdf, signer, reason=reason))
    document = IssuedDocument(
        public_id=public_id,
        case_id=case.id,
        kind=kind,
        sha256=stored.sha256,
        number=number,
        issuer_name=issuer.name,
        effective_on=china_time(now).date(),
        issued_at=now,
        issued_by=user,
    )
    db.session.add(document)
    return document
