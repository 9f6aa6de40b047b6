"""Demo cases: a few hundred disputes over the last 12 months, in every state.

Each case is driven through the real operations (create_case, apply_transition,
record_session, sign_agreement, seal_agreement, record_visit) at past moments, so its audit
chain, numbers and deadlines are exactly what the system would have produced.
"""

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from mediation.cases import operations as ops
from mediation.demo.people import fake_id_number, fake_name, fake_phone
from mediation.extensions import db
from mediation.models import Case, Committee, Court, Region, User
from mediation.models.types import utcnow
from workflows import CATEGORIES, DECLINE_REASONS, ESCALATE_REASONS, SOURCES

# Final state → how many of every 100 demo cases end there.
STATE_MIX = {
    "intake": 4,
    "declined": 3,
    "withdrawn": 3,
    "grid_mediation": 7,
    "street_mediation": 5,
    "agreement_drafted": 4,
    "mediation_failed": 5,
    "agreement_effective": 16,
    "confirmation_requested": 2,
    "confirmation_accepted": 2,
    "confirmation_rejected": 2,
    "confirmed": 5,
    "closed": 42,
}
TITLES = {
    "marriage_family": "赡养费分担纠纷",
    "neighbor": "楼上漏水致楼下受损纠纷",
    "housing_land": "宅基地界址纠纷",
    "contract": "装修合同尾款纠纷",
    "business": "门面租金纠纷",
    "damages": "电动车碰撞赔偿纠纷",
    "forest_land": "承包林地界线纠纷",
    "land_acquisition": "拆迁补偿分配纠纷",
    "environment": "餐馆油烟噪声扰民纠纷",
    "labor": "拖欠工资纠纷",
    "consumer": "预付卡退费纠纷",
    "medical": "诊所治疗费用纠纷",
    "traffic": "道路交通事故赔偿纠纷",
    "property_management": "物业费及停车位纠纷",
    "other": "借款纠纷",
}
STAFF_PREFIX = "demo_"
# Cases still in these states were received recently; the others spread over the year.
OPEN_STATES = (
    "intake",
    "grid_mediation",
    "street_mediation",
    "agreement_drafted",
    "confirmation_requested",
    "confirmation_accepted",
)


