"""The demo city (武汉市, two districts, four streets) and the demo users; idempotent."""

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Committee, Court, Region, User

DEMO_PASSWORD = "Demo@2026"

# (code, name, children) down to communities; each community gets three grids.
CITY = (
    "420100",
    "武汉市",
    [
        (
            "420102",
            "江岸区",
            [
                ("420102002", "大智街道", [("001", "工农兵社区"), ("002", "天声街社区")]),
                ("420102003", "一元街道", [("001", "一元社区"), ("002", "天津路社区")]),
            ],
        ),
        (
            "420106",
            "武昌区",
            [
                ("420106001", "积玉桥街道", [("001", "积玉桥社区"), ("002", "和平社区")]),
                ("420106002", "杨园街道", [("001", "杨园社区"), ("002", "四美塘社区")]),
            ],
        ),
    ],
)
GRIDS_PER_COMMUNITY = 3

COURTS = (
    ("420102-court", "武汉市江岸区人民法院", "鄂0102", ["420102"]),
    ("420106-court", "武汉市武昌区人民法院", "鄂0106", ["420106"]),
)

# username, display name, role, unit kind, unit code
USERS = (
    ("grid_demo", "王网格", "grid_worker", "region", "42010200200101"),
    ("mediator_demo", "李调解", "mediator", "committee", "420102002001-tw"),
    ("street_demo", "张街道", "street_officer", "region", "420102002"),
    ("judge_demo", "陈法官", "judge", "court", "420102-court"),
    ("admin_demo", "刘管理", "admin", "region", "420100"),
    ("mediator_other", "赵调解", "mediator", "committee", "420106001001-tw"),
)


class Seeder:
    """Get-or-create helpers that count what they create."""

    def __init__(self):
        self.created = 0

    def one(self, model, code: str, **fields):
        """The row with this code, created with these fields when missing."""
        row = db.session.scalar(sa.select(model).where(model.code == code))
        if row is None:
            row = model(code=code, **fields)
            db.session.add(row)
            db.session.flush()
            self.created += 1
        return row

    def region(self, code: str, name: str, level: str, parent: Region | None) -> Region:
        """A region node below parent."""
        path = (parent.path if parent else "/") + code + "/"
        return self.one(Region, code, name=name, level=level, parent=parent, path=path)

    def committee(self, region: Region) -> Committee:
        """The people's mediation committee of a community or street."""
        return self.one(
            Committee,
            f"{region.code}-tw",
            name=f"{region.name}人民调解委员会",
            short_name=region.name.removesuffix("社区"),
            region=region,
        )


def seed_regions(seeder: Seeder) -> None:
    """Build the region tree with a committee per community and per street."""
    city_code, city_name, districts = CITY
    city = seeder.region(city_code, city_name, "city", None)
    for district_code, district_name, streets in districts:
        district = seeder.region(district_code, district_name, "district", city)
        for street_code, street_name, communities in streets:
            street = seeder.region(street_code, street_name, "street", district)
            seeder.committee(street)
            for suffix, community_name in communities:
                community = seeder.region(street_code + suffix, community_name, "community", street)
                seeder.committee(community)
                for n in range(1, GRIDS_PER_COMMUNITY + 1):
                    seeder.region(
                        f"{community.code}{n:02d}", f"{community_name}第{n}网格", "grid", community
                    )


def seed_courts(seeder: Seeder) -> None:
    """The basic courts and the districts they serve."""
    for code, name, short_name, served in COURTS:
        court = seeder.one(Court, code, name=name, short_name=short_name)
        if not court.regions:
            court.regions = list(
                db.session.scalars(sa.select(Region).where(Region.code.in_(served)))
            )


def seed_users(seeder: Seeder) -> None:
    """The demo logins, all with DEMO_PASSWORD."""
    units = {"region": Region, "committee": Committee, "court": Court}
    for username, display_name, role, kind, unit_code in USERS:
        if db.session.scalar(sa.select(User).where(User.username == username)):
            continue
        unit = db.session.scalar(sa.select(units[kind]).where(units[kind].code == unit_code))
        user = User(username=username, display_name=display_name, role=role, **{kind: unit})
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        seeder.created += 1


def has_users() -> bool:
    """True once any account exists (the database is in use)."""
    return db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def seed_demo(with_cases: bool = False, count: int = 300, progress=None) -> int:
    """Create whatever part of the demo data is missing; returns how many rows it added.

    progress(done, count) is told of each demo case created.
    """
    seeder = Seeder()
    seed_regions(seeder)
    seed_courts(seeder)
    seed_users(seeder)
    db.session.commit()
    if with_cases:
        from mediation.demo.cases import seed_cases

        seeder.created += seed_cases(count=count, progress=progress)
    return seeder.created
