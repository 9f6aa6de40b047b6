"""The API's response schemas: each dumps the object a view returns, most of them models.

A field writes the attribute of its name unless it says otherwise: `attribute=` for a value
reached through a relation, Masked for ID numbers and phones, computed() for what the object
does not hold itself (the caller's triggers, who must still sign). No view builds a dict of
these fields, so each is named once, here.
"""

from operator import itemgetter

import marshmallow as ma
from flask_login import current_user

from mediation.access.policy import triggers_for
from mediation.api.schemas.fields import (
    ACTOR_ROLES,
    GROUND_CODES,
    SIGNER,
    STATE_CODES,
    TRIGGER_CODES,
    Masked,
    Money,
    computed,
    identifiers,
    output_code,
    through,
)
from mediation.cases.paging import COUNT_CAP
from mediation.models import cases
from mediation.models.regions import LEVELS
from mediation.privacy import mask_id_number, mask_phone
from workflows import CATEGORIES, CLOCKS, DECLINE_REASONS, EXCLUDED_MATTERS, SOURCES


def always_present(schema_class):
    """Mark every field of a response schema required: the API always writes it (maybe null)."""
    for field in schema_class._declared_fields.values():
        field.required = True
    return schema_class


def caller_triggers(case) -> list[str]:
    """The triggers the caller (the token's owner, current_user) may fire on the case now."""
    return triggers_for(current_user, case)


def signer_label(signature) -> str | None:
    """Who the signer is, as the agreement names its required signers."""
    return signature.agreement.required_signers().get(signature.signer)


@always_present
class TokenResponse(ma.Schema):
    """A new bearer token and when it expires."""

    token = ma.fields.String()
    expires_at = ma.fields.DateTime()


class ApiErrorBody(ma.Schema):
    """What went wrong: fields names bad fields, reasons lists a guard's refusals, codes
    gives the codes a refused choice accepts (the messages name only the labels)."""

    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict()
    reasons = ma.fields.List(ma.fields.String())
    codes = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={
            "description": "所选代码缺失或无效时，按字段给出可接受的代码"
            "（message、fields、reasons 只写中文名称）"
        },
    )


class ApiError(ma.Schema):
    """Every error answer: {"error": {code, message, fields?, reasons?, codes?}}."""

    error = ma.fields.Nested(ApiErrorBody, required=True)


# ---------------------------------------------------------------------------- codes


@always_present
class Coded(ma.Schema):
    """An entry of a code list, dumped from its (identifier, label) pair."""

    identifier = computed(ma.fields.String, itemgetter(0))
    label = computed(ma.fields.String, itemgetter(1))


@always_present
class StateOut(ma.Schema):
    """A case state (workflows.State)."""

    identifier = ma.fields.String(attribute="name")
    label = ma.fields.String()
    level = ma.fields.String()
    terminal = ma.fields.Boolean()


@always_present
class TriggerOut(ma.Schema):
    """A trigger (workflows.Transition): from where, to where, who, and what its guard needs."""

    identifier = ma.fields.String(attribute="trigger")
    label = ma.fields.String()
    sources = ma.fields.List(output_code(STATE_CODES))
    # Empty when the destination depends on the case (reopen): null then.
    dest = computed(
        ma.fields.String,
        lambda transition: transition.dest or None,
        validate=ma.validate.OneOf(STATE_CODES),
        allow_none=True,
    )
    destinations = ma.fields.List(output_code(STATE_CODES))
    roles = ma.fields.List(output_code(ACTOR_ROLES))
    needs = ma.fields.List(ma.fields.String())


def code_list():
    """A list of {identifier, label}."""
    return ma.fields.List(ma.fields.Nested(Coded))


