"""Operations on the city's map: add a grid or a committee, rename a region or a committee.

Each is one transaction that writes the change and one AdminEvent (who, when, what, before
and after). Codes and paths never change once given: cases, statistics, seals and user
accounts refer to them; a rename changes names only. Refusals raise InvalidInput naming the
form field to fix; a user whose role may not change the map gets Forbidden (403).
"""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.access import policy
from mediation.access.scoping import can_see_region, region_clause, region_roots
from mediation.admin.operations import refuse
from mediation.errors import Forbidden
from mediation.extensions import db
from mediation.i18n import label_of
from mediation.models import AdminEvent, Committee, Region, User
from mediation.stats import rollups

GRID_SUFFIX = re.compile(r"[0-9]{2}")  # a grid's code: its community's code and two digits
COMMITTEE_CODE = re.compile(r"[A-Za-z0-9-]{3,32}")
COMMITTEE_LEVELS = ("street", "community")


def require_map_rights(user: User) -> None:
    """Forbidden unless the user's role may change the map."""
    if not policy.can_manage_map(user):
        raise Forbidden(_("您的角色不能修改区域和调委会。"))


def record(actor: User, action: str, target: str, payload: dict) -> None:
    """Add the change's AdminEvent to the caller's transaction."""
    db.session.add(
        AdminEvent(
            actor_id=actor.id, actor_role=actor.role, action=action, target=target, payload=payload
        )
    )


def clean_name(field: str, raw: str | None, longest: int) -> str:
    """The name with spaces trimmed; refused when empty or too long."""
    name = (raw or "").strip()
    if not name:
        refuse(field, _("请输入名称，不能只填空格。"))
    if len(name) > longest:
        refuse(field, _("名称最多 %(n)s 个字。", n=longest))
    return name


def scoped_region(user: User, code: str | None, field: str) -> Region:
    """The region with this code inside the user's jurisdiction, else refused on field."""
    if not code:
        refuse(field, _("请选择所在区域。"))
    region = db.session.scalar(sa.select(Region).where(Region.code == (code or "")))
    if region is None or not can_see_region(user, region):
        refuse(field, _("所选区域不存在。"))
    return region


def code_taken(model, code: str) -> str | None:
    """The name of the row of model that already has this code, or None."""
    return db.session.scalar(sa.select(model.name).where(model.code == code))


def grid_code_fits(community: Region, code: str) -> bool:
    """True when code is the community's code followed by two digits."""
    prefix, suffix = code[: len(community.code)], code[len(community.code) :]
    return prefix == community.code and GRID_SUFFIX.fullmatch(suffix) is not None


def next_grid_code(community: Region) -> str:
    """The community's code and the first free two-digit number after its grids'."""
    taken = set(db.session.scalars(sa.select(Region.code).where(Region.parent_id == community.id)))
    for n in range(1, 100):
        code = f"{community.code}{n:02d}"
        if code not in taken and code_taken(Region, code) is None:
            return code
    refuse("code", _("该社区的两位网格编号已用完。"))


def next_committee_code(region: Region) -> str:
    """`<region code>-tw`, or -tw2, -tw3… when taken."""
    for n in range(1, 100):
        code = f"{region.code}-tw" + (str(n) if n > 1 else "")
        if code_taken(Committee, code) is None:
            return code
    refuse("code", _("请填写调委会编码。"))


def add_grid(actor: User, data: dict) -> Region:
    """Add a grid under a community of the admin's jurisdiction.

    data: parent (the community's code), name, code (optional: the next free number when
    blank; else the community's code and two digits, not in use).
    """
    require_map_rights(actor)
    community = scoped_region(actor, data.get("parent"), "parent")
    if community.level != "community":
        refuse("parent", _("网格只能设在社区下：请选择一个社区。"))
    name = clean_name("name", data.get("name"), 80)
    code = (data.get("code") or "").strip()
    if not code:
        code = next_grid_code(community)
    elif not grid_code_fits(community, code):
        refuse(
            "code",
            _(
                "网格编码应为所在社区编码 %(code)s 后加两位数字，如 %(example)s。",
                code=community.code,
                example=next_grid_code(community),
            ),
        )
    ensure_free(Region, code)
    grid = Region(
        code=code, name=name, level="grid", parent=community, path=f"{community.path}{code}/"
    )
    db.session.add(grid)
    record(actor, "grid_added", f"region:{code}", {"name": name, "parent": community.code})
    commit_or_refuse(code)
    # The roll-ups' lineages cached in this process may hold the id the grid got (rollups).
    rollups.forget_lineages()
    return grid


