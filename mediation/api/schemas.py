"""Marshmallow schemas of the API's requests and responses (they make the OpenAPI document)."""

import marshmallow as ma


class TokenRequest(ma.Schema):
    """Credentials for a token."""

    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class TokenResponse(ma.Schema):
    """A new bearer token and when it expires."""

    token = ma.fields.String()
    expires_at = ma.fields.DateTime()


class RegionNode(ma.Schema):
    """A node of the region tree."""

    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    children = ma.fields.List(ma.fields.Nested(lambda: RegionNode()))


# ---------------------------------------------------------------------------- request fields
# Request schemas check shape and types only; the operations check the domain (codes, ID
# numbers, phones, amounts, dates) and say in Chinese what to fix. The fields below carry
# Chinese messages, so a 400 from a schema reads as well as one from an operation.

REQUIRED = "必填字段。"
NOT_NULL = "不能为 null。"


def wrong_type(kind: str) -> str:
    """The message for a value of the wrong JSON type."""
    return f"类型不正确，应为{kind}。"


class Text(ma.fields.String):
    """A string; NUL characters are refused (PostgreSQL cannot store them)."""

    default_error_messages = {
        "required": REQUIRED,
        "null": NOT_NULL,
        "invalid": wrong_type("文字（字符串）"),
        "invalid_utf8": "不是有效的 UTF-8 文字。",
        "nul": "不能包含空字符（\\u0000）。",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        """The string, unless it contains a NUL character."""
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("nul")
        return text


class WholeNumber(ma.fields.Integer):
    """A JSON integer: "3" and 3.0 are refused, and so are true and false."""

    default_error_messages = {
        "required": REQUIRED,
        "null": NOT_NULL,
        "invalid": wrong_type("整数"),
        "too_large": "数值过大。",
    }

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class PageNumber(ma.fields.Integer):
    """A whole number from the query string, where everything arrives as text."""

    default_error_messages = {"invalid": wrong_type("整数"), "too_large": "数值过大。"}


class Amount(ma.fields.Decimal):
    """An amount in yuan, as a JSON number or a numeric string; answered as a string."""

    default_error_messages = {
        "required": REQUIRED,
        "null": NOT_NULL,
        "invalid": wrong_type('数字，例如 3500 或 "3500.50"'),
        "too_large": "数值过大。",
        "special": "应为有限的数字。",
    }

    def __init__(self, **kwargs):
        super().__init__(as_string=True, **kwargs)


class Flag(ma.fields.Boolean):
    """A JSON true or false; "yes", 1 and "true" are refused."""

    default_error_messages = {
        "required": REQUIRED,
        "null": NOT_NULL,
        "invalid": wrong_type("布尔值 true 或 false"),
    }

    def _deserialize(self, value, attr, data, **kwargs):
        """The boolean itself, nothing truthy."""
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Items(ma.fields.List):
    """A JSON array."""

    default_error_messages = {
        "required": REQUIRED,
        "null": NOT_NULL,
        "invalid": wrong_type("数组（列表）"),
    }


class Record(ma.fields.Nested):
    """A JSON object described by a schema."""

    default_error_messages = {
        "required": REQUIRED,
        "null": NOT_NULL,
        "type": wrong_type("对象"),
    }


class RequestSchema(ma.Schema):
    """A request body: unknown fields are refused, so that a misspelt field is reported."""

    error_messages = {
        "type": "请求内容应为 JSON 对象。",
        "unknown": "未知字段。",
    }

    class Meta:
        unknown = ma.RAISE


def optional(field_class, *args, **kwargs):
    """A field that may be left out or sent as null (the operation decides what that means)."""
    return field_class(*args, required=False, allow_none=True, **kwargs)


def moment(description: str, **kwargs) -> Text:
    """An ISO 8601 timestamp, parsed and checked by the operation (naive means China time)."""
    return Text(metadata={"format": "date-time", "description": description}, **kwargs)


def day(description: str, **kwargs) -> Text:
    """An ISO 8601 date, parsed and checked by the operation."""
    return Text(metadata={"format": "date", "description": description}, **kwargs)


# ---------------------------------------------------------------------------- case requests


class PartyIn(RequestSchema):
    """A party at intake; ID number and phone are checked by the operation."""

    role = Text(required=True, metadata={"description": "applicant | respondent | third_party"})
    kind = optional(Text, metadata={"description": "person（默认）| organization"})
    name = Text(required=True)
    sex = optional(Text, metadata={"description": "male | female"})
    ethnicity = optional(Text)
    id_number = optional(Text, metadata={"description": "18 位公民身份号码（GB 11643）"})
    phone = optional(Text, metadata={"description": "手机或固定电话"})
    address = optional(Text)
    occupation = optional(Text)
    legal_representative = optional(Text)
    agent = optional(Text)
    refuses_mediation = optional(Flag)


class CaseIn(RequestSchema):
    """Intake (受理登记)."""

    title = Text(required=True)
    category = Text(required=True, metadata={"description": "纠纷类型代码，见 /codes"})
    description = Text(required=True)
    grid = Text(required=True, metadata={"description": "网格的区划代码"})
    source = Text(required=True, metadata={"description": "案件来源代码，见 /codes"})
    amount = optional(Amount)
    parties = Items(Record(PartyIn), required=True)


# Beyond this the offset no longer fits the database's integers.
MAX_PAGE = 1_000_000_000
PAGE_RANGE = f"应为 1 至 {MAX_PAGE} 之间的整数。"


class CaseListArgs(RequestSchema):
    """Filters and paging of the case list (checked by the list query)."""

    status = Text(metadata={"description": "状态代码"})
    category = Text(metadata={"description": "纠纷类型代码"})
    region = Text(metadata={"description": "区划代码：该区划及其下级的案件"})
    overdue = Text(metadata={"description": "true | false"})
    q = Text(metadata={"description": "案号、标题或当事人姓名中的文字"})
    page = PageNumber(validate=ma.validate.Range(min=1, max=MAX_PAGE, error=PAGE_RANGE))
    per_page = PageNumber(metadata={"description": "每页条数，1 至 100"})


class Consent(RequestSchema):
    """One party's consent to apply for judicial confirmation."""

    party_id = WholeNumber(required=True)
    method = Text(required=True, metadata={"description": "同意方式，如 signed（书面签字）"})


class AgreementFields(RequestSchema):
    """The fields of a 调解协议书 draft; completeness is the draft_agreement guard's business."""

    facts = optional(Text, metadata={"description": "纠纷事实、争议事项及各方责任"})
    terms = optional(Items, Text(), metadata={"description": "协议条款，每条一项"})
    performance_method = optional(Text)
    performance_place = optional(Text)
    performance_deadline = optional(day, "履行期限")
    amount = optional(Amount)
    matter = optional(Text, metadata={"description": "协议涉及的不可司法确认事项代码，见 /codes"})


class TransitionIn(AgreementFields):
    """Fire a trigger; which of the optional fields a trigger needs is listed in /codes."""

    trigger = Text(required=True)
    version = WholeNumber(required=True, metadata={"description": "客户端所见的案件版本号"})
    reason = optional(Text)
    reason_code = optional(Text)
    mediator = optional(Text, metadata={"description": "调解员用户名（accept）"})
    ruling_text = optional(Text)
    ground = optional(Text, metadata={"description": "驳回/不予受理理由代码"})
    court = optional(Text, metadata={"description": "法院代码"})
    court_case_number = optional(Text)
    routes_told = optional(Items, Text(), metadata={"description": "已告知的其他途径代码"})
    consents = optional(Items, Record(Consent))
    joint_application = optional(Flag)


class AgreementIn(AgreementFields):
    """Save the agreement draft: fires draft_agreement."""

    version = WholeNumber(required=True)


class SessionIn(RequestSchema):
    """A mediation session (调解记录)."""

    held_at = moment("调解时间，不晚于现在", required=True)
    location = Text(required=True)
    attendees = Text(required=True)
    summary = Text(required=True)
    outcome = Text(required=True, metadata={"description": "continuing | agreed | failed"})
    mediators = optional(Text)


class VisitIn(RequestSchema):
    """A follow-up visit (回访记录)."""

    visited_at = moment("回访时间，不晚于现在", required=True)
    performed = Flag(required=True)
    satisfaction = Text(
        required=True, metadata={"description": "satisfied | basically | unsatisfied"}
    )
    notes = optional(Text)
    remaining_risk = optional(Text)


class SignatureIn(RequestSchema):
    """One signature on the drafted agreement."""

    signer = Text(required=True, metadata={"description": "party:<当事人 id> | mediator | seal"})
    method = Text(required=True, metadata={"description": "drawn | typed"})
    image = optional(Text, metadata={"description": "PNG data URL（drawn）"})
    typed_name = optional(Text, metadata={"description": "签名人姓名（typed）"})


class ConfirmationIn(RequestSchema):
    """The parties' joint application for judicial confirmation: fires request_confirmation."""

    version = WholeNumber(required=True)
    court = optional(Text, metadata={"description": "法院代码"})
    consents = optional(Items, Record(Consent))


class RevealIn(RequestSchema):
    """Which number of a party to show in full."""

    field = Text(required=True, metadata={"description": "id_number | phone"})


# ---------------------------------------------------------------------------- responses


class ApiErrorBody(ma.Schema):
    """What went wrong."""

    code = ma.fields.String()
    message = ma.fields.String()
    fields = ma.fields.Dict()
    reasons = ma.fields.List(ma.fields.String())


class ApiError(ma.Schema):
    """Every error answer: {"error": {code, message, fields?, reasons?}}."""

    error = ma.fields.Nested(ApiErrorBody)


class Coded(ma.Schema):
    """An entry of a code list."""

    identifier = ma.fields.String()
    label = ma.fields.String()


class StateOut(Coded):
    """A case state."""

    level = ma.fields.String()
    terminal = ma.fields.Boolean()


class TriggerOut(Coded):
    """A trigger: from where, to where, who, and which request fields its guard needs."""

    sources = ma.fields.List(ma.fields.String())
    dest = ma.fields.String(allow_none=True)
    destinations = ma.fields.List(ma.fields.String())
    roles = ma.fields.List(ma.fields.String())
    needs = ma.fields.List(ma.fields.String())


def code_list():
    """A list of {identifier, label}."""
    return ma.fields.List(ma.fields.Nested(Coded))


class CodesOut(ma.Schema):
    """The code lists, states and triggers."""

    categories = code_list()
    sources = code_list()
    states = ma.fields.List(ma.fields.Nested(StateOut))
    triggers = ma.fields.List(ma.fields.Nested(TriggerOut))
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


class RegionRef(ma.Schema):
    """A region named by its code."""

    code = ma.fields.String()
    name = ma.fields.String()


class UserRef(ma.Schema):
    """A user named by username."""

    username = ma.fields.String()
    display_name = ma.fields.String()


class PartyOut(ma.Schema):
    """A party; the ID number and phone are masked."""

    id = ma.fields.Integer()
    role = ma.fields.String()
    kind = ma.fields.String()
    name = ma.fields.String()
    sex = ma.fields.String(allow_none=True)
    ethnicity = ma.fields.String(allow_none=True)
    id_number = ma.fields.String(allow_none=True, metadata={"description": "掩码显示"})
    phone = ma.fields.String(allow_none=True, metadata={"description": "掩码显示"})
    address = ma.fields.String(allow_none=True)
    occupation = ma.fields.String(allow_none=True)
    legal_representative = ma.fields.String(allow_none=True)
    agent = ma.fields.String(allow_none=True)
    refuses_mediation = ma.fields.Boolean()


class SignatureOut(ma.Schema):
    """A signature on the agreement; void once the draft was reopened."""

    id = ma.fields.Integer()
    signer = ma.fields.String()
    signer_label = ma.fields.String(allow_none=True)
    method = ma.fields.String()
    typed_name = ma.fields.String(allow_none=True)
    signed_at = ma.fields.DateTime()
    void = ma.fields.Boolean()


class SignedOut(SignatureOut):
    """A new signature and where it left the case."""

    case_status = ma.fields.String()
    case_version = ma.fields.Integer()


class AgreementOut(ma.Schema):
    """The 调解协议书 draft and its signatures."""

    facts = ma.fields.String(allow_none=True)
    terms = ma.fields.List(ma.fields.String())
    performance_method = ma.fields.String(allow_none=True)
    performance_place = ma.fields.String(allow_none=True)
    performance_deadline = ma.fields.Date(allow_none=True)
    amount = ma.fields.Decimal(as_string=True, allow_none=True)
    matter = ma.fields.String(allow_none=True)
    drafted_at = ma.fields.DateTime()
    required_signers = ma.fields.List(ma.fields.Nested(Coded))
    signatures = ma.fields.List(ma.fields.Nested(SignatureOut))
    missing_signers = ma.fields.List(ma.fields.String())


class SessionOut(ma.Schema):
    """A mediation session (调解记录)."""

    id = ma.fields.Integer()
    held_at = ma.fields.DateTime()
    location = ma.fields.String()
    mediators = ma.fields.String()
    attendees = ma.fields.String()
    summary = ma.fields.String()
    outcome = ma.fields.String()
    recorded_by = ma.fields.String()
    created_at = ma.fields.DateTime()


class VisitOut(ma.Schema):
    """A follow-up visit (回访记录)."""

    id = ma.fields.Integer()
    visited_at = ma.fields.DateTime()
    performed = ma.fields.Boolean()
    satisfaction = ma.fields.String()
    notes = ma.fields.String(allow_none=True)
    remaining_risk = ma.fields.String(allow_none=True)
    visitor = ma.fields.String()
    created_at = ma.fields.DateTime()


class CaseSummary(ma.Schema):
    """A case as a list shows it."""

    id = ma.fields.Integer()
    number = ma.fields.String()
    title = ma.fields.String()
    category = ma.fields.String()
    source = ma.fields.String()
    status = ma.fields.String()
    version = ma.fields.Integer()
    amount = ma.fields.Decimal(as_string=True, allow_none=True)
    grid = ma.fields.Nested(RegionRef)
    mediator = ma.fields.Nested(UserRef, allow_none=True)
    deadline_at = ma.fields.DateTime(allow_none=True)
    grid_deadline_at = ma.fields.DateTime(allow_none=True)
    overdue = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    parties = ma.fields.List(ma.fields.Nested(PartyOut))
    available_triggers = ma.fields.List(
        ma.fields.String(), metadata={"description": "调用者此刻可执行的操作"}
    )


class CaseOut(CaseSummary):
    """One case in full."""

    description = ma.fields.String()
    came_from = ma.fields.String(allow_none=True)
    mediation_deadline_at = ma.fields.DateTime(allow_none=True)
    accepted_at = ma.fields.DateTime(allow_none=True)
    escalated_at = ma.fields.DateTime(allow_none=True)
    effective_on = ma.fields.Date(allow_none=True)
    concluded_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()
    decline_reason = ma.fields.String(allow_none=True)
    court = ma.fields.String(allow_none=True, metadata={"description": "法院代码"})
    court_case_number = ma.fields.String(allow_none=True)
    ruling_text = ma.fields.String(allow_none=True)
    rejection_ground = ma.fields.String(allow_none=True)
    agreement = ma.fields.Nested(AgreementOut, allow_none=True)
    sessions = ma.fields.List(ma.fields.Nested(SessionOut))
    visits = ma.fields.List(ma.fields.Nested(VisitOut))


class CasePageOut(ma.Schema):
    """One page of the case list."""

    items = ma.fields.List(ma.fields.Nested(CaseSummary))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class EventOut(ma.Schema):
    """One audit event of a case's hash chain."""

    seq = ma.fields.Integer()
    at = ma.fields.DateTime()
    actor = ma.fields.String(allow_none=True, metadata={"description": "用户名；系统为 null"})
    actor_role = ma.fields.String()
    action = ma.fields.String()
    from_state = ma.fields.String(data_key="from", allow_none=True)
    to_state = ma.fields.String(data_key="to", allow_none=True)
    reason = ma.fields.String(allow_none=True)
    payload = ma.fields.Dict()
    hash = ma.fields.String()
    prev_hash = ma.fields.String(allow_none=True)


class HistoryOut(ma.Schema):
    """A case's audit events, oldest first."""

    items = ma.fields.List(ma.fields.Nested(EventOut))


class RevealOut(ma.Schema):
    """A number shown in full."""

    value = ma.fields.String()