@always_present
class CodesOut(ma.Schema):
    """The code lists, states and triggers."""

    categories = code_list()
    sources = code_list()
    states = ma.fields.List(ma.fields.Nested(StateOut))
    triggers = ma.fields.List(ma.fields.Nested(TriggerOut))
    clocks = code_list()
    roles = code_list()
    decline_reasons = code_list()
    escalate_reasons = code_list()
    reject_grounds_before_acceptance = code_list()
    reject_grounds_after_acceptance = code_list()
    excluded_matters = code_list()
    other_routes = code_list()
    agreement_fields = code_list()
    party_roles = code_list()
    party_kinds = code_list()
    sexes = code_list()
    session_outcomes = code_list()
    satisfaction = code_list()
    signature_methods = code_list()
    consent_methods = code_list()
    material_kinds = code_list()


# ---------------------------------------------------------------------------- regions, cases


@always_present
class RegionRef(ma.Schema):
    """A region named by its code."""

    code = ma.fields.String()
    name = ma.fields.String()


@always_present
class CourtRef(RegionRef):
    """A court named by its code."""


@always_present
class CourtsOut(ma.Schema):
    """The courts competent for a case (GET /courts?case=<id>)."""

    items = ma.fields.List(ma.fields.Nested(CourtRef))


@always_present
class RegionNode(RegionRef):
    """A node of the region tree (mediation.access.scoping.region_tree)."""

    level = output_code(list(LEVELS))
    children = ma.fields.List(ma.fields.Nested(lambda: RegionNode()))


@always_present
class UserRef(ma.Schema):
    """A user named by username."""

    username = ma.fields.String()
    display_name = ma.fields.String()


@always_present
class PartyOut(ma.Schema):
    """A party; the ID number and phone are masked, revealing them is a separate, logged call."""

    id = ma.fields.Integer()
    role = output_code(identifiers(cases.PARTY_ROLES))
    kind = output_code(identifiers(cases.PARTY_KINDS))
    name = ma.fields.String()
    sex = output_code(identifiers(cases.SEXES), allow_none=True)
    ethnicity = ma.fields.String(allow_none=True)
    id_number = Masked(mask_id_number)
    phone = Masked(mask_phone)
    address = ma.fields.String(allow_none=True)
    occupation = ma.fields.String(allow_none=True)
    legal_representative = ma.fields.String(allow_none=True)
    agent = ma.fields.String(allow_none=True)
    refuses_mediation = ma.fields.Boolean()


@always_present
class SignatureOut(ma.Schema):
    """A signature on the agreement, without its image; void once the draft was reopened."""

    id = ma.fields.Integer()
    signer = ma.fields.String(metadata={"pattern": SIGNER})
    signer_label = computed(ma.fields.String, signer_label, allow_none=True)
    method = output_code(identifiers(cases.SIGNATURE_METHODS))
    typed_name = ma.fields.String(allow_none=True)
    signed_at = ma.fields.DateTime()
    void = computed(ma.fields.Boolean, lambda signature: signature.voided_at is not None)


@always_present
class SignedOut(SignatureOut):
    """A new signature and where it left the case."""

    case_status = output_code(STATE_CODES, attribute="agreement.case.status")
    case_version = ma.fields.Integer(attribute="agreement.case.version")


@always_present
class SealedOut(ma.Schema):
    """The sealed original of the agreement: its hash, when and by whom it was sealed."""

    sha256 = ma.fields.String()
    issued_at = ma.fields.DateTime()
    issued_by = ma.fields.String(attribute="issued_by.username", allow_none=True)
    effective_on = ma.fields.Date(allow_none=True)


