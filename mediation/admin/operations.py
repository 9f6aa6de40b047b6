"""Operations on user accounts, kept out of the views."""

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.auth.operations import end_sessions
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.i18n import label_of
from mediation.inputs import MAX_ID, whole_number
from mediation.models import Committee, Court, Region, User
from mediation.security import remember_generation

# Which kind of unit each role belongs to, and at which region levels.
ROLE_UNITS = {
    "grid_worker": ("region", ("grid", "community")),
    "mediator": ("committee", ()),
    "street_officer": ("region", ("street",)),
    "judge": ("court", ()),
    "admin": ("region", ("city", "district", "street")),
}


def refuse(field: str, message: str):
    """Refuse an account change: InvalidInput with the message on the form field it concerns."""
    raise InvalidInput(message, {field: message})


def unit_choices() -> list[tuple[str, str]]:
    """Every unit a user can belong to, as (value, label) for a select field."""
    regions = db.session.scalars(sa.select(Region).order_by(Region.path)).all()
    committees = db.session.scalars(sa.select(Committee).order_by(Committee.code)).all()
    courts = db.session.scalars(sa.select(Court).order_by(Court.code)).all()
    committee, court = _("调委会"), _("法院")
    return (
        [(f"region:{r.id}", f"{label_of('levels', r.level)} · {r.name}") for r in regions]
        + [(f"committee:{c.id}", f"{committee} · {c.name}") for c in committees]
        + [(f"court:{c.id}", f"{court} · {c.name}") for c in courts]
    )


def resolve_unit(role: str, value: str):
    """Turn a unit choice into (region, committee, court), checking it suits the role."""
    kind, _sep, raw_id = (value or "").partition(":")
    model = {"region": Region, "committee": Committee, "court": Court}.get(kind)
    unit_id = whole_number(raw_id, maximum=MAX_ID)
    unit = db.session.get(model, unit_id) if model and unit_id is not None else None
    if unit is None:
        refuse("unit", _("所选单位不存在。"))
    wanted_kind, levels = ROLE_UNITS[role]
    if kind != wanted_kind or (levels and unit.level not in levels):
        refuse("unit", _("该角色不能属于所选单位：%(hint)s。", hint=unit_hint(role)))
    return (
        unit if kind == "region" else None,
        unit if kind == "committee" else None,
        unit if kind == "court" else None,
    )


def unit_hint(role: str) -> str:
    """Which unit a role belongs to, in words."""
    return {
        "grid_worker": _("网格员应属于网格或社区"),
        "mediator": _("人民调解员应属于调委会"),
        "street_officer": _("街道工作人员应属于街道"),
        "judge": _("法官应属于法院"),
        "admin": _("管理员应属于市、区或街道"),
    }[role]


def save_user(user: User | None, data: dict, editor: User) -> User:
    """Create or update a user from form data; raises InvalidInput naming the field.

    A new role, a new password or deactivation ends the user's sessions and API tokens (an
    admin who sets her own password here stays signed in on this browser).
    """
    if user is not None and user.id == editor.id:
        if not data.get("active"):
            refuse("active", _("不能停用自己的账号。"))
        if data["role"] != user.role:
            refuse("role", _("不能修改自己的角色。"))
    username = data["username"].strip()
    clash = db.session.scalar(sa.select(User).where(User.username == username))
    if clash is not None and clash is not user:
        refuse("username", _("用户名 %(name)s 已被使用。", name=username))
    if user is None and not data.get("password"):
        refuse("password", _("新用户须设置初始密码。"))
    region, committee, court = resolve_unit(data["role"], data["unit"])
    ends_sessions = user is not None and (
        data["role"] != user.role
        or bool(data.get("password"))
        or (user.active and not data.get("active"))
    )
    if user is None:
        user = User()
        db.session.add(user)
    user.username = username
    user.display_name = data["display_name"].strip()
    user.role = data["role"]
    user.region, user.committee, user.court = region, committee, court
    user.active = bool(data.get("active"))
    if data.get("password"):
        user.set_password(data["password"])
    if ends_sessions:
        end_sessions(user, revoke_tokens=True)
    db.session.commit()
    if ends_sessions and user.id == editor.id:
        remember_generation(user)
    return user


def unit_value(user: User) -> str:
    """The select value of the user's unit."""
    if user.court_id:
        return f"court:{user.court_id}"
    if user.committee_id:
        return f"committee:{user.committee_id}"
    return f"region:{user.region_id}"


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions and API tokens."""
    user.active = active
    if not active:
        end_sessions(user, revoke_tokens=True)
    db.session.commit()
