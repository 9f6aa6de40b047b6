"""Synthetic data for benchmarks: a city of ~2 000 grids and N cases over the last 24 months.

    python -m bench.generate --cases 1000000 [--grids 2000] [--database-url URL] [--fresh]
    python -m bench.generate --cases 20000 --status intake   # more work for bench.transitions

The schema comes from the migrations (as `flask db upgrade`), the demo city and users from
mediation.demo.seed_demo(), then the tree grows to --grids grids (ten communities of five
grids added to every street, then new streets across Wuhan's other districts, each district
with its court) with a mediator per community committee, an officer per street and a judge
per court. Cases are bulk-loaded in batches: COPY on PostgreSQL, executemany on SQLite.

Each case is placed directly in its final state with consistent timestamps, deadlines and the
overdue flag; it has an applicant and a respondent and one `create` audit event hashed exactly
as mediation.audit.build_event does (so `flask audit verify` passes). Its history shows only
that event: the transitions that led to its state are not replayed, and no agreement,
session or visit rows are made. Numbers are `（year）<committee>人调字第N号`, serial per
committee per year in order of intake, continuing the case_counters already in the database.
"""

import argparse
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace

import psycopg
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.dialects import postgresql, sqlite

from bench.common import add_url_argument, bench_url, ensure_database, is_postgres, make_app
from mediation.audit import canonical, event_hash, sha256
from mediation.cases.operations import end_of, time_limits
from mediation.demo import Seeder, seed_demo
from mediation.demo.cases import TITLES, ensure_staff
from mediation.demo.people import fake_id_number, fake_name, fake_phone
from mediation.extensions import db
from mediation.models import AuditEvent, Case, CaseCounter, Committee, Court, Party, Region, User
from workflows import (
    CATEGORIES,
    DECLINE_REASONS,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
    SOURCES,
    court_acceptance_deadline,
    court_ruling_deadline,
    grid_deadline,
    mediation_deadline,
    visit_deadline,
)
from workflows.deadlines import CHINA_TZ

BATCH = 10_000
# From this many cases on, plain indexes are rebuilt after the load instead of kept up to date.
DEFER_INDEXES_FROM = 100_000
MONTHS = 24
COMMUNITIES_PER_STREET = 10
GRIDS_PER_COMMUNITY = 5
# Wuhan's other districts: code, name, court short name.
EXTRA_DISTRICTS = (
    ("420103", "江汉区", "鄂0103"),
    ("420104", "硚口区", "鄂0104"),
    ("420105", "汉阳区", "鄂0105"),
    ("420107", "青山区", "鄂0107"),
    ("420111", "洪山区", "鄂0111"),
    ("420112", "东西湖区", "鄂0112"),
    ("420113", "汉南区", "鄂0113"),
    ("420114", "蔡甸区", "鄂0114"),
    ("420115", "江夏区", "鄂0115"),
    ("420116", "黄陂区", "鄂0116"),
    ("420117", "新洲区", "鄂0117"),
)
# fmt: off
STREET_WORDS = (
    "民权", "满春", "汉兴", "前进", "新华", "万松", "唐家墩", "北湖", "常青",
    "汉正", "宝丰", "荣华", "古田", "汉水", "长丰", "易家", "琴断口", "鹦鹉",
    "建桥", "钢花", "红卫路", "关山", "狮子山", "珞南", "洪山", "卓刀泉", "将军路",
    "径河", "金银湖", "纱帽", "邓南", "奓山", "永安", "纸坊", "五里界", "前川",
    "滠口", "邾城", "阳逻", "仓埠", "徐东", "首义", "中华路", "水果湖", "梨园",
    "白沙洲", "南湖", "二七", "球场", "车站", "劳动", "后湖", "塔子湖", "永清",
    "花桥", "台北", "四唯",
)
# fmt: on
COMMUNITY_SUFFIXES = ("东", "西", "南", "北", "中", "新村", "花园", "家园", "里", "苑")
COMPANY_WORDS = ("恒信", "华中", "长江", "楚天", "汉江", "佳和", "鼎盛", "众联", "安居", "惠民")
ORGANIZATION_CATEGORIES = {"contract", "business", "labor", "consumer", "property_management"}
DESCRIPTIONS = (
    "双方因此事多次发生争执，现申请调解。",
    "网格员排查发现该纠纷，双方同意由调委会调解。",
    "双方就赔偿数额存在分歧，经协商未果，申请人民调解。",
    "纠纷持续数月，有激化苗头，社区将其移交调委会。",
)
ETHNICITIES = ("汉族",) * 18 + ("回族", "土家族")
# Final state → weight, for cases received in the last RECENT_DAYS and for older ones.
RECENT_DAYS = 60
GRID_SWEPT_AFTER_DAYS = 9
RECENT_MIX = {
    "intake": 8,
    "grid_mediation": 14,
    "street_mediation": 14,
    "agreement_drafted": 7,
    "agreement_effective": 20,
    "confirmation_requested": 4,
    "confirmation_accepted": 3,
    "declined": 4,
    "withdrawn": 4,
    "mediation_failed": 6,
    "closed": 16,
}
OLD_MIX = {
    "intake": 1,
    "street_mediation": 1.5,
    "agreement_drafted": 0.5,
    "agreement_effective": 2,
    "confirmation_requested": 0.2,
    "confirmation_accepted": 0.3,
    "confirmed": 2,
    "confirmation_rejected": 1.5,
    "declined": 4,
    "withdrawn": 5,
    "mediation_failed": 9,
    "closed": 73,
}

