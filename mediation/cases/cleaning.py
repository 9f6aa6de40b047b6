"""Input cleaning: raw form or JSON values turned into what the operations store.

Each function says what it returns; problems go into an `errors` dict (field → a Chinese
message saying what to fix), or raise InvalidInput naming every bad field at once.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from mediation.access.policy import can_mediate
from mediation.access.scoping import can_see_region
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.inputs import decimal_number
from mediation.models import Agreement, Case, Region, User
from mediation.models.cases import (
    PARTY_KINDS,
    PARTY_ROLES,
    SATISFACTION,
    SESSION_OUTCOMES,
    SEXES,
    SIGNATURE_METHODS,
)
from mediation.privacy import (
    id_birth_date,
    id_number_problem,
    id_sex,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)
from workflows import CATEGORIES, EXCLUDED_MATTERS, SOURCES
from workflows.deadlines import CHINA_TZ
from workflows.errors import CodedMessage

MIN_PARTIES = 2  # an applicant and a respondent
MAX_PARTIES = 20


# Control characters other than tab and line breaks (PostgreSQL cannot even store NUL).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


PARTY_TEXT_FIELDS = {
    "name": (120, "姓名或名称"),
    "ethnicity": (32, "民族"),
    "address": (200, "住址"),
    "occupation": (80, "职业"),
    "legal_representative": (80, "法定代表人"),
    "agent": (120, "代理人"),
}


EARLIEST_DAY = date(2000, 1, 1)


MAX_SIGNATURE_IMAGE = 400_000


AGREEMENT_KEYS = (
    "facts",
    "terms",
    "performance_method",
    "performance_place",
    "performance_deadline",
    "amount",
    "matter",
)


def stripped_text(
    data: dict, key: str, limit: int, label: str, errors: dict, required: bool = False
):
    """A stripped text field, checked for presence and length; errors go into `errors`."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = f"{label}应为文字。"
        return None
    value = (value or "").strip()
    if CONTROL_CHARACTERS.search(value):
        errors[key] = f"{label}含有无效字符，请删除后重试。"
    elif required and not value:
        errors[key] = f"请填写{label}。"
    elif len(value) > limit:
        errors[key] = f"{label}不能超过 {limit} 个字。"
    return value or None


def listed_code(data: dict, key: str, codes, label: str, errors: dict) -> str | None:
    """A value from a fixed code list."""
    value = data.get(key)
    if not isinstance(value, str) or value not in dict(codes):
        allowed = "、".join(name for _code, name in codes)
        errors[key] = CodedMessage(f"请选择{label}：{allowed}。", key, dict(codes))
        return None
    return value


def yuan_amount(data: dict, key: str, errors: dict) -> Decimal | None:
    """An optional non-negative amount in yuan with at most two decimals.

    Text must be in ASCII digits (thousands commas allowed: "3,500.50"; not "３５００" or
    "1_000"); a Decimal, int or float from a caller is taken as it is.
    """
    raw = data.get(key)
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        value = decimal_number(raw.replace(",", ""))
    elif isinstance(raw, Decimal | int | float) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        value = None
    if value is None:
        errors[key] = "金额应为数字，例如 3500 或 3500.50（请用半角数字）。"
        return None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        errors[key] = "金额应为 0 至 1 万亿元之间的数字。"
        return None
    if value != value.quantize(Decimal("0.01")):
        errors[key] = "金额最多保留两位小数。"
        return None
    return value


def bounded_date(
    value,
    label: str,
    errors: dict,
    key: str = "performance_deadline",
    *,
    earliest: date = EARLIEST_DAY,
    ahead: int = 3660,
) -> date | None:
    """A date from an ISO string (2026-12-31) or a date, from earliest (2000) to `ahead` days
    after today (ten years)."""
    if not value:
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError:
        errors[key] = f"{label}应为日期，格式如 2026-12-31。"
        return None
    if not earliest <= day <= date.today() + timedelta(days=ahead):
        errors[key] = f"{label}不合理，请核对年份。"
        return None
    return day


