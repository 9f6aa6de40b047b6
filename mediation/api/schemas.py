"""Marshmallow schemas of the API's requests and responses (they make the OpenAPI document).

A request schema refuses what the document says is out of bounds (400, in Chinese): codes
outside their code list, text over the length of its column or operation, numbers outside
their range, ID numbers and phones that do not have their shape. The validators are what
apispec turns into `enum`, `maxLength`, `minimum` and `pattern`, so the document and the
check are one thing. What a schema cannot say (an ID number's check digit, a grid within
the caller's jurisdiction, a time not in the future) the operations check, and the field's
description says so.
"""

import marshmallow as ma

from mediation.cases.intake import MAX_PARTIES, PARTY_TEXT_FIELDS
from mediation.cases.operations import MAX_SIGNATURE_IMAGE
from mediation.cases.queries import MAX_PAGE, MAX_PER_PAGE
from mediation.inputs import whole_number
from mediation.models.cases import (
    PARTY_KINDS,
    PARTY_ROLES,
    SATISFACTION,
    SESSION_OUTCOMES,
    SEXES,
    SIGNATURE_METHODS,
)
from mediation.models.regions import LEVELS
from workflows import (
    CATEGORIES,
    DECLINE_REASONS,
    ESCALATE_REASONS,
    EXCLUDED_MATTERS,
    OTHER_ROUTES,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    ROLES,
    SOURCES,
    STATES,
    SYSTEM,
    TRANSITIONS,
)

# Ids and versions are 32-bit integers in the database.
MAX_ID = 2**31 - 1


def identifiers(codes) -> list[str]:
    """The identifiers of a code list of (identifier, label) pairs."""
    return [identifier for identifier, _label in codes]


STATE_CODES = [state.name for state in STATES]
TRIGGER_CODES = [transition.trigger for transition in TRANSITIONS]
REASON_CODES = identifiers(DECLINE_REASONS) + identifiers(ESCALATE_REASONS)
# Every 不予受理 ground is also a 驳回 ground: the longer list holds both.
GROUND_CODES = identifiers(REJECT_GROUNDS_AFTER_ACCEPTANCE)
ACTOR_ROLES = [*identifiers(ROLES), SYSTEM]
REVEALABLE = ["id_number", "phone"]

# ---------------------------------------------------------------------------- text patterns
# Written with explicit character classes, so that ECMA 262 (the document's dialect) and
# Python (the server's) read them alike: `\s` and `\d` differ between the two.

# Control characters other than tab and line breaks: mediation.cases.intake refuses them.
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# What str.strip() removes, less the control characters above.
SPACE = r"\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
PLAIN = f"^[^{CONTROL}]*$"
FILLED = f"^[{SPACE}]*[^{SPACE}{CONTROL}][^{CONTROL}]*$"
# GB 11643: a province (the codes mediation.privacy knows), four more area digits, a birth
# date from 1900 on, three sequence digits (the last odd for a man), and the check character.
ID_NUMBER = (
    "^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|91)[0-9]{4}"
    "(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$"
)
# A mainland mobile (with +86, 0086 or 86 before it, dashes between the groups allowed) or a
# landline: area code (010, 02x or 0 and three digits from 3), 7 or 8 digits, an extension.
PHONE = (
    "^(?:(?:\\+86|0086|86)-?)?1[3-9][0-9]-?[0-9]{4}-?[0-9]{4}$"
    "|^\\(?0(?:10|2[0-9]|[3-9][0-9]{2})\\)?-?[0-9]{7,8}(?:(?:-|转|#|[Ee][Xx][Tt]\\.?|[Xx])[0-9]{1,6})?$"
)
# Yuan with at most two decimals, below one trillion (the column is NUMERIC(14, 2)).
AMOUNT = "^[0-9]{1,12}(?:\\.[0-9]{1,2})?$"
SIGNER = "^(?:party:[1-9][0-9]{0,9}|mediator|seal)$"
PNG_DATA_URL = "^data:image/png;base64,[A-Za-z0-9+/=]*$"

# ---------------------------------------------------------------------------- messages