CASE_COLUMNS = (
    "id",
    "number",
    "year",
    "serial",
    "committee_id",
    "grid_id",
    "title",
    "category",
    "source",
    "description",
    "amount",
    "status",
    "version",
    "came_from",
    "mediator_id",
    "created_by_id",
    "created_at",
    "updated_at",
    "accepted_at",
    "escalated_at",
    "grid_deadline_at",
    "mediation_deadline_at",
    "deadline_at",
    "overdue",
    "effective_on",
    "concluded_at",
    "court_id",
    "court_case_number",
    "ruling_text",
    "rejection_ground",
    "decline_reason",
    "audit_head",
)
PARTY_COLUMNS = (
    "case_id",
    "role",
    "kind",
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "phone",
    "address",
    "occupation",
    "legal_representative",
    "agent",
    "refuses_mediation",
)
EVENT_COLUMNS = (
    "case_id",
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "from_state",
    "to_state",
    "reason",
    "payload",
    "payload_hash",
    "prev_hash",
    "hash",
)


# ---------------------------------------------------------------------------- the city


def grow_tree(target_grids: int) -> int:
    """Add communities, streets, districts and courts until the city has target_grids grids."""
    seeder = Seeder()
    need = target_grids - grid_count()
    if need <= 0:
        return 0
    city = db.session.scalar(sa.select(Region).where(Region.level == "city"))
    streets = db.session.scalars(
        sa.select(Region).where(Region.level == "street").order_by(Region.code)
    ).all()
    for street in streets:
        need -= fill_street(seeder, street, need)
    districts = list(
        db.session.scalars(
            sa.select(Region).where(Region.level == "district").order_by(Region.code)
        )
    )
    for code, name, court_name in EXTRA_DISTRICTS:
        district = seeder.region(code, name, "district", city)
        court = seeder.one(
            Court, f"{code}-court", name=f"武汉市{name}人民法院", short_name=court_name
        )
        if not court.regions:
            court.regions = [district]
        districts.append(district)
    index = 0
    while need > 0:
        district = districts[index % len(districts)]
        word = STREET_WORDS[index % len(STREET_WORDS)]
        if index >= len(STREET_WORDS):
            word += str(index // len(STREET_WORDS) + 1)
        code = f"{district.code}{101 + index // len(districts):03d}"
        street = seeder.region(code, f"{word}街道", "street", district)
        seeder.committee(street)
        need -= fill_street(seeder, street, need)
        index += 1
    db.session.commit()
    return seeder.created


def fill_street(seeder: Seeder, street: Region, need: int) -> int:
    """Give a street its generated communities (each with a committee) and grids; count grids."""
    added = 0
    core = street.name.removesuffix("街道")
    for n, suffix in enumerate(COMMUNITY_SUFFIXES[:COMMUNITIES_PER_STREET], start=101):
        if added >= need:
            break
        code = f"{street.code}{n}"
        community = seeder.region(code, f"{core}{suffix}社区", "community", street)
        seeder.committee(community)
        for g in range(1, GRIDS_PER_COMMUNITY + 1):
            if added >= need:
                break
            before = seeder.created
            seeder.region(f"{code}{g:02d}", f"{community.name}第{g}网格", "grid", community)
            added += seeder.created - before
    return added


def grid_count() -> int:
    """How many grids the city has."""
    return db.session.scalar(sa.select(sa.func.count()).where(Region.level == "grid"))


@dataclass(frozen=True)
class Grid:
    """What a case needs to know about its grid, flattened once."""

    id: int
    committee_id: int
    committee_short: str
    mediator_id: int
    mediator_role: str
    court_id: int | None
    court_short: str | None
    place: str


def grids_for_cases() -> list[Grid]:
    """Every grid with its community committee, that committee's mediator and its court."""
    regions = {r.id: r for r in db.session.scalars(sa.select(Region))}
    committees = {c.region_id: c for c in db.session.scalars(sa.select(Committee))}
    mediators: dict[int, User] = {}
    for user in db.session.scalars(
        sa.select(User).where(User.role == "mediator", User.active.is_(True)).order_by(User.id)
    ):
        mediators.setdefault(user.committee_id, user)
    courts: dict[int, Court] = {}
    for court in db.session.scalars(sa.select(Court)):
        for region in court.regions:
            courts[region.id] = court
    grids = []
    for region in sorted(regions.values(), key=lambda r: r.code):
        if region.level != "grid":
            continue
        community = regions[region.parent_id]
        street = regions[community.parent_id]
        committee = committees.get(community.id) or committees[street.id]
        mediator = mediators[committee.id]
        court = courts.get(street.parent_id) or courts.get(street.id)
        grids.append(
            Grid(
                region.id,
                committee.id,
                committee.short_name,
                mediator.id,
                mediator.role,
                court.id if court else None,
                court.short_name if court else None,
                street.name + community.name,
            )
        )
    return grids


# ---------------------------------------------------------------------------- one case


class Life:
    """The timestamps and deadlines of a case that reached `final`, on a clock kept before now."""

    def __init__(self, rng: random.Random, created: datetime, latest: datetime, limits):
        self.rng, self.clock, self.latest, self.limits = rng, created, latest, limits
        self.f: dict = {}
        self.deadline: datetime | None = None
        self.court = False
        self.accepted_application = False

    def later(self, low: float, high: float) -> datetime:
        """Move the clock on by a random number of days, never past `latest`."""
        self.clock = min(self.clock + timedelta(days=self.rng.uniform(low, high)), self.latest)
        return self.clock

    def conclude(self, low: float, high: float) -> None:
        """A terminal state: no clock runs."""
        self.f["concluded_at"] = self.later(low, high)
        self.deadline = None

    def live(self, final: str) -> None:
        """Walk the path of DESIGN §2 up to final, setting what each step sets."""
        rng, f, limits = self.rng, self.f, self.limits
        if final == "intake":
            return
        if final == "declined":
            f["decline_reason"] = rng.choice(DECLINE_REASONS)[0]
            self.conclude(0.1, 3)
            return
        accepted = self.later(0.05, 2)
        local = accepted.astimezone(CHINA_TZ)
        f["accepted_at"] = accepted
        f["grid_deadline_at"] = grid_deadline(local, limits)
        f["mediation_deadline_at"] = mediation_deadline(local, limits)
        self.deadline = f["grid_deadline_at"]
        if final == "grid_mediation":
            return
        if final == "withdrawn":
            self.conclude(1, 10)
            return
        escalate = final == "street_mediation" or rng.random() < 0.3
        if escalate:
            f["escalated_at"] = self.later(1, 7)
            self.deadline = f["mediation_deadline_at"]
        if final == "street_mediation":
            return
        if final == "mediation_failed":
            self.conclude(3, 25)
            return
        self.later(2, 15)
        f["came_from"] = "street_mediation" if escalate else "grid_mediation"
        if final == "agreement_drafted":
            return
        effective = self.later(0, 3)
        f["effective_on"] = effective.astimezone(CHINA_TZ).date()
        performance = f["effective_on"] + timedelta(days=rng.randint(10, 40))
        follow_up = end_of(visit_deadline(performance, limits))
        self.deadline = follow_up
        if final == "agreement_effective":
            return
        if final == "closed" and rng.random() < 0.8:
            self.clock = min(max(self.clock, follow_up - timedelta(days=15)), self.latest)
            self.conclude(0, 14)
            return
        self.court = True
        requested = self.later(1, 20)
        self.deadline = court_acceptance_deadline(requested.astimezone(CHINA_TZ), limits)
        if final == "confirmation_requested":
            return
        if final == "confirmation_rejected":
            f["rejection_ground"] = rng.choice(REJECT_GROUNDS_BEFORE_ACCEPTANCE)[0]
            self.later(0.5, 3)
            self.deadline = None
            return
        self.accepted_application = True
        ruled_from = self.later(0.5, 3)
        self.deadline = court_ruling_deadline(ruled_from.astimezone(CHINA_TZ), limits)
        if final == "confirmation_accepted":
            return
        self.later(3, 15)
        f["ruling_text"] = "经审查，双方达成的调解协议符合法律规定，确认有效。"
        self.deadline = follow_up
        if final == "confirmed":
            return
        self.conclude(5, 20)


class CaseFactory:
    """Makes the rows of one batch of cases: the case, its two parties, its create event."""

    def __init__(
        self,
        rng: random.Random,
        grids: list[Grid],
        counters: dict,
        now: datetime,
        status: str | None = None,
    ):
        self.rng, self.grids, self.counters, self.now = rng, grids, counters, now
        self.status = status
        self.latest = now - timedelta(minutes=1)
        self.limits = time_limits()
        weights = [rng.lognormvariate(0, 0.5) for _ in grids]
        self.cum_weights = list(accumulate(weights))
        self.categories = [code for code, _label in CATEGORIES]
        self.sources = [code for code, _label in SOURCES]
        self.source_weights = [40, 15, 10, 10, 5, 20][: len(self.sources)]
        self.source_weights += [5] * (len(self.sources) - len(self.source_weights))
        self.recent = (list(RECENT_MIX), list(RECENT_MIX.values()))
        self.old = (list(OLD_MIX), list(OLD_MIX.values()))

    def batch(self, first_id: int, moments: list[datetime], json_payload: bool):
        """Rows for cases first_id, first_id+1 … received at `moments` (in time order)."""
        rng = self.rng
        picks = rng.choices(range(len(self.grids)), cum_weights=self.cum_weights, k=len(moments))
        cases, parties, events = [], [], []
        for offset, (created, pick) in enumerate(zip(moments, picks, strict=True)):
            case_id = first_id + offset
            grid = self.grids[pick]
            year = created.astimezone(CHINA_TZ).year
            key = (grid.committee_id, year)
            serial = self.counters[key] = self.counters.get(key, 0) + 1
            number = f"（{year}）{grid.committee_short}人调字第{serial}号"
            category = rng.choice(self.categories)
            young = (self.now - created).days < RECENT_DAYS
            states, weights = self.recent if young else self.old
            final = self.status or rng.choices(states, weights)[0]
            if final == "grid_mediation" and (self.now - created).days > GRID_SWEPT_AFTER_DAYS:
                # The SLA sweep would have escalated it by now.
                final = "street_mediation"
            life = Life(rng, created, self.latest, self.limits)
            life.live(final)
            applicant = self.person(case_id, "applicant", grid)
            respondent = (
                self.organization(case_id, grid)
                if category in ORGANIZATION_CATEGORIES and rng.random() < 0.5
                else self.person(case_id, "respondent", grid)
            )
            parties += (applicant, respondent)
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
            events.append(
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
                    json.dumps(payload, ensure_ascii=False) if json_payload else payload,
                    event.payload_hash,
                    None,
                    head,
                )
            )
            f = life.f
            deadline = life.deadline
            court_case_number = None
            if life.accepted_application:
                court_case_number = f"（{year}）{grid.court_short}民特{case_id}号"
            cases.append(
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
                    self.amount(),
                    final,
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
                    deadline,
                    deadline is not None and deadline < self.now,
                    f.get("effective_on"),
                    f.get("concluded_at"),
                    grid.court_id if life.court else None,
                    court_case_number,
                    f.get("ruling_text"),
                    f.get("rejection_ground"),
                    f.get("decline_reason"),
                    head,
                )
            )
        return cases, parties, events

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


