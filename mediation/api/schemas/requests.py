"""The API's request schemas: what each operation takes, and how much of it.

What a schema cannot say (an ID number's check digit, a grid within the caller's
jurisdiction, a time not in the future) the operations check, and the field's description
says so.
"""

import marshmallow as ma
from flask_smorest.fields import Upload

from mediation.api.schemas.fields import (
    GROUND_CODES,
    ID_NUMBER,
    PHONE,
    PNG_DATA_URL,
    REASON_CODES,
    SIGNER,
    STATE_PAIRS,
    TOO_LONG,
    TRIGGER_PAIRS,
    Flag,
    Items,
    Record,
    Text,
    TextNumber,
    WholeNumber,
    amount,
    code,
    day,
    guarded_code,
    id_range,
    identifiers,
    length,
    moment,
    one_of,
    optional,
    words,
)
from mediation.cases.cleaning import MAX_PARTIES, MAX_SIGNATURE_IMAGE, PARTY_TEXT_FIELDS
from mediation.cases.operations.court import RULING_TEXT_LIMIT
from mediation.cases.queries import MAX_PAGE, MAX_PER_PAGE, SORT_LABELS
from mediation.models import cases
from workflows import (
    CATEGORIES,
    CONSENT_METHODS,
    EXCLUDED_MATTERS,
    OTHER_ROUTES,
    SOURCES,
)

REVEALABLE = [("id_number", "身份证号码"), ("phone", "电话")]
OVERDUE_CHOICES = [("true", "已超期"), ("false", "未超期")]
PAGE_RANGE = f"应为 1 至 {MAX_PAGE} 之间的整数。"
PER_PAGE_RANGE = f"每页条数应为 1 至 {MAX_PER_PAGE} 之间的整数。"


class RequestSchema(ma.Schema):
    """A request body: unknown fields are refused, so that a misspelt field is reported."""

    error_messages = {
        "type": "请求内容应为 JSON 对象。",
        "unknown": "未知字段。",
    }

    class Meta:
        unknown = ma.RAISE


def case_version(number_class=WholeNumber) -> ma.fields.Integer:
    """The case version the client saw (a JSON integer, or digits in a form field)."""
    return number_class(
        required=True,
        validate=id_range("版本号"),
        metadata={"description": "客户端所见的案件版本号；已过期则 409"},
    )


class TokenRequest(RequestSchema):
    """Credentials for a token."""

    username = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    password = Text(required=True, validate=ma.validate.Length(min=1, max=128))


def party_text(key: str, *, required: bool = False, **metadata) -> Text:
    """A party's text field, as long as mediation.cases.cleaning allows."""
    limit, label = PARTY_TEXT_FIELDS[key]
    return words(limit, required=required, description=label, **metadata)


class PartyIn(RequestSchema):
    """A party at intake; the operation checks the ID number's check digit and sex digit."""

    role = code(cases.PARTY_ROLES, "当事人类型", required=True, example="applicant")
    kind = code(
        cases.PARTY_KINDS,
        "主体类型",
        description=(
            "默认 person；organization 须填 legal_representative，"
            "不填身份证号码、性别和出生日期；person 不填 legal_representative"
        ),
        example="person",
    )
    name = party_text("name", required=True, example="王建国")
    sex = code(
        cases.SEXES,
        "性别",
        description="有身份证号码时可不填，由号码第 17 位得出；填写时须与号码一致",
        example="male",
    )
    birth_date = optional(day, "出生日期：有身份证号码时可不填，由号码得出；填写时须与号码一致")
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
    category = code(CATEGORIES, "纠纷类型", required=True, example="neighbor")
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
    source = code(SOURCES, "案件来源", required=True, example="application")
    amount = amount("争议金额（元），十进制字符串")
    parties = Items(
        Record(PartyIn),
        required=True,
        validate=ma.validate.Length(
            min=2, max=MAX_PARTIES, error=f"当事人应为 2 至 {MAX_PARTIES} 名。"
        ),
        metadata={"description": "至少一名申请人（applicant）和一名被申请人（respondent）"},
    )


class CaseListArgs(RequestSchema):
    """Filters and paging of the case list (checked by the list query)."""

    status = Text(validate=one_of(STATE_PAIRS, "状态"))
    category = Text(validate=one_of(CATEGORIES, "纠纷类型"))
    region = Text(validate=length(32), metadata={"description": "区划代码：该区划及其下级的案件"})
    overdue = Text(
        validate=one_of(OVERDUE_CHOICES, "期限筛选"),
        metadata={"description": "true：只列超期的；false：只列未超期的"},
    )
    q = Text(validate=length(100), metadata={"description": "案号、标题或当事人姓名中的文字"})
    page = TextNumber(validate=ma.validate.Range(min=1, max=MAX_PAGE, error=PAGE_RANGE))
    per_page = TextNumber(
        validate=ma.validate.Range(min=1, max=MAX_PER_PAGE, error=PER_PAGE_RANGE),
        metadata={"description": f"每页条数，默认 20，最多 {MAX_PER_PAGE}"},
    )
    sort = Text(
        validate=one_of(SORT_LABELS, "排序方式"),
        metadata={
            "description": "received：受理时间，最新在前（默认）；"
            "deadline：期限，最近在前；number：案号"
        },
    )
    cursor = Text(
        validate=length(400),
        metadata={
            "description": "翻页位置：上一次结果的 next_cursor（下一页）或 prev_cursor（上一页）。"
            "给出时不看 page；筛选条件须与上一次相同。深翻页请用它，比 page 快"
        },
    )


