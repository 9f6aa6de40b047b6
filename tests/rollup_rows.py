"""The roll-up tables' rows, to compare what the operations kept with a fresh count."""

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import StatsDuration, StatsMediatorRollup, StatsRegionTotal, StatsRollup
from mediation.models.stats import MEASURES
from mediation.stats import journal


def nonzero_rows() -> dict:
    """The roll-up tables' rows that count anything, as sorted tuples (the journal folded
    first)."""
    journal.fold_pending()
    rows = {}
    for model in (StatsRollup, StatsMediatorRollup, StatsRegionTotal, StatsDuration):
        columns = [c.name for c in model.__table__.columns]
        values = ("cases",) if model is StatsDuration else (*MEASURES, "amount")
        rows[model.__tablename__] = sorted(
            tuple(str(row[c]) for c in columns)
            for row in db.session.execute(sa.select(*model.__table__.columns)).mappings()
            if any(row[v] for v in values)
        )
    return rows
