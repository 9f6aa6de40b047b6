"""Reading cases: the filtered, paginated list and the admin's overview, always scoped
(each role's work queue: cases.queue)."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.access.scoping import case_clause, few_region_ids, region_by_code, region_roots
from mediation.cases import paging
from mediation.cases.operations.overdue import overdue_clause
from mediation.cases.paging import (
    AFTER,
    BEFORE,
    Cursor,
    count_matches,
    counted_page,
    key_of,
    keyset_clause,
    keyset_parts,
    page_ids,
    walk_order,
)
from mediation.cases.search import Reach, search_clause
from mediation.database import for_this_transaction, id_array
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.inputs import whole_number
from mediation.models import Case, Region, User
from mediation.models.types import utcnow
from workflows import CATEGORIES, STATE_BY_NAME
from workflows.errors import CodedMessage

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000

# The orders of the list, by the `sort` query argument, each read from an index at 1M cases:
# received newest first (ix_cases_created_at), the soonest deadline first with cases
# without a running clock last (ix_cases_deadline_id), and the case number in register
# order, committee by committee, year by year (uq_cases_committee_serial).
SORTS = {
    "received": (Case.created_at.desc(), Case.id.desc()),
    "deadline": (Case.deadline_at.asc().nulls_last(), Case.id.asc()),
    "number": (Case.committee_id, Case.year, Case.serial),
}
SORT_LABELS = (("received", "受理时间"), ("deadline", "期限"), ("number", "案号"))
DEFAULT_SORT = "received"
# The overdue filter names the regions of a jurisdiction of at most this many in its
# statement (PostgreSQL; _scope): a street has some 70, a city thousands.
FEW_REGIONS = 300


@dataclass
class CaseFilters:
    """What the list may be narrowed by (all optional), and its order (a key of SORTS)."""

    status: str | None = None
    category: str | None = None
    region: str | None = None
    overdue: bool | None = None
    q: str | None = None
    sort: str = DEFAULT_SORT
    cursor: str | None = None


@dataclass
class CasePage:
    """One page of a list. `page` is None on a page reached by a cursor. `total` is exact
    when `total_exact`; otherwise an estimate of at least `total_at_least` (what was counted).
    The cursors lead to the next and the previous page, None where there is none."""

    items: list
    total: int
    page: int | None
    per_page: int
    total_exact: bool = True
    next_cursor: str | None = None
    prev_cursor: str | None = None

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def total_is_estimate(self) -> bool:
        """True when the total is an estimate (the API says so)."""
        return not self.total_exact

    @property
    def total_at_least(self) -> int:
        """A count known for sure: the total, or what was counted before stopping."""
        return self.total if self.total_exact else paging.COUNT_CAP + 1


def parse_filters(args) -> tuple[CaseFilters, int, int]:
    """Read filters, order and paging from query arguments; InvalidInput names a bad one.

    Messages name the filter in words; a bad code's allowed values ride along for the API
    (CodedMessage).
    """
    errors = {}
    status = args.get("status") or None
    if status and status not in STATE_BY_NAME:
        errors["status"] = CodedMessage("所选的状态无效，请重新选择。", "status", STATE_BY_NAME)
    category = args.get("category") or None
    if category and category not in dict(CATEGORIES):
        errors["category"] = CodedMessage(
            "所选的纠纷类型无效，请重新选择。", "category", dict(CATEGORIES)
        )
    overdue_raw = (args.get("overdue") or "").lower()
    if overdue_raw not in ("", "true", "false", "1", "0", "yes", "no"):
        errors["overdue"] = CodedMessage(
            "期限筛选只能是“已超期”或“未超期”。", "overdue", ("true", "false")
        )
    overdue = {"": None, "true": True, "1": True, "yes": True}.get(overdue_raw, False)
    sort = args.get("sort") or DEFAULT_SORT
    if sort not in SORTS:
        labels = "、".join(label for _code, label in SORT_LABELS)
        errors["sort"] = CodedMessage(f"排序方式只能按{labels}。", "sort", SORTS)
    page = positive_int(args.get("page"), 1, "page", "页码", errors)
    per_page = positive_int(args.get("per_page"), 20, "per_page", "每页条数", errors)
    if per_page > MAX_PER_PAGE:
        errors["per_page"] = f"每页最多 {MAX_PER_PAGE} 条。"
    q = (args.get("q") or "").strip()[:100] or None
    if errors:
        raise InvalidInput("筛选条件有误：" + "；".join(errors.values()), errors)
    region = (args.get("region") or "").strip() or None
    cursor = (args.get("cursor") or "").strip() or None
    if cursor:
        Cursor.decode(cursor, sort)  # a bad cursor is a bad argument like the others
    return CaseFilters(status, category, region, overdue, q, sort, cursor), page, per_page


def positive_int(raw, default: int, key: str, label: str, errors: dict) -> int:
    """A whole number of at least 1 (ASCII digits, or an int the API parsed), or default."""
    if raw in (None, ""):
        return default
    value = raw if isinstance(raw, int) else whole_number(raw)
    if value is None or not 1 <= value <= MAX_PAGE:
        errors[key] = f"{label}应为 1 至 {MAX_PAGE} 之间的整数。"
        return default
    return value


def filtered(user: User, filters: CaseFilters) -> tuple[sa.Select, bool, bool]:
    """The select of the user's cases matching the filters (unordered), and whether they are
    known to be few (a search whose matches were read) or many (more than the count's cap:
    search.Match; known only for a search that nothing else narrows)."""
    stmt = sa.select(Case).where(_scope(user, filters))
    if filters.status:
        stmt = stmt.where(Case.status == filters.status)
    if filters.category:
        stmt = stmt.where(Case.category == filters.category)
    if filters.region:
        region = region_by_code(user, filters.region)
        if region is None:
            return stmt.where(sa.false()), False, False
        below = sa.select(Region.id).where(Region.path.startswith(region.path, autoescape=True))
        stmt = stmt.where(Case.grid_id.in_(below))
    if filters.overdue is not None:
        late = overdue_clause(utcnow())
        stmt = stmt.where(late if filters.overdue else sa.not_(late))
    if filters.q:
        dialect = db.session.get_bind().dialect.name
        indexed = dialect == "postgresql" and len(filters.q) >= 2
        match = search_clause(filters.q, dialect, _reach(user) if indexed else Reach())
        # Many matches in her regions may be few once the other filters have narrowed them.
        others = (filters.status, filters.category, filters.region, filters.overdue)
        alone = all(other is None for other in others)
        return stmt.where(match.clause), match.few, match.many and alone
    return stmt, False, False


def _reach(user: User) -> Reach:
    """Where the user's search may find cases (search.Reach): her few regions; else the one
    region at the top of her jurisdiction, or everywhere when it is the top of the only tree
    (a city's admin); else (a judge) nothing to narrow by."""
    regions = few_region_ids(user, FEW_REGIONS)
    if regions is not None:
        return Reach(regions=regions)
    roots = region_roots(user) if user.role != "judge" else []
    if len(roots) != 1:
        return Reach()
    tops = db.session.scalars(sa.select(Region.path).where(Region.parent_id.is_(None)).limit(2))
    if tops.all() == [roots[0].path]:
        return Reach(everywhere=True)
    return Reach(tree=roots[0].path)


def _scope(user: User, filters: CaseFilters):
    """The user's cases (case_clause); for the overdue filter of a jurisdiction of few
    regions (a street's, a committee's) on PostgreSQL, the same regions as a constant array.

    PostgreSQL takes the overdue filter's four conditions as independent and expects 73 late
    cases in the city where there are 66 412. With the regions as a subquery it read all of
    them to join them to a street's 69 regions, then sorted (12.7 ms at 1M cases); knowing
    the regions, it walks the open cases newest first and stops at the page (1.2 ms). A
    city's thousands of regions keep the subquery: named, PostgreSQL looked each up in
    ix_cases_open_grid_deadline and read every late case of the city (297 ms)."""
    if filters.overdue and db.session.get_bind().dialect.name == "postgresql":
        regions = few_region_ids(user, FEW_REGIONS)
        if regions is not None:
            return Case.grid_id == sa.any_(id_array(regions))
    return case_clause(user)


def list_cases(user: User, filters: CaseFilters, page: int = 1, per_page: int = 20) -> CasePage:
    """One page of the user's cases in the filters' order (newest first unless chosen
    otherwise), with parties, grid and mediator loaded: page `page`, or the page the
    filters' cursor leads to (mediation.cases.paging)."""
    # No parallel workers: starting them costs more than a page's few index reads, and a
    # search's recheck of a phone tail's candidates took 48 → 37 ms without (bench/README).
    settings = {"max_parallel_workers_per_gather": "0"}
    if filters.q or filters.overdue:
        # A search's matching ids (and the overdue filter's regions: _scope) go to the page
        # as an array: planned for its value, PostgreSQL looks each row up in a hash of it;
        # in the generic plan of a statement run five times (psycopg prepares it then) it
        # compares each row with every element (a mediator's 张伟: 6.4 and 6.8 ms a
        # statement against 0.4 and 1.4).
        settings["plan_cache_mode"] = "force_custom_plan"
    for_this_transaction(**settings)
    stmt, few, many = filtered(user, filters)
    if filters.q and not few and not many and db.session.get_bind().dialect.name == "postgresql":
        stmt, few, many = _found_in_jurisdiction(stmt)
    cursor = Cursor.decode(filters.cursor, filters.sort) if filters.cursor else None
    direction = cursor.direction if cursor else AFTER
    order = walk_order(filters.sort, direction, few=few)
    offset = 0 if cursor else (page - 1) * per_page
    if few:
        beyond = keyset_clause(cursor) if cursor else None
        ids, total = counted_page(stmt, order, per_page + 1, offset, beyond)
        exact = True
    else:
        total, exact = (paging.COUNT_CAP + 1, False) if many else count_matches(stmt)
        parts = keyset_parts(cursor) if cursor else (None,)
        ids = page_ids(stmt, order, per_page + 1, offset, parts)
    rows = _rows(ids)
    if cursor is None:
        items, more_after, more_before = rows[:per_page], len(rows) > per_page, page > 1
    else:
        if cursor.direction == AFTER:
            items, more_after = rows[:per_page], len(rows) > per_page
        elif len(rows) <= per_page:  # back at the start: the first page as it is now
            return list_cases(user, _without_cursor(filters), 1, per_page)
        else:
            items, more_after = rows[:per_page][::-1], True
        more_before = True
    return CasePage(
        items,
        total,
        page if cursor is None else None,
        per_page,
        exact,
        _cursor(filters.sort, AFTER, items[-1]) if more_after and items else None,
        _cursor(filters.sort, BEFORE, items[0]) if more_before and items else None,
    )


def _found_in_jurisdiction(stmt) -> tuple[sa.Select, bool, bool]:
    """A search checked case by case (search_clause: regions of few cases; a judge's search
    of a text with more matches in the city than search.FEW_IDS; a read of her regions or
    tree cut short by a case read twice; many there before the other filters) may find few
    in the user's jurisdiction, or none: its ids are read first, up to COUNT_CAP + 1, as a
    count would count them. (select, few, many):

    - at most COUNT_CAP: the select of those ids, few (paging.counted_page counts them with
      the page). Walking the list's order for them read the city's cases to the end: a
      street's search for 积玉 (26 436 case numbers of another district, none in the street)
      took 1.6 s for an empty page, and takes the 0.3 s of this read now;
    - more: the select as it was, and many. The list's page is among the first cases it
      walks, and its count says "1,000+ 件": PostgreSQL's estimate takes a party's match for
      nearly every case (an admin's 武汉: 1 019 756 estimated, 161 098 match)."""
    found = db.session.scalars(paging.capped_ids(stmt)).all()
    if len(found) > paging.COUNT_CAP:
        return stmt, False, True
    return sa.select(Case).where(Case.id == sa.any_(id_array(found))), True, False


def _rows(ids: list[int]) -> list[Case]:
    """The page's cases in the order of ids, with what the list shows: grid and mediator
    joined, parties in a second query.

    The page's ids are read first (paging.page_ids, counted_page), by a statement that names
    only the columns an index may hold: walking the open cases newest first, the overdue
    filter passes over thousands that are not late yet, and reads none of their rows
    (ix_cases_open_newest; the city's overdue list, 265 → 25 ms at 1M cases). Grid and
    mediator are joined only here, to the page's few ids: joined to a search, PostgreSQL
    misjudged its few rows and scanned the regions per row (300 ms)."""
    if not ids:
        return []
    loaded = db.session.scalars(
        sa.select(Case)
        .where(Case.id.in_(ids))
        .options(
            so.joinedload(Case.grid),
            so.joinedload(Case.mediator),
            so.selectinload(Case.parties),
        )
    )
    by_id = {case.id: case for case in loaded}
    return [by_id[case_id] for case_id in ids]


def _cursor(sort: str, direction: str, case: Case) -> str:
    """The cursor of the page after (or before) this case."""
    return Cursor(sort, direction, key_of(case, sort)).encode()


def _without_cursor(filters: CaseFilters) -> CaseFilters:
    """The same filters, from the first page."""
    return CaseFilters(**{**vars(filters), "cursor": None})


def overview(user: User) -> dict:
    """Counts for a dashboard: open, overdue, concluded this month, by status."""
    by_status = dict(
        db.session.execute(
            sa.select(Case.status, sa.func.count()).where(case_clause(user)).group_by(Case.status)
        ).all()
    )
    overdue = db.session.scalar(
        sa.select(sa.func.count()).where(case_clause(user), overdue_clause(utcnow()))
    )
    return {"by_status": by_status, "overdue": overdue, "as_of": utcnow()}
