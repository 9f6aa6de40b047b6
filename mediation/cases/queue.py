"""The home page's work queue (我的待办) and a street's committees at a glance.

The queue holds the user's open cases grouped by what she must do next (workflows.work), each
group nearest deadline first and paged. Which group a case is in follows from its state, one
fact read in SQL where a state is split (signatures, the visit, a street mediator), and what
the policy lets the user do. Everything is counted and paged in SQL within the user's
jurisdiction (access.scoping): the counts of every group in one GROUP BY, then a LIMITed page
of each group that has cases, read in deadline order — never a jurisdiction's cases in Python.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mediation.access import policy
from mediation.access.scoping import case_clause, region_clause
from mediation.cases.operations.overdue import overdue_clause
from mediation.database import for_this_transaction
from mediation.extensions import db
from mediation.inputs import whole_number
from mediation.models import (
    Agreement,
    Case,
    Committee,
    FollowUpVisit,
    Party,
    Region,
    Signature,
    User,
)
from mediation.models.types import utcnow
from workflows import STATES, legal_date
from workflows.work import WORK_GROUPS, WorkGroup, act_states

PER_PAGE = 10
MAX_PAGE = 100_000
OPEN_STATES = tuple(state.name for state in STATES if not state.terminal)

# The record acts of workflows.work, each answered by the policy (a trigger by can_fire).
ACT_QUESTIONS = {
    "dispatch": policy.can_dispatch,
    "sign": policy.can_sign,
    "seal": policy.can_seal,
    "record_visit": policy.can_record_visit,
}


def _street_mediator():
    """The case's mediator works at a street: a street committee's mediator or a street
    officer (User.home_region). False, never NULL, for a case without a mediator."""
    unit_region = sa.func.coalesce(Committee.region_id, User.region_id)
    at_street = (
        sa.select(User.id)
        .outerjoin(Committee, User.committee_id == Committee.id)
        .join(Region, Region.id == unit_region)
        .where(Region.level == "street")
    )
    return sa.and_(Case.mediator_id.is_not(None), Case.mediator_id.in_(at_street))


def _signed():
    """Every party and the mediator have signed the draft, by signatures that still count
    (Agreement.required_signers, in SQL)."""
    # Correlated to the case (and, below, to the party) however deeply it is nested.
    valid = (
        sa.select(Signature.id)
        .join(Agreement, Signature.agreement_id == Agreement.id)
        .where(Agreement.case_id == Case.id, Signature.voided_at.is_(None))
        .correlate_except(Signature, Agreement)
    )
    party_code = sa.literal("party:") + sa.cast(Party.id, sa.String)
    party_signed = valid.where(Signature.signer == party_code)
    unsigned_party = sa.select(Party.id).where(Party.case_id == Case.id, ~party_signed.exists())
    return sa.and_(valid.where(Signature.signer == "mediator").exists(), ~unsigned_party.exists())


def _visited():
    """A follow-up visit has recorded the performance (what `close` needs)."""
    return sa.select(FollowUpVisit.id).where(FollowUpVisit.case_id == Case.id).exists()


FACTS = {"street_mediator": _street_mediator, "signed": _signed, "visited": _visited}


def _seals_for(user: User):
    """policy.seals_for in SQL: a mediator seals for her committee, a street officer for the
    street committees."""
    if user.role == "mediator":
        return Case.committee_id == user.committee_id
    if user.role == "street_officer":
        street = sa.select(Committee.id).join(Region).where(Region.level == "street")
        return Case.committee_id.in_(street)
    return sa.false()


def _whose(user: User, group: WorkGroup):
    """Which of her jurisdiction's cases are the user's in a group: those she holds the seal
    for, when the group's act is sealing; a mediator's own (or not yet given to anyone)."""
    if "seal" in group.acts:
        return _seals_for(user)
    if user.role == "mediator":
        return sa.or_(Case.mediator_id == user.id, Case.mediator_id.is_(None))
    return sa.true()


def _may(user: User, act: str) -> bool:
    """May the user's role ever take this act?"""
    question = ACT_QUESTIONS.get(act)
    return question(user) if question else policy.can_fire(user, act)


@dataclass(frozen=True)
class Branch:
    """A group as it applies to one user: the states she works in it, and the SQL condition
    of her cases waiting there (before the groups listed earlier take theirs)."""

    group: WorkGroup
    states: tuple[str, ...]
    clause: sa.ColumnElement


def branches(user: User) -> list[Branch]:
    """The user's groups in the order of the work; a group she has no act in is left out."""
    found = []
    for group in WORK_GROUPS:
        acts = [act for act in group.acts if _may(user, act)]
        states = tuple(s for s in group.states if any(s in act_states(group, a) for a in acts))
        if not states:
            continue
        conditions = [Case.status.in_(states), _whose(user, group)]
        if group.when:
            fact, holds = group.when
            conditions.append(FACTS[fact]() if holds else sa.not_(FACTS[fact]()))
        found.append(Branch(group, states, sa.and_(*conditions)))
    return found


def _apart(one: WorkGroup, other: WorkGroup) -> bool:
    """True when the two groups cannot hold one case: one fact, opposite values."""
    if one.when is None or other.when is None:
        return False
    (fact, holds), (other_fact, other_holds) = one.when, other.when
    return fact == other_fact and holds != other_holds


def _exact(branch: Branch, earlier: list[Branch]):
    """The branch's condition, less the cases an earlier group of the same state holds."""
    taken = [
        sa.not_(b.clause)
        for b in earlier
        if set(b.states) & set(branch.states) and not _apart(b.group, branch.group)
    ]
    return sa.and_(branch.clause, *taken)


