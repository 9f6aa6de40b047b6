"""Reading a court's work: the judge's two queues with their clocks, her recent rulings.

Every query is scoped by `access.scoping.case_clause` (a judge sees the cases sent to her
court) and runs in SQL: a page of rows is loaded, never the whole court's history.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.access.scoping import case_clause
from mediation.cases.operations import time_limits
from mediation.extensions import db
from mediation.inputs import whole_number
from mediation.models import Case, ConfirmationApplication, User
from mediation.models.types import utcnow
from workflows.clocks import Countdown, countdown
from workflows.deadlines import TimeLimits

# The two queues, in the order the workbench shows them: 待决定受理, 待裁定.
ACCEPTANCE = "confirmation_requested"
RULING = "confirmation_accepted"
QUEUES = (ACCEPTANCE, RULING)
# The query arguments that page through each queue.
ACCEPTANCE_PAGE, RULING_PAGE = "acceptance_page", "ruling_page"
RULED = ("confirmed", "rejected", "not_accepted")
RECENT_DAYS = 30
RECENT_LIMIT = 10
PER_PAGE = 20
MAX_PAGE = 10_000


@dataclass(frozen=True)
class QueueRow:
    """One application waiting for the judge: the case, its open application, its clock."""

    case: Case
    application: ConfirmationApplication | None
    clock: Countdown | None


@dataclass(frozen=True)
class Queue:
    """One page of a queue, with the queue's whole count and how many of those are overdue."""

    status: str
    rows: list[QueueRow]
    total: int
    overdue: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the queue has (at least one)."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Workbench:
    """What the judge's workbench shows: both queues and the rulings of the last 30 days."""

    acceptance: Queue
    ruling: Queue
    recent: list[ConfirmationApplication]
    limits: TimeLimits
    recent_days: int = RECENT_DAYS


def page_number(raw) -> int:
    """A page asked for in the query string: ASCII digits from 1 to MAX_PAGE, else page 1."""
    return max(1, whole_number(raw, MAX_PAGE) or 1)


def _counts(user: User, now: datetime) -> dict[str, tuple[int, int]]:
    """Per queue: how many cases wait, and how many of them are past their deadline."""
    late = sa.case((Case.deadline_at < now, 1), else_=0)
    rows = db.session.execute(
        sa.select(Case.status, sa.func.count(), sa.func.coalesce(sa.func.sum(late), 0))
        .where(case_clause(user), Case.status.in_(QUEUES))
        .group_by(Case.status)
    ).all()
    return {status: (total, int(overdue)) for status, total, overdue in rows}


def queue(
    user: User,
    status: str,
    page: int = 1,
    now: datetime | None = None,
    counts: dict | None = None,
    per_page: int | None = None,
) -> Queue:
    """One page of the cases in status sent to the user's court, nearest deadline first.

    Each case comes with its open application (None only for a case sent before
    applications were recorded) and its clock; counts (from _counts) saves a query.
    """
    now = now or utcnow()
    per_page = per_page or PER_PAGE
    total, overdue = (counts if counts is not None else _counts(user, now)).get(status, (0, 0))
    open_application = sa.and_(
        ConfirmationApplication.case_id == Case.id, ConfirmationApplication.outcome.is_(None)
    )
    rows = db.session.execute(
        sa.select(Case, ConfirmationApplication)
        .outerjoin(ConfirmationApplication, open_application)
        .where(case_clause(user), Case.status == status)
        .options(so.selectinload(Case.parties), so.joinedload(Case.committee))
        .order_by(Case.deadline_at.is_(None), Case.deadline_at, Case.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        QueueRow(case, app, countdown(case.clock, case.deadline_at, now)) for case, app in rows
    ]
    return Queue(status, items, total, overdue, page, per_page)


def recent_rulings(
    user: User, now: datetime | None = None, limit: int = RECENT_LIMIT
) -> list[ConfirmationApplication]:
    """The applications her court ruled on in the last RECENT_DAYS days, newest first."""
    since = (now or utcnow()) - timedelta(days=RECENT_DAYS)
    return list(
        db.session.scalars(
            sa.select(ConfirmationApplication)
            .join(Case, ConfirmationApplication.case_id == Case.id)
            .where(
                case_clause(user),
                ConfirmationApplication.court_id == user.court_id,
                ConfirmationApplication.outcome.in_(RULED),
                ConfirmationApplication.decided_at >= since,
            )
            .options(so.contains_eager(ConfirmationApplication.case))
            .order_by(ConfirmationApplication.decided_at.desc(), ConfirmationApplication.id.desc())
            .limit(limit)
        )
    )


def workbench(user: User, args=None, now: datetime | None = None) -> Workbench:
    """The judge's workbench; args (a query string) may ask for later pages of each queue."""
    args = args or {}
    now = now or utcnow()
    counts = _counts(user, now)
    return Workbench(
        acceptance=queue(user, ACCEPTANCE, page_number(args.get(ACCEPTANCE_PAGE)), now, counts),
        ruling=queue(user, RULING, page_number(args.get(RULING_PAGE)), now, counts),
        recent=recent_rulings(user, now),
        limits=time_limits(),
    )
