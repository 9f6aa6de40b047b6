"""The judicial-confirmation part of the API: what an application takes (JSON, or multipart
with the materials), the courts asked for, the extension, and how an application is answered.
"""

from datetime import datetime

import marshmallow as ma
from flask import url_for
from flask_smorest.fields import Upload

from mediation.api.schemas.fields import (
    CONSENT_METHOD_CODES,
    GROUND_CODES,
    MATERIAL_KIND_CODES,
    Embedded,
    Items,
    Record,
    Text,
    TextNumber,
    computed,
    id_range,
    identifiers,
    length,
    output_code,
    words,
)
from mediation.api.schemas.requests import Consent, RequestSchema, case_version
from mediation.api.schemas.responses import CourtRef, always_present
from mediation.cases.cleaning import MAX_PARTIES
from mediation.cases.operations.confirmation import REASON_LIMIT as EXTENSION_REASON
from mediation.cases.operations.limits import time_limits
from mediation.cases.operations.materials import SIGNATURES
from workflows import MATERIAL_KINDS, RULING_OUTCOMES
from workflows.deadlines import (
    as_aware,
    china_time,
    court_acceptance_deadline,
    court_ruling_deadline,
)

# The types a material may be stored as: those its content is recognised as.
MATERIAL_MEDIA_TYPES = [media_type for _magic, media_type in SIGNATURES]

MATERIAL_FILE = (
    "PDF、JPEG 或 PNG（按内容识别，不看扩展名），每个不超过 MATERIAL_MAX_MB（默认 10 MB）"
)


# ---------------------------------------------------------------------------- requests


def court_code() -> Text:
    """The court applied to, by code."""
    return Text(
        required=True,
        validate=length(32),
        metadata={
            "description": "法院代码，取自 GET /courts?case=<id>（管辖本案所在地的基层人民法院）",
            "example": "420102-court",
        },
    )


def consent_list() -> Items:
    """Each party's consent: the same list in a JSON body and in a form field."""
    return Items(
        Record(Consent),
        required=True,
        validate=ma.validate.Length(
            max=MAX_PARTIES, error=f"同意记录最多 {MAX_PARTIES} 条（每名当事人一条）。"
        ),
        metadata={
            "description": "每名当事人的同意；一方申请、他方的同意已记录在案的，亦为共同申请。"
            "缺少任一当事人的同意则 422"
        },
    )


class ConfirmationIn(RequestSchema):
    """The parties' joint application for judicial confirmation, as JSON (no materials)."""

    version = case_version()
    court = court_code()
    consents = consent_list()


class ConfirmationForm(RequestSchema):
    """The same application as the text fields of multipart/form-data."""

    version = case_version(TextNumber)
    court = court_code()
    consents = Embedded(
        consent_list(),
        required=True,
        metadata={
            "description": "JSON 文字，内容与 JSON 请求的 consents 相同，"
            '如 [{"party_id": 1, "method": "signed"}, {"party_id": 2, "method": "signed"}]'
        },
    )


# One file field per kind of material (法释〔2011〕5号 Art 3), each taking several files.
MaterialFiles = RequestSchema.from_dict(
    {
        kind: Items(Upload(), metadata={"description": f"{label}：{MATERIAL_FILE}；可多个"})
        for kind, label in MATERIAL_KINDS
    },
    name="MaterialFiles",
)


class ConfirmationUpload(MaterialFiles, ConfirmationForm):
    """The application with its materials, as multipart/form-data: the text fields of
    ConfirmationForm, then a file field per material kind (MaterialFiles). Documentation
    only: the view parses the two parts with their own schemas."""


class ExtensionIn(RequestSchema):
    """延长审查期限: the judge records the approved extension of the ruling period, once."""

    version = case_version()
    reason = words(
        EXTENSION_REASON,
        required=True,
        description="延长理由及批准情况",
        example="案情复杂，需进一步核实当事人身份，经院长批准延长审查期限。",
    )


class CourtsArgs(RequestSchema):
    """Which case the competent courts are asked for."""

    case = TextNumber(
        required=True,
        validate=id_range("案件 id"),
        metadata={"description": "案件 id：列出管辖该案所在地的法院"},
    )


# ---------------------------------------------------------------------------- responses


def acceptance_deadline(application) -> datetime:
    """When the court should have decided whether to accept (3 days from the application)."""
    return court_acceptance_deadline(china_time(as_aware(application.applied_at)), time_limits())


