"""The operations that change cases. The only place that does: pages and the API call these.

Each operation is one transaction: the change, its audit event and its side records commit
together or not at all. Every write first takes the case row (`get_case_for_update`), so
writers to one case queue up: events that carry no version (sessions, visits, signatures …)
never conflict, and a transition whose `version` is no longer the case's answers 409 before
it writes anything. The compare-and-set on `version` and on the chain head (`audit_head`)
still guards every event, on SQLite and PostgreSQL alike.
"""

from mediation.cases.operations.confirmation import (
    competent_courts,
    extend_review,
    request_confirmation,
)
from mediation.cases.operations.intake import create_case
from mediation.cases.operations.limits import time_limits
from mediation.cases.operations.materials import (
    MaterialUpload,
    material_limit_bytes,
    upload_body_limit,
)
from mediation.cases.operations.overdue import flag_overdue_cases, hand_on_lapsed_clocks
from mediation.cases.operations.reading import get_case, get_case_for_update
from mediation.cases.operations.records import (
    assign_mediator,
    record_session,
    record_visit,
    reveal_party_field,
)
from mediation.cases.operations.sealing import seal_agreement
from mediation.cases.operations.signatures import sign_agreement
from mediation.cases.operations.transitions import apply_transition, trigger_blockers

__all__ = [
    "MaterialUpload",
    "apply_transition",
    "assign_mediator",
    "competent_courts",
    "create_case",
    "extend_review",
    "flag_overdue_cases",
    "get_case",
    "get_case_for_update",
    "hand_on_lapsed_clocks",
    "material_limit_bytes",
    "record_session",
    "record_visit",
    "request_confirmation",
    "reveal_party_field",
    "seal_agreement",
    "sign_agreement",
    "time_limits",
    "trigger_blockers",
    "upload_body_limit",
]
