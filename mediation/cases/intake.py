"""Checking intake data: the case fields and each party, with messages that say what to fix."""

import re
from decimal import Decimal

import sqlalchemy as sa

from mediation.access.scoping import can_see_region
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.inputs import decimal_number
from mediation.models import Committee, Region, User
from mediation.models.cases import PARTY_KINDS, PARTY_ROLES, SEXES
from mediation.privacy import id_number_problem, normalize_id_number, normalize_phone, phone_problem
from workflows import CATEGORIES, SOURCES

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


def text(data: dict, key: str, limit: int, label: str, errors: dict, required: bool = False):
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


def code(data: dict, key: str, codes, label: str, errors: dict) -> str | None:
    """A value from a fixed code list."""
    value = data.get(key)
    if not isinstance(value, str) or value not in dict(codes):
        allowed = "、".join(f"{c}（{name}）" for c, name in codes)
        errors[key] = f"请选择{label}，可选：{allowed}。"
        return None
    return value


def amount(data: dict, key: str, errors: dict) -> Decimal | None:
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


def clean_party(data, index: int, errors: dict) -> dict:
    """One party's fields, normalised; problems recorded as parties.<i>.<field>."""
    mine: dict[str, str] = {}
    if not isinstance(data, dict):
        errors[f"parties.{index}"] = "当事人信息格式不正确。"
        return {}
    party = {
        "role": code(data, "role", PARTY_ROLES, "当事人类型", mine),
        "kind": code({"kind": data.get("kind") or "person"}, "kind", PARTY_KINDS, "主体类型", mine),
        "sex": None,
        "refuses_mediation": bool(data.get("refuses_mediation")),
    }
    for key, (limit, label) in PARTY_TEXT_FIELDS.items():
        party[key] = text(data, key, limit, label, mine, required=key == "name")
    if data.get("sex") not in (None, ""):
        party["sex"] = code(data, "sex", SEXES, "性别", mine)
    id_number = normalize_id_number(text(data, "id_number", 32, "身份证号码", mine) or "")
    if id_number and party["kind"] == "organization":
        mine["id_number"] = "组织不填写身份证号码，请填写法定代表人。"
    elif id_number and (problem := id_number_problem(id_number, party["sex"])):
        mine["id_number"] = problem
    party["id_number"] = id_number or None
    phone = text(data, "phone", 32, "电话", mine)
    if phone and (problem := phone_problem(phone)):
        mine["phone"] = problem
    party["phone"] = normalize_phone(phone) if phone else None
    for key, message in mine.items():
        errors[f"parties.{index}.{key}"] = message
    return party


def clean_parties(raw, errors: dict) -> list[dict]:
    """The party list: at least one applicant and one respondent, at most MAX_PARTIES."""
    if not isinstance(raw, list) or not raw:
        errors["parties"] = "请至少登记一名申请人和一名被申请人。"
        return []
    if len(raw) > MAX_PARTIES:
        errors["parties"] = f"当事人不能超过 {MAX_PARTIES} 名。"
        return []
    parties = [clean_party(item, i, errors) for i, item in enumerate(raw)]
    roles = {p.get("role") for p in parties}
    if "applicant" not in roles or "respondent" not in roles:
        errors.setdefault("parties", "请至少登记一名申请人和一名被申请人。")
    return parties


def grid_for(user: User, grid_code, errors: dict) -> Region | None:
    """The grid the case belongs to; it must be a grid inside the user's jurisdiction."""
    region = None
    if isinstance(grid_code, str) and grid_code.strip():
        region = db.session.scalar(sa.select(Region).where(Region.code == grid_code.strip()))
    if region is None or region.level != "grid" or not can_see_region(user, region):
        errors["grid"] = "请选择您辖区内的一个网格。"
        return None
    return region


def committee_for(grid: Region) -> Committee:
    """The committee that owns a case from this grid: its community's, else its street's."""
    for region in (grid.parent, grid.parent.parent if grid.parent else None):
        if region is None:
            continue
        committee = db.session.scalar(
            sa.select(Committee).where(Committee.region_id == region.id).limit(1)
        )
        if committee is not None:
            return committee
    raise InvalidInput(
        "该网格所在社区和街道都没有人民调解委员会，请联系管理员。", {"grid": "无调委会"}
    )


def clean_intake(user: User, data: dict) -> dict:
    """Every intake field checked at once; raises InvalidInput naming each bad field."""
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        raise InvalidInput("请求内容应为对象。")
    cleaned = {
        "title": text(data, "title", 200, "纠纷标题", errors, required=True),
        "description": text(data, "description", 5000, "纠纷简要情况", errors, required=True),
        "category": code(data, "category", CATEGORIES, "纠纷类型", errors),
        "source": code(data, "source", SOURCES, "案件来源", errors),
        "amount": amount(data, "amount", errors),
        "grid": grid_for(user, data.get("grid"), errors),
        "parties": clean_parties(data.get("parties"), errors),
    }
    if errors:
        raise InvalidInput("登记信息有误，请按提示修改：" + "；".join(errors.values()), errors)
    return cleaned
