"""search indexes for the case list: bigram GIN indexes and a phone-tail index (PostgreSQL)

The case list's free-text search (mediation.cases.search) reads these on PostgreSQL: a
`bigrams(text)` function (the distinct pairs of adjacent characters, as pg_bigm would give,
from stock SQL) with GIN indexes on the bigrams of parties' names and of cases' titles and
numbers, and a btree on the reversed phone so that a phone's tail is a prefix lookup.
SQLite keeps the plain LIKE search and gets nothing here.

Revision ID: 5e1d2c3b4a69
Revises: 5b1d7e3f9a62
Create Date: 2026-12-06 13:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e1d2c3b4a69'
down_revision = '5b1d7e3f9a62'
branch_labels = None
depends_on = None

BIGRAMS = """
CREATE FUNCTION bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
   FROM generate_series(1, char_length(value) - 1) AS i $$
"""

INDEXES = (
    "CREATE INDEX ix_parties_name_bigram ON parties USING gin (bigrams(name))",
    "CREATE INDEX ix_cases_title_bigram ON cases USING gin (bigrams(title))",
    "CREATE INDEX ix_cases_number_bigram ON cases USING gin (bigrams(number))",
    "CREATE INDEX ix_parties_phone_reversed ON parties (reverse(phone) text_pattern_ops)",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(BIGRAMS)
    for statement in INDEXES:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in (
        "ix_parties_phone_reversed",
        "ix_cases_number_bigram",
        "ix_cases_title_bigram",
        "ix_parties_name_bigram",
    ):
        op.execute(f"DROP INDEX {name}")
    op.execute("DROP FUNCTION bigrams(text)")