REQUIRED = "必填字段。"
NOT_NULL = "不能为 null。"
TOO_LONG = "不能超过 {max} 个字符。"
CONTROL_MESSAGE = "不能含有控制字符（制表符和换行除外）。"
FILLED_MESSAGE = "请填写内容（不能只有空白），且不能含有控制字符（制表符和换行除外）。"
AMOUNT_MESSAGE = '金额应为字符串形式的数字，如 "3500" 或 "3500.50"：最多两位小数，小于 1 万亿。'


def wrong_type(kind: str) -> str:
    """The message for a value of the wrong JSON type."""
    return f"类型不正确，应为{kind}。"


def one_of(codes: list[str], what: str) -> ma.validate.OneOf:
    """A code from a list, refused with the list in the message."""
    return ma.validate.OneOf(codes, error=f"{what}无效，可选：{'、'.join(codes)}。")


def length(limit: int) -> ma.validate.Length:
    """At most limit characters (before the operation strips spaces)."""
    return ma.validate.Length(max=limit, error=TOO_LONG)


def id_range(what: str) -> ma.validate.Range:
    """A positive 32-bit id or version."""
    return ma.validate.Range(min=1, max=MAX_ID, error=f"{what}应为 1 至 {MAX_ID} 之间的整数。")


# ---------------------------------------------------------------------------- request fields


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
    """A whole number from the query string, where everything arrives as text: ASCII digits."""

    default_error_messages = {"invalid": "应为整数（半角数字）。", "too_large": "数值过大。"}

    def _deserialize(self, value, attr, data, **kwargs):
        """The number; "١", "１０", "1_000" and "+1" are refused (int() would take them)."""
        number = whole_number(value)
        if number is None:
            raise self.make_error("invalid")
        return super()._deserialize(number, attr, data, **kwargs)


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


def words(limit: int | None = None, *, required: bool = False, **metadata) -> Text:
    """Free text as the operations take it: no control characters, at most limit characters.

    A required text must hold more than spaces; an optional one may be left out, null or
    blank (the operation then stores nothing).
    """
    validators = [] if limit is None else [length(limit)]
    if required:
        validators.append(ma.validate.Regexp(FILLED, error=FILLED_MESSAGE))
        return Text(required=True, validate=validators, metadata=metadata)
    validators.append(ma.validate.Regexp(PLAIN, error=CONTROL_MESSAGE))
    return optional(Text, validate=validators, metadata=metadata)


def code(codes: list[str], what: str, *, required: bool = False, **metadata) -> Text:
    """An identifier from a code list; optional codes may be left out or null."""
    if required:
        return Text(required=True, validate=one_of(codes, what), metadata=metadata)
    return optional(Text, validate=one_of(codes, what), metadata=metadata)


def guarded_code(codes: list[str], description: str) -> Text:
    """An optional code that the trigger's guard checks: one outside the list is refused with
    422 and the guard's reasons, like any other unmet condition, not with 400."""
    return optional(
        Text,
        metadata={"enum": [*codes, None], "description": f"{description}；列表外的代码 422"},
    )


def moment(description: str, **kwargs) -> Text:
    """An ISO 8601 timestamp, parsed and checked by the operation (naive means China time)."""
    return Text(metadata={"format": "date-time", "description": description}, **kwargs)


def day(description: str, **kwargs) -> Text:
    """An ISO 8601 date, parsed and checked by the operation."""
    return Text(metadata={"format": "date", "description": description}, **kwargs)


class Amount(Text):
    """An amount in yuan, as a string of digits with at most two decimals: "3500.50"."""

    default_error_messages = {"invalid": AMOUNT_MESSAGE}

    def __init__(self, **kwargs):
        super().__init__(validate=ma.validate.Regexp(AMOUNT, error=AMOUNT_MESSAGE), **kwargs)


def amount(description: str) -> Amount:
    """An optional amount field."""
    return optional(Amount, metadata={"description": description, "example": "3500.00"})


# ---------------------------------------------------------------------------- case requests


def party_text(key: str, *, required: bool = False, **metadata) -> Text:
    """A party's text field, as long as mediation.cases.intake allows."""
    limit, label = PARTY_TEXT_FIELDS[key]
    return words(limit, required=required, description=label, **metadata)


