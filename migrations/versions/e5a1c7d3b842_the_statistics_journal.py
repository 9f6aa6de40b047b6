"""the statistics journal: each case an operation changed, with its counts before, until folded

On PostgreSQL an operation no longer adds to the roll-ups in its own transaction (some fifty
rows, shared by every operation in the city): the statement that appends its audit event
writes the case and its statistical events as they were before to stats_journal, and a
report folds the journal into the roll-ups before it reads them (mediation.stats.journal).
SQLite keeps adding in the transaction and leaves the table empty. Going back folds what the
journal holds first, so that nothing counted is lost.

Revision ID: e5a1c7d3b842
Revises: c4e8a2f6b913
Create Date: 2026-12-07 01:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "e5a1c7d3b842"
down_revision = "c4e8a2f6b913"
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        "stats_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_journal")),
    )


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from mediation.stats.journal import fold

        fold(bind)
    op.drop_table("stats_journal")
