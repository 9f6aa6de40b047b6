"""Jurisdiction: each user sees the region tree of her own unit and nothing else."""

import sqlalchemy as sa

from mediation.access.scoping import (
    can_see_region,
    case_clause,
    one_case_clause,
    one_case_scope,
    region_by_code,
    region_tree,
    within_unit,
)
from mediation.extensions import db
from mediation.models import Case, Region, User
from tests.factories import (
    GRID,
    OTHER_COMMUNITY_GRID,
    OTHER_DISTRICT_GRID,
    STREET,
    gen_case,
    gen_user,
    unit,
    user,
)

LEVELS = {"city", "district", "street", "community", "grid"}
WUCHANG = "420106"


def tree_of(client, headers) -> list[dict]:
    """GET /api/v1/regions as this caller."""
    response = client.get("/api/v1/regions", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def walk(nodes: list[dict]):
    """Every node of a tree, depth first."""
    for node in nodes:
        yield node
        yield from walk(node["children"])


def codes(nodes: list[dict]) -> set[str]:
    """The codes of every node in the tree."""
    return {node["code"] for node in walk(nodes)}


def test_mediator_of_another_district_does_not_see_dazhi_street(client, token):
    """mediator_other (积玉桥社区, 武昌区) sees neither 大智街道 nor anything below it."""
    seen = codes(tree_of(client, token("mediator_other")))
    assert STREET not in seen
    assert not any(code.startswith(STREET) for code in seen)
    assert not any(code.startswith("420102") for code in seen)
    assert "420106001001" in seen


def test_mediator_sees_her_community_and_its_grids_only(client, token):
    """mediator_demo's committee sits in 工农兵社区: the tree is that community and three grids."""
    tree = tree_of(client, token("mediator_demo"))
    assert [(n["code"], n["name"], n["level"]) for n in tree] == [
        ("420102002001", "工农兵社区", "community")
    ]
    grids = tree[0]["children"]
    assert [g["code"] for g in grids] == [f"420102002001{n:02d}" for n in (1, 2, 3)]
    assert {g["level"] for g in grids} == {"grid"}
    assert all(g["children"] == [] for g in grids)


def test_grid_worker_sees_her_grid_only(client, token):
    """grid_demo works 工农兵社区第1网格 and sees just that node."""
    tree = tree_of(client, token("grid_demo"))
    assert tree == [
        {"code": "42010200200101", "name": "工农兵社区第1网格", "level": "grid", "children": []}
    ]


def test_street_officer_sees_her_street_with_communities_and_grids(client, token):
    """street_demo sees 大智街道, its two communities and their six grids."""
    tree = tree_of(client, token("street_demo"))
    assert [(n["code"], n["name"], n["level"]) for n in tree] == [(STREET, "大智街道", "street")]
    communities = tree[0]["children"]
    assert [c["code"] for c in communities] == ["420102002001", "420102002002"]
    assert {c["level"] for c in communities} == {"community"}
    assert all(len(c["children"]) == 3 for c in communities)
    assert len(codes(tree)) == 1 + 2 + 6
    assert "420102003" not in codes(tree)


def test_judge_sees_the_district_her_court_serves(client, token):
    """judge_demo's court serves 江岸区: she sees its whole subtree and nothing of 武昌区."""
    tree = tree_of(client, token("judge_demo"))
    assert [(n["code"], n["level"]) for n in tree] == [("420102", "district")]
    seen = codes(tree)
    assert {"420102002", "420102003", "42010200300203"} <= seen
    assert WUCHANG not in seen
    assert not any(code.startswith(WUCHANG) for code in seen)
    assert "420100" not in seen
    assert len(seen) == 1 + 2 + 4 + 12


def test_city_admin_sees_the_whole_city(client, token):
    """admin_demo sees 武汉市 with every level, each node exactly {code, name, level, children}."""
    tree = tree_of(client, token("admin_demo"))
    assert [(n["code"], n["name"], n["level"]) for n in tree] == [("420100", "武汉市", "city")]
    nodes = list(walk(tree))
    assert {n["level"] for n in nodes} == LEVELS
    assert all(set(n) == {"code", "name", "level", "children"} for n in nodes)
    assert len(nodes) == db.session.scalar(sa.select(sa.func.count(Region.id)))
    districts = [(d["code"], d["name"]) for d in tree[0]["children"]]
    assert districts == [("420102", "江岸区"), (WUCHANG, "武昌区")]


def test_children_sit_one_level_below_their_parent(client, token):
    """Every edge of the tree goes exactly one level down."""
    order = ["city", "district", "street", "community", "grid"]
    for node in walk(tree_of(client, token("admin_demo"))):
        for child in node["children"]:
            assert order.index(child["level"]) == order.index(node["level"]) + 1


def test_can_see_region_follows_the_unit(app):
    """can_see_region: inside the user's subtree yes, a neighbour or the parent no."""
    street = user("street_demo")
    assert can_see_region(street, unit("region", STREET))
    assert can_see_region(street, unit("region", "42010200200203"))
    assert not can_see_region(street, unit("region", "420102003"))
    assert not can_see_region(street, unit("region", "420102"))
    mediator = user("mediator_demo")
    assert can_see_region(mediator, unit("region", "42010200200103"))
    assert not can_see_region(mediator, unit("region", "420102002002"))
    assert not can_see_region(mediator, unit("region", STREET))


def test_can_see_region_for_judge_and_admin(app):
    """A judge sees the districts her court serves; the city admin sees everything."""
    judge = user("judge_demo")
    assert can_see_region(judge, unit("region", "420102003001"))
    assert not can_see_region(judge, unit("region", "420106001"))
    admin = user("admin_demo")
    everything = db.session.scalars(sa.select(Region)).all()
    assert all(can_see_region(admin, r) for r in everything)


def test_region_by_code_hides_what_is_out_of_scope(app):
    """region_by_code returns visible regions and None for others, as for unknown codes."""
    other = user("mediator_other")
    assert region_by_code(other, "42010600100102").name == "积玉桥社区第2网格"
    assert region_by_code(other, STREET) is None
    assert region_by_code(other, "420102002001") is None
    assert region_by_code(other, "999999") is None
    assert region_by_code(user("admin_demo"), STREET).name == "大智街道"


def test_user_without_a_unit_sees_nothing(app):
    """A judge whose court is unset has an empty jurisdiction, not the whole city."""
    judge = user("judge_demo")
    judge.court = None
    db.session.flush()
    assert region_tree(judge) == []
    assert not can_see_region(judge, unit("region", "420102"))
    assert region_by_code(judge, "420102") is None


def test_a_unit_reaches_in_sql_the_regions_it_sees(app):
    """within_unit, read by the statement itself (a mediator named in an accept), reaches
    exactly the regions can_see_region allows, for every user of a committee or a region and
    every region; a user of neither reaches nothing."""
    gen_user("nobody_demo", "grid_worker")
    pairs = set(
        db.session.execute(
            sa.select(User.username, Region.code)
            .join(Region, sa.true())
            .where(within_unit(Region.id, User.committee_id, User.region_id))
        )
    )
    regions = db.session.scalars(sa.select(Region)).all()
    staff = db.session.scalars(sa.select(User).where(User.role != "judge")).all()
    expected = {(u.username, r.code) for u in staff for r in regions if can_see_region(u, r)}
    assert pairs == expected
    assert ("mediator_demo", GRID) in pairs and ("mediator_demo", STREET) not in pairs
    assert not any(name == "nobody_demo" for name, _code in pairs)


def test_one_case_clause_finds_the_cases_of_the_list(app):
    """The clause that reads one case checks the same jurisdiction as the lists' case_clause,
    for every demo user (a judge: the cases sent to her court) and a user without a unit."""
    gen_case(status="confirmation_requested")
    gen_case("street_demo", grid=OTHER_COMMUNITY_GRID)
    gen_case("mediator_other", grid=OTHER_DISTRICT_GRID)
    gen_user("nobody_demo", "street_officer")

    def found(clause, params=None) -> set[int]:
        return set(db.session.scalars(sa.select(Case.id).where(clause), params))

    seen = {}
    for someone in db.session.scalars(sa.select(User)).all():
        kind, params = one_case_scope(someone)
        seen[someone.username] = found(one_case_clause(kind), params)
        assert seen[someone.username] == found(case_clause(someone)), someone.username
    assert len(seen["admin_demo"]) == 3 and len(seen["street_demo"]) == 2
    assert len(seen["judge_demo"]) == len(seen["mediator_other"]) == 1
    assert seen["nobody_demo"] == set()