class PartyIn(RequestSchema):
    """A party at intake; the operation checks the ID number's check digit and sex digit."""

    role = code(identifiers(PARTY_ROLES), "当事人类型", required=True, example="applicant")
    kind = code(
        identifiers(PARTY_KINDS),
        "主体类型",
        description="默认 person；organization 不填身份证号码",
        example="person",
    )
    name = party_text("name", required=True, example="王建国")
    sex = code(identifiers(SEXES), "性别", example="male")
    ethnicity = party_text("ethnicity", example="汉族")
    id_number = optional(
        Text,
        validate=ma.validate.Regexp(
            ID_NUMBER,
            error="身份证号码应为18位：省级代码、出生日期、顺序码和校验码（数字或 X）。",
        ),
        metadata={
            "description": (
                "18 位公民身份号码（GB 11643）：末位校验码须正确，出生日期须存在且不晚于今天，"
                "第 17 位（奇数为男、偶数为女）须与 sex 一致；organization 不填"
            ),
            "example": "42010219800101001X",
        },
    )
    phone = optional(
        Text,
        validate=ma.validate.Regexp(
            PHONE,
            error=(
                "电话号码格式不正确：手机号码为11位数字，"
                "固定电话为区号加7至8位号码（如 010-12345678）。"
            ),
        ),
        metadata={
            "description": "手机号码，或固定电话（区号-号码，可带分机）",
            "example": "13812345678",
        },
    )
    address = party_text("address", example="武汉市江岸区大智路1号")
    occupation = party_text("occupation")
    legal_representative = party_text("legal_representative")
    agent = party_text("agent")
    refuses_mediation = optional(Flag, metadata={"description": "当事人明确拒绝调解"})


class CaseIn(RequestSchema):
    """Intake (受理登记)."""

    title = words(200, required=True, description="纠纷标题", example="楼上漏水致楼下受损纠纷")
    category = code(identifiers(CATEGORIES), "纠纷类型", required=True, example="neighbor")
    description = words(
        5000, required=True, description="纠纷简要情况", example="楼上卫生间漏水，楼下天花板受损。"
    )
    grid = Text(
        required=True,
        validate=length(32),
        metadata={
            "description": "网格的区划代码，须在调用者辖区内（见 /regions）",
            "example": "42010200200101",
        },
    )
    source = code(identifiers(SOURCES), "案件来源", required=True, example="application")
    amount = amount("争议金额（元），十进制字符串")
    parties = Items(
        Record(PartyIn),
        required=True,
        validate=ma.validate.Length(
            min=2, max=MAX_PARTIES, error=f"当事人应为 2 至 {MAX_PARTIES} 名。"
        ),
        metadata={"description": "至少一名申请人（applicant）和一名被申请人（respondent）"},
    )


PAGE_RANGE = f"应为 1 至 {MAX_PAGE} 之间的整数。"
PER_PAGE_RANGE = f"每页条数应为 1 至 {MAX_PER_PAGE} 之间的整数。"


class CaseListArgs(RequestSchema):
    """Filters and paging of the case list (checked by the list query)."""

    status = Text(validate=one_of(STATE_CODES, "状态"))
    category = Text(validate=one_of(identifiers(CATEGORIES), "纠纷类型"))
    region = Text(validate=length(32), metadata={"description": "区划代码：该区划及其下级的案件"})
    overdue = Text(
        validate=one_of(["true", "false"], "overdue"),
        metadata={"description": "true：只列超期的；false：只列未超期的"},
    )
    q = Text(validate=length(100), metadata={"description": "案号、标题或当事人姓名中的文字"})
    page = PageNumber(validate=ma.validate.Range(min=1, max=MAX_PAGE, error=PAGE_RANGE))
    per_page = PageNumber(
        validate=ma.validate.Range(min=1, max=MAX_PER_PAGE, error=PER_PAGE_RANGE),
        metadata={"description": f"每页条数，默认 20，最多 {MAX_PER_PAGE}"},
    )


class Consent(RequestSchema):
    """One party's consent to apply for judicial confirmation."""

    party_id = WholeNumber(required=True, validate=id_range("当事人 id"))
    method = Text(required=True, metadata={"description": "同意方式，如 signed（书面签字）"})


