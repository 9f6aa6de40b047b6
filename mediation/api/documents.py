"""The document endpoints of /api/v1: each PDF of a case, the committee's seal, and the check
of a copy (POST /verify, the only one besides /tokens that needs no token).

The PDFs are those of the case pages (mediation.papers.downloads): a sealed agreement is its
stored original byte for byte. Sealing answers with the case, like every write on a case.
"""

from flask_login import current_user

from mediation.api import bp, schemas
from mediation.api.cases import CASE, detail, errors
from mediation.cases import operations as ops
from mediation.papers import checking, downloads

SESSION = "<int(min=1, max=2147483647):session_id>"
VISIT = "<int(min=1, max=2147483647):visit_id>"
TOO_MANY = "核验次数过多（每个地址的额度见 VERIFY_RATE_LIMIT），请稍后再试"


def pdf(summary: str, description: str = ""):
    """Document a GET that answers a PDF (inline; ?download=1 makes it an attachment)."""

    def decorate(view):
        view = bp.doc(summary=summary, **({"description": description} if description else {}))(
            view
        )
        binary = {"type": "string", "format": "binary"}
        return bp.response(200, binary, content_type="application/pdf", description="PDF")(view)

    return decorate


@bp.route(f"{CASE}/agreement.pdf", methods=["GET"])
@pdf("调解协议书 PDF", "盖章前为带“草稿”水印的草稿；盖章后为盖章原件，逐字节不变。")
def agreement_pdf(case_id):
    """The agreement: the sealed original, or a draft with its watermark."""
    return downloads.send_pdf(downloads.agreement_pdf(current_user, case_id))


@bp.route(f"{CASE}/intake.pdf", methods=["GET"])
@pdf("受理登记表 PDF")
def intake_pdf(case_id):
    """The intake form."""
    return downloads.send_pdf(downloads.intake_pdf(current_user, case_id))


@bp.route(f"{CASE}/sessions/{SESSION}.pdf", methods=["GET"])
@pdf("调解笔录 PDF", "一次调解的记录；session_id 不属于该案件时 404。")
def session_pdf(case_id, session_id):
    """The minutes of one mediation session."""
    return downloads.send_pdf(downloads.session_pdf(current_user, case_id, session_id))


@bp.route(f"{CASE}/visits/{VISIT}.pdf", methods=["GET"])
@pdf("回访记录 PDF", "一次回访的记录；visit_id 不属于该案件时 404。")
def visit_pdf(case_id, visit_id):
    """The record of one follow-up visit."""
    return downloads.send_pdf(downloads.visit_pdf(current_user, case_id, visit_id))


@bp.route(f"{CASE}/case-file.pdf", methods=["GET"])
@pdf("卷宗 PDF", "封面、卷内目录、案件的全部文书和流程记录。")
def case_file_pdf(case_id):
    """The case file."""
    return downloads.send_pdf(downloads.case_file_pdf(current_user, case_id))


@bp.route(f"{CASE}/agreement/seal", methods=["POST"])
@bp.arguments(schemas.SealIn)
@bp.response(200, schemas.CaseOut)
@bp.doc(
    summary="加盖调委会印章",
    description="各方当事人和调解员签名后，由本案调委会的调解员（街道调委会的案件为街道综治中心）"
    "加盖印章：生成并签署盖章原件（PAdES），执行 make_effective。",
)
@errors(403, 409, 422)
def seal_agreement(data, case_id):
    """Seal the agreement with the version the caller saw; answer the case."""
    ops.seal_agreement(current_user, case_id, data["version"])
    return detail(case_id)


@bp.route("/verify", methods=["POST"])
@checking.rate_limited
@bp.arguments(schemas.VerifyIn, location="files")
@bp.response(200, schemas.VerifyOut)
@bp.alt_response(429, schema=schemas.ApiError, description=TOO_MANY)
@bp.doc(
    summary="核验文书",
    description="上传任一份 PDF：与盖章原件一致为 intact，带本系统印章但已被改动为 altered，"
    "否则为 unknown（此时其余字段为 null）。无需令牌；按来源地址限制次数。",
    security=[],
)
def verify_copy(files):
    """Check an uploaded copy; a file that is not a PDF is a 400."""
    return checking.check_upload(files["file"].read())