@always_present
class AgreementOut(ma.Schema):
    """The 调解协议书 draft, who must sign it, who has, and who is still missing."""

    facts = ma.fields.String(allow_none=True)
    terms = ma.fields.List(ma.fields.String())
    performance_method = ma.fields.String(allow_none=True)
    performance_place = ma.fields.String(allow_none=True)
    performance_deadline = ma.fields.Date(allow_none=True)
    amount = Money(allow_none=True)
    matter = output_code(identifiers(EXCLUDED_MATTERS), allow_none=True)
    drafted_at = ma.fields.DateTime()
    required_signers = computed(
        ma.fields.List,
        lambda agreement: agreement.required_signers().items(),
        ma.fields.Nested(Coded),
    )
    signatures = ma.fields.List(ma.fields.Nested(SignatureOut))
    missing_signers = computed(
        ma.fields.List, lambda agreement: agreement.signers_missing(), ma.fields.String()
    )
    public_id = ma.fields.String(
        allow_none=True, metadata={"description": "二维码与 /verify/<public_id> 中的公开编号"}
    )
    sealed = computed(
        ma.fields.Nested,
        lambda agreement: agreement.sealed_document,
        SealedOut,
        allow_none=True,
        metadata={"description": "加盖印章后的盖章原件；未盖章时为 null"},
    )


@always_present
class SessionOut(ma.Schema):
    """A mediation session (调解记录)."""

    id = ma.fields.Integer()
    held_at = ma.fields.DateTime()
    location = ma.fields.String()
    mediators = ma.fields.String()
    attendees = ma.fields.String()
    summary = ma.fields.String()
    outcome = output_code(identifiers(cases.SESSION_OUTCOMES))
    recorded_by = ma.fields.String(attribute="recorded_by.username")
    created_at = ma.fields.DateTime()


@always_present
class VisitOut(ma.Schema):
    """A follow-up visit (回访记录)."""

    id = ma.fields.Integer()
    visited_at = ma.fields.DateTime()
    performed = ma.fields.Boolean()
    satisfaction = output_code(identifiers(cases.SATISFACTION))
    notes = ma.fields.String(allow_none=True)
    remaining_risk = ma.fields.String(allow_none=True)
    visitor = ma.fields.String(attribute="visitor.username")
    created_at = ma.fields.DateTime()


@always_present
class CaseSummary(ma.Schema):
    """A case as a list shows it (the list query loads its parties, grid and mediator)."""

    id = ma.fields.Integer()
    number = ma.fields.String()
    title = ma.fields.String()
    category = output_code(identifiers(CATEGORIES))
    source = output_code(identifiers(SOURCES))
    status = output_code(STATE_CODES)
    version = ma.fields.Integer()
    amount = Money(allow_none=True)
    grid = ma.fields.Nested(RegionRef)
    mediator = ma.fields.Nested(UserRef, allow_none=True)
    clock = output_code(
        [clock.key for clock in CLOCKS],
        allow_none=True,
        metadata={"description": "deadline_at 是哪个期限（代码表 clocks）；null：当前无期限"},
    )
    deadline_at = ma.fields.DateTime(allow_none=True)
    grid_deadline_at = ma.fields.DateTime(allow_none=True)
    overdue = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    parties = ma.fields.List(ma.fields.Nested(PartyOut))
    available_triggers = computed(
        ma.fields.List,
        caller_triggers,
        output_code(TRIGGER_CODES),
        metadata={"description": "调用者此刻可执行的操作"},
    )


@always_present
class CaseOut(CaseSummary):
    """One case in full, as the caller may see it."""

    description = ma.fields.String()
    came_from = output_code(STATE_CODES, allow_none=True)
    mediation_deadline_at = ma.fields.DateTime(allow_none=True)
    accepted_at = ma.fields.DateTime(allow_none=True)
    escalated_at = ma.fields.DateTime(allow_none=True)
    effective_on = ma.fields.Date(allow_none=True)
    concluded_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()
    decline_reason = output_code(identifiers(DECLINE_REASONS), allow_none=True)
    court = through("court.code", metadata={"description": "法院代码"})
    court_case_number = ma.fields.String(allow_none=True)
    ruling_text = ma.fields.String(allow_none=True)
    rejection_ground = output_code(GROUND_CODES, allow_none=True)
    agreement = ma.fields.Nested(AgreementOut, allow_none=True)
    application = ma.fields.Nested(
        # By name: schemas.confirmation builds on this module (CourtRef, always_present).
        "ApplicationOut",
        allow_none=True,
        metadata={"description": "最近一次司法确认申请；从未申请为 null"},
    )
    sessions = ma.fields.List(ma.fields.Nested(SessionOut))
    visits = ma.fields.List(ma.fields.Nested(VisitOut))


