"""The rows of generated cases: each case placed directly in the state it has reached.

A case is received at a moment of `mediation.demo.seasons` (more disputes in summer and
before 春节, few in the 春节 week), its category drawn with that day's weights. It is given
a destiny (DESTINY_MIX: about 95% reach an agreement, three in four of those at grid level,
小事不出网格) and `bench.life` walks it there as far as now allows, setting timestamps,
deadlines, the overdue flag; the agreement with its amount, the court application and its
decision, the follow-up visit. The case has an applicant, a respondent
and one `create` audit event hashed as mediation.audit.build_event does, so `flask audit
verify` passes; the transitions are not replayed, and no session, signature or document
rows are made.
"""

import json
import random
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace

from bench.city import STREET_WORDS, Grid
from bench.life import Life
from mediation.audit import canonical, event_hash, sha256
from mediation.cases.operations import time_limits
from mediation.demo.cases import TITLES
from mediation.demo.people import fake_id_number, fake_name, fake_phone
from mediation.demo.seasons import category_on
from mediation.models.documents import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH
from workflows import SOURCES
from workflows.clocks import ClockFacts, running_clock
from workflows.deadlines import CHINA_TZ

COMPANY_WORDS = ("恒信", "华中", "长江", "楚天", "汉江", "佳和", "鼎盛", "众联", "安居", "惠民")
ORGANIZATION_CATEGORIES = {"contract", "business", "labor", "consumer", "property_management"}
DESCRIPTIONS = (
    "双方因此事多次发生争执，现申请调解。",
    "网格员排查发现该纠纷，双方同意由调委会调解。",
    "双方就赔偿数额存在分歧，经协商未果，申请人民调解。",
    "纠纷持续数月，有激化苗头，社区将其移交调委会。",
)
ETHNICITIES = ("汉族",) * 18 + ("回族", "土家族")
TERMS = ["被申请人向申请人支付赔偿款。", "双方就此事再无其他争议。"]
# Destiny → weight: where a case ends up if given the time. ≈ 95% reach an agreement, the
# rest end without one or stay stuck open. A young case is still on its way (bench.life).
DESTINY_MIX = {
    "closed": 86,
    "confirmed": 2,
    "confirmation_rejected": 0.5,
    "agreement_effective": 1.5,
    "confirmation_requested": 0.1,
    "confirmation_accepted": 0.2,
    "declined": 0.8,
    "withdrawn": 1.5,
    "mediation_failed": 1.5,
    "intake": 0.2,
    "street_mediation": 0.5,
    "agreement_drafted": 0.2,
}
GRID_SWEPT_AFTER_DAYS = 9
SATISFACTION = (("satisfied", 80), ("basically", 17), ("unsatisfied", 3))

# Columns of each table, in the order CaseFactory makes its rows.
TABLES = {
    "cases": (
        "id", "number", "year", "serial", "committee_id", "grid_id", "title", "category",
        "source", "description", "amount", "status", "version", "came_from", "mediator_id",
        "created_by_id", "created_at", "updated_at", "accepted_at", "escalated_at",
        "grid_deadline_at", "mediation_deadline_at", "clock", "deadline_at", "overdue",
        "effective_on",
        "concluded_at", "court_id", "court_case_number", "ruling_text", "rejection_ground",
        "decline_reason", "audit_head",
    ),
    "parties": (
        "case_id", "grid_id", "role", "kind", "name", "sex", "ethnicity", "id_number", "phone",
        "address", "occupation", "legal_representative", "agent", "refuses_mediation",
    ),
    "audit_events": (
        "case_id", "seq", "at", "actor_id", "actor_role", "action", "from_state", "to_state",
        "reason", "payload", "payload_hash", "prev_hash", "hash",
    ),
    "agreements": (
        "case_id", "facts", "terms", "performance_method", "performance_place",
        "performance_deadline", "amount", "drafted_at", "public_id",
    ),
    "confirmation_applications": (
        "case_id", "court_id", "applied_at", "applied_by_id", "accepted_at", "accepted_by_id",
        "court_case_number", "outcome", "decided_at", "decided_by_id", "ground", "ruling_text",
    ),
    "follow_up_visits": (
        "case_id", "visited_at", "performed", "satisfaction", "notes", "visitor_id",
        "created_at",
    ),
}  # fmt: skip


