"""The case list's free-text search finds exactly what a plain scan finds, literally, in scope.

The plain scan is Python over every case the user may see: the text in the number, the
title or a party's name, or four to eleven digits ending a party's phone. On PostgreSQL the
list answers two characters or more through the bigram and reversed-phone indexes
(mediation.cases.search); one character and SQLite take the LIKE path. Run on both.
"""

import json
import random

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation.access.scoping import case_clause
from mediation.cases import paging, queries, search
from mediation.cases.queries import CaseFilters, list_cases
from mediation.database import id_array
from mediation.extensions import db
from mediation.models import Case
from tests.database import ON_POSTGRES
from tests.factories import (
    GRID,
    NEIGHBOUR_GRID,
    OTHER_COMMUNITY_GRID,
    OTHER_DISTRICT_GRID,
    USERNAMES,
    gen_case,
    person,
    user,
)

# What a search sends to PostgreSQL's indexes alone (SQLite checks case by case).
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
# The ways the search reads a user's matches (mediation.cases.search), each by the settings
# that choose it in this city, whose users see few regions of few cases each: her regions'
# cases checked one by one; her regions' matches read through the indexes (regions of more
# than FEW_CASES cases); her tree's (too many regions to name, more than FEW_IDS matches in
# the city). A judge, who sees her court's cases, is probed and then checked case by case.
WAYS = {
    "checked case by case": {},
    "read in her regions": {search: {"FEW_CASES": 0}},
    "read in her tree": {search: {"FEW_IDS": 0}, queries: {"FEW_REGIONS": 0}},
}
INDEXED_WAYS = ["read in her regions", "read in her tree"]


def search_the_way(monkeypatch, way: str) -> None:
    """Set what makes the search read a user's matches `way` (WAYS)."""
    for module, values in WAYS[way].items():
        for name, value in values.items():
            monkeypatch.setattr(module, name, value)


# Few characters, so that names, titles and numbers share bigrams and contain each other;
# the LIKE wildcards, the escape character the search writes (`/`) and a backslash among them.
LETTERS = "张伟明王芳%_/\\"
DIGITS = "0123456789"
# Who registers on each grid (each may intake there).
CLERKS = {
    GRID: "grid_demo",
    NEIGHBOUR_GRID: "mediator_demo",
    OTHER_COMMUNITY_GRID: "street_demo",
    OTHER_DISTRICT_GRID: "mediator_other",
}


def word(rng: random.Random, low: int, high: int) -> str:
    """A random string of LETTERS."""
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(low, high)))


def phone(rng: random.Random) -> str:
    """A random valid mobile; its last digits often repeat another's."""
    return "139" + "".join(rng.choice("0123") for _ in range(8))


@pytest.fixture
def corpus() -> list[str]:
    """Eighteen cases over four grids (two streets, two districts) with random titles, party
    names and phones; returns the texts a user might search for (names, titles, numbers,
    phones)."""
    rng = random.Random(11)
    texts = []
    for n in range(18):
        grid = list(CLERKS)[n % len(CLERKS)]
        parties = [
            person("applicant", word(rng, 1, 4), phone=phone(rng)),
            person("respondent", word(rng, 2, 4), "female", phone=phone(rng)),
        ]
        case = gen_case(
            CLERKS[grid], "intake", grid, title=word(rng, 2, 8) + "纠纷", parties=parties
        )
        texts += [
            case.number,
            case.title,
            *(p["name"] for p in parties),
            *(p["phone"] for p in parties),
        ]
    db.session.commit()
    return texts


def found(username: str, q: str) -> set[int]:
    """The ids the list finds for q, every page of it."""
    page = list_cases(user(username), CaseFilters(q=q), 1, 100)
    assert page.total_exact and page.next_cursor is None
    assert page.total == len(page.items)
    return {case.id for case in page.items}


def scanned(username: str, q: str) -> set[int]:
    """The ids a plain scan finds: Python over every case the user may see."""
    visible = db.session.scalars(
        sa.select(Case).where(case_clause(user(username))).options(so.selectinload(Case.parties))
    ).all()

    def matches(case: Case) -> bool:
        texts = [case.number, case.title, *(party.name for party in case.parties)]
        tail = q.isascii() and q.isdigit() and 4 <= len(q) <= 11
        phones = [party.phone or "" for party in case.parties] if tail else []
        return any(q in text for text in texts) or any(p.endswith(q) for p in phones)

    return {case.id for case in visible if matches(case)}