class Consent(RequestSchema):
    """One party's consent to the joint application for judicial confirmation, and how and
    when it was given (人民调解法 Art 33)."""

    party_id = WholeNumber(
        required=True,
        validate=id_range("当事人 id"),
        metadata={"description": "当事人 id（案件详情的 parties[].id）", "example": 1},
    )
    method = code(
        CONSENT_METHODS,
        "同意方式",
        required=True,
        description="同意方式，代码见 /codes 的 consent_methods",
        example="signed",
    )
    consented_at = optional(
        moment, "同意时间：ISO 8601，不带时区按北京时间，不晚于现在；不填为提交申请之时"
    )


class AgreementFields(RequestSchema):
    """The fields of a 调解协议书 draft; completeness is the draft_agreement guard's business."""

    facts = words(5000, description="纠纷事实、争议事项及各方责任")
    terms = optional(Items, Text(), metadata={"description": "协议条款，每条一项"})
    performance_method = words(200, description="履行方式")
    performance_place = words(200, description="履行地点")
    performance_deadline = optional(day, "履行期限：2000-01-01 至今后十年内")
    amount = amount("协议涉及金额（元），十进制字符串")
    matter = code(EXCLUDED_MATTERS, "协议涉及事项", description="不可司法确认的事项，见 /codes")


class TransitionIn(AgreementFields):
    """Fire a trigger; which of the optional fields a trigger needs is listed in /codes."""

    trigger = code(TRIGGER_PAIRS, "操作", required=True)
    version = case_version()
    reason = optional(Text, metadata={"description": "理由或情况说明"})
    reason_code = guarded_code(REASON_CODES, "不予受理（decline）或上报（escalate）的理由代码")
    mediator = optional(
        Text, validate=length(64), metadata={"description": "调解员用户名（accept）"}
    )
    ruling_text = words(
        RULING_TEXT_LIMIT,
        description="民事裁定书正文（confirm、reject_confirmation），段落之间空一行；"
        "不填则使用系统按裁定结果（及理由）生成的文本",
    )
    ground = guarded_code(
        GROUND_CODES,
        "理由代码（reject_confirmation，必填）：受理前为不予受理理由（/codes 的 "
        "reject_grounds_before_acceptance），受理后为驳回理由（reject_grounds_after_acceptance）",
    )
    court = optional(Text, validate=length(32), metadata={"description": "法院代码"})
    court_case_number = words(
        80,
        description="法院案号（accept_application）；不填则由系统编号："
        "（年份）法院简称民特N号，按法院、年份顺序编号",
    )
    routes_told = optional(
        Items,
        Text(metadata={"enum": identifiers(OTHER_ROUTES)}),
        metadata={"description": "已告知当事人的其他途径（terminate）；列表外的代码 422"},
    )
    consents = optional(
        Items,
        Record(Consent),
        metadata={
            "description": "每名当事人的同意（request_confirmation）；带材料的申请见 confirmation"
        },
    )


class AgreementIn(AgreementFields):
    """Save the agreement draft: fires draft_agreement."""

    version = case_version()


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
    outcome = code(cases.SESSION_OUTCOMES, "调解结果", required=True, example="continuing")
    mediators = words(200, description="调解员，默认为记录人")


class VisitIn(RequestSchema):
    """A follow-up visit (回访记录)."""

    visited_at = moment(
        "回访时间：ISO 8601，不带时区按北京时间；2000 年以后，不晚于现在", required=True
    )
    performed = Flag(required=True, metadata={"description": "协议是否已履行"})
    satisfaction = code(cases.SATISFACTION, "满意程度", required=True, example="satisfied")
    notes = words(5000, description="回访情况")
    remaining_risk = words(2000, description="遗留风险")


class SignatureIn(RequestSchema):
    """One signature on the drafted agreement."""

    signer = Text(
        required=True,
        validate=ma.validate.Regexp(SIGNER, error="签名人应为 party:<当事人 id> 或 mediator。"),
        metadata={"description": "party:<当事人 id> | mediator：协议的 required_signers 之一"},
    )
    method = code(cases.SIGNATURE_METHODS, "签名方式", required=True, example="typed")
    image = optional(
        Text,
        validate=[
            ma.validate.Length(max=MAX_SIGNATURE_IMAGE, error=TOO_LONG),
            ma.validate.Regexp(PNG_DATA_URL, error="签名图片应为 PNG 格式的 data URL。"),
        ],
        metadata={"description": "PNG data URL（drawn 时必填）"},
    )
    typed_name = words(120, description="签名人姓名（typed 时必填）")


class RevealIn(RequestSchema):
    """Which number of a party to show in full."""

    field = code(REVEALABLE, "字段", required=True)


class SealIn(RequestSchema):
    """Apply the committee's seal to the fully signed agreement: fires make_effective."""

    version = case_version()


class VerifyIn(RequestSchema):
    """A copy of a document to check, as multipart/form-data."""

    file = Upload(required=True, metadata={"description": "PDF 文件（不超过请求上限）"})
