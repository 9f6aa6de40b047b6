"""short pending lists for the search indexes of cases (PostgreSQL)

A GIN index with fastupdate (PostgreSQL's default) gathers new entries in a pending list,
and every search reads the whole list before the index proper. Every transition updates its
case's row, and PostgreSQL gives the row's new version new entries in every index, the
bigram indexes of the number and the title included, though neither changed: after some
thousands of transitions on the 1M bench database the lists held 4 374 and 12 277 entries
(192 and 456 pages, near the 4 MB default limit), and a case-number search took 108 ms
where it took 27 with the lists empty. With a limit of 64 kB (the least PostgreSQL allows),
the transition that fills a list merges it into the index, and a search reads at most eight
pages of it. The parties' names are written at intake only; their index keeps the default.

Revision ID: c4e8a2f6b913
Revises: 8b2d4f6a1c37
Create Date: 2026-12-06 23:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "c4e8a2f6b913"
down_revision = "8b2d4f6a1c37"
branch_labels = None
depends_on = None

INDEXES = ("ix_cases_number_bigram", "ix_cases_title_bigram")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = 64)")
            # What the list holds now goes into the index at once.
            op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")
