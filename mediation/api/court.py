"""The judicial confirmation endpoints of /api/v1: the competent courts, the joint application
(JSON, or multipart/form-data with its materials), the judge's extension of the review period,
and the application's papers: the generated 申请书, the materials and the court's ruling.

The court's decisions (accept_application, confirm, reject_confirmation) are triggers like any
other, fired at POST /cases/<id>/transitions.
"""

from flask import request
from flask_login import current_user

from mediation.access import policy
from mediation.api import bearer_user, bp, schemas
from mediation.api.cases import CASE, detail, errors
from mediation.api.documents import pdf
from mediation.cases import operations as ops
from mediation.errors import NotAuthenticated
from mediation.papers import downloads

MATERIAL = "<int(min=1, max=2147483647):material_id>"
MULTIPART = "multipart/form-data"
# The one view that takes files, and so a larger body.
APPLICATION_ENDPOINT = "api.request_confirmation"
APPLICATION_BODY = {
    "required": True,
    "description": "不带材料时用 JSON；带材料时用 multipart/form-data：文字字段 version、court、"
    "consents（JSON 文字），材料文件放在以材料类别代码（/codes 的 material_kinds）命名的字段中，"
    "每类可有多个文件。",
    "content": {
        "application/json": {
            "schema": schemas.ConfirmationIn,
            "examples": schemas.CONFIRMATION_EXAMPLES,
        },
        MULTIPART: {"schema": schemas.ConfirmationUpload},
    },
}
TOO_LARGE = (
    "请求体超过上限，未作任何处理：带材料的申请（multipart）为 MATERIAL_MAX_FILES 个文件各按 "
    "MATERIAL_MAX_MB 计、另加 1 MB，JSON 请求为 MAX_CONTENT_LENGTH"
)
NO_DOCUMENT = "案件不存在或不在调用者辖区内，或尚无此文书"


@bp.url_value_preprocessor
def allow_material_uploads(endpoint, _values):
    """Give an application with files its own body limit before anything reads the body.

    A url_value_preprocessor, because it runs before every before_request hook, and the
    app's own (mediation.inputs.refuse_nul_characters) reads the form, and so the whole
    multipart body, first. A body over the limit answers 413 in the API's error shape.
    """
    if endpoint == APPLICATION_ENDPOINT and request.mimetype == MULTIPART and _may_apply():
        request.max_content_length = ops.upload_body_limit()


def _may_apply() -> bool:
    """Only a caller who may file applications gets the larger limit: anyone else's body
    stays within MAX_REQUEST_MB, and is refused before it is read."""
    try:
        return policy.can_apply_confirmation(bearer_user())
    except NotAuthenticated:
        return False


@bp.route("/courts", methods=["GET"])
@bp.arguments(schemas.CourtsArgs, location="query")
@bp.response(200, schemas.CourtsOut)
@bp.alt_response(404, schema=schemas.ApiError, description="案件不存在或不在调用者辖区内")
@bp.doc(
    summary="可受理司法确认的法院",
    description="管辖案件所在地的基层人民法院（民事诉讼法第二百零五条：调解组织所在地），"
    "即申请司法确认时 court 可选的法院。",
)
def courts(args):
    """The courts the case's application may go to."""
    return {"items": ops.competent_courts(current_user, args["case"])}


