"""Moved to mediation.cases.cleaning; kept only while the API package is rewritten (issue 12)."""

from mediation.cases.cleaning import MAX_PARTIES, PARTY_TEXT_FIELDS  # noqa: F401
