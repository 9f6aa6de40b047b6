"""Demo cases: a few hundred disputes over the last 12 months, in every state.

Each case is driven through the real operations (create_case, apply_transition,
record_session, sign_agreement, seal_agreement, record_visit) at past moments, so its audit
chain, numbers and deadlines are exactly what the system would have produced.

The twelve months look like a district's (`mediation.demo.plan`): intake follows the
seasons; about 96% of the cases older than a few weeks reach an agreement, three in four of
them at grid level (小事不出网格); the newest are still open.
"""

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from mediation.cases import operations as ops
from mediation.demo.people import fake_id_number, fake_name, fake_phone
from mediation.demo.plan import WITHOUT_AGREEMENT, plan
from mediation.demo.staff import Staff, ensure_staff
from mediation.extensions import db
from mediation.models import Case, Region, User
from mediation.models.types import utcnow
from workflows import DECLINE_REASONS, ESCALATE_REASONS, SOURCES
from workflows.deadlines import CHINA_TZ

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
# Of the cases that end in a visit and 结案, this share went to the court first.
CLOSED_AFTER_CONFIRMATION = 0.05


class Story:
    """One demo case's life, with its own clock moving forward from the intake day."""

    def __init__(
        self, rng: random.Random, staff: Staff, grid: Region, start: datetime, category: str
    ):
        self.rng, self.staff, self.grid, self.clock = rng, staff, grid, start
        self.category = category
        self.case: Case | None = None
        # Until the agreement takes effect, the clock stops here (see tell).
        self.settle_by: datetime | None = None

    def later(self, low_days: float, high_days: float) -> datetime:
        """Advance the clock by a random span, never past now (nor past settle_by)."""
        limit = utcnow() - timedelta(minutes=1)
        if self.settle_by is not None:
            limit = min(limit, self.settle_by)
        self.clock = min(self.clock + timedelta(days=self.rng.uniform(low_days, high_days)), limit)
        return self.clock

    def fire(self, user: User | None, trigger: str, **payload) -> None:
        """Fire a trigger an hour to half a day later (most disputes are settled in days)."""
        self.case = ops.apply_transition(
            user, self.case.id, trigger, self.case.version, payload, now=self.later(0.05, 0.6)
        )

    def create(self) -> None:
        """Register the dispute as the grid's worker or mediator."""
        category = self.category
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
                "held_at": self.later(0.1, 1),
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
        self.settle_by = None

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

    def tell(self, final: str, escalate: bool) -> None:
        """Drive the case to its final state, through the street if escalate.

        An agreement takes effect within the month of intake: with a demo's few cases a
        month, one settled in the next month would swing both months' 调解成功率 by points.
        """
        if final not in WITHOUT_AGREEMENT:
            local = self.clock.astimezone(CHINA_TZ)
            month_end = datetime(
                local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=CHINA_TZ
            )
            self.settle_by = month_end - timedelta(minutes=30)
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
        self.mediate(escalate)
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
        if final == "closed" and self.rng.random() >= CLOSED_AFTER_CONFIRMATION:
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


def seed_cases(count: int = 300, seed: int = 2026, progress=None) -> int:
    """Create `count` demo cases over the last 12 months and this one, unless cases exist.

    progress(done, count), when given, is called after every case.
    """
    if db.session.scalar(sa.select(sa.func.count(Case.id))):
        return 0
    demo = db.session.scalar(sa.select(User).where(User.username == "mediator_demo"))
    created = ensure_staff(demo.password_hash)
    rng = random.Random(seed)
    staff = Staff()
    grids = db.session.scalars(sa.select(Region).where(Region.level == "grid")).all()
    for n, (start, final, escalate, category) in enumerate(plan(rng, count, utcnow())):
        Story(rng, staff, rng.choice(grids), start, category).tell(final, escalate)
        created += 1
        if progress:
            progress(n + 1, count)
    return created