def ruling_deadline(application) -> datetime | None:
    """When the court should rule (15 days from acceptance, +10 once extended); None before
    acceptance."""
    if application.accepted_at is None:
        return None
    accepted_at = china_time(as_aware(application.accepted_at))
    return court_ruling_deadline(accepted_at, time_limits(), application.extended_at is not None)


def application_pdf_url(application) -> str | None:
    """Where the generated 申请书 is downloaded, once it exists."""
    if application.application_sha256 is None:
        return None
    return url_for("api.application_pdf", case_id=application.case_id)


@always_present
class ConsentOut(ma.Schema):
    """One party's recorded consent to the joint application."""

    party_id = ma.fields.Integer()
    method = output_code(CONSENT_METHOD_CODES)
    consented_at = ma.fields.DateTime()


@always_present
class MaterialOut(ma.Schema):
    """A material handed in with the application; its bytes are at url."""

    id = ma.fields.Integer()
    kind = output_code(MATERIAL_KIND_CODES)
    filename = ma.fields.String(metadata={"description": "上传时的文件名，仅供显示"})
    media_type = output_code(MATERIAL_MEDIA_TYPES, metadata={"description": "按内容识别的类型"})
    size = ma.fields.Integer(metadata={"description": "字节数"})
    sha256 = ma.fields.String(metadata={"description": "内容的 SHA-256，与案件日志中记录的一致"})
    url = computed(
        ma.fields.String,
        lambda material: url_for(
            "api.material_file", case_id=material.application.case_id, material_id=material.id
        ),
    )


@always_present
class RulingOut(ma.Schema):
    """The court's sealed 民事裁定书."""

    public_id = ma.fields.String(metadata={"description": "/verify/<public_id> 中的公开编号"})
    sha256 = ma.fields.String()
    url = computed(
        ma.fields.String, lambda document: url_for("api.ruling_pdf", case_id=document.case_id)
    )


@always_present
class ApplicationOut(ma.Schema):
    """An application for judicial confirmation, its materials and the court's decision.

    The deadlines are computed from applied_at and accepted_at with the city's time limits;
    the one running is also the case's deadline_at (acceptance_deadline while the case is
    confirmation_requested, ruling_deadline while it is confirmation_accepted).
    """

    court = ma.fields.Nested(CourtRef)
    applied_at = ma.fields.DateTime()
    consents = ma.fields.List(ma.fields.Nested(ConsentOut))
    materials = ma.fields.List(ma.fields.Nested(MaterialOut))
    application_pdf = computed(
        ma.fields.String,
        application_pdf_url,
        allow_none=True,
        metadata={"description": "系统生成的司法确认申请书 PDF 的地址"},
    )
    accepted_at = ma.fields.DateTime(allow_none=True)
    court_case_number = ma.fields.String(allow_none=True, metadata={"description": "法院案号"})
    acceptance_deadline = computed(
        ma.fields.DateTime,
        acceptance_deadline,
        metadata={"description": "决定是否受理的期限：申请之日起 3 日（法释〔2011〕5号第4条）"},
    )
    ruling_deadline = computed(
        ma.fields.DateTime,
        ruling_deadline,
        allow_none=True,
        metadata={
            "description": "审查期限：受理之日起 15 日，延长后另加 10 日（第5条）；受理前为 null"
        },
    )
    extended = computed(
        ma.fields.Boolean,
        lambda application: application.extended_at is not None,
        metadata={"description": "是否已延长审查期限（只可延长一次）"},
    )
    extension_reason = ma.fields.String(allow_none=True)
    outcome = output_code(
        identifiers(RULING_OUTCOMES),
        allow_none=True,
        metadata={
            "description": "confirmed 确认有效；rejected 驳回申请；not_accepted 不予受理；"
            "withdrawn 撤回；尚未决定为 null"
        },
    )
    ground = output_code(
        GROUND_CODES, allow_none=True, metadata={"description": "驳回或不予受理的理由代码"}
    )
    decided_at = ma.fields.DateTime(allow_none=True)
    ruling_text = ma.fields.String(
        allow_none=True, metadata={"description": "裁定书正文（法官所写或系统生成）；未裁定为 null"}
    )
    ruling = ma.fields.Nested(
        RulingOut,
        attribute="ruling_document",
        allow_none=True,
        metadata={"description": "盖有法院印章的民事裁定书；未裁定为 null"},
    )