def intake_moments(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """count moments spread over the last MONTHS months, whole seconds, in order."""
    span = MONTHS * 30.4 * 86400
    start = now - timedelta(seconds=span)
    offsets = sorted(rng.random() * span for _ in range(count))
    return [start + timedelta(seconds=int(s)) for s in offsets]


# ---------------------------------------------------------------------------- loading


class PostgresWriter:
    """COPY FROM STDIN through psycopg, one transaction per batch, as pg_restore loads.

    Foreign-key triggers are off for this session (session_replication_role = replica, which
    needs a superuser; without it they stay on): every id the rows refer to was read from this
    database by this run. With defer_indexes, the plain indexes of the three tables (not the
    primary keys or unique constraints) are dropped first and rebuilt at the end, even when
    the load fails half-way.
    """

    json_payload = True

    def __init__(self, engine, defer_indexes: bool):
        self.raw = engine.raw_connection()
        self.conn = self.raw.driver_connection
        try:
            self.conn.execute("SET session_replication_role = replica")
            self.conn.commit()
        except psycopg.errors.InsufficientPrivilege:
            self.conn.rollback()
            print("  (not a superuser: foreign keys are checked row by row)", flush=True)
        self.deferred: list[tuple[str, str]] = []
        if defer_indexes:
            self.deferred = self.conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() "
                "AND tablename IN ('cases', 'parties', 'audit_events') "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            ).fetchall()
            for name, _definition in self.deferred:
                self.conn.execute(f'DROP INDEX "{name}"')
            self.conn.commit()

    def write(self, cases, parties, events) -> None:
        """Load one batch and commit it."""
        with self.conn.cursor() as cur:
            for table, columns, rows in (
                ("cases", CASE_COLUMNS, cases),
                ("parties", PARTY_COLUMNS, parties),
                ("audit_events", EVENT_COLUMNS, events),
            ):
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.conn.commit()

    def close(self) -> None:
        """Rebuild the dropped indexes, then give the connection back."""
        try:
            self.conn.rollback()
            if self.deferred:
                tick = time.perf_counter()
                self.conn.execute("SET maintenance_work_mem = '1GB'")
                for _name, definition in self.deferred:
                    self.conn.execute(definition)
                self.conn.commit()
                print(
                    f"rebuilt {len(self.deferred)} indexes in {time.perf_counter() - tick:.1f} s",
                    flush=True,
                )
            self.conn.execute("RESET session_replication_role")
            self.conn.commit()
        finally:
            self.raw.close()