class AgreementFields(RequestSchema):
    """The fields of a 调解协议书 draft; completeness is the draft_agreement guard's business."""

    facts = words(5000, description="纠纷事实、争议事项及各方责任")
    terms = optional(Items, Text(), metadata={"description": "协议条款，每条一项"})
    performance_method = words(200, description="履行方式")
    performance_place = words(200, description="履行地点")
    performance_deadline = optional(day, "履行期限：2000-01-01 至今后十年内")
    amount = amount("协议涉及金额（元），十进制字符串")
    matter = code(
        identifiers(EXCLUDED_MATTERS), "协议涉及事项", description="不可司法确认的事项，见 /codes"
    )


class TransitionIn(AgreementFields):
    """Fire a trigger; which of the optional fields a trigger needs is listed in /codes."""

    trigger = code(TRIGGER_CODES, "操作", required=True)
    version = WholeNumber(
        required=True,
        validate=id_range("版本号"),
        metadata={"description": "客户端所见的案件版本号；已过期则 409"},
    )
    reason = optional(Text, metadata={"description": "理由或情况说明"})
    reason_code = guarded_code(REASON_CODES, "不予受理（decline）或上报（escalate）的理由代码")
    mediator = optional(
        Text, validate=length(64), metadata={"description": "调解员用户名（accept）"}
    )
    ruling_text = optional(Text, metadata={"description": "裁定书内容（confirm）"})
    ground = guarded_code(GROUND_CODES, "驳回/不予受理理由代码（reject_confirmation）")
    court = optional(Text, validate=length(32), metadata={"description": "法院代码"})
    court_case_number = words(80, description="法院案号（accept_application）")
    routes_told = optional(
        Items,
        Text(metadata={"enum": identifiers(OTHER_ROUTES)}),
        metadata={"description": "已告知当事人的其他途径（terminate）；列表外的代码 422"},
    )
    consents = optional(Items, Record(Consent))
    joint_application = optional(Flag)


class AgreementIn(AgreementFields):
    """Save the agreement draft: fires draft_agreement."""

    version = WholeNumber(required=True, validate=id_range("版本号"))


class SessionIn(RequestSchema):
    """A mediation session (调解记录)."""

    held_at = moment(
        "调解时间：ISO 8601，不带时区按北京时间；2000 年以后，不晚于现在", required=True
    )
    location = words(200, required=True, description="调解地点", example="工农兵社区人民调解室")
    attendees = words(2000, required=True, description="参加人", example="王建国、李秀英")
    summary = words(
        10000, required=True, description="各方陈述及调解经过", example="双方陈述后同意赔偿。"
    )
    outcome = code(identifiers(SESSION_OUTCOMES), "调解结果", required=True, example="continuing")
    mediators = words(200, description="调解员，默认为记录人")


class VisitIn(RequestSchema):
    """A follow-up visit (回访记录)."""

    visited_at = moment(
        "回访时间：ISO 8601，不带时区按北京时间；2000 年以后，不晚于现在", required=True
    )
    performed = Flag(required=True, metadata={"description": "协议是否已履行"})
    satisfaction = code(identifiers(SATISFACTION), "满意程度", required=True, example="satisfied")
    notes = words(5000, description="回访情况")
    remaining_risk = words(2000, description="遗留风险")


class SignatureIn(RequestSchema):
    """One signature on the drafted agreement."""

    signer = Text(
        required=True,
        validate=ma.validate.Regexp(
            SIGNER, error="签名人应为 party:<当事人 id>、mediator 或 seal。"
        ),
        metadata={
            "description": "party:<当事人 id> | mediator | seal：协议的 required_signers 之一"
        },
    )
    method = code(identifiers(SIGNATURE_METHODS), "签名方式", required=True, example="typed")
    image = optional(
        Text,
        validate=[
            ma.validate.Length(max=MAX_SIGNATURE_IMAGE, error=TOO_LONG),
            ma.validate.Regexp(PNG_DATA_URL, error="签名图片应为 PNG 格式的 data URL。"),
        ],
        metadata={"description": "PNG data URL（drawn 时必填）"},
    )
    typed_name = words(120, description="签名人姓名（typed 时必填）")