def past_moment(value, label: str, key: str, errors: dict, now: datetime) -> datetime | None:
    """A past-or-present timestamp from ISO text; naive values are China time."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            errors[key] = f"请填写{label}，格式如 2026-11-20T14:30。"
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    if moment.date() < EARLIEST_DAY:
        errors[key] = f"{label}不合理，请核对年份。"
        return None
    if moment > now:
        errors[key] = f"{label}不能晚于现在。"
        return None
    return moment


def party_fields(data, index: int, errors: dict) -> dict:
    """One party's fields, normalised; problems recorded as parties.<i>.<field>."""
    mine: dict[str, str] = {}
    if not isinstance(data, dict):
        errors[f"parties.{index}"] = "当事人信息格式不正确。"
        return {}
    party = {
        "role": listed_code(data, "role", PARTY_ROLES, "当事人类型", mine),
        "kind": listed_code(
            {"kind": data.get("kind") or "person"}, "kind", PARTY_KINDS, "主体类型", mine
        ),
        "sex": None,
        "refuses_mediation": bool(data.get("refuses_mediation")),
    }
    for key, (limit, label) in PARTY_TEXT_FIELDS.items():
        party[key] = stripped_text(data, key, limit, label, mine, required=key == "name")
    if data.get("sex") not in (None, ""):
        party["sex"] = listed_code(data, "sex", SEXES, "性别", mine)
    id_number = normalize_id_number(stripped_text(data, "id_number", 32, "身份证号码", mine) or "")
    party["id_number"] = id_number or None
    party["birth_date"] = bounded_date(
        data.get("birth_date"), "出生日期", mine, "birth_date", earliest=date(1900, 1, 1), ahead=0
    )
    if party["kind"] == "organization":
        _organization_only(party, mine)
    else:
        _person_only(party, mine)
    phone = stripped_text(data, "phone", 32, "电话", mine)
    if phone and (problem := phone_problem(phone)):
        mine["phone"] = problem
    party["phone"] = normalize_phone(phone) if phone else None
    for key, message in mine.items():
        errors[f"parties.{index}.{key}"] = message
    return party


def _organization_only(party: dict, mine: dict) -> None:
    """An organisation has a legal representative, and no ID number, sex or birth date."""
    if party["id_number"]:
        mine["id_number"] = "法人或其他组织不填写身份证号码，请填写法定代表人。"
    if party["sex"] or party["birth_date"]:
        key = "sex" if party["sex"] else "birth_date"
        mine[key] = "法人或其他组织不填写性别和出生日期。"
    if not party["legal_representative"] and "legal_representative" not in mine:
        mine["legal_representative"] = "请填写法定代表人（法人或其他组织须填写）。"


def _person_only(party: dict, mine: dict) -> None:
    """A person has no legal representative; a valid ID number gives her sex and birth date,
    and a sex or birth date typed beside it must be the one it encodes."""
    if party["legal_representative"]:
        mine["legal_representative"] = (
            "自然人不填写法定代表人（仅法人或其他组织填写）；如有代理人，请填写在“代理人”一栏。"
        )
    number = party["id_number"]
    if not number or "id_number" in mine:
        return
    if problem := id_number_problem(number, party["sex"]):
        mine["id_number"] = problem
        return
    born, typed = id_birth_date(number), party["birth_date"]
    if typed is not None and typed != born:
        mine["birth_date"] = (
            f"出生日期 {typed.isoformat()} 与身份证号码中的出生日期 {born.isoformat()} 不一致，"
            "请核对号码或出生日期。"
        )
        return
    party["sex"] = party["sex"] or id_sex(number)
    party["birth_date"] = born


def party_list(raw, errors: dict) -> list[dict]:
    """The party list: at least one applicant and one respondent, at most MAX_PARTIES."""
    if not isinstance(raw, list) or len(raw) < MIN_PARTIES:
        count = len(raw) if isinstance(raw, list) else 0
        errors["parties"] = (
            f"当事人至少两名：一名申请人和一名被申请人，现在登记了{count}名，请补充。"
        )
        return []
    if len(raw) > MAX_PARTIES:
        errors["parties"] = f"当事人不能超过 {MAX_PARTIES} 名。"
        return []
    parties = [party_fields(item, i, errors) for i, item in enumerate(raw)]
    roles = {p.get("role") for p in parties}
    if "applicant" not in roles or "respondent" not in roles:
        errors.setdefault("parties", "请至少登记一名申请人和一名被申请人。")
    return parties


