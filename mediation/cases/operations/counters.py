"""Serial numbers per unit and year (case numbers, court case numbers), safe under concurrency."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from mediation.extensions import db


def next_serial(counter, unit_column: str, unit_id: int, year: int) -> int:
    """Take the next serial of a unit's year from a counter table (CaseCounter, CourtCounter).

    The row is created at 0 when missing, then raised by one in a single UPDATE … RETURNING:
    the row lock serialises concurrent writers, so two takers get consecutive numbers and a
    rolled-back transaction gives its number back.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    unit = getattr(counter, unit_column)
    db.session.execute(
        insert(counter)
        .values({unit_column: unit_id, "year": year, "last": 0})
        .on_conflict_do_nothing(index_elements=[unit_column, "year"])
    )
    return db.session.execute(
        sa.update(counter)
        .where(unit == unit_id, counter.year == year)
        .values(last=counter.last + 1)
        .returning(counter.last)
    ).scalar_one()
