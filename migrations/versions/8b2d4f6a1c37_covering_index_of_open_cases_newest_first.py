"""a covering index of the open cases with a running clock, newest first (PostgreSQL)

The case list's overdue filter wants the newest late cases. The newest open cases are not
late yet, so any walk in the list's order passes over thousands of them; with this index
(the cases the overdue filter can match, in the list's order, with the deadline and the grid
beside each) it reads none of their rows: the list finds its page's ids from the index
alone (mediation.cases.queries._rows). SQLite keeps its plain path.

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
INDEX = (
    "CREATE INDEX ix_cases_open_newest ON cases (created_at DESC, id DESC) "
    "INCLUDE (deadline_at, grid_id) "
    "WHERE deadline_at IS NOT NULL "
    "AND status NOT IN ('closed', 'declined', 'mediation_failed', 'withdrawn') "
    "AND clock NOT IN ('confirmation_window')"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(INDEX)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_cases_open_newest")