def grid_in_jurisdiction(user: User, grid_code, errors: dict) -> Region | None:
    """The grid the case belongs to; it must be a grid inside the user's jurisdiction."""
    region = None
    # Control characters are no code (and PostgreSQL cannot compare text holding NUL).
    if (
        isinstance(grid_code, str)
        and grid_code.strip()
        and not CONTROL_CHARACTERS.search(grid_code)
    ):
        region = db.session.scalar(sa.select(Region).where(Region.code == grid_code.strip()))
    if region is None or region.level != "grid" or not can_see_region(user, region):
        errors["grid"] = "请选择您辖区内的一个网格。"
        return None
    return region


def intake_fields(user: User, data: dict) -> dict:
    """Every intake field checked at once; raises InvalidInput naming each bad field."""
    data, errors = fields_of(data), {}
    cleaned = {
        "title": stripped_text(data, "title", 200, "纠纷标题", errors, required=True),
        "description": stripped_text(
            data, "description", 5000, "纠纷简要情况", errors, required=True
        ),
        "category": listed_code(data, "category", CATEGORIES, "纠纷类型", errors),
        "source": listed_code(data, "source", SOURCES, "案件来源", errors),
        "amount": yuan_amount(data, "amount", errors),
        "grid": grid_in_jurisdiction(user, data.get("grid"), errors),
        "parties": party_list(data.get("parties"), errors),
    }
    if errors:
        raise InvalidInput("登记信息有误，请按提示修改：" + "；".join(errors.values()), errors)
    return cleaned


def agreement_draft(payload: dict, current: Agreement | None) -> Agreement:
    """An unsaved agreement: the current draft's fields overridden by those in the payload."""
    draft = Agreement()
    for key in AGREEMENT_KEYS:
        setattr(draft, key, getattr(current, key) if current else None)
    errors: dict[str, str] = {}
    if "facts" in payload:
        draft.facts = stripped_text(payload, "facts", 5000, "纠纷事实", errors)
    if "terms" in payload:
        terms = payload["terms"]
        if isinstance(terms, str):
            terms = terms.splitlines()
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            errors["terms"] = "协议条款应为文字列表，每条一项。"
            terms = []
        draft.terms = [t.strip() for t in terms if t.strip()]
    for key, label in (("performance_method", "履行方式"), ("performance_place", "履行地点")):
        if key in payload:
            setattr(draft, key, stripped_text(payload, key, 200, label, errors))
    if "performance_deadline" in payload:
        draft.performance_deadline = bounded_date(
            payload["performance_deadline"], "履行期限", errors
        )
    if "amount" in payload:
        draft.amount = yuan_amount(payload, "amount", errors)
    if payload.get("matter"):
        draft.matter = listed_code(payload, "matter", EXCLUDED_MATTERS, "协议涉及事项", errors)
    refuse_if(errors, "协议内容")
    return draft


def fields_of(data) -> dict:
    """The request's fields: it must be an object."""
    if not isinstance(data, dict):
        raise InvalidInput("请求内容应为对象。")
    return data


def refuse_if(errors: dict, what: str) -> None:
    """InvalidInput naming every bad field, when there is any: "<what>有误：…"."""
    if errors:
        raise InvalidInput(f"{what}有误：" + "；".join(errors.values()), errors)


def session_fields(data, user, now: datetime, case: Case | None = None) -> dict:
    """A session's fields (调解记录); the mediators default to the user who records it.

    With the case, the parties (attendee_parties: ids) and the mediators (mediator_users:
    usernames) picked on the page are written out before whoever else was typed: the record
    keeps the names as text, as the 调解笔录 prints them.
    """
    data, errors = fields_of(data), {}
    if case is not None:
        data = _people_picked(data, case, errors)
    fields = {
        "held_at": past_moment(data.get("held_at"), "调解时间", "held_at", errors, now),
        "location": stripped_text(data, "location", 200, "调解地点", errors, required=True),
        "mediators": stripped_text(data, "mediators", 200, "调解员", errors) or user.display_name,
        "attendees": stripped_text(data, "attendees", 2000, "参加人", errors, required=True),
        "summary": stripped_text(
            data, "summary", 10000, "各方陈述及调解经过", errors, required=True
        ),
        "outcome": listed_code(data, "outcome", SESSION_OUTCOMES, "调解结果", errors),
    }
    refuse_if(errors, "调解记录")
    return fields


