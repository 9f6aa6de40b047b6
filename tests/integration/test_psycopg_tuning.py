"""PostgreSQL: how the app's engines use psycopg (mediation.database): cursors that make their
description when it is read, and long statements' conversions remembered."""

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import _queries as psycopg_queries

from mediation.database import Cursor
from mediation.extensions import db
from mediation.models import User
from tests.database import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="psycopg is PostgreSQL's driver")


def columns(description) -> list[tuple]:
    """What a description says of each column."""
    return [(c.name, c.type_code, c.internal_size) for c in description]


@pytest.fixture
def cursor():
    """A cursor of the session's connection, as SQLAlchemy gets it."""
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor:
        yield cursor
    db.session.rollback()


def test_the_description_read_is_psycopgs_own(cursor):
    """Names, types and sizes as psycopg's would give, by index, from the end, by slice."""
    assert isinstance(cursor, Cursor)
    cursor.execute("SELECT 1 AS one, 'x'::text AS two, now() AS three")
    described, own = cursor.description, psycopg.Cursor.description.fget(cursor)
    assert len(described) == 3
    assert columns(described) == columns(own)
    assert (described[-1].name, [c.name for c in described[1:]]) == ("three", ["two", "three"])


def test_a_statement_with_no_rows_has_no_description_and_select_nothing_an_empty_one(cursor):
    """psycopg's rule: a command (SET) has none; `SELECT ;` returns rows of no columns."""
    cursor.execute("SET LOCAL statement_timeout = 0")
    assert cursor.description is None
    cursor.execute("SELECT")
    assert cursor.description is not None and len(cursor.description) == 0
    assert list(cursor.description) == []


def test_a_description_looked_into_after_the_next_statement_says_what_is_wrong(cursor):
    """It describes a result the cursor no longer has: an error, never another's columns."""
    cursor.execute("SELECT 1 AS one")
    stale = cursor.description
    cursor.execute("SELECT 2 AS two")
    with pytest.raises(psycopg.InterfaceError, match="moved past this result"):
        stale[0]
    assert [c.name for c in cursor.description] == ["two"]


def test_sqlalchemy_reads_columns_by_name_through_it():
    """A text statement, whose columns SQLAlchemy learns from the description alone."""
    row = db.session.execute(sa.text("SELECT 1 AS one, 'x' AS two")).mappings().one()
    assert dict(row) == {"one": 1, "two": "x"}


def test_a_statement_run_again_reads_its_rows_without_a_column_made(monkeypatch):
    """SQLAlchemy keeps a compiled statement's columns: the second run only asks whether
    there is a description, and psycopg makes no Column for it."""
    statement = sa.select(User.username, User.role).where(User.username == "mediator_demo")
    assert db.session.execute(statement).one() == ("mediator_demo", "mediator")

    def refuse(*_args):
        raise AssertionError("a Column was made")

    monkeypatch.setattr(psycopg.Column, "__init__", refuse)
    assert db.session.execute(statement).one() == ("mediator_demo", "mediator")


def test_a_long_statement_is_converted_once():
    """A statement past psycopg's own limit (4 096 bytes), run twice: the second run finds its
    conversion remembered."""
    padding = " ".join(f"{n} AS c{n}," for n in range(900))
    statement = sa.text(f"SELECT {padding} :value AS last")
    assert len(str(statement)) > 4096
    db.session.execute(statement, {"value": 1})
    hits = psycopg_queries._query2pg.cache_info().hits
    assert db.session.execute(statement, {"value": 2}).mappings().one()["last"] == 2
    assert psycopg_queries._query2pg.cache_info().hits > hits  # (other threads only add)
