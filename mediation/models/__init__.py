"""The data model; importing this package registers every table."""

from mediation.models.admin_log import AdminEvent
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
from mediation.models.court import (
    ConfirmationApplication,
    ConfirmationConsent,
    ConfirmationMaterial,
    CourtCounter,
    Notice,
)
from mediation.models.documents import IssuedDocument, StoredFile, new_public_id
from mediation.models.regions import Committee, Court, Region, court_regions
from mediation.models.stats import (
    StatsDuration,
    StatsJournal,
    StatsMediatorRollup,
    StatsRegionTotal,
    StatsRollup,
)
from mediation.models.users import ApiToken, User

__all__ = [
    "AdminEvent",
    "Agreement",
    "ApiToken",
    "AuditEvent",
    "Case",
    "CaseCounter",
    "Committee",
    "ConfirmationApplication",
    "ConfirmationConsent",
    "ConfirmationMaterial",
    "Court",
    "CourtCounter",
    "FollowUpVisit",
    "IssuedDocument",
    "MediationSession",
    "Notice",
    "Party",
    "Region",
    "Signature",
    "StatsDuration",
    "StatsJournal",
    "StatsMediatorRollup",
    "StatsRegionTotal",
    "StatsRollup",
    "StoredFile",
    "User",
    "court_regions",
    "new_public_id",
]
