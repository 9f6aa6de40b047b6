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
"""

import psycopg
import sqlalchemy as sa
from psycopg import pq
from sqlalchemy.dialects.postgresql import ARRAY

from mediation.extensions import db


def keep_prepared_statements(engine: sa.Engine) -> None:
    """Make the engine's rollbacks keep psycopg's prepared statements (other drivers: as is)."""
    if engine.dialect.driver == "psycopg":
        engine.dialect.do_rollback = _rollback


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