def pieces(text: str):
    """Any substring of text, and any tail of it."""
    return st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).map(
        lambda bounds: text[bounds[0] : max(bounds[0] + 1, bounds[1])]
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
@pytest.mark.parametrize(
    "way",
    [
        "checked case by case",
        *(pytest.param(way, marks=postgres_only) for way in INDEXED_WAYS),
    ],
)
def test_search_finds_what_a_plain_scan_finds(corpus, data, way, monkeypatch):
    """For substrings of real names, titles, numbers and phones, and random text with `%`, `_`
    and `\\`, every user finds exactly the cases of her jurisdiction a scan finds, whichever
    way the search reads them (WAYS)."""
    search_the_way(monkeypatch, way)
    q = data.draw(
        st.one_of(
            st.sampled_from(corpus).flatmap(pieces),
            st.text(LETTERS + DIGITS, min_size=1, max_size=5),
        ),
        label="q",
    )
    username = data.draw(st.sampled_from(USERNAMES), label="user")
    assert found(username, q) == scanned(username, q)


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
def test_past_few_matches_the_search_checks_case_by_case(corpus, monkeypatch):
    """With more matches than FEW_IDS (here none are few) the list checks each case it walks
    with the plain form: it still finds what the scan finds."""
    monkeypatch.setattr(search, "FEW_IDS", 0)
    rng = random.Random(5)
    for text in rng.sample(corpus, 40):
        start = rng.randrange(len(text))
        q = text[start : start + rng.randint(2, 4)]
        for username in USERNAMES:
            assert found(username, q) == scanned(username, q), (username, q)


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
def test_a_text_found_common_is_not_probed_again(corpus, monkeypatch):
    """A text whose probe of the city found more than FEW_IDS matches is not probed again
    when searched by a user who sees too many regions to name them (here: any), or a
    court's cases, and still finds what the scan finds; another text is probed as before."""
    monkeypatch.setattr(search, "FEW_IDS", 0)
    monkeypatch.setattr(queries, "FEW_REGIONS", 0)
    probes = []
    first_ids = search._first_ids

    def noted(narrowed, phone_tail, limit, within=None):
        # The probe of the city: FEW_IDS + 1 ids, no regions (the reads take COUNT_CAP + 1).
        probes.append(limit == search.FEW_IDS + 1 and within is None)
        return first_ids(narrowed, phone_tail, limit, within)

    monkeypatch.setattr(search, "_first_ids", noted)
    titles = corpus[1::6]  # each case's number, title, two names, two phones
    common, other = titles[0][:2], titles[1][:2]
    assert common != other
    rounds = []
    for username in ("street_demo", "admin_demo", "judge_demo"):
        probes.clear()
        rounds.append((found(username, common) == scanned(username, common), any(probes)))
    assert rounds == [(True, True), (True, False), (True, False)]
    probes.clear()
    assert found("admin_demo", other) == scanned("admin_demo", other)
    assert any(probes)


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
@pytest.mark.parametrize("username", ["street_demo", "admin_demo"])
@pytest.mark.parametrize("way", list(WAYS))
def test_a_search_past_the_count_cap_says_what_it_counted(corpus, monkeypatch, way, username):
    """Checked case by case, a search's matches have no estimate worth showing (PostgreSQL
    takes nearly every case for one): past the cap the list says how many it counted, "N+";
    so it does when the matches in her regions or tree, read through the indexes, pass it."""
    monkeypatch.setattr(search, "FEW_IDS", 0)
    search_the_way(monkeypatch, way)
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    monkeypatch.setattr(paging, "_planner_estimate", lambda stmt: 1_019_756)
    page = list_cases(user(username), CaseFilters(q="纠纷"), 1, 100)
    assert len(page.items) > 3
    assert (page.total_exact, page.total, page.total_at_least) == (False, 3, 3)


@postgres_only
@pytest.mark.parametrize("way", INDEXED_WAYS)
@pytest.mark.parametrize(
    "narrowed",
    [{"status": "withdrawn"}, {"category": "medical"}, {"overdue": False}],
    ids=["status", "category", "not overdue"],
)
def test_many_matches_in_her_regions_are_counted_again_under_her_other_filters(
    corpus, monkeypatch, narrowed, way
):
    """More matches in her regions (or tree) than the cap, read through the indexes, say
    "many" only for the search alone: with another filter the list counts what remains,
    exactly."""
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    search_the_way(monkeypatch, way)
    officer = user("street_demo")
    assert not list_cases(officer, CaseFilters(q="纠纷"), 1, 100).total_exact
    page = list_cases(officer, CaseFilters(q="纠纷", **narrowed), 1, 100)
    assert page.total_exact and page.total == len(page.items) <= 2


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
@pytest.mark.parametrize("few_ids", [1, 2, 3])
def test_a_case_the_probe_reads_twice_counts_twice(monkeypatch, few_ids):
    """The probe reads up to FEW_IDS + 1 ids, a case once for its title and once for each
    party that matches: when that many come back the matches are many, however few cases
    they name, or the cases past the probe's limit would be lost."""
    monkeypatch.setattr(search, "FEW_IDS", few_ids)
    parrot = [person("applicant", "鹦鹉"), person("respondent", "王芳", "female")]
    twice = gen_case("grid_demo", "intake", GRID, title="鹦鹉学舌纠纷", parties=parrot)
    once = [gen_case("grid_demo", "intake", GRID, parties=parrot) for _ in range(3)]
    db.session.commit()
    assert found("street_demo", "鹦鹉") == {twice.id, *(case.id for case in once)}


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
@pytest.mark.parametrize("username", ["street_demo", "admin_demo"])
@pytest.mark.parametrize("way", INDEXED_WAYS)
@pytest.mark.parametrize("cap", [4, 5])
def test_a_case_read_twice_in_her_regions_does_not_make_the_matches_many(
    monkeypatch, cap, way, username
):
    """The search of a user's regions (or tree) reads up to COUNT_CAP + 1 ids, a case once
    for its title and once for each party that matches: when the cap is reached by no more
    cases than it, they are not "many" (the search goes on as without them), and the list
    counts them exactly."""
    monkeypatch.setattr(paging, "COUNT_CAP", cap)
    search_the_way(monkeypatch, way)
    parrot = [person("applicant", "鹦鹉"), person("respondent", "王芳", "female")]
    twice = gen_case("grid_demo", "intake", GRID, title="鹦鹉学舌纠纷", parties=parrot)
    once = [gen_case("grid_demo", "intake", GRID, parties=parrot) for _ in range(3)]
    db.session.commit()
    assert found(username, "鹦鹉") == {twice.id, *(case.id for case in once)}


@pytest.mark.skipif(not ON_POSTGRES, reason="the indexed search is PostgreSQL's")
def test_the_matching_ids_reach_the_plan_as_a_constant(corpus):
    """The ids go to PostgreSQL as one text, and the plan holds them as a constant array: a
    filter on a cast it must evaluate parsed the whole text again for every row."""
    stmt = sa.select(Case.id).where(Case.id == sa.any_(id_array([3, 1, 2])))
    plan = json.dumps(db.session.execute(paging._Explain(stmt)).scalar(), ensure_ascii=False)
    assert "'{3,1,2}'::integer[]" in plan and "cstring" not in plan


def test_search_is_literal_and_finds_phone_tails(corpus):
    """`%`, `_` and `/` (the escape character the search writes) match only themselves; a phone
    is found by its last four digits and not by its first ones; a name is found only in the
    jurisdiction."""
    gen_case(
        "grid_demo",
        "intake",
        GRID,
        title="百分号/斜杠纠纷",
        parties=[
            person("applicant", "周%明", phone="13800001234"),
            person("respondent", "吴_红", "female", phone="13911117788"),
        ],
    )
    db.session.commit()
    one = found("street_demo", "周%明")
    assert len(one) == 1
    assert found("street_demo", "周_明") == set()  # `_` is not "any character"
    assert found("street_demo", "%") >= one and found("street_demo", "吴_") == one
    assert found("street_demo", "周%") == one and found("street_demo", "周") == one
    assert found("street_demo", "号/斜") == one and found("street_demo", "号斜") == set()
    assert found("street_demo", "1234") == one and found("street_demo", "7788") == one
    assert found("street_demo", "1380") == set()  # the head of a phone is not its tail
    assert found("street_demo", "00001234") == one
    assert found("mediator_other", "周%明") == set()  # another district's
    assert found("judge_demo", "周%明") == set()  # not sent to her court


@pytest.mark.skipif(not ON_POSTGRES, reason="pending lists are PostgreSQL's GIN indexes'")
def test_the_search_indexes_of_cases_keep_short_pending_lists():
    """Every write of a case's row adds to its bigram indexes' pending lists, which every
    search reads whole: they are held to 64 kB (migration c4e8a2f6b913)."""
    names = ("ix_cases_number_bigram", "ix_cases_title_bigram")
    rows = db.session.execute(
        sa.text("SELECT relname, reloptions FROM pg_class WHERE relname IN :names").bindparams(
            sa.bindparam("names", expanding=True)
        ),
        {"names": list(names)},
    ).all()
    assert dict(rows) == {name: ["gin_pending_list_limit=64"] for name in names}