def public_id(rng: random.Random, case_id: int) -> str:
    """A public id unique by construction: random letters, then the case id in the alphabet."""
    base = len(PUBLIC_ID_ALPHABET)
    digits = []
    while case_id:
        case_id, digit = divmod(case_id, base)
        digits.append(PUBLIC_ID_ALPHABET[digit])
    tail = "".join(reversed(digits)).rjust(7, PUBLIC_ID_ALPHABET[0])
    head = "".join(rng.choices(PUBLIC_ID_ALPHABET, k=PUBLIC_ID_LENGTH - len(tail)))
    return head + tail


class CaseFactory:
    """Makes the rows of one batch of cases, table by table (TABLES)."""

    def __init__(self, rng, grids: list[Grid], counters: dict, now: datetime, status=None):
        self.rng, self.grids, self.counters, self.now = rng, grids, counters, now
        self.status = status
        self.latest = now - timedelta(minutes=1)
        self.limits = time_limits()
        weights = [rng.lognormvariate(0, 0.5) for _ in grids]
        self.cum_weights = list(accumulate(weights))
        self.sources = [code for code, _label in SOURCES]
        self.source_weights = [40, 15, 10, 10, 5, 20][: len(self.sources)]
        self.source_weights += [5] * (len(self.sources) - len(self.source_weights))
        self.destinies = (list(DESTINY_MIX), list(DESTINY_MIX.values()))

    def batch(self, first_id: int, moments: list[datetime], json_columns: bool) -> dict:
        """Rows for cases first_id, first_id+1 … received at `moments` (in time order).

        json_columns: JSON columns as text (for COPY) rather than Python lists and dicts.
        """
        rows = {table: [] for table in TABLES}
        picks = self.rng.choices(
            range(len(self.grids)), cum_weights=self.cum_weights, k=len(moments)
        )
        for offset, (created, pick) in enumerate(zip(moments, picks, strict=True)):
            self.one(rows, first_id + offset, created, self.grids[pick], json_columns)
        return rows

    def one(self, rows: dict, case_id: int, created: datetime, grid: Grid, json_columns) -> None:
        """Add the rows of one case."""
        rng = self.rng
        local_day = created.astimezone(CHINA_TZ).date()
        year = local_day.year
        key = (grid.committee_id, year)
        serial = self.counters[key] = self.counters.get(key, 0) + 1
        number = f"（{year}）{grid.committee_short}人调字第{serial}号"
        category = category_on(rng, local_day)
        destiny = self.status or rng.choices(*self.destinies)[0]
        if destiny == "grid_mediation" and (self.now - created).days > GRID_SWEPT_AFTER_DAYS:
            # The SLA sweep would have escalated it by now.
            destiny = "street_mediation"
        life = Life(rng, created, self.latest, self.limits, stop_at_now=self.status is None)
        life.live(destiny)
        applicant = self.person(case_id, "applicant", grid)
        respondent = (
            self.organization(case_id, grid)
            if category in ORGANIZATION_CATEGORIES and rng.random() < 0.5
            else self.person(case_id, "respondent", grid)
        )
        rows["parties"] += (applicant, respondent)
        head = self.create_event(rows, case_id, created, grid, number, json_columns)
        amount = self.amount()
        f, court = life.f, life.court
        # The clock that runs now, as the operations and the sweep would have set it.
        facts = ClockFacts(
            registered_at=created,
            grid_deadline_at=f.get("grid_deadline_at"),
            mediation_deadline_at=f.get("mediation_deadline_at"),
            effective_on=f.get("effective_on"),
            performance_deadline=life.performance,
            visited=life.visited is not None,
            applied_at=court.applied if court else None,
            court_accepted_at=court.accepted if court else None,
        )
        running = running_clock(life.state, facts, self.limits, self.now)
        deadline = running.deadline_at if running else None
        court_number = None
        if court and (court.accepted or court.outcome):
            court_number = f"（{year}）{grid.court_short}民特{case_id}号"
        rows["cases"].append(
            (
                case_id,
                number,
                year,
                serial,
                grid.committee_id,
                grid.id,
                f"{applicant[3]}与{respondent[3]}{TITLES[category]}",
                category,
                rng.choices(self.sources, self.source_weights)[0],
                rng.choice(DESCRIPTIONS),
                amount,
                life.state,
                1,
                f.get("came_from"),
                grid.mediator_id,
                grid.mediator_id,
                created,
                life.clock,
                f.get("accepted_at"),
                f.get("escalated_at"),
                f.get("grid_deadline_at"),
                f.get("mediation_deadline_at"),
                running.key if running else None,
                deadline,
                running is not None and running.overdue(self.now),
                f.get("effective_on"),
                f.get("concluded_at"),
                grid.court_id if court else None,
                court_number,
                f.get("ruling_text"),
                f.get("rejection_ground"),
                f.get("decline_reason"),
                head,
            )
        )
        if life.drafted:
            self.agreement(rows, case_id, life, amount, grid, json_columns)
        if court:
            rows["confirmation_applications"].append(
                (
                    case_id,
                    grid.court_id,
                    court.applied,
                    grid.mediator_id,
                    court.accepted,
                    grid.judge_id if court.accepted else None,
                    court_number,
                    court.outcome,
                    court.decided,
                    grid.judge_id if court.decided else None,
                    f.get("rejection_ground"),
                    f.get("ruling_text"),
                )
            )
        if life.visited:
            satisfaction = rng.choices(*zip(*SATISFACTION, strict=True))[0]
            rows["follow_up_visits"].append(
                (
                    case_id,
                    life.visited,
                    rng.random() < 0.96,
                    satisfaction,
                    "协议已履行完毕，双方表示满意。",
                    grid.mediator_id,
                    life.visited,
                )
            )

    def create_event(self, rows, case_id, created, grid: Grid, number, json_columns) -> str:
        """The case's `create` audit event; returns its hash (the case's audit head)."""
        payload = {"number": number}
        event = SimpleNamespace(
            case_id=case_id,
            seq=1,
            at=created,
            actor_id=grid.mediator_id,
            actor_role=grid.mediator_role,
            action="create",
            from_state=None,
            to_state="intake",
            reason=None,
            payload_hash=sha256(canonical(payload)),
            prev_hash=None,
        )
        head = event_hash(event)
        rows["audit_events"].append(
            (
                case_id,
                1,
                created,
                grid.mediator_id,
                grid.mediator_role,
                "create",
                None,
                "intake",
                None,
                json.dumps(payload, ensure_ascii=False) if json_columns else payload,
                event.payload_hash,
                None,
                head,
            )
        )
        return head

    def agreement(self, rows, case_id, life: Life, amount, grid: Grid, json_columns) -> None:
        """The agreement drafted (and perhaps in force): part of the sum in dispute, if any."""
        agreed = None
        if amount is not None:
            agreed = Decimal(f"{float(amount) * self.rng.uniform(0.4, 1.0):.2f}")
        rows["agreements"].append(
            (
                case_id,
                "双方就赔偿数额及履行方式达成一致。",
                json.dumps(TERMS, ensure_ascii=False) if json_columns else TERMS,
                "银行转账",
                f"{grid.place}人民调解委员会",
                life.performance,
                agreed,
                life.drafted,
                public_id(self.rng, case_id),
            )
        )

    def amount(self) -> Decimal | None:
        """The sum in dispute, when there is one."""
        if self.rng.random() < 0.4:
            return None
        return Decimal(f"{min(self.rng.lognormvariate(8.5, 1.2), 9e8):.2f}")

    def person(self, case_id: int, role: str, grid: Grid) -> tuple:
        """A person with a valid ID number and mobile number."""
        rng = self.rng
        sex = "male" if rng.random() < 0.5 else "female"
        return (
            case_id,
            grid.id,
            role,
            "person",
            fake_name(rng),
            sex,
            rng.choice(ETHNICITIES),
            fake_id_number(rng, sex),
            fake_phone(rng),
            f"{grid.place}{rng.randint(1, 200)}号",
            None,
            None,
            None,
            False,
        )

    def organization(self, case_id: int, grid: Grid) -> tuple:
        """A company as respondent, with its legal representative."""
        rng = self.rng
        return (
            case_id,
            grid.id,
            "respondent",
            "organization",
            f"武汉市{rng.choice(COMPANY_WORDS)}{rng.choice(STREET_WORDS)}有限公司",
            None,
            None,
            None,
            fake_phone(rng),
            f"{grid.place}{rng.randint(1, 200)}号",
            None,
            fake_name(rng),
            None,
            False,
        )
