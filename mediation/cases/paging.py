"""Paging the case list by key, and counting it no further than is cheap.

At a million cases, `OFFSET 9980` walks ten thousand rows and an exact count of a city's
cases reads a million index entries (bench/README.md). So:

- a page reached by walking (下一页 / 上一页) starts after, or ends before, the sort key of
  the row the user saw last or first. The key travels in an opaque cursor; the next page
  is read from the index from that key on, whatever the depth, and a case added meanwhile
  neither shifts the page nor repeats a row. The first pages may still be asked for by
  number (`page`), as an OFFSET over a few rows;
- the count stops at COUNT_CAP + 1 rows. Beyond that the list shows PostgreSQL's own
  estimate of the rows ("约 N 件"), or "10 000+" where there is none (SQLite) or it is
  lower than what was counted.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.models import Case

COUNT_CAP = 1_000
AFTER, BEFORE = "a", "b"
BAD_CURSOR = "翻页位置无效，请从第一页重新浏览。"

# The key of each order (mediation.cases.queries.SORTS), unique per case: the columns, and
# whether each runs descending in the list.
KEYS = {
    "received": ((Case.created_at, True), (Case.id, True)),
    "deadline": ((Case.deadline_at, False), (Case.id, False)),
    "number": ((Case.committee_id, False), (Case.year, False), (Case.serial, False)),
}


@dataclass(frozen=True)
class Cursor:
    """Where a walked page starts: after (AFTER) or before (BEFORE) the key of a case."""

    sort: str
    direction: str
    key: tuple

    def encode(self) -> str:
        """The cursor as URL-safe text (opaque to users; checked when read back)."""
        key = [value.isoformat() if isinstance(value, datetime) else value for value in self.key]
        raw = json.dumps([self.sort, self.direction, key], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, sort: str) -> "Cursor":
        """Read a cursor for the list in this order; InvalidInput when it is not one of ours."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            cursor_sort, direction, key = json.loads(raw)
            cursor = cls(cursor_sort, direction, tuple(_key_values(cursor_sort, key)))
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise InvalidInput(BAD_CURSOR, {"cursor": BAD_CURSOR}) from None
        if cursor.sort != sort or direction not in (AFTER, BEFORE):
            raise InvalidInput(BAD_CURSOR, {"cursor": BAD_CURSOR})
        return cursor


