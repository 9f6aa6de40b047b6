"""The case endpoints of /api/v1: intake, list, detail, transitions, history and records.

Each view parses the request, calls one operation and answers with the case as the caller
may see it. The operations check the domain, keep the transaction and raise the errors that
mediation.errors.handlers turns into {"error": {...}} with 400/403/404/409/422.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import current_user

from mediation.api import bp, schemas
from mediation.api.errors import DESCRIPTIONS
from mediation.cases import operations as ops
from mediation.cases.queries import list_cases, parse_filters
from mediation.extensions import db
from mediation.models import AuditEvent

# Ids are 32-bit in the database; a larger one in the URL is simply not found.
CASE = "/cases/<int(min=1, max=2147483647):case_id>"
PARTY = "<int(min=1, max=2147483647):party_id>"


def errors(*statuses):
    """Document the errors of a view's own meaning (403, 409, 422) in the API's error shape.

    Those every operation of its shape can give (400, 401, 404, 413) are added to the
    document by mediation.api.errors.ErrorResponses.
    """

    def decorate(view):
        for status in statuses:
            view = bp.alt_response(
                status, schema=schemas.ApiError, description=DESCRIPTIONS[status]
            )(view)
        return view

    return decorate


def detail(case_id: int):
    """The case, reloaded after an operation committed; CaseOut shows it as the caller may."""
    return ops.get_case(current_user, case_id)


@bp.route("/cases", methods=["POST"])
@bp.arguments(schemas.CaseIn, examples=schemas.INTAKE_EXAMPLES)
@bp.response(201, schemas.CaseOut)
@bp.doc(summary="登记纠纷（受理登记）")
@errors(403)
def create_case(data):
    """Register a dispute; the operation checks codes, the grid, ID numbers and phones."""
    case = ops.create_case(current_user, data)
    return detail(case.id)


@bp.route("/cases", methods=["GET"])
@bp.arguments(schemas.CaseListArgs, location="query")
@bp.response(200, schemas.CasePageOut)
@bp.doc(summary="案件列表", description="按状态、类型、区划、是否超期和关键字筛选，分页。")
def list_all(args):
    """One page of the caller's cases, newest first."""
    filters, page, per_page = parse_filters(args)
    return list_cases(current_user, filters, page, per_page)


@bp.route(CASE, methods=["GET"])
@bp.response(200, schemas.CaseOut)
@bp.doc(summary="案件详情")
def show(case_id):
    """One case with its parties (masked), agreement, records and the caller's triggers."""
    return detail(case_id)


@bp.route(f"{CASE}/transitions", methods=["POST"])
@bp.arguments(schemas.TransitionIn, examples=schemas.TRANSITION_EXAMPLES)
@bp.response(200, schemas.CaseOut)
@bp.doc(
    summary="执行操作（状态流转）",
    description="各操作所需字段见 /codes 的 triggers.needs。法院的决定也在此执行（本院法官）："
    "accept_application 的 court_case_number 可不填，由系统按“（年份）法院简称民特N号”编号；"
    "confirm 和 reject_confirmation 的 ruling_text 可不填，使用系统生成的裁定书正文；"
    "reject_confirmation 须填 ground（受理前为不予受理理由，受理后为驳回理由，见 /codes）。"
    "裁定书盖法院印章后见 GET /cases/{case_id}/ruling.pdf。带材料的司法确认申请见 "
    "POST /cases/{case_id}/confirmation。",
)
@errors(403, 409, 422)
def transition(data, case_id):
    """Fire a trigger with the version the caller saw."""
    return fire(case_id, data.pop("trigger"), data)


def fire(case_id: int, trigger: str, data: dict):
    """Fire trigger with the request's version and the rest of its fields; answer the case."""
    payload = {key: value for key, value in data.items() if key != "version"}
    ops.apply_transition(current_user, case_id, trigger, data["version"], payload)
    return detail(case_id)


@bp.route(f"{CASE}/history", methods=["GET"])
@bp.response(200, schemas.HistoryOut)
@bp.doc(summary="案件日志", description="审计事件，按序号排列，每条的 prev_hash 为上一条的 hash。")
def history(case_id):
    """The case's audit events, oldest first."""
    case = ops.get_case(current_user, case_id)
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.case_id == case.id)
        .options(so.joinedload(AuditEvent.actor))
        .order_by(AuditEvent.seq)
    )
    return {"items": events}


@bp.route(f"{CASE}/sessions", methods=["POST"])
@bp.arguments(schemas.SessionIn, examples=schemas.SESSION_EXAMPLES)
@bp.response(201, schemas.SessionOut)
@bp.doc(summary="记录调解（调解记录）")
@errors(403, 422)
def record_session(data, case_id):
    """Record a mediation session on a case under mediation."""
    return ops.record_session(current_user, case_id, data)


@bp.route(f"{CASE}/visits", methods=["POST"])
@bp.arguments(schemas.VisitIn, examples=schemas.VISIT_EXAMPLES)
@bp.response(201, schemas.VisitOut)
@bp.doc(summary="登记回访（回访记录）")
@errors(403, 422)
def record_visit(data, case_id):
    """Record a follow-up visit once the agreement is in force."""
    return ops.record_visit(current_user, case_id, data)


@bp.route(f"{CASE}/agreement", methods=["PUT"])
@bp.arguments(schemas.AgreementIn, examples=schemas.AGREEMENT_EXAMPLES)
@bp.response(200, schemas.CaseOut)
@bp.doc(summary="拟定调解协议", description="字段齐全时执行 draft_agreement，否则 422 列出缺项。")
@errors(403, 409, 422)
def draft_agreement(data, case_id):
    """Save the agreement draft by firing draft_agreement."""
    return fire(case_id, "draft_agreement", data)


@bp.route(f"{CASE}/agreement/signatures", methods=["POST"])
@bp.arguments(schemas.SignatureIn, examples=schemas.SIGNATURE_EXAMPLES)
@bp.response(201, schemas.SignedOut)
@bp.doc(
    summary="协议签名",
    description="当事人或调解员签名；全部签名后由调委会加盖印章（agreement/seal）使协议生效。",
)
@errors(403, 422)
def sign(data, case_id):
    """Record one signature; the answer says where the case now stands."""
    return ops.sign_agreement(current_user, case_id, data)


@bp.route(f"{CASE}/parties/{PARTY}/reveal", methods=["POST"])
@bp.arguments(schemas.RevealIn, examples=schemas.REVEAL_EXAMPLES)
@bp.response(200, schemas.RevealOut)
@bp.doc(summary="查看完整号码", description="显示当事人完整的身份证号码或电话，并记入案件日志。")
@errors(403)
@bp.alt_response(404, schema=schemas.ApiError, description="案件或当事人不存在，或不在调用者辖区内")
def reveal(data, case_id, party_id):
    """Show one number in full; the operation logs who saw it."""
    return {"value": ops.reveal_party_field(current_user, case_id, party_id, data["field"])}
