"""indexes of the open cases with a running clock: newest first, covering; and per grid by
deadline (PostgreSQL)

The case list's overdue filter wants the newest late cases. The newest open cases are not
late yet, so any walk in the list's order passes over thousands of them; with
ix_cases_open_newest (the cases the overdue filter can match, in the list's order, with the
deadline and the grid beside each) it reads none of their rows: the list finds its page's
ids from the index alone (mediation.cases.queries._rows). Within a few grids (a mediator's,
a street's), ix_cases_open_grid_deadline finds the late cases grid by grid; without it
PostgreSQL combined the big index with the grids' (BitmapAnd) and a committee's overdue list
went from 15 to 66 ms. SQLite keeps its plain path.

Revision ID: 8b2d4f6a1c37
Revises: 7a3c9e1f5d20
Create Date: 2026-12-06 18:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "8b2d4f6a1c37"
down_revision = "7a3c9e1f5d20"
branch_labels = None
depends_on = None

# The overdue filter's conditions that do not change with the time (overdue_clause): an open
# case (workflows.TERMINAL_STATES) with a clock whose end is no window (LAPSING).
OPEN_WITH_A_CLOCK = (
    "deadline_at IS NOT NULL "
    "AND status NOT IN ('closed', 'declined', 'mediation_failed', 'withdrawn') "
    "AND clock NOT IN ('confirmation_window')"
)
INDEXES = {
    "ix_cases_open_newest": "(created_at DESC, id DESC) INCLUDE (deadline_at, grid_id)",
    "ix_cases_open_grid_deadline": "(grid_id, deadline_at)",
}


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, columns in INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON cases {columns} WHERE {OPEN_WITH_A_CLOCK}")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"DROP INDEX {name}")