@always_present
class CasePageOut(ma.Schema):
    """One page of the case list (mediation.cases.queries.CasePage)."""

    items = ma.fields.List(ma.fields.Nested(CaseSummary))
    total = ma.fields.Integer(
        metadata={
            "description": f"符合条件的案件数。超过 {COUNT_CAP} 件时不再逐件计数："
            "total_is_estimate 为 true，total 为数据库的估计值（不小于 total_at_least）"
        }
    )
    total_is_estimate = ma.fields.Boolean(
        metadata={"description": "true：total 是估计值，不是精确计数"},
    )
    total_at_least = ma.fields.Integer(
        metadata={"description": "确知的下限：精确计数时等于 total，否则为已数到的件数"}
    )
    page = ma.fields.Integer(
        allow_none=True, metadata={"description": "页码；按 cursor 翻到的页为 null"}
    )
    per_page = ma.fields.Integer()
    next_cursor = ma.fields.String(
        allow_none=True, metadata={"description": "下一页的 cursor；没有下一页为 null"}
    )
    prev_cursor = ma.fields.String(
        allow_none=True, metadata={"description": "上一页的 cursor；第一页为 null"}
    )


@always_present
class EventOut(ma.Schema):
    """One audit event of a case's hash chain."""

    seq = ma.fields.Integer()
    at = ma.fields.DateTime()
    actor = through("actor.username", metadata={"description": "用户名；系统为 null"})
    actor_role = output_code(ACTOR_ROLES)
    action = ma.fields.String(metadata={"description": "操作代码，或 create、session、visit 等"})
    from_state = output_code(STATE_CODES, data_key="from", allow_none=True)
    to_state = output_code(STATE_CODES, data_key="to", allow_none=True)
    reason = ma.fields.String(allow_none=True)
    payload = ma.fields.Dict()
    hash = ma.fields.String()
    prev_hash = ma.fields.String(allow_none=True)


@always_present
class HistoryOut(ma.Schema):
    """A case's audit events, oldest first."""

    items = ma.fields.List(ma.fields.Nested(EventOut))


@always_present
class RevealOut(ma.Schema):
    """A number shown in full."""

    value = ma.fields.String()


# ---------------------------------------------------------------------------- documents


@always_present
class VerifyOut(ma.Schema):
    """What an uploaded copy is (mediation.papers.checking.check_upload): nulls when not ours."""

    status = output_code(
        ["intact", "altered", "unknown"],
        metadata={"description": "intact 一致；altered 盖章后已被改动；unknown 非本系统出具"},
    )
    number = ma.fields.String(allow_none=True, metadata={"description": "文书编号（案号）"})
    committee = ma.fields.String(allow_none=True, metadata={"description": "出具文书的调解委员会"})
    effective_on = ma.fields.Date(allow_none=True, metadata={"description": "生效日期"})
    document = ma.fields.Function(
        lambda result: _document_ref(result["document"]),
        allow_none=True,
        metadata={"description": "文书：{kind, public_id}（kind：agreement 调解协议书）"},
    )
    sealed_by = ma.fields.String(
        attribute="signer", allow_none=True, metadata={"description": "盖章单位（证书名称）"}
    )
    sealed_at = ma.fields.DateTime(
        attribute="signed_at", allow_none=True, metadata={"description": "盖章时间"}
    )


def _document_ref(document) -> dict | None:
    """An issued document as the verify answer names it."""
    return {"kind": document.kind, "public_id": document.public_id} if document else None
