"""The benchmark city: the demo city grown to ~2 000 grids across Wuhan's thirteen districts.

Every street gets ten communities of five grids, each community with its committee; new
streets follow across Wuhan's other eleven districts, each district with its court. A case
needs its grid flattened once with its committee, mediator, judge and court (`Grid`).
"""

from dataclasses import dataclass

import sqlalchemy as sa

from mediation.demo import Seeder
from mediation.extensions import db
from mediation.models import Committee, Court, Region, User

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
    judge_id: int | None
    place: str


def grids_for_cases() -> list[Grid]:
    """Every grid with its community committee, that committee's mediator, its court and judge."""
    regions = {r.id: r for r in db.session.scalars(sa.select(Region))}
    committees = {c.region_id: c for c in db.session.scalars(sa.select(Committee))}
    mediators: dict[int, User] = {}
    for user in db.session.scalars(
        sa.select(User).where(User.role == "mediator", User.active.is_(True)).order_by(User.id)
    ):
        mediators.setdefault(user.committee_id, user)
    judges = dict(
        db.session.execute(
            sa.select(User.court_id, sa.func.min(User.id))
            .where(User.role == "judge", User.active.is_(True))
            .group_by(User.court_id)
        ).all()
    )
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
                judges.get(court.id) if court else None,
                street.name + community.name,
            )
        )
    return grids
