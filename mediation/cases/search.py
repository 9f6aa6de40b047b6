"""Free-text search of the case list: a case number, a title, a party's name or a phone's tail.

A case matches when the text occurs literally (`%`, `_` and `\\` are plain characters) in its
number or title or in one of its parties' names, or, for four to eleven ASCII digits, when one
of its parties' phones ends with them (a 手机尾号). The same rule has two forms:

- everywhere, a plain one: `LIKE` on each column and, case by case, on its parties' names
  (through their case_id index). It checks the cases the list walks, in the list's order:
  quick when many cases match (a common word: the first page is among the first few hundred
  cases), slow when few do (≈ 1 s at a million cases to find none; bench/README.md);
- on PostgreSQL, for two characters or more, an indexed one: a UNION of case ids, each branch
  first narrowed by a GIN index on the column's bigrams (`bigrams()`, migration 5e1d2c3b4a69)
  or, for a phone's tail, a btree on the reversed phone, then checked with the same `LIKE`.
  Every bigram of the text is a bigram of a column containing it, so the index only narrows
  and the `LIKE` decides: both forms find the same cases. Chinese names are two characters,
  too short for pg_trgm's trigrams; pg_bigm is not packaged with Debian's PostgreSQL.

One character has no bigram and keeps the plain form. Within a user's few regions (a
street's, a committee's: `search_clause`'s regions), the plain form checks regions of few
cases, and the indexed one reads the matches of larger regions only, each branch narrowed
by the regions' grids too (parties carry their case's grid for it); in a jurisdiction of
many regions, a text common in the city is read in the user's tree the same way.
"""

import functools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import ARRAY

from mediation.cases import paging
from mediation.database import id_array
from mediation.extensions import db
from mediation.models import Case, Party, Region

PHONE_TAIL = re.compile(r"[0-9]{4,11}")
FEW_IDS = 5_000
# Bigrams of nearly every case number (（2026）大智里人调字第1477号) or title (…纠纷): their
# posting lists hold about every case, and reading them took a whole number's search to 85 ms
# at 1M cases. The index is asked for the text's other bigrams; the LIKE still checks all.
COMMON_BIGRAMS = frozenset({"（2", "20", "02", "人调", "调字", "字第", "纠纷"})
# Texts whose probe found more than FEW_IDS matches, remembered by each process (at most
# this many, the least recently searched forgotten first): searched again, they are not
# probed (search_clause). A case is never deleted, so a common text stays common; were one
# to become rare, every form would still find the same cases.
COMMON_TEXTS_KEPT = 1_000
# Regions that hold at most this many cases (a committee's, a mediator's) are searched case
# by case with the plain form: some 8 µs a case, less than the bitmap of a common bigram's
# index entries (武汉 in titles: 12–20 ms), whatever the text.
FEW_CASES = 2_000


@dataclass(frozen=True)
class Reach:
    """Where a user's search may find cases, as its reads are narrowed: the ids of her few
    regions (scoping.few_region_ids), or the path of the one region at the top of her many,
    or every region (she sees them all). None of them (a judge sees her court's cases,
    wherever they lie) leaves the narrowing to the list's scope."""

    regions: list[int] | None = None
    tree: str | None = None
    everywhere: bool = False


@dataclass(frozen=True)
class Match:
    """A search as a condition on `cases`. `few`: the matching cases are known to be at most
    FEW_IDS (COUNT_CAP, read in the user's regions), so the list may count them all,
    exactly, with its page (paging.counted_page). `many`: more than paging.COUNT_CAP of them
    lie in the user's regions, so a list that nothing else narrows says "N+" and walks its
    order for its page."""

    clause: sa.ColumnElement
    few: bool = False
    many: bool = False


