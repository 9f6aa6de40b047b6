"""The document pages: each PDF of a case, and the public verification page.

A case's PDFs, and the materials handed in with its application, need a signed-in user of
its jurisdiction and open in the browser (inline), or download with `?download=1`. /verify
and /verify/<public id> need no login: they say what a public id names and whether an
uploaded copy is intact, within VERIFY_RATE_LIMIT per address.
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from mediation.errors import InvalidInput, NotFound
from mediation.papers import checking, downloads

bp = Blueprint("papers", __name__)

CASE = "/cases/<int:case_id>"


class UploadForm(FlaskForm):
    """A copy of a PDF to check."""

    file = FileField(_l("PDF 文件"), validators=[FileRequired(_l("请选择要核验的 PDF 文件。"))])


# ---------------------------------------------------------------------------- a case's PDFs


@bp.route(f"{CASE}/agreement.pdf")
@login_required
def agreement(case_id: int):
    """调解协议书: the sealed original, or the draft with its watermark."""
    return downloads.send_pdf(downloads.agreement_pdf(current_user, case_id))


@bp.route(f"{CASE}/intake.pdf")
@login_required
def intake(case_id: int):
    """受理登记表."""
    return downloads.send_pdf(downloads.intake_pdf(current_user, case_id))


@bp.route(f"{CASE}/sessions/<int:session_id>.pdf")
@login_required
def session(case_id: int, session_id: int):
    """调解笔录 of one session."""
    return downloads.send_pdf(downloads.session_pdf(current_user, case_id, session_id))


@bp.route(f"{CASE}/visits/<int:visit_id>.pdf")
@login_required
def visit(case_id: int, visit_id: int):
    """回访记录 of one visit."""
    return downloads.send_pdf(downloads.visit_pdf(current_user, case_id, visit_id))


@bp.route(f"{CASE}/case-file.pdf")
@login_required
def case_file(case_id: int):
    """卷宗 of the case."""
    return downloads.send_pdf(downloads.case_file_pdf(current_user, case_id))


@bp.route(f"{CASE}/application.pdf")
@login_required
def application(case_id: int):
    """司法确认申请书 of the newest application."""
    return downloads.send_pdf(downloads.application_pdf(current_user, case_id))


@bp.route(f"{CASE}/materials/<int:material_id>")
@login_required
def material(case_id: int, material_id: int):
    """A material handed in with the case's application, as uploaded."""
    return downloads.send_stored(downloads.material_file(current_user, case_id, material_id))


@bp.route(f"{CASE}/ruling.pdf")
@login_required
def ruling(case_id: int):
    """民事裁定书: the court's sealed original."""
    return downloads.send_pdf(downloads.ruling_pdf(current_user, case_id))


# ---------------------------------------------------------------------------- verification


@bp.route("/verify", methods=["GET", "POST"], defaults={"public_id": None})
@bp.route("/verify/<public_id>", methods=["GET", "POST"])
@checking.rate_limited
def verify(public_id: str | None):
    """What a public id names and whether its seal is valid; the check of an uploaded copy.

    :raise NotFound (404): the public id names no document.
    """
    record = None
    if public_id is not None:
        record = checking.public_record(public_id)
        if record is None:
            raise NotFound("没有这份文书：请核对二维码或网址。")
    form = UploadForm()
    result, status = None, 200
    if form.validate_on_submit():
        try:
            result = checking.check_upload(form.file.data.read())
        except InvalidInput as problem:
            form.file.errors.append(problem.message)
    if form.file.errors:
        status = 400
    page = render_template("papers/verify.html", record=record, form=form, result=result)
    return page, status