def _people_picked(data: dict, case: Case, errors: dict) -> dict:
    """data with the picked parties and mediators put in front of the attendees and mediators
    typed; a pick that is not of this case (a party of another, a mediator who does not work
    where the case is) goes to errors under its field."""
    parties = {str(p.id): f"{p.role_label}{p.name}" for p in case.parties}
    # Only what could be a username is looked up (PostgreSQL refuses a NUL in a query).
    usernames = [u for u in _picks(data.get("mediator_users")) or [] if _could_be_username(u)]
    mediators = {
        u.username: u.display_name
        for u in db.session.scalars(sa.select(User).where(User.username.in_(usernames)))
        if can_mediate(u) and can_see_region(u, case.grid)
    }
    picked = dict(data)
    for key, text_key, names, problem in (
        (
            "attendee_parties",
            "attendees",
            parties,
            "所选的参加人中有不是本案当事人的，请重新勾选。",
        ),
        ("mediator_users", "mediators", mediators, _STRANGER_MEDIATOR),
    ):
        if key not in data:
            continue
        chosen = _picks(data[key])
        if chosen is None or any(value not in names for value in chosen):
            errors[key] = problem
            continue
        typed = data.get(text_key)
        if typed is None or isinstance(typed, str):
            words = [names[value] for value in chosen] + [(typed or "").strip()]
            picked[text_key] = "、".join(word for word in words if word)
    return picked


_STRANGER_PARTY = "所选的参加人中有不是本案当事人的，请重新勾选。"
_STRANGER_MEDIATOR = "所选的调解员中有人已停用，或不负责本案所在辖区，请从列出的调解员中选择。"


def _could_be_username(text: str) -> bool:
    """True for printable text no longer than a username may be."""
    return len(text) <= 64 and text.isprintable()


def _picks(value) -> list[str] | None:
    """The values of a list of checkboxes, once each in order (one ticked box may come as a
    string); None when it is not a list of texts."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    return list(dict.fromkeys(v.strip() for v in values))


def visit_fields(data, now: datetime) -> dict:
    """A follow-up visit's fields (回访记录): whether the agreement was performed, and how."""
    data, errors = fields_of(data), {}
    performed = data.get("performed")
    if not isinstance(performed, bool):
        errors["performed"] = "请选择协议是否已履行（是/否）。"
    fields = {
        "visited_at": past_moment(data.get("visited_at"), "回访时间", "visited_at", errors, now),
        "performed": performed,
        "satisfaction": listed_code(data, "satisfaction", SATISFACTION, "满意程度", errors),
        "remaining_risk": stripped_text(data, "remaining_risk", 2000, "遗留风险", errors),
        "notes": stripped_text(data, "notes", 5000, "回访情况", errors),
    }
    refuse_if(errors, "回访记录")
    return fields


def signature_fields(data) -> dict:
    """The signer, the method and the drawn image or typed name."""
    data, errors = fields_of(data), {}
    fields = {
        "signer": stripped_text(data, "signer", 32, "签名人", errors, required=True),
        "method": listed_code(data, "method", SIGNATURE_METHODS, "签名方式", errors),
        "typed_name": stripped_text(data, "typed_name", 120, "签名姓名", errors),
        "image": data.get("image") or None,
    }
    image = fields["image"]
    if image is not None and (
        not isinstance(image, str)
        or not image.startswith("data:image/png;base64,")
        or len(image) > MAX_SIGNATURE_IMAGE
    ):
        errors["image"] = "签名图片应为不超过 300 KB 的 PNG 图片。"
    if fields["method"] == "drawn" and not image:
        errors["image"] = "手写签名须附签名图片。"
    if fields["method"] == "typed" and not fields["typed_name"]:
        errors["typed_name"] = "请输入签名人姓名。"
    refuse_if(errors, "签名信息")
    return fields