class CoreWriter:
    """SQLAlchemy Core executemany, for SQLite (and any other database)."""

    json_payload = False

    def __init__(self, engine, defer_indexes: bool):
        self.engine = engine

    def write(self, cases, parties, events) -> None:
        """Load one batch and commit it."""
        with self.engine.begin() as conn:
            for table, columns, rows in (
                (Case.__table__, CASE_COLUMNS, cases),
                (Party.__table__, PARTY_COLUMNS, parties),
                (AuditEvent.__table__, EVENT_COLUMNS, events),
            ):
                conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])

    def close(self) -> None:
        """Nothing to release."""


def save_counters(counters: dict) -> None:
    """Store the last serial given out per committee and year."""
    if not counters:
        return
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"committee_id": c, "year": y, "last": last} for (c, y), last in counters.items()]
    stmt = insert(CaseCounter).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["committee_id", "year"], set_={"last": stmt.excluded["last"]}
    )
    db.session.execute(stmt)
    db.session.commit()


def finish_postgres(engine) -> None:
    """Move the id sequence past the loaded ids and refresh the planner's statistics."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('cases', 'id'), "
                "(SELECT coalesce(max(id), 1) FROM cases))"
            )
        )
        for table in ("cases", "parties", "audit_events", "regions", "users", "case_counters"):
            conn.execute(sa.text(f"VACUUM (ANALYZE) {table}"))


def drop_everything(engine) -> None:
    """Empty the bench database completely (schema included)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)


