"""The data model; importing this package registers every table."""

from mediation.models.cases import (
    Agreement,
    AuditEvent,
    Case,
    CaseCounter,
    FollowUpVisit,
    MediationSession,
    Party,
    Signature,
)
from mediation.models.regions import Committee, Court, Region, court_regions
from mediation.models.users import ApiToken, User

__all__ = [
    "Agreement",
    "ApiToken",
    "AuditEvent",
    "Case",
    "CaseCounter",
    "Committee",
    "Court",
    "FollowUpVisit",
    "MediationSession",
    "Party",
    "Region",
    "Signature",
    "User",
    "court_regions",
]
