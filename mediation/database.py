"""How the app's engines talk to PostgreSQL through psycopg: prepared statements that last.

psycopg prepares a statement the fifth time a connection runs it, and then sends only its
name and parameters: the server neither parses nor plans it again. But psycopg forgets every
prepared statement at each ROLLBACK, in case the transaction dropped or altered what one
names; and a request's last transaction ends in a rollback whenever it only read (Flask-
SQLAlchemy closes the session at teardown). So no statement lived past a request, and every
statement of every request was parsed and planned afresh: a transition's two counts of its
case's statistical events spent 1.3 ms of their 1.8 ms there (bench/README.md).

The app changes no schema inside its transactions (migrations run on a connection of their
own and commit), so its engines roll back without forgetting. A DROP or ALTER sent on a
connection still clears that connection's statements (psycopg watches for them).

And a cursor's description is built when read (`Cursor`), not after every statement; and a
long statement's conversion to PostgreSQL's placeholders is remembered like a short one's
(`LONGEST_REMEMBERED`).
"""

from collections.abc import Sequence

import psycopg
import sqlalchemy as sa
from psycopg import _queries as psycopg_queries
from psycopg import pq
from sqlalchemy.dialects.postgresql import ARRAY

from mediation.extensions import db

# psycopg turns a statement's %(name)s placeholders into PostgreSQL's $1 before each execution,
# and remembers the result for the 128 statements it saw last, but only for statements of up
# to 4 096 bytes (psycopg._queries.MAX_CACHED_STATEMENT_LENGTH). The statement that takes a
# case for an operation is 13 KB (its statistical events, rollups.before_column): scanning it
# again each time was 6.6 % of a transition's client instructions (bench/README.md). psycopg
# reads the limit at each execution (for every engine of the process), and keeps 128
# statements whatever their length, each with its conversion and parts: some 24 MiB at most.
LONGEST_REMEMBERED = 64 * 1024


def tune_psycopg(engine: sa.Engine) -> None:
    """Make the engine's rollbacks keep psycopg's prepared statements, its connections build a
    cursor's description only when it is read, and psycopg remember the conversion of
    statements up to LONGEST_REMEMBERED bytes (other drivers: as is)."""
    if engine.dialect.driver == "psycopg":
        engine.dialect.do_rollback = _rollback
        sa.event.listen(engine, "connect", _use_cursor)
        longest = max(psycopg_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_REMEMBERED)
        psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = longest


def _use_cursor(dbapi_connection: psycopg.Connection, _record) -> None:
    """A new connection's cursors are Cursor."""
    dbapi_connection.cursor_factory = Cursor


# The results whose description psycopg gives (its BaseCursor.description): those with
# columns, and those that said they return rows even without any ("SELECT ;").
_ROWS = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK)


class Cursor(psycopg.Cursor):
    """psycopg's cursor, whose description makes its Column objects when first read.

    SQLAlchemy asks for the description after every statement that returns rows, but of one
    it has run before it only looks whether there is one: the columns of its results are
    kept with the compiled statement. psycopg makes a Column of every column each time it is
    asked: for a transition, some 80 (65 of them for its held read of the case), 14 % of its
    client instructions (bench/README.md)."""

    @property
    def description(self) -> "Description | None":
        result = self.pgresult
        if result is None or not (result.nfields or result.status in _ROWS):
            return None
        return Description(self, result)


class Description(Sequence):
    """A cursor's description as psycopg's would be, made on the first look inside it (its
    length is known without). Read it before the cursor's next statement: what it describes
    is gone then, and it says so."""

    __slots__ = ("_columns", "_cursor", "_length", "_result")

    def __init__(self, cursor: Cursor, result: pq.abc.PGresult):
        self._cursor, self._result, self._length = cursor, result, result.nfields
        self._columns: list | None = None

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if self._columns is None:
            if self._cursor.pgresult is not self._result:
                raise psycopg.InterfaceError("the cursor has moved past this result, or closed")
            self._columns = psycopg.Cursor.description.fget(self._cursor)
        return self._columns[index]


def _rollback(dbapi_connection: psycopg.Connection) -> None:
    """ROLLBACK through libpq, past psycopg's Connection.rollback (which would forget the
    prepared statements); in pipeline mode, or outside a transaction, psycopg's own."""
    pgconn = dbapi_connection.pgconn
    if (
        pgconn.pipeline_status != pq.PipelineStatus.OFF
        or pgconn.transaction_status == pq.TransactionStatus.IDLE
    ):
        dbapi_connection.rollback()
        return
    result = pgconn.exec_(b"ROLLBACK")
    if result.status != pq.ExecStatus.COMMAND_OK:
        message = (result.error_message or pgconn.error_message).decode(errors="replace")
        raise psycopg.OperationalError(f"ROLLBACK failed: {message}")


def for_this_transaction(bind: sa.Engine | None = None, **settings: str) -> None:
    """PostgreSQL: planner settings for the rest of the session's transaction on `bind` (its
    default engine if None), as SET LOCAL does, in one statement. Elsewhere nothing."""
    engine = bind or db.session.get_bind()
    if engine.dialect.name == "postgresql" and settings:
        calls = ", ".join(f"set_config('{name}', :{name}, true)" for name in settings)
        db.session.execute(sa.text(f"SELECT {calls}"), settings, bind_arguments={"bind": engine})


def id_array(ids: list[int]):
    """PostgreSQL: the ids as one integer[], sent as one text: psycopg's dumping of a list
    checks every element (a statement with 1 100 ids: 1.8 ms as a list, 0.3 ms as text).
    string_to_array is immutable, so a plan for the text's value (plan_cache_mode
    force_custom_plan) holds the array as a constant; a cast of the text straight to
    integer[] is only stable, and a filter on it parsed the whole text again for every row it
    checked (70 ms for a mediator's 243 cases)."""
    text = ",".join(str(int(one)) for one in ids)
    return sa.cast(sa.func.string_to_array(sa.literal(text, sa.Text), ","), ARRAY(sa.Integer))
