"""Jurisdiction: what part of the region tree a user may see. Every case query goes through here."""

import functools

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.extensions import db
from mediation.models import Committee, Region, User


def region_roots(user: User) -> list[Region]:
    """The top nodes of the user's jurisdiction: her unit's region, or her court's regions."""
    if user.role == "judge":
        return list(user.court.regions) if user.court else []
    home = user.home_region
    return [home] if home else []


def region_clause(user: User):
    """A SQL condition true for regions inside the user's jurisdiction."""
    roots = region_roots(user)
    if not roots:
        return sa.false()
    return sa.or_(*(Region.path.startswith(root.path, autoescape=True) for root in roots))


def visible_region_ids(user: User):
    """A subquery of the ids of every region the user may see."""
    return sa.select(Region.id).where(region_clause(user)).scalar_subquery()


def can_see_region(user: User, region: Region) -> bool:
    """True when the region lies in the user's jurisdiction."""
    return any(region.is_within(root) for root in region_roots(user))


def region_by_code(user: User, code: str) -> Region | None:
    """The region with this code if the user may see it; None otherwise (callers answer 404)."""
    region = db.session.scalar(sa.select(Region).where(Region.code == code))
    if region is None or not can_see_region(user, region):
        return None
    return region


def region_tree(user: User, *, depth: int | None = None, near: str | None = None) -> list[dict]:
    """The visible tree as nested nodes {code, name, level, children}, loaded in one query.

    depth: only the regions at most this many levels below the jurisdiction's top, and those
    on the way to the region whose code is `near` with its children: what a picker shows (a
    city's thousands of grids are not read for it).
    """
    # Columns, not Region objects: a city has thousands of regions.
    stmt = sa.select(Region.id, Region.code, Region.name, Region.level, Region.parent_id).where(
        region_clause(user)
    )
    if depth is not None:
        stmt = stmt.where(_near_the_top(user, depth, near))
    regions = db.session.execute(stmt.order_by(Region.path)).all()
    nodes = {
        r.id: {"code": r.code, "name": r.name, "level": r.level, "children": []} for r in regions
    }
    tops = []
    for region in regions:
        parent = nodes.get(region.parent_id)
        (parent["children"] if parent else tops).append(nodes[region.id])
    return tops


def _near_the_top(user: User, depth: int, near: str | None):
    """SQL: a region at most `depth` levels below the user's top nodes, or on the way to the
    region `near` (their path begins its path), or a child of one on the way. A path holds a
    "/" before and after each code, so its count of "/" is its level plus two."""
    slashes = sa.func.length(Region.path) - sa.func.length(sa.func.replace(Region.path, "/", ""))
    tops = [root.path.count("/") for root in region_roots(user)]
    shown = [slashes <= min(tops, default=0) + depth]
    if near:
        way, other = so.aliased(Region), so.aliased(Region)
        near_path = sa.select(other.path).where(other.code == near).scalar_subquery()
        on_the_way = sa.select(way.id).where(near_path.startswith(way.path))
        shown += [near_path.startswith(Region.path), Region.parent_id.in_(on_the_way)]
    return sa.or_(*shown)


def few_region_ids(user: User, at_most: int) -> list[int] | None:
    """The ids of every region the user may see when there are at most `at_most` of them (a
    street's, a committee's), else None (a city's thousands; a judge sees by court: None)."""
    if user.role == "judge":
        return None
    ids = db.session.scalars(sa.select(Region.id).where(region_clause(user)).limit(at_most + 1))
    found = ids.all()
    return found if len(found) <= at_most else None


def case_clause(user: User):
    """A SQL condition true for the cases the user may see (a judge: those sent to her court)."""
    from mediation.models import Case

    if user.role == "judge":
        return Case.court_id == user.court_id if user.court_id else sa.false()
    return Case.grid_id.in_(visible_region_ids(user))


def within_unit(region_id, committee_id, unit_region_id):
    """SQL, true when the region `region_id` lies in a unit's subtree: the committee's region
    when the unit is a committee, else the unit's region (User.home_region, read by the
    statement itself). Each argument is a column or a value."""
    region, home = so.aliased(Region), so.aliased(Region)
    committee_region = (
        sa.select(Committee.region_id)
        .where(Committee.id == committee_id)
        .correlate_except(Committee)
        .scalar_subquery()
    )
    return sa.exists().where(
        region.id == region_id,
        home.id == sa.func.coalesce(committee_region, unit_region_id),
        # Region.is_within, exactly: no LIKE pattern made of a path.
        sa.func.substr(region.path, 1, sa.func.length(home.path)) == home.path,
    )


def one_case_scope(user: User) -> tuple[str, dict]:
    """How a statement that reads one case checks the user's jurisdiction: the kind of its
    clause (one_case_clause) and the parameters that name the user's unit."""
    if user.role == "judge":
        return "court", {"scope_court_id": user.court_id}
    return "unit", {"scope_committee_id": user.committee_id, "scope_region_id": user.region_id}


@functools.cache
def one_case_clause(kind: str):
    """case_clause for one case, built once with the unit as parameters (one_case_scope): the
    same cases, checked by the statement that reads the case without loading the user's unit
    first. (A list keeps case_clause, whose region ids serve an index.) No court or no unit
    given: nothing."""
    from mediation.models import Case

    if kind == "court":
        return Case.court_id == sa.bindparam("scope_court_id", type_=sa.Integer)
    committee = sa.bindparam("scope_committee_id", type_=sa.Integer)
    return within_unit(Case.grid_id, committee, sa.bindparam("scope_region_id", type_=sa.Integer))


def scope_cases(stmt, user: User):
    """Restrict a select of cases to the user's jurisdiction."""
    return stmt.where(case_clause(user))
