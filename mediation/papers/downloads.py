"""Each document of a case as PDF bytes and a file name, for the pages and the API.

Reading only: nothing here changes a case. Every function takes the case through
`get_case`, so a case outside the user's jurisdiction is 404 as one that does not exist. A
sealed agreement and a court's ruling are the stored originals byte for byte, never rendered
again, as are the 司法确认申请书 and the materials handed in with it; every other document is
rendered from the case as it stands.
"""

from io import BytesIO

import sqlalchemy as sa
from flask import request, send_file

from mediation import papers
from mediation.cases.operations import get_case
from mediation.errors import NotFound
from mediation.extensions import db
from mediation.models import Case, ConfirmationApplication, ConfirmationMaterial, User
from mediation.papers import build
from mediation.papers.store import file_bytes


def agreement_pdf(user: User, case_id: int) -> tuple[bytes, str]:
    """调解协议书: the sealed original as stored, or a draft with its 草稿 watermark.

    :raise NotFound (404): no such case in the user's jurisdiction, or no agreement drafted.
    """
    case = get_case(user, case_id)
    agreement = case.agreement
    if agreement is None:
        raise NotFound("本案尚未拟定调解协议。")
    sealed = agreement.sealed_document
    if sealed is not None:
        return _stored(case, sealed.sha256, "sealed agreement"), _filename("调解协议书", case)
    # Not sealed: a draft, or (effective_on set) an agreement in force before electronic seals.
    html = build.agreement_html(
        case, sealed=False, effective_on=case.effective_on, verify_url=_verify_url(case)
    )
    title = "调解协议书" if case.effective_on else "调解协议书（草稿）"
    return papers.renderer().pdf(html), _filename(title, case)


def session_pdf(user: User, case_id: int, session_id: int) -> tuple[bytes, str]:
    """调解笔录 of one session of the case.

    :raise NotFound (404): no such case in the user's jurisdiction, or no such session in it.
    """
    return _record_pdf(user, case_id, "sessions", session_id, build.session_html, "调解笔录")


def intake_pdf(user: User, case_id: int) -> tuple[bytes, str]:
    """受理登记表 of the case.

    :raise NotFound (404): no such case in the user's jurisdiction.
    """
    case = get_case(user, case_id)
    return papers.renderer().pdf(build.intake_html(case)), _filename("受理登记表", case)


def visit_pdf(user: User, case_id: int, visit_id: int) -> tuple[bytes, str]:
    """回访记录 of one follow-up visit of the case.

    :raise NotFound (404): no such case in the user's jurisdiction, or no such visit in it.
    """
    return _record_pdf(user, case_id, "visits", visit_id, build.visit_html, "回访记录")


def _record_pdf(user: User, case_id: int, records: str, record_id: int, html_of, title: str):
    """The PDF of one of the case's sessions or visits (`records`), numbered in its order."""
    case = get_case(user, case_id)
    number, record = _nth(getattr(case, records), record_id, f"没有这份{title}。")
    html = html_of(case, record)
    return papers.renderer().pdf(html), _filename(f"{title}（第{number}次）", case)


def case_file_pdf(user: User, case_id: int) -> tuple[bytes, str]:
    """卷宗: cover, index and every document of the case in one PDF.

    :raise NotFound (404): no such case in the user's jurisdiction.
    """
    case = get_case(user, case_id)
    html = build.case_file_html(case, verify_url=_verify_url(case))
    return papers.renderer().pdf(html), _filename("卷宗", case)


def ruling_pdf(user: User, case_id: int) -> tuple[bytes, str]:
    """民事裁定书: the court's sealed original as stored, of the newest application ruled on.

    :raise NotFound (404): no such case in the user's jurisdiction, or no ruling issued.
    """
    case = get_case(user, case_id)
    ruled = [a for a in case.applications if a.ruling_document is not None]
    if not ruled:
        raise NotFound("法院尚未就本案作出民事裁定书。")
    application = ruled[-1]
    document = application.ruling_document
    data = _stored(case, document.sha256, "ruling")
    return data, f"民事裁定书{application.court_case_number or case.number}.pdf"


def application_pdf(user: User, case_id: int) -> tuple[bytes, str]:
    """司法确认申请书 of the newest application, as stored when the parties applied.

    :raise NotFound (404): no such case in the user's jurisdiction, or no application made.
    """
    case = get_case(user, case_id)
    application = case.application
    if application is None or application.application_sha256 is None:
        raise NotFound("本案尚未申请司法确认。")
    data = _stored(case, application.application_sha256, "application")
    return data, _filename("司法确认申请书", case)


def material_file(user: User, case_id: int, material_id: int) -> tuple[bytes, str, str]:
    """A material handed in with one of the case's applications: (bytes, its file name as
    given, its media type).

    :raise NotFound (404): no such case in the user's jurisdiction, or no such material in
        its applications.
    """
    case = get_case(user, case_id)
    material = db.session.scalar(
        sa.select(ConfirmationMaterial)
        .join(ConfirmationApplication)
        .where(ConfirmationMaterial.id == material_id, ConfirmationApplication.case_id == case.id)
    )
    if material is None:
        raise NotFound("本案的司法确认申请中没有这份材料。")
    return _stored(case, material.sha256, "material"), material.filename, material.media_type


def send_pdf(document: tuple[bytes, str]):
    """A PDF (bytes, file name), sent as send_stored sends any file."""
    data, filename = document
    return send_stored((data, filename, "application/pdf"))


def send_stored(stored: tuple[bytes, str, str]):
    """A file (bytes, file name, media type) shown in the browser (inline), or saved with its
    name when ?download=1.

    The name goes out as RFC 5987 `filename*` (UTF-8) beside an ASCII fallback; no cache
    keeps the file (mediation.security sets Cache-Control: no-store on every answer), and
    nosniff holds the browser to the media type checked when the file was stored.
    """
    data, filename, media_type = stored
    return send_file(
        BytesIO(data),
        mimetype=media_type,
        as_attachment=request.args.get("download") == "1",
        download_name=filename,
    )


def _stored(case: Case, sha256: str, what: str) -> bytes:
    """The stored bytes under `sha256`; a missing file is the system's fault, logged as such."""
    data = file_bytes(sha256)
    if data is None:
        raise LookupError(f"{case.number}: the stored {what} {sha256} is missing")
    return data


def _nth(records: list, record_id: int, missing: str) -> tuple[int, object]:
    """The record with this id among the case's, and its place in their order (1, 2, …)."""
    for number, record in enumerate(records, start=1):
        if record.id == record_id:
            return number, record
    raise NotFound(missing)


def _verify_url(case: Case) -> str | None:
    """The address in the agreement's QR code; None when the case has no agreement (every
    draft gets its public id, and the migration gave one to older agreements)."""
    return papers.verify_url(case.agreement.public_id) if case.agreement else None


def _filename(title: str, case: Case) -> str:
    """调解协议书（2026）工农兵社区人调字第1号.pdf: the document's name and the case number."""
    return f"{title}{case.number}.pdf"