def add_committee(actor: User, data: dict) -> Committee:
    """Add a people's mediation committee to a street or community of the admin's jurisdiction.

    data: region (its code), name, short_name, code (optional: `<region code>-tw` when blank;
    else 3 to 32 letters, digits or hyphens, not in use).
    """
    require_map_rights(actor)
    region = scoped_region(actor, data.get("region"), "region")
    if region.level not in COMMITTEE_LEVELS:
        refuse("region", _("调委会只能设在街道或社区：请选择街道或社区。"))
    name = clean_name("name", data.get("name"), 120)
    short_name = clean_name("short_name", data.get("short_name"), 40)
    code = (data.get("code") or "").strip()
    if not code:
        code = next_committee_code(region)
    elif not COMMITTEE_CODE.fullmatch(code):
        refuse("code", _("调委会编码应为 3 至 32 个字母、数字或连字符。"))
    ensure_free(Committee, code)
    committee = Committee(code=code, name=name, short_name=short_name, region=region)
    db.session.add(committee)
    payload = {"name": name, "short_name": short_name, "region": region.code}
    record(actor, "committee_added", f"committee:{code}", payload)
    commit_or_refuse(code)
    return committee


def rename_region(actor: User, region: Region, data: dict) -> bool:
    """Give a region a new name (its code and path stay); False when the name is unchanged."""
    require_map_rights(actor)
    name = clean_name("name", data.get("name"), 80)
    if name == region.name:
        return False
    record(actor, "region_renamed", f"region:{region.code}", {"from": region.name, "to": name})
    region.name = name
    db.session.commit()
    return True


def rename_committee(actor: User, committee: Committee, data: dict) -> bool:
    """Give a committee a new name and short name (its code stays); False when unchanged.

    The short name goes into the numbers of cases registered from now on; numbers already
    given stay as they are.
    """
    require_map_rights(actor)
    name = clean_name("name", data.get("name"), 120)
    short_name = clean_name("short_name", data.get("short_name"), 40)
    before = {"name": committee.name, "short_name": committee.short_name}
    after = {"name": name, "short_name": short_name}
    if before == after:
        return False
    record(actor, "committee_renamed", f"committee:{committee.code}", {"from": before, "to": after})
    committee.name, committee.short_name = name, short_name
    db.session.commit()
    return True


def ensure_free(model, code: str) -> None:
    """Refuse a code already in use, naming who has it."""
    holder = code_taken(model, code)
    if holder is not None:
        refuse("code", _("编码 %(code)s 已被“%(name)s”使用，请换一个。", code=code, name=holder))


def commit_or_refuse(code: str) -> None:
    """Commit; a concurrent insert of the same code is refused like a duplicate."""
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        refuse("code", _("编码 %(code)s 刚被占用，请换一个。", code=code))


def map_tree(user: User, opened: Region | None = None) -> list[dict]:
    """The user's part of the region tree, opened down to `opened` (default: her top regions):
    nested {region, committees, children, opened, count} where only the regions on the way to
    `opened` list their children (a city has thousands of regions; the page drills down).
    `count` is the number of a region's children, shown or not. Four queries."""
    roots = region_roots(user)
    way = roots if opened is None else _way_to(user, opened)
    open_ids = {region.id for region in (*roots, *way)}
    shown = db.session.scalars(
        sa.select(Region)
        .where(
            region_clause(user),
            sa.or_(Region.id.in_([r.id for r in roots]), Region.parent_id.in_(open_ids)),
        )
        .order_by(Region.path)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(Region.parent_id, sa.func.count(Region.id))
            .where(Region.parent_id.in_([r.id for r in shown]))
            .group_by(Region.parent_id)
        ).all()
    )
    nodes = {
        r.id: {
            "region": r,
            "committees": [],
            "children": [],
            "opened": r.id in open_ids,
            "count": counts.get(r.id, 0),
        }
        for r in shown
    }
    committees = db.session.scalars(
        sa.select(Committee).where(Committee.region_id.in_(nodes)).order_by(Committee.code)
    )
    for committee in committees:
        nodes[committee.region_id]["committees"].append(committee)
    tops = []
    for region in shown:
        parent = nodes.get(region.parent_id)
        (parent["children"] if parent else tops).append(nodes[region.id])
    return tops


def _way_to(user: User, region: Region) -> list[Region]:
    """The regions of the user's jurisdiction from her top down to `region`, itself included."""
    return db.session.scalars(
        sa.select(Region)
        .where(region_clause(user), sa.literal(region.path).startswith(Region.path))
        .order_by(Region.path)
    ).all()


def recent_events(user: User, limit: int = 30) -> list[AdminEvent]:
    """The latest changes to the regions and committees of the user's jurisdiction, newest
    first."""
    regions = sa.select(sa.literal("region:") + Region.code).where(region_clause(user))
    committees = (
        sa.select(sa.literal("committee:") + Committee.code)
        .join(Region, Committee.region_id == Region.id)
        .where(region_clause(user))
    )
    return db.session.scalars(
        sa.select(AdminEvent)
        .where(sa.or_(AdminEvent.target.in_(regions), AdminEvent.target.in_(committees)))
        .order_by(AdminEvent.at.desc(), AdminEvent.id.desc())
        .limit(limit)
    ).all()


def region_choices(user: User, levels: tuple[str, ...]) -> list[tuple[str, str]]:
    """The user's regions of these levels as (code, "街道 · 大智街道 (420102002)") choices."""
    rows = db.session.scalars(
        sa.select(Region).where(region_clause(user), Region.level.in_(levels)).order_by(Region.path)
    )
    choices = [(r.code, f"{label_of('levels', r.level)} · {r.name}（{r.code}）") for r in rows]
    return [("", _("请选择"))] + choices