def generate(count: int, grids: int, seed: int, status: str | None = None) -> None:
    """Seed the city and load count cases, printing progress and rows per second."""
    started = time.perf_counter()
    seed_demo(with_cases=False)
    created = grow_tree(grids)
    demo = db.session.scalar(sa.select(User).where(User.username == "mediator_demo"))
    created += ensure_staff(demo.password_hash)
    city = grids_for_cases()
    print(
        f"city: {len(city)} grids, {created} new regions/committees/courts/users "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if count <= 0:
        return
    now = datetime.now(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    counters = {
        (row.committee_id, row.year): row.last for row in db.session.scalars(sa.select(CaseCounter))
    }
    first_id = (db.session.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1
    factory = CaseFactory(rng, city, counters, now, status)
    moments = intake_moments(rng, count, now)
    db.session.commit()
    writer_class = PostgresWriter if is_postgres(str(db.engine.url)) else CoreWriter
    writer = writer_class(db.engine, defer_indexes=count >= DEFER_INDEXES_FROM)
    load_started = time.perf_counter()
    made_seconds = 0.0
    report_every = max(BATCH, count // 10)
    try:
        for start in range(0, count, BATCH):
            tick = time.perf_counter()
            rows = factory.batch(
                first_id + start, moments[start : start + BATCH], writer.json_payload
            )
            made_seconds += time.perf_counter() - tick
            writer.write(*rows)
            done = min(start + BATCH, count)
            if done % report_every < BATCH or done == count:
                elapsed = time.perf_counter() - load_started
                print(f"  {done:>9} cases  {done / elapsed:>8.0f} cases/s", flush=True)
    finally:
        writer.close()
    save_counters(counters)
    loaded = time.perf_counter() - load_started
    rows = count * 4
    print(
        f"loaded {count} cases, {2 * count} parties, {count} audit events ({rows} rows) "
        f"in {loaded:.1f} s: {count / loaded:.0f} cases/s, {rows / loaded:.0f} rows/s "
        f"({made_seconds:.1f} s of it making rows in Python; index rebuild included)",
        flush=True,
    )
    if is_postgres(str(db.engine.url)):
        tick = time.perf_counter()
        finish_postgres(db.engine)
        print(f"VACUUM ANALYZE in {time.perf_counter() - tick:.1f} s", flush=True)
    total = db.session.scalar(sa.select(sa.func.count(Case.id)))
    print(f"the database now holds {total} cases; total {time.perf_counter() - started:.1f} s")


def main(argv=None) -> None:
    """Parse the command line, build the schema, generate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases to add (default 10000)")
    parser.add_argument(
        "--grids", type=int, default=2000, help="grow the city to this many grids (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--fresh", action="store_true", help="drop everything in the bench database first"
    )
    parser.add_argument(
        "--status",
        choices=sorted(set(RECENT_MIX) | set(OLD_MIX)),
        help="put every case in this state (e.g. intake, for bench.transitions)",
    )
    add_url_argument(parser)
    args = parser.parse_args(argv)
    url = bench_url(args.database_url)
    ensure_database(url)
    app = make_app(url)
    with app.app_context():
        if args.fresh:
            drop_everything(db.engine)
        upgrade()
        generate(args.cases, args.grids, args.seed, args.status)


if __name__ == "__main__":
    main()
