"""Reading accounts: the admin's user list, searched by text and filtered by role and unit."""

from dataclasses import dataclass

import sqlalchemy as sa

from mediation.cases.queries import CasePage as Page
from mediation.extensions import db
from mediation.inputs import MAX_ID, whole_number
from mediation.models import Committee, Court, Region, User
from workflows.states import ROLES

USERS_PER_PAGE = 50
MAX_PAGE = 1_000_000


@dataclass
class UserFilters:
    """What the user list may be narrowed by (all optional); unknown values are dropped."""

    q: str = ""
    role: str = ""
    unit: str = ""

    @classmethod
    def from_args(cls, args) -> "UserFilters":
        """Read the filters from query arguments: text up to 64 characters, a known role, and
        a unit choice ("region:7", "committee:3", "court:1") as the user form offers them."""
        role = args.get("role", "")
        unit = args.get("unit", "")
        return cls(
            q=(args.get("q") or "").strip()[:64],
            role=role if role in dict(ROLES) else "",
            unit=unit if unit_of(unit) is not None else "",
        )

    def as_args(self) -> dict:
        """The filters that are set, for links that keep them (paging)."""
        return {key: value for key, value in vars(self).items() if value}


def unit_of(value: str):
    """The Region, Committee or Court a unit choice names, or None."""
    kind, _sep, raw_id = (value or "").partition(":")
    model = {"region": Region, "committee": Committee, "court": Court}.get(kind)
    unit_id = whole_number(raw_id, maximum=MAX_ID)
    return db.session.get(model, unit_id) if model and unit_id is not None else None


def unit_clause(value: str):
    """Users of the unit: of a region, everyone whose region or committee lies in its subtree
    (a district's grid workers, street officers and committees' mediators); of a committee
    or court, its own members."""
    unit = unit_of(value)
    if isinstance(unit, Court):
        return User.court_id == unit.id
    if isinstance(unit, Committee):
        return User.committee_id == unit.id
    below = sa.select(Region.id).where(Region.path.startswith(unit.path, autoescape=True))
    committees = sa.select(Committee.id).where(Committee.region_id.in_(below))
    return sa.or_(User.region_id.in_(below), User.committee_id.in_(committees))


def search_users(filters: UserFilters, page: int = 1, per_page: int | None = None) -> Page:
    """One page (USERS_PER_PAGE unless told) of the accounts matching the filters, by role
    then username; the text matches a part of the username or the name. A page past the
    last shows the last."""
    per_page = per_page or USERS_PER_PAGE
    stmt = sa.select(User)
    if filters.q:
        stmt = stmt.where(
            sa.or_(
                User.username.contains(filters.q, autoescape=True),
                User.display_name.contains(filters.q, autoescape=True),
            )
        )
    if filters.role:
        stmt = stmt.where(User.role == filters.role)
    if filters.unit:
        stmt = stmt.where(unit_clause(filters.unit))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = db.session.scalars(
        stmt.order_by(User.role, User.username, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def page_number(raw) -> int:
    """The page asked for in the query string (ASCII digits), or the first."""
    value = whole_number(raw or "", maximum=MAX_PAGE)
    return value if value else 1
