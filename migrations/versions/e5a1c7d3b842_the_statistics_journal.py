"""the statistics journal: what each operation changed in its case's counts, until folded

On PostgreSQL an operation no longer adds to the roll-ups in its own transaction (some fifty
rows, shared by every operation in the city): it writes its case's difference per grid cell
to stats_journal, and a report folds the journal into the roll-ups before it reads them
(mediation.stats.rollups). SQLite keeps adding in the transaction and leaves the table empty.
Going back folds what the journal holds first, so that nothing counted is lost.

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

# The measures as they stand at this revision (mediation.models.stats.MEASURES), copied: a
# migration must build the same table whatever the model becomes later.
MEASURES = (
    "received",
    "succeeded",
    "succeeded_grid",
    "failed",
    "withdrawn",
    "declined",
    "escalated",
    "due_grid",
    "on_time_grid",
    "due_street",
    "on_time_street",
    "applied",
    "confirmed",
    "visited",
    "performed",
    "satisfied",
)


def upgrade():
    op.create_table(
        "stats_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("mediator_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("period_month", sa.String(length=7), nullable=False),
        sa.Column("cohort_month", sa.String(length=7), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_journal")),
    )


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from mediation.stats.rollups import fold

        fold(bind)
    op.drop_table("stats_journal")