@dataclass(frozen=True)
class Group:
    """One group on the page: one page of its cases, its count and how many are overdue."""

    group: WorkGroup
    cases: list[Case]
    total: int
    overdue: int
    page: int
    per_page: int

    @property
    def key(self) -> str:
        """The group's key (workflows.work)."""
        return self.group.key

    @property
    def page_arg(self) -> str:
        """The query argument that pages through this group."""
        return f"{self.key}_page"

    @property
    def pages(self) -> int:
        """How many pages the group has (at least one)."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class WorkQueue:
    """The user's groups in the order of the work."""

    groups: list[Group]

    @property
    def total(self) -> int:
        """Every case waiting for the user."""
        return sum(group.total for group in self.groups)

    def link(self, group: Group, page: int) -> dict:
        """The query arguments of the home page showing this page of group, the other groups
        staying on their pages."""
        pages = {g.page_arg: g.page for g in self.groups if g.page > 1}
        return {**pages, group.page_arg: page}


def _counts(user: User, found: list[Branch], now: datetime) -> dict[str, tuple[int, int]]:
    """Per group key: how many cases wait, and how many of them are overdue (one GROUP BY)."""
    # No JIT compiling: the counts' CASE of correlated subqueries is costed above
    # jit_above_cost, and compiling it took 590 ms of an 820 ms count at 1M cases (as for
    # the monthly report: bench/README §8).
    for_this_transaction(jit="off")
    key = sa.case(*((b.clause, b.group.key) for b in found), else_=None)
    late = sa.case((overdue_clause(now), 1), else_=0)
    states = {state for branch in found for state in branch.states}
    rows = (
        sa.select(key.label("key"), late.label("late"))
        .where(case_clause(user), Case.status.in_(states))
        .subquery()
    )
    counted = db.session.execute(
        sa.select(rows.c.key, sa.func.count(), sa.func.sum(rows.c.late))
        .where(rows.c.key.is_not(None))
        .group_by(rows.c.key)
    ).all()
    return {key: (total, int(overdue or 0)) for key, total, overdue in counted}


def _page(user: User, condition, page: int, per_page: int) -> list[Case]:
    """One page of the user's cases meeting condition, nearest deadline first (those
    without a running clock last).

    The order is written so that it cannot be read from ix_cases_deadline_id: a group's
    cases are few in a jurisdiction but can be many in the city, and walking the city's
    deadlines until a street's sparse group fills a page took 350 ms at 1M cases. Read
    through ix_cases_grid_status and sorted, a group costs what it holds in the
    jurisdiction (3 ms for that page). Grid and mediator come after, for the page's rows
    only.
    """
    return list(
        db.session.scalars(
            sa.select(Case)
            .where(case_clause(user), condition)
            .options(so.selectinload(Case.grid), so.selectinload(Case.mediator))
            .order_by(Case.deadline_at.is_(None), Case.deadline_at, Case.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )


def work_queue(user: User, args=None, now: datetime | None = None) -> WorkQueue:
    """The user's queue; args (a query string) may ask for later pages of each group
    (`<key>_page`, past the last page: the last)."""
    args = args or {}
    now = now or utcnow()
    found = branches(user)
    counts = _counts(user, found, now) if found else {}
    groups = []
    for index, branch in enumerate(found):
        total, overdue = counts.get(branch.group.key, (0, 0))
        pages = max(1, -(-total // PER_PAGE))
        page = min(whole_number(args.get(f"{branch.group.key}_page"), MAX_PAGE) or 1, pages)
        cases = _page(user, _exact(branch, found[:index]), page, PER_PAGE) if total else []
        groups.append(Group(branch.group, cases, total, overdue, page, PER_PAGE))
    return WorkQueue(groups)


@dataclass(frozen=True)
class CommitteeFigures:
    """One committee of the jurisdiction: its open cases, how many of them are overdue, and
    its agreements that took effect this month (调解成功, DESIGN §5)."""

    committee: Committee
    open: int
    overdue: int
    settled: int


def committee_summary(user: User, now: datetime | None = None) -> list[CommitteeFigures]:
    """Every committee in the user's jurisdiction with its figures, in region order; this
    month is China's (effective_on is a date in China).

    Two GROUP BYs, each read from an index that leads with what it selects (the open
    states within the jurisdiction's grids, ix_cases_grid_status; the month's effective
    dates, ix_cases_effective_on): one query ORing both scanned every case of the city.
    """
    now = now or utcnow()
    month_start = legal_date(now).replace(day=1)
    committees = db.session.scalars(
        sa.select(Committee).join(Region).where(region_clause(user)).order_by(Region.path)
    ).all()
    late = sa.func.sum(sa.case((overdue_clause(now), 1), else_=0))
    in_scope = sa.select(Case.committee_id).where(case_clause(user)).group_by(Case.committee_id)
    open_ = {
        committee_id: (total, int(overdue or 0))
        for committee_id, total, overdue in db.session.execute(
            in_scope.add_columns(sa.func.count(), late).where(Case.status.in_(OPEN_STATES))
        )
    }
    settled = dict(
        db.session.execute(
            in_scope.add_columns(sa.func.count()).where(Case.effective_on >= month_start)
        ).all()
    )
    return [CommitteeFigures(c, *open_.get(c.id, (0, 0)), settled.get(c.id, 0)) for c in committees]
