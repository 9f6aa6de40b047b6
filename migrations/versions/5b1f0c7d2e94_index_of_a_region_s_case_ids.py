"""an index of a region's case ids (grid_id, id), for the statistics' applications and visits

Revision ID: 5b1f0c7d2e94
Revises: aee22775ba84
Create Date: 2026-12-06 10:58:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5b1f0c7d2e94"
down_revision = "aee22775ba84"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_grid_id", ["grid_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_grid_id")