@bp.route(f"{CASE}/confirmation", methods=["POST"])
@bp.response(200, schemas.CaseOut)
@bp.doc(
    summary="申请司法确认",
    description="协议生效后 30 日内，双方当事人共同申请（一方申请、他方的同意已记录在案的亦可）："
    "记录每名当事人的同意方式和时间、所选法院和申请材料（法释〔2011〕5号第三条），"
    "生成司法确认申请书，执行 request_confirmation。材料按内容识别类型（PDF、JPEG、PNG），"
    "任一文件不合格则整个申请不予保存（400，materials 指出文件和原因）；"
    "未取得全部当事人同意、超过申请期限（说明截止日期）、协议涉及不可确认的事项、"
    "法院不管辖本案所在地区时 422。",
    requestBody=APPLICATION_BODY,
)
@errors(403, 409, 422)
@bp.alt_response(413, schema=schemas.ApiError, description=TOO_LARGE)
def request_confirmation(case_id):
    """File the joint application, with the files a multipart request carries."""
    fields, materials = application_from_request()
    ops.request_confirmation(
        current_user,
        case_id,
        fields["version"],
        court=fields["court"],
        consents=fields["consents"],
        materials=materials,
    )
    return detail(case_id)


def application_from_request() -> tuple[dict, list]:
    """The application's fields and its material files, from JSON or multipart/form-data.

    :raise 400: a field that does not fit its schema, or a file under a field that names no
        material kind.
    """
    parser = bp.ARGUMENTS_PARSER
    if request.mimetype != MULTIPART:
        return parser.parse(schemas.ConfirmationIn, location="json"), []
    fields = parser.parse(schemas.ConfirmationForm, location="form")
    # webargs ignores unknown file fields by default: a misspelt kind must not lose a file.
    files = parser.parse(schemas.MaterialFiles, location="files", unknown="raise")
    materials = [
        ops.MaterialUpload(kind, upload.filename or "", upload.read())
        for kind, uploads in files.items()
        for upload in uploads
    ]
    return fields, materials


@bp.route(f"{CASE}/confirmation/extension", methods=["POST"])
@bp.arguments(schemas.ExtensionIn, examples=schemas.EXTENSION_EXAMPLES)
@bp.response(200, schemas.CaseOut)
@bp.doc(
    summary="延长审查期限",
    description="受理后、裁定前，本院法官记录经院长批准的延长（法释〔2011〕5号第五条）："
    "审查期限另加 10 日，只可延长一次。案件的 deadline_at 随之更新。",
)
@errors(403, 409, 422)
def extend_review(data, case_id):
    """Record the approved extension with the version the judge saw."""
    ops.extend_review(current_user, case_id, data["version"], reason=data["reason"])
    return detail(case_id)


@bp.route(f"{CASE}/ruling.pdf", methods=["GET"])
@pdf(
    "民事裁定书 PDF",
    "法院裁定（确认有效、驳回申请或不予受理）后，盖有法院印章（PAdES）的裁定书原件，逐字节不变；"
    "可在 /verify 核验。尚未裁定时 404。",
)
@bp.alt_response(404, schema=schemas.ApiError, description=NO_DOCUMENT)
def ruling_pdf(case_id):
    """The court's sealed ruling on the case's newest application."""
    return downloads.send_pdf(downloads.ruling_pdf(current_user, case_id))


@bp.route(f"{CASE}/application.pdf", methods=["GET"])
@pdf("司法确认申请书 PDF", "申请时系统生成的申请书；尚未申请时 404。")
@bp.alt_response(404, schema=schemas.ApiError, description=NO_DOCUMENT)
def application_pdf(case_id):
    """The 申请书 generated with the case's newest application."""
    return downloads.send_pdf(downloads.application_pdf(current_user, case_id))


@bp.route(f"{CASE}/materials/{MATERIAL}", methods=["GET"])
@bp.doc(
    summary="申请材料文件",
    description="申请时上传的一份材料，按存储时识别的类型（PDF、JPEG 或 PNG）原样返回；"
    "material_id 见案件详情 application.materials，不属于该案件时 404。",
    responses={
        "200": {
            "description": "材料文件",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in schemas.MATERIAL_MEDIA_TYPES
            },
        }
    },
)
@bp.alt_response(404, schema=schemas.ApiError, description="案件或材料不存在，或不在调用者辖区内")
def material_file(case_id, material_id):
    """One material of the case's application, as it was handed in."""
    return downloads.send_stored(downloads.material_file(current_user, case_id, material_id))
