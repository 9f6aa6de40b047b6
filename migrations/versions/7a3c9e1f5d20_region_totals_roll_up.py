"""a region's month in one row: stats_region_totals (the headline figures and the trend)

The monthly report read a region's month, and its twelve-month trend, by summing the region's
rows of stats_rollups (a row per category × source × level: a few hundred for a city). The
new table keeps the same sums a row per view × month × region; the operations add to it as
to the others (mediation.stats.rollups). A database with roll-ups gets its rows summed from
stats_rollups, which holds every case of each region.

Revision ID: 7a3c9e1f5d20
Revises: 5e1d2c3b4a69
Create Date: 2026-12-06 16:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "7a3c9e1f5d20"
down_revision = "5e1d2c3b4a69"
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
        "stats_region_totals",
        sa.Column("view", sa.String(length=8), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("view", "month", "region_id", name=op.f("pk_stats_region_totals")),
    )
    columns = ", ".join((*MEASURES, "amount"))
    sums = ", ".join(f"sum({name})" for name in (*MEASURES, "amount"))
    op.execute(
        f"INSERT INTO stats_region_totals (view, month, region_id, {columns}) "
        f"SELECT view, month, region_id, {sums} FROM stats_rollups "
        "GROUP BY view, month, region_id"
    )


def downgrade():
    op.drop_table("stats_region_totals")
