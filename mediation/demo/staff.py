"""Colleagues for the demo and benchmark cases, generated where the demo users leave gaps.

A mediator per community committee, an officer per street and a judge per court, all with
the demo password; `Staff` finds who handles a grid's case at each step.
"""

import random

import sqlalchemy as sa

from mediation.demo.people import fake_name
from mediation.extensions import db
from mediation.models import Case, Committee, Court, Region, User

STAFF_PREFIX = "demo_"


class Staff:
    """Who works where: a mediator per committee, an officer per street, a judge per court."""

    def __init__(self):
        users = db.session.scalars(sa.select(User).where(User.active.is_(True))).all()
        self.by_committee = {u.committee_id: u for u in users if u.role == "mediator"}
        self.by_region = {u.region_id: u for u in users if u.role == "street_officer"}
        self.by_court = {u.court_id: u for u in users if u.role == "judge"}
        self.courts = db.session.scalars(sa.select(Court)).all()
        self.committees = {c.region_id: c for c in db.session.scalars(sa.select(Committee)).all()}

    def mediator(self, grid: Region) -> User:
        """The community committee's mediator."""
        return self.by_committee[self.committees[grid.parent_id].id]

    def street(self, grid: Region) -> User:
        """The street officer of the grid's street."""
        return self.by_region[grid.parent.parent_id]

    def handler(self, case: Case, grid: Region) -> User:
        """Whoever handles the case now: the street officer once it was escalated."""
        return self.street(grid) if case.escalated_at else self.mediator(grid)

    def court(self, grid: Region) -> Court:
        """The court serving the grid."""
        return next(c for c in self.courts if c.serves(grid))

    def judge(self, grid: Region) -> User:
        """A judge of that court."""
        return self.by_court[self.court(grid).id]


def ensure_staff(password_hash: str) -> int:
    """A mediator for every committee, an officer for every street and a judge for every court
    that lacks one; they share the demo password."""
    created = 0
    users = db.session.scalars(sa.select(User)).all()
    has_mediator = {u.committee_id for u in users if u.role == "mediator"}
    has_officer = {u.region_id for u in users if u.role == "street_officer"}
    has_judge = {u.court_id for u in users if u.role == "judge"}
    for committee in db.session.scalars(sa.select(Committee)).all():
        if committee.region.level == "community" and committee.id not in has_mediator:
            db.session.add(
                staff_user(
                    f"tj{committee.region.code}", "mediator", password_hash, committee=committee
                )
            )
            created += 1
    for street in db.session.scalars(sa.select(Region).where(Region.level == "street")).all():
        if street.id not in has_officer:
            db.session.add(
                staff_user(f"jd{street.code}", "street_officer", password_hash, region=street)
            )
            created += 1
    for court in db.session.scalars(sa.select(Court)).all():
        if court.id not in has_judge:
            db.session.add(staff_user(f"fy{court.code}", "judge", password_hash, court=court))
            created += 1
    db.session.commit()
    return created


def staff_user(username: str, role: str, password_hash: str, **unit) -> User:
    """A generated colleague with a plausible name."""
    rng = random.Random(username)
    return User(
        username=STAFF_PREFIX + username,
        display_name=fake_name(rng),
        role=role,
        password_hash=password_hash,
        **unit,
    )