def _key_values(sort: str, key: list) -> list:
    """The key read back from JSON, each value checked against its column's kind."""
    columns = KEYS[sort]
    if not isinstance(key, list) or len(key) != len(columns):
        raise ValueError("wrong key length")
    values = []
    for (column, _descending), value in zip(columns, key, strict=True):
        if column is Case.deadline_at and value is None:
            values.append(None)
        elif column.key in ("created_at", "deadline_at"):
            values.append(datetime.fromisoformat(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31:
            values.append(value)
        else:
            raise ValueError("not a key value")
    return values


def key_of(case: Case, sort: str) -> tuple:
    """The sort key of a listed case."""
    return tuple(getattr(case, column.key) for column, _descending in KEYS[sort])


def walk_order(sort: str, direction: str, *, few: bool = False) -> list:
    """ORDER BY for reading from a cursor: the list's order, or its reverse going back.

    few: the filters find few cases (a search), so sort them rather than walk an index in
    the list's order, which PostgreSQL would do to the end for a last page (330 ms at 1M
    for a street's 35 matches): the columns are wrapped in an expression no index has.
    """
    terms = []
    for column, descending in KEYS[sort]:
        forward = descending != (direction == BEFORE)
        value = sa.func.coalesce(column, column) if few else column
        term = value.desc() if forward else value.asc()
        if column is Case.deadline_at:
            # Cases without a clock come last in the list, so first when walking back.
            term = term.nulls_first() if direction == BEFORE else term.nulls_last()
        terms.append(term)
    return terms


def keyset_clause(cursor: Cursor):
    """The cases strictly after (or before) the cursor's key in the list's order."""
    parts = keyset_parts(cursor)
    return parts[0] if len(parts) == 1 else sa.or_(*parts)


def keyset_parts(cursor: Cursor) -> list:
    """keyset_clause as conditions each holding a run of the cases beyond the cursor, in the
    order the walk meets them, each a range an index reads in order.

    A key with a deadline cannot be one range: past the last date come the cases without a
    deadline (NULLS LAST). Read as one condition with OR, PostgreSQL walked the city's
    deadlines from the first and filtered (10 ms at page 500 of 1M cases); read as two, each
    starts where it should, and the second is read only when the first leaves the page short.
    """
    if cursor.sort == "deadline":
        return _deadline_parts(cursor)
    columns = KEYS[cursor.sort]
    beyond_descending = cursor.direction == AFTER
    left = sa.tuple_(*(column for column, _descending in columns))
    right = sa.tuple_(*_literals(columns, cursor.key))
    descending = columns[0][1]
    return [left < right if descending == beyond_descending else left > right]


def _deadline_parts(cursor: Cursor) -> list:
    """Keyset on (deadline_at NULLS LAST, id), where a NULL deadline sorts after any date."""
    deadline, case_id = cursor.key
    pair = sa.tuple_(Case.deadline_at, Case.id)
    undated = Case.deadline_at.is_(None)
    if cursor.direction == AFTER:
        if deadline is None:
            return [sa.and_(undated, Case.id > case_id)]
        return [pair > sa.tuple_(*_literals(KEYS["deadline"], cursor.key)), undated]
    if deadline is None:
        return [sa.and_(undated, Case.id < case_id), Case.deadline_at.is_not(None)]
    return [pair < sa.tuple_(*_literals(KEYS["deadline"], cursor.key))]


def _literals(columns, key) -> list:
    """The key's values as binds of their columns' types (timestamps stored the same way)."""
    return [
        sa.literal(value, column.type)
        for (column, _descending), value in zip(columns, key, strict=True)
    ]


def capped_ids(stmt) -> sa.Select:
    """The ids the select finds, in no order, at most COUNT_CAP + 1 of them: what a count
    counts."""
    return stmt.with_only_columns(Case.id).order_by(None).limit(COUNT_CAP + 1)


def count_matches(stmt) -> tuple[int, bool]:
    """How many cases the select finds: (the count, True) up to COUNT_CAP; beyond it,
    (the planner's estimate, or COUNT_CAP + 1 if that is lower or there is none, False)."""
    capped = capped_ids(stmt).subquery()
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(capped))
    if counted <= COUNT_CAP:
        return counted, True
    return max(_planner_estimate(stmt) or 0, counted), False


def page_ids(stmt, order: list, limit: int, offset: int = 0, parts=(None,)) -> list[int]:
    """The ids of one page of the select's cases in `order`: from the start (with `offset`),
    or the first `limit` beyond a cursor, its keyset_parts read one after another."""
    ids: list[int] = []
    for part in parts:
        run = stmt if part is None else stmt.where(part)
        page = run.with_only_columns(Case.id).order_by(*order).limit(limit - len(ids))
        ids += db.session.scalars(page.offset(offset))
        if len(ids) >= limit:
            break
    return ids


def counted_page(stmt, order: list, limit: int, offset: int = 0, beyond=None):
    """For a select known to find few cases (a search's): the ids of one page in `order` and
    how many cases the select finds, exactly, in one statement: (ids, count).

    The count is a window over every match, taken before the LIMIT. A cursor's condition
    (`beyond`, keyset_clause) would narrow it, so it is not a filter here: the rows beyond the
    cursor sort first and the others are left off the page. With no row, there is no match,
    or the OFFSET passed the last page: then the count is taken apart (few rows, again)."""
    total = sa.func.count().over()
    if beyond is None:
        page = stmt.with_only_columns(Case.id, sa.true(), total).order_by(*order)
    else:
        shown = sa.case((beyond, True), else_=False)
        page = stmt.with_only_columns(Case.id, shown, total).order_by(shown.desc(), *order)
    rows = db.session.execute(page.limit(limit).offset(offset)).all()
    if not rows and not offset:
        return [], 0  # none at all (the rows before a cursor would have come after the others)
    if not rows:
        counted = sa.select(sa.func.count()).select_from(stmt.with_only_columns(Case.id).subquery())
        return [], db.session.scalar(counted)
    return [case_id for case_id, on_page, _count in rows if on_page], rows[0][2]


class _Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a select, compiled with the select's own binds."""

    inherit_cache = False

    def __init__(self, statement):
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element, compiler, **kw):
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def _planner_estimate(stmt) -> int | None:
    """PostgreSQL's estimate of the rows a select returns (planning only, ≈ 1 ms); None
    elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    plan = db.session.execute(_Explain(stmt.with_only_columns(Case.id).order_by(None))).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