def search_clause(q: str, dialect: str, reach: Reach = Reach()) -> Match:
    """The cases matching q (see the module docstring), within the user's reach (Reach).

    Regions holding at most FEW_CASES cases are checked case by case. In more regions, on
    PostgreSQL, the matches in them are read first, each branch narrowed by
    its bigram index and by the regions' grids at once (ix_cases_grid_status, and
    ix_parties_grid_id for the parties), up to paging.COUNT_CAP + 1: fewer, and they are all
    of them (few); more distinct cases than the cap, and they are many. A street's search for
    a text common elsewhere (积玉, in 26 436 case numbers of another district) took 310 ms to
    check its 29 706 cases one by one and finds none in 8 ms so. Only when the cap was
    reached by a case read twice (for its title and a party's name) does the search go on
    to the city's probe, then the plain form.

    On PostgreSQL the matching ids are read first, city-wide, and given to the list as an
    array when there are at most FEW_IDS: PostgreSQL cannot tell how few rows a LIKE keeps
    and, taking them for one, joined a street's regions once per match (300 ms at 1M); an
    array's length it knows. More matches than that (a common word: 武汉 in 161 098 names
    of organisations) are checked case by case with the plain form, which finds a page
    among the first few hundred cases the list walks (an admin's first page: 1.6 s with the
    matches as a subquery, 60 ms so). A text found common is not probed again by the process
    (common_texts). Those many matches are then read in her tree as in few regions, its
    grids as a subquery (an admin's 积玉, 26 436 numbers: 94 ms checked case by case, 33 ms
    so); for a user who sees everything, the probe's own ids tell whether they are many.
    """
    if dialect != "postgresql" or len(q) < 2:
        return Match(_plain_match(q))
    grams = sorted({q[i : i + 2] for i in range(len(q) - 1)} - COMMON_BIGRAMS)
    shape = (bool(grams), bool(PHONE_TAIL.fullmatch(q)))
    values = {"grams": grams, "pattern": f"%{_escaped(q)}%", "tail": q[::-1] + "%"}
    if reach.regions is not None:
        text = ",".join(str(int(region)) for region in reach.regions)
        held = db.session.scalar(_cases_in_regions(), {"regions": text, "limit": FEW_CASES + 1})
        if held <= FEW_CASES:
            return Match(_plain_match(q))
        within = _read_within(q, shape, "ids", {**values, "regions": text})
        if within is not None:
            return within
    probed = None
    if not common_texts.known(q):
        probed = db.session.scalars(_first_ids(*shape, FEW_IDS + 1), values).all()
        if len(probed) <= FEW_IDS:
            return _few(probed)
        common_texts.add(q)
    if reach.everywhere and probed is not None:
        # The read below would read the probe's first ids again.
        return Match(_plain_match(q), many=len(set(probed)) > paging.COUNT_CAP)
    if reach.everywhere:
        within = _read_within(q, shape, None, values)
    elif reach.tree is not None:
        within = _read_within(q, shape, "tree", {**values, "tree": f"{_escaped(reach.tree)}%"})
    else:
        within = None
    return within or Match(_plain_match(q))


def _read_within(q: str, shape: tuple, within: str | None, values: dict) -> Match | None:
    """The matches in the user's regions (`within`: "ids", "tree" or None, everywhere, as
    _branches takes them), read up to paging.COUNT_CAP + 1 ids: all of them (few) when fewer
    come, many when more distinct cases do; None when a case read twice filled the read."""
    limit = paging.COUNT_CAP + 1
    found = db.session.scalars(_first_ids(*shape, limit, within), values).all()
    if len(found) < limit:
        return _few(found)
    if len(set(found)) >= limit:
        return Match(_plain_match(q), many=True)
    return None


def _regions_array():
    """PostgreSQL: the `regions` parameter (ids as one text, as database.id_array sends
    them) as an integer[]: planned for its value, a constant."""
    listed = sa.func.string_to_array(sa.bindparam("regions", type_=sa.Text), ",")
    return sa.cast(listed, ARRAY(sa.Integer))


@functools.cache
def _cases_in_regions():
    """PostgreSQL: how many cases lie in the grids of `regions`, counted up to `limit`."""
    held = sa.select(Case.id).where(Case.grid_id == sa.any_(_regions_array()))
    return sa.select(sa.func.count()).select_from(
        held.limit(sa.bindparam("limit", type_=sa.Integer)).subquery()
    )


def _few(found: list[int]) -> Match:
    """The cases of the ids a probe found, all the matches there are."""
    return Match(Case.id == sa.any_(id_array(sorted(set(found)))), few=True)


