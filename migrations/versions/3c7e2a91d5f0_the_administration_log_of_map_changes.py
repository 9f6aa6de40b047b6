"""the administration log: each grid or committee added or renamed by an admin

Revision ID: 3c7e2a91d5f0
Revises: 1f8c0b816b18
Create Date: 2026-12-06 11:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3c7e2a91d5f0"
down_revision = "1f8c0b816b18"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "admin_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_admin_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_events")),
    )
    with op.batch_alter_table("admin_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_events_target"), ["target"], unique=False)


def downgrade():
    with op.batch_alter_table("admin_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_events_target"))
        batch_op.drop_index(batch_op.f("ix_admin_events_at"))
    op.drop_table("admin_events")
