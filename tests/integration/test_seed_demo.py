"""`flask seed-demo`: the demo city and its six users, loaded idempotently."""

import pytest
import sqlalchemy as sa

from mediation import cli
from mediation.demo import DEMO_PASSWORD
from mediation.extensions import db
from mediation.models import Case, Committee, Court, Party, Region, User
from tests.database import row_counts
from workflows import STATES

# username → (display name, role, unit kind, unit code), as mediation/demo.py describes them.
DEMO_USERS = {
    "grid_demo": ("王网格", "grid_worker", "region", "42010200200101"),
    "mediator_demo": ("李调解", "mediator", "committee", "420102002001-tw"),
    "street_demo": ("张街道", "street_officer", "region", "420102002"),
    "judge_demo": ("陈法官", "judge", "court", "420102-court"),
    "admin_demo": ("刘管理", "admin", "region", "420100"),
    "mediator_other": ("赵调解", "mediator", "committee", "420106001001-tw"),
}


def seed(runner, *options: str) -> str:
    """Run `flask seed-demo` with these options; its output."""
    result = runner.invoke(args=["seed-demo", *options])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def test_seed_demo_on_a_seeded_city_adds_nothing(runner):
    """On the seeded city and users, every table stays as it was and 0 rows are created."""
    before = row_counts()
    assert "新建 0 条记录" in seed(runner, "--no-cases")
    assert row_counts() == before


def test_seed_demo_reports_its_progress_through_the_cases(runner, monkeypatch):
    """The cases take a while (the 300 of `make run` seal some 220 agreements, over a minute):
    a line every 50 of them and at the last, so the command does not look stuck. Here a line
    every 5, for 12 cases."""
    assert cli.PROGRESS_EVERY == 50
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 5)
    output = seed(runner, "--count", "12")
    lines = output.splitlines()
    assert lines[0] == "正在载入演示城市和用户…"
    assert [line for line in lines if line.startswith("演示案件")] == [
        "演示案件 5/12",
        "演示案件 10/12",
        "演示案件 12/12",
    ]
    assert lines[-1].startswith("演示数据已就绪")


def test_seed_demo_run_again_adds_nothing(runner):
    """Once the demo data (cases included) is loaded, running the command again adds nothing."""
    seed(runner, "--count", "30")
    before = row_counts()
    assert "新建 0 条记录" in seed(runner)
    assert row_counts() == before


def test_demo_cases_reach_every_state_mostly_agreed_at_grid_level(runner):
    """Twenty demo cases are enough for one in every state; three in four of their agreements
    were reached at grid level, without the street (小事不出网格)."""
    seed(runner, "--count", "20")
    states = db.session.scalars(sa.select(Case.status).distinct())
    assert set(states) == {state.name for state in STATES}
    agreed = sa.select(Case.came_from).where(Case.effective_on.is_not(None))
    levels = db.session.scalars(agreed).all()
    assert levels.count("grid_mediation") >= 0.7 * len(levels)


def test_every_demo_party_carries_its_cases_grid(runner):
    """The search within a jurisdiction narrows parties by their own grid: each holds its
    case's, for cases of every grid the demo spreads them over."""
    seed(runner, "--count", "20")
    pairs = db.session.execute(sa.select(Party.grid_id, Case.grid_id).join(Party.case)).all()
    assert len({case for _party, case in pairs}) > 1
    assert all(party == case for party, case in pairs)


def test_seed_demo_if_empty_leaves_a_database_in_use_alone(runner):
    """--if-empty skips a database that already has users."""
    before = row_counts()
    assert "跳过演示数据" in seed(runner, "--if-empty")
    assert row_counts() == before


def test_demo_city_has_its_regions_committees_and_courts(app):
    """武汉市: 2 districts, 4 streets, 8 communities with 3 grids each; a committee per
    street and community; two courts, one per district."""
    levels = dict(
        db.session.execute(sa.select(Region.level, sa.func.count()).group_by(Region.level)).all()
    )
    assert levels == {"city": 1, "district": 2, "street": 4, "community": 8, "grid": 24}
    assert db.session.scalar(sa.select(sa.func.count(Committee.id))) == 12
    courts = db.session.scalars(sa.select(Court).order_by(Court.code)).all()
    assert [(c.code, [r.code for r in c.regions]) for c in courts] == [
        ("420102-court", ["420102"]),
        ("420106-court", ["420106"]),
    ]


def test_all_six_demo_users_exist(app):
    """Exactly the six demo users, and nobody else."""
    usernames = set(db.session.scalars(sa.select(User.username)))
    assert usernames == set(DEMO_USERS)


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_demo_user_has_her_role_and_unit(app, username):
    """Each demo user has the role, unit and password described in mediation/demo.py."""
    display_name, role, kind, code = DEMO_USERS[username]
    user = db.session.scalar(sa.select(User).where(User.username == username))
    assert user.display_name == display_name
    assert user.role == role
    assert user.active
    assert getattr(user, kind).code == code
    others = {"region", "committee", "court"} - {kind}
    assert all(getattr(user, other) is None for other in others)
    assert user.check_password(DEMO_PASSWORD)