class Story:
    """One demo case's life, with its own clock moving forward from the intake day."""

    def __init__(self, rng: random.Random, staff: "Staff", grid: Region, start: datetime):
        self.rng, self.staff, self.grid, self.clock = rng, staff, grid, start
        self.case: Case | None = None

    def later(self, low_days: float, high_days: float) -> datetime:
        """Advance the clock by a random span, never past now."""
        self.clock = min(
            self.clock + timedelta(days=self.rng.uniform(low_days, high_days)),
            utcnow() - timedelta(minutes=1),
        )
        return self.clock

    def fire(self, user: User | None, trigger: str, **payload) -> None:
        """Fire a trigger at the story's clock."""
        self.case = ops.apply_transition(
            user, self.case.id, trigger, self.case.version, payload, now=self.later(0.2, 2)
        )

    def create(self) -> None:
        """Register the dispute as the grid's worker or mediator."""
        category = self.rng.choice(CATEGORIES)[0]
        amount = self.rng.choice([None, 800, 2500, 6000, 15000, 48000])
        self.case = ops.create_case(
            self.staff.mediator(self.grid),
            {
                "title": f"{fake_name(self.rng)}与{fake_name(self.rng)}{TITLES[category]}",
                "category": category,
                "source": self.rng.choice(SOURCES)[0],
                "description": "双方因此事多次发生争执，现申请调解。",
                "amount": amount,
                "grid": self.grid.code,
                "parties": [self.party("applicant"), self.party("respondent")],
            },
            now=self.clock,
        )

    def party(self, role: str) -> dict:
        """A person with a valid ID number and phone."""
        sex = self.rng.choice(["male", "female"])
        return {
            "role": role,
            "kind": "person",
            "name": fake_name(self.rng),
            "sex": sex,
            "ethnicity": "汉族",
            "id_number": fake_id_number(self.rng, sex),
            "phone": fake_phone(self.rng),
            "address": f"{self.grid.parent.name}{self.rng.randint(1, 80)}号",
        }

    def session(self, outcome: str = "continuing") -> None:
        """Hold a mediation session."""
        ops.record_session(
            self.staff.mediator(self.grid),
            self.case.id,
            {
                "held_at": self.later(0.5, 3),
                "location": f"{self.grid.parent.name}人民调解室",
                "attendees": "双方当事人",
                "summary": "申请人陈述了诉求，被申请人说明了理由，调解员释法说理。",
                "outcome": outcome,
            },
            now=self.clock,
        )
        self.case = db.session.get(Case, self.case.id)

    def mediate(self, escalate: bool) -> None:
        """Accept, hold a session, and escalate to the street if asked."""
        self.fire(
            self.staff.mediator(self.grid),
            "accept",
            mediator=self.staff.mediator(self.grid).username,
        )
        self.session()
        if escalate:
            self.fire(
                self.staff.street(self.grid),
                "escalate",
                reason_code=self.rng.choice(ESCALATE_REASONS)[0],
                reason="双方分歧较大，需街道联合调解。",
            )
            self.session()

    def settle(self) -> None:
        """Draft the agreement, collect every signature, and seal it: it takes effect."""
        user = self.staff.handler(self.case, self.grid)
        deadline = (self.clock + timedelta(days=self.rng.randint(10, 40))).date()
        self.fire(
            user,
            "draft_agreement",
            facts="双方就赔偿数额及履行方式达成一致。",
            terms=["被申请人向申请人支付赔偿款。", "双方就此事再无其他争议。"],
            performance_method="银行转账",
            performance_place=f"{self.grid.parent.name}人民调解委员会",
            performance_deadline=deadline.isoformat(),
            amount=self.case.amount,
        )
        for signer in self.case.agreement.required_signers():
            ops.sign_agreement(
                user,
                self.case.id,
                {"signer": signer, "method": "typed", "typed_name": "签名"},
                now=self.later(0, 0.3),
            )
        # The community committee's mediator holds its seal (also after an escalation).
        sealer = self.staff.mediator(self.grid)
        version = db.session.get(Case, self.case.id).version
        ops.seal_agreement(sealer, self.case.id, version, now=self.later(0, 0.1))
        self.case = db.session.get(Case, self.case.id)

    def visit(self) -> None:
        """Visit the parties after the performance deadline."""
        ops.record_visit(
            self.staff.handler(self.case, self.grid),
            self.case.id,
            {
                "visited_at": self.later(5, 20),
                "performed": True,
                "satisfaction": self.rng.choice(["satisfied", "satisfied", "basically"]),
                "notes": "协议已履行完毕，双方表示满意。",
            },
            now=self.clock,
        )
        self.case = db.session.get(Case, self.case.id)

    def confirm_request(self) -> None:
        """Both parties apply to the court that serves the grid."""
        self.fire(
            self.staff.handler(self.case, self.grid),
            "request_confirmation",
            court=self.staff.court(self.grid).code,
            consents=[{"party_id": party.id, "method": "signed"} for party in self.case.parties],
        )

    def tell(self, final: str) -> None:
        """Drive the case to its final state."""
        self.create()
        if final == "intake":
            return
        mediator = self.staff.mediator(self.grid)
        if final == "declined":
            self.fire(mediator, "decline", reason_code=self.rng.choice(DECLINE_REASONS)[0])
            return
        if final == "withdrawn":
            self.fire(mediator, "accept", mediator=mediator.username)
            self.fire(mediator, "withdraw", reason="申请人表示双方已自行和解，撤回调解申请。")
            return
        if final == "grid_mediation":
            self.fire(mediator, "accept", mediator=mediator.username)
            return
        self.mediate(escalate=final == "street_mediation" or self.rng.random() < 0.3)
        if final == "street_mediation":
            return
        if final == "mediation_failed":
            self.fire(
                self.staff.handler(self.case, self.grid),
                "terminate",
                reason="双方分歧过大，无法达成一致。",
                routes_told=["litigation"],
            )
            return
        if final == "agreement_drafted":
            self.settle_draft_only()
            return
        self.settle()
        self.finish_after_agreement(final)

    def settle_draft_only(self) -> None:
        """Draft the agreement without signing it."""
        self.fire(
            self.staff.handler(self.case, self.grid),
            "draft_agreement",
            facts="双方初步达成一致，待签署。",
            terms=["被申请人于约定期限内完成维修。"],
            performance_method="当面履行",
            performance_place="纠纷发生地",
            performance_deadline=(self.clock + timedelta(days=30)).date().isoformat(),
        )

    def finish_after_agreement(self, final: str) -> None:
        """The court and closing part of the story."""
        if final == "agreement_effective":
            return
        if final == "closed" and self.rng.random() < 0.8:
            self.visit()
            self.fire(self.staff.handler(self.case, self.grid), "close")
            return
        self.confirm_request()
        if final == "confirmation_requested":
            return
        judge = self.staff.judge(self.grid)
        if final == "confirmation_rejected":
            self.fire(judge, "reject_confirmation", ground="not_civil_case")
            return
        self.fire(judge, "accept_application")
        if final == "confirmation_accepted":
            return
        self.fire(judge, "confirm")
        if final == "closed":
            self.visit()
            self.fire(self.staff.handler(self.case, self.grid), "close")


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


def seed_cases(count: int = 300, seed: int = 2026, progress=None) -> int:
    """Create `count` demo cases spread over the last 12 months, unless cases exist already.

    progress(done, count), when given, is called after every case.
    """
    if db.session.scalar(sa.select(sa.func.count(Case.id))):
        return 0
    demo = db.session.scalar(sa.select(User).where(User.username == "mediator_demo"))
    created = ensure_staff(demo.password_hash)
    rng = random.Random(seed)
    staff = Staff()
    grids = db.session.scalars(sa.select(Region).where(Region.level == "grid")).all()
    finals = [state for state, weight in STATE_MIX.items() for _ in range(weight)]
    for n in range(count):
        final = finals[n % len(finals)]
        grid = rng.choice(grids)
        days_ago = rng.uniform(0.5, 40) if final in OPEN_STATES else rng.uniform(1, 365)
        start = utcnow() - timedelta(days=days_ago)
        Story(rng, staff, grid, start).tell(final)
        created += 1
        if progress:
            progress(n + 1, count)
    return created
