"""birth date of parties (from the ID number, or typed for a person without one)

Revision ID: 5b1d7e3f9a62
Revises: 3c9e4a1d7b20
Create Date: 2026-12-06 14:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b1d7e3f9a62'
down_revision = '3c9e4a1d7b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_column('birth_date')
