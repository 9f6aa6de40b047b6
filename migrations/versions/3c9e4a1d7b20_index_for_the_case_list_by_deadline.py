"""index for the case list ordered by deadline

Revision ID: 3c9e4a1d7b20
Revises: 3c7e2a91d5f0
Create Date: 2026-12-06 11:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c9e4a1d7b20'
down_revision = '3c7e2a91d5f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_deadline_id', ['deadline_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_deadline_id')