class ConfirmationIn(RequestSchema):
    """The parties' joint application for judicial confirmation: fires request_confirmation."""

    version = WholeNumber(required=True, validate=id_range("版本号"))
    court = optional(Text, validate=length(32), metadata={"description": "法院代码"})
    consents = optional(Items, Record(Consent))


class RevealIn(RequestSchema):
    """Which number of a party to show in full."""

    field = code(REVEALABLE, "字段", required=True)


# ---------------------------------------------------------------------------- responses


def always_present(schema_class):
    """Mark every field of a response schema required: the API always writes it (maybe null)."""
    for field in schema_class._declared_fields.values():
        field.required = True
    return schema_class


def output_code(codes: list[str], **kwargs) -> ma.fields.String:
    """A code in a response; the list is for the document (dumping does not validate)."""
    return ma.fields.String(validate=ma.validate.OneOf(codes), **kwargs)


class Money(ma.fields.Decimal):
    """An amount in yuan written as a string with two decimals, as requests send it."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "pattern": AMOUNT, "example": "3500.00"}
        super().__init__(places=2, as_string=True, metadata=metadata, **kwargs)


class TokenRequest(RequestSchema):
    """Credentials for a token."""

    username = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    password = Text(required=True, validate=ma.validate.Length(min=1, max=128))


@always_present
class TokenResponse(ma.Schema):
    """A new bearer token and when it expires."""

    token = ma.fields.String()
    expires_at = ma.fields.DateTime()


@always_present
class RegionNode(ma.Schema):
    """A node of the region tree."""

    code = ma.fields.String()
    name = ma.fields.String()
    level = output_code(list(LEVELS))
    children = ma.fields.List(ma.fields.Nested(lambda: RegionNode()))


class ApiErrorBody(ma.Schema):
    """What went wrong: fields names bad fields, reasons lists a guard's refusals."""

    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict()
    reasons = ma.fields.List(ma.fields.String())


class ApiError(ma.Schema):
    """Every error answer: {"error": {code, message, fields?, reasons?}}."""

    error = ma.fields.Nested(ApiErrorBody, required=True)


@always_present
class Coded(ma.Schema):
    """An entry of a code list."""

    identifier = ma.fields.String()
    label = ma.fields.String()


@always_present
class StateOut(Coded):
    """A case state."""

    level = ma.fields.String()
    terminal = ma.fields.Boolean()


@always_present
class TriggerOut(Coded):
    """A trigger: from where, to where, who, and which request fields its guard needs."""

    sources = ma.fields.List(output_code(STATE_CODES))
    dest = output_code(STATE_CODES, allow_none=True)
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


@always_present
class RegionRef(ma.Schema):
    """A region named by its code."""

    code = ma.fields.String()
    name = ma.fields.String()


@always_present
class UserRef(ma.Schema):
    """A user named by username."""

    username = ma.fields.String()
    display_name = ma.fields.String()


@always_present
class PartyOut(ma.Schema):
    """A party; the ID number and phone are masked."""

    id = ma.fields.Integer()
    role = output_code(identifiers(PARTY_ROLES))
    kind = output_code(identifiers(PARTY_KINDS))
    name = ma.fields.String()
    sex = output_code(identifiers(SEXES), allow_none=True)
    ethnicity = ma.fields.String(allow_none=True)
    id_number = ma.fields.String(allow_none=True, metadata={"description": "掩码显示"})
    phone = ma.fields.String(allow_none=True, metadata={"description": "掩码显示"})
    address = ma.fields.String(allow_none=True)
    occupation = ma.fields.String(allow_none=True)
    legal_representative = ma.fields.String(allow_none=True)
    agent = ma.fields.String(allow_none=True)
    refuses_mediation = ma.fields.Boolean()


@always_present
class SignatureOut(ma.Schema):
    """A signature on the agreement; void once the draft was reopened."""

    id = ma.fields.Integer()
    signer = ma.fields.String(metadata={"pattern": SIGNER})
    signer_label = ma.fields.String(allow_none=True)
    method = output_code(identifiers(SIGNATURE_METHODS))
    typed_name = ma.fields.String(allow_none=True)
    signed_at = ma.fields.DateTime()
    void = ma.fields.Boolean()


