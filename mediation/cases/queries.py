"""Reading cases: the filtered, paginated list and the admin's overview, always scoped
(each role's work queue: cases.queue)."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.access.scoping import case_clause, region_by_code
from mediation.cases.operations.overdue import overdue_clause
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.inputs import whole_number
from mediation.models import Case, Party, Region, User
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


@dataclass
class CaseFilters:
    """What the list may be narrowed by (all optional), and its order (a key of SORTS)."""

    status: str | None = None
    category: str | None = None
    region: str | None = None
    overdue: bool | None = None
    q: str | None = None
    sort: str = DEFAULT_SORT


@dataclass
class CasePage:
    """One page of a case list."""

    items: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))


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
    return CaseFilters(status, category, region, overdue, q, sort), page, per_page


def positive_int(raw, default: int, key: str, label: str, errors: dict) -> int:
    """A whole number of at least 1 (ASCII digits, or an int the API parsed), or default."""
    if raw in (None, ""):
        return default
    value = raw if isinstance(raw, int) else whole_number(raw)
    if value is None or not 1 <= value <= MAX_PAGE:
        errors[key] = f"{label}应为 1 至 {MAX_PAGE} 之间的整数。"
        return default
    return value


def filtered(user: User, filters: CaseFilters):
    """The select of the user's cases matching the filters (unordered)."""
    stmt = sa.select(Case).where(case_clause(user))
    if filters.status:
        stmt = stmt.where(Case.status == filters.status)
    if filters.category:
        stmt = stmt.where(Case.category == filters.category)
    if filters.region:
        region = region_by_code(user, filters.region)
        if region is None:
            return stmt.where(sa.false())
        below = sa.select(Region.id).where(Region.path.startswith(region.path, autoescape=True))
        stmt = stmt.where(Case.grid_id.in_(below))
    if filters.overdue is not None:
        late = overdue_clause(utcnow())
        stmt = stmt.where(late if filters.overdue else sa.not_(late))
    if filters.q:
        q = filters.q
        party_match = sa.select(Party.id).where(
            Party.case_id == Case.id, Party.name.contains(q, autoescape=True)
        )
        stmt = stmt.where(
            sa.or_(
                Case.number.contains(q, autoescape=True),
                Case.title.contains(q, autoescape=True),
                party_match.exists(),
            )
        )
    return stmt


def list_cases(user: User, filters: CaseFilters, page: int = 1, per_page: int = 20) -> CasePage:
    """One page of the user's cases in the filters' order (newest first unless chosen
    otherwise), with parties, grid and mediator loaded."""
    stmt = filtered(user, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.options(
            so.selectinload(Case.parties),
            so.joinedload(Case.grid),
            so.joinedload(Case.mediator),
        )
        .order_by(*SORTS[filters.sort])
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return CasePage(list(items), total, page, per_page)


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