class CommonTexts:
    """The texts a probe found common (more than FEW_IDS matches), the most recently searched
    `kept`: a common word's probe reads FEW_IDS + 1 candidates of its bigram index (武汉:
    25 ms at 1M cases) only to learn again that it is common. Shared by a process's threads."""

    def __init__(self, kept: int):
        self.kept = kept
        self._texts: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def known(self, text: str) -> bool:
        """Whether text was found common; if so, it becomes the most recently searched."""
        with self._lock:
            if text not in self._texts:
                return False
            self._texts.move_to_end(text)
            return True

    def add(self, text: str) -> None:
        """Remember text as common, forgetting the least recently searched beyond `kept`."""
        with self._lock:
            self._texts[text] = None
            self._texts.move_to_end(text)
            while len(self._texts) > self.kept:
                self._texts.popitem(last=False)

    def forget(self) -> None:
        """Forget every text (a database emptied, as between tests)."""
        with self._lock:
            self._texts.clear()


common_texts = CommonTexts(COMMON_TEXTS_KEPT)


def _escaped(text: str) -> str:
    """text for a LIKE pattern whose escape character is `/`: `%`, `_` and `/` literal."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _plain_match(q: str):
    """The rule as LIKE on the case and, through a LIMIT 1 subquery, on its parties: for any
    database and any length."""
    party_match = Party.name.contains(q, autoescape=True)
    if PHONE_TAIL.fullmatch(q):
        party_match = sa.or_(party_match, Party.phone.endswith(q, autoescape=True))
    # A party found is looked for case by case, through the parties' case_id index, as the
    # list walks its cases: a scalar subquery with a LIMIT, because PostgreSQL turns an
    # EXISTS into a hash of every matching party first (a common word's 161 098: 831 ms for
    # an admin's first page of 武汉, against 0.75 ms).
    one_party = sa.select(sa.literal(1)).where(Party.case_id == Case.id, party_match).limit(1)
    return sa.or_(
        Case.number.contains(q, autoescape=True),
        Case.title.contains(q, autoescape=True),
        one_party.scalar_subquery().is_not(None),
    )


def _narrowed(column, narrowed: bool):
    """PostgreSQL: the column contains the text (the `pattern` parameter), narrowed first by
    the GIN index on its bigrams when the text has bigrams beyond the common ones (`grams`)."""
    contains = column.like(sa.bindparam("pattern", type_=sa.Text), escape="/")
    if not narrowed:
        return contains
    grams = sa.bindparam("grams", type_=ARRAY(sa.Text))
    return sa.and_(sa.func.bigrams(column).op("@>")(grams), contains)


@functools.cache
def _branches(narrowed: bool, phone_tail: bool, within: str | None):
    """PostgreSQL: the ids of the matching cases, one indexed branch per column, the text in
    parameters (grams, pattern, tail), and only on some grids: within "ids", those of
    `regions` (the regions' ids as one text, database.id_array's way: planned for its value,
    the array is a constant); within "tree", those whose path matches the pattern `tree`.
    One statement per shape, built once: building it for every search took 5 ms of a 60 ms
    page."""
    # Aliases, so that the branches do not correlate with the outer `cases` of the list.
    number_case, title_case = so.aliased(Case), so.aliased(Case)
    branches = [
        (number_case.id, number_case.grid_id, _narrowed(number_case.number, narrowed)),
        (title_case.id, title_case.grid_id, _narrowed(title_case.title, narrowed)),
        (Party.case_id, Party.grid_id, _narrowed(Party.name, narrowed)),
    ]
    if phone_tail:
        # Digits only: nothing to escape. The reversed tail is a prefix of the reversed phone,
        # which ix_parties_phone_reversed (text_pattern_ops) serves in any collation.
        tail = sa.bindparam("tail", type_=sa.Text)
        branches.append((Party.case_id, Party.grid_id, sa.func.reverse(Party.phone).like(tail)))
    if within is None:
        return [sa.select(case_id).where(found) for case_id, _grid, found in branches]
    if within == "ids":
        return [
            sa.select(case_id).where(found, grid == sa.any_(_regions_array()))
            for case_id, grid, found in branches
        ]
    tree = sa.bindparam("tree", type_=sa.Text)
    grids = sa.select(Region.id).where(Region.path.like(tree, escape="/"))
    return [sa.select(case_id).where(found, grid.in_(grids)) for case_id, grid, found in branches]


@functools.cache
def _first_ids(narrowed: bool, phone_tail: bool, limit: int, within: str | None = None):
    """The first `limit` ids the branches find, a case once for each branch and party that
    matches (UNION ALL: it stops at the limit; a UNION read all of a common word's 161 098
    matches first, 500 ms, to learn that they are many)."""
    return sa.union_all(*_branches(narrowed, phone_tail, within)).limit(limit)