@always_present
class SignedOut(SignatureOut):
    """A new signature and where it left the case."""

    case_status = output_code(STATE_CODES)
    case_version = ma.fields.Integer()


@always_present
class AgreementOut(ma.Schema):
    """The 调解协议书 draft and its signatures."""

    facts = ma.fields.String(allow_none=True)
    terms = ma.fields.List(ma.fields.String())
    performance_method = ma.fields.String(allow_none=True)
    performance_place = ma.fields.String(allow_none=True)
    performance_deadline = ma.fields.Date(allow_none=True)
    amount = Money(allow_none=True)
    matter = output_code(identifiers(EXCLUDED_MATTERS), allow_none=True)
    drafted_at = ma.fields.DateTime()
    required_signers = ma.fields.List(ma.fields.Nested(Coded))
    signatures = ma.fields.List(ma.fields.Nested(SignatureOut))
    missing_signers = ma.fields.List(ma.fields.String())


@always_present
class SessionOut(ma.Schema):
    """A mediation session (调解记录)."""

    id = ma.fields.Integer()
    held_at = ma.fields.DateTime()
    location = ma.fields.String()
    mediators = ma.fields.String()
    attendees = ma.fields.String()
    summary = ma.fields.String()
    outcome = output_code(identifiers(SESSION_OUTCOMES))
    recorded_by = ma.fields.String()
    created_at = ma.fields.DateTime()


@always_present
class VisitOut(ma.Schema):
    """A follow-up visit (回访记录)."""

    id = ma.fields.Integer()
    visited_at = ma.fields.DateTime()
    performed = ma.fields.Boolean()
    satisfaction = output_code(identifiers(SATISFACTION))
    notes = ma.fields.String(allow_none=True)
    remaining_risk = ma.fields.String(allow_none=True)
    visitor = ma.fields.String()
    created_at = ma.fields.DateTime()


@always_present
class CaseSummary(ma.Schema):
    """A case as a list shows it."""

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
    deadline_at = ma.fields.DateTime(allow_none=True)
    grid_deadline_at = ma.fields.DateTime(allow_none=True)
    overdue = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    parties = ma.fields.List(ma.fields.Nested(PartyOut))
    available_triggers = ma.fields.List(
        output_code(TRIGGER_CODES), metadata={"description": "调用者此刻可执行的操作"}
    )


@always_present
class CaseOut(CaseSummary):
    """One case in full."""

    description = ma.fields.String()
    came_from = output_code(STATE_CODES, allow_none=True)
    mediation_deadline_at = ma.fields.DateTime(allow_none=True)
    accepted_at = ma.fields.DateTime(allow_none=True)
    escalated_at = ma.fields.DateTime(allow_none=True)
    effective_on = ma.fields.Date(allow_none=True)
    concluded_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()
    decline_reason = output_code(identifiers(DECLINE_REASONS), allow_none=True)
    court = ma.fields.String(allow_none=True, metadata={"description": "法院代码"})
    court_case_number = ma.fields.String(allow_none=True)
    ruling_text = ma.fields.String(allow_none=True)
    rejection_ground = output_code(GROUND_CODES, allow_none=True)
    agreement = ma.fields.Nested(AgreementOut, allow_none=True)
    sessions = ma.fields.List(ma.fields.Nested(SessionOut))
    visits = ma.fields.List(ma.fields.Nested(VisitOut))


@always_present
class CasePageOut(ma.Schema):
    """One page of the case list."""

    items = ma.fields.List(ma.fields.Nested(CaseSummary))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


@always_present
class EventOut(ma.Schema):
    """One audit event of a case's hash chain."""

    seq = ma.fields.Integer()
    at = ma.fields.DateTime()
    actor = ma.fields.String(allow_none=True, metadata={"description": "用户名；系统为 null"})
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


# ---------------------------------------------------------------------------- examples
# Whole request bodies for the document, one per act (with the demo city's codes and users).
# The fuzz test sends each of them too, so an example that stops working fails a test.


def example(summary: str, value: dict) -> dict:
    """An OpenAPI example object."""
    return {"summary": summary, "value": value}


AGREEMENT_EXAMPLE = {
    "facts": "楼上卫生间防水层老化漏水，致楼下天花板受损，被申请人负全部责任。",
    "terms": ["被申请人赔偿申请人维修费3500元。", "双方就此事再无其他争议。"],
    "performance_method": "银行转账",
    "performance_place": "工农兵社区人民调解委员会",
    "performance_deadline": "2027-06-30",
    "amount": "3500.00",
}
INTAKE_EXAMPLES = {
    "neighbor": example(
        "邻里纠纷，两名当事人",
        {
            "title": "楼上漏水致楼下受损纠纷",
            "category": "neighbor",
            "description": "楼上住户卫生间漏水，楼下天花板受损，双方多次协商未果。",
            "grid": "42010200200101",
            "source": "application",
            "amount": "3500.00",
            "parties": [
                {
                    "role": "applicant",
                    "kind": "person",
                    "name": "王建国",
                    "sex": "male",
                    "id_number": "42010219800101001X",
                    "phone": "13812345678",
                },
                {
                    "role": "respondent",
                    "kind": "person",
                    "name": "李秀英",
                    "sex": "female",
                    "id_number": "420102198505050023",
                    "phone": "027-82861234",
                },
            ],
        },
    )
}
# What each trigger a user fires needs besides trigger and version (see /codes, needs).
TRIGGER_PAYLOADS = {
    "accept": {"mediator": "mediator_demo"},
    "decline": {"reason_code": "not_civil_dispute"},
    "escalate": {"reason_code": "complex", "reason": "涉及多户，网格层面难以协调。"},
    "draft_agreement": AGREEMENT_EXAMPLE,
    "reopen": {"reason": "被申请人对赔偿金额提出异议。"},
    "request_confirmation": {"court": "420102-court", "joint_application": True},
    "accept_application": {"court_case_number": "（2026）鄂0102民特15号"},
    "confirm": {"ruling_text": "经审查，双方达成的调解协议符合法律规定，确认有效。"},
    "reject_confirmation": {"ground": "not_civil_case"},
    "withdraw_confirmation": {"reason": "双方当事人书面撤回司法确认申请。"},
    "remediate": {"reason": "法院驳回后双方同意重新调解。"},
    "terminate": {"reason": "双方分歧过大，无法达成一致。", "routes_told": ["litigation"]},
    "withdraw": {"reason": "申请人书面撤回调解申请。"},
    "close": {},
}
TRANSITION_EXAMPLES = {
    transition.trigger: example(
        transition.label,
        {"trigger": transition.trigger, "version": 1, **TRIGGER_PAYLOADS[transition.trigger]},
    )
    for transition in TRANSITIONS
    if SYSTEM not in transition.roles
}
AGREEMENT_EXAMPLES = {"draft": example("协议内容齐全", {"version": 2, **AGREEMENT_EXAMPLE})}
SESSION_EXAMPLES = {
    "continuing": example(
        "调解一次，继续调解",
        {
            "held_at": "2026-11-20T14:30:00+08:00",
            "location": "工农兵社区人民调解室",
            "attendees": "王建国、李秀英",
            "summary": "申请人要求赔偿维修费，被申请人同意承担责任，约定下次商定金额。",
            "outcome": "continuing",
        },
    )
}
VISIT_EXAMPLES = {
    "performed": example(
        "协议已履行",
        {
            "visited_at": "2026-11-25T10:00:00+08:00",
            "performed": True,
            "satisfaction": "satisfied",
            "notes": "赔偿款已支付，双方满意。",
        },
    )
}
SIGNATURE_EXAMPLES = {
    "typed": example(
        "调解员输入姓名签名", {"signer": "mediator", "method": "typed", "typed_name": "李调解"}
    ),
}
CONFIRMATION_EXAMPLES = {
    "joint": example(
        "全体当事人共同申请",
        {
            "version": 5,
            "court": "420102-court",
            "consents": [
                {"party_id": 1, "method": "signed"},
                {"party_id": 2, "method": "signed"},
            ],
        },
    )
}
REVEAL_EXAMPLES = {"phone": example("查看完整电话", {"field": "phone"})}
