"""What the API shows of a case, for a given user: ID numbers and phones always masked.

These functions decide what is shown; the response schemas in mediation.api.schemas decide
how it is written as JSON (timestamps, amounts).
"""

from mediation.models import Agreement, AuditEvent, Case, Party, Signature, User
from mediation.privacy import mask_id_number, mask_phone
from workflows import available_triggers

PARTY_FIELDS = (
    "id",
    "role",
    "kind",
    "name",
    "sex",
    "ethnicity",
    "address",
    "occupation",
    "legal_representative",
    "agent",
    "refuses_mediation",
)
AGREEMENT_FIELDS = (
    "facts",
    "terms",
    "performance_method",
    "performance_place",
    "performance_deadline",
    "amount",
    "matter",
    "drafted_at",
)


def party_json(party: Party) -> dict:
    """A party with the ID number and phone masked; revealing them is a separate, logged call."""
    return {
        **{key: getattr(party, key) for key in PARTY_FIELDS},
        "id_number": mask_id_number(party.id_number) if party.id_number else None,
        "phone": mask_phone(party.phone) if party.phone else None,
    }


def user_ref(user: User | None) -> dict | None:
    """A user as {username, display_name}, or None."""
    if user is None:
        return None
    return {"username": user.username, "display_name": user.display_name}


def case_summary(case: Case, user: User) -> dict:
    """The fields a case list shows (loads only parties, grid and mediator)."""
    return {
        "id": case.id,
        "number": case.number,
        "title": case.title,
        "category": case.category,
        "source": case.source,
        "status": case.status,
        "version": case.version,
        "amount": case.amount,
        "grid": {"code": case.grid.code, "name": case.grid.name},
        "mediator": user_ref(case.mediator),
        "deadline_at": case.deadline_at,
        "grid_deadline_at": case.grid_deadline_at,
        "overdue": case.overdue,
        "created_at": case.created_at,
        "parties": [party_json(p) for p in case.parties],
        "available_triggers": available_triggers(case.status, user.role),
    }


def signature_json(signature: Signature, labels: dict[str, str]) -> dict:
    """A signature, without its image."""
    return {
        "id": signature.id,
        "signer": signature.signer,
        "signer_label": labels.get(signature.signer),
        "method": signature.method,
        "typed_name": signature.typed_name,
        "signed_at": signature.signed_at,
        "void": signature.voided_at is not None,
    }


def agreement_json(agreement: Agreement | None) -> dict | None:
    """The agreement draft, who must sign it, who has, and who is still missing."""
    if agreement is None:
        return None
    labels = agreement.required_signers()
    return {
        **{key: getattr(agreement, key) for key in AGREEMENT_FIELDS},
        "terms": list(agreement.terms or []),
        "required_signers": [{"identifier": k, "label": v} for k, v in labels.items()],
        "signatures": [signature_json(s, labels) for s in agreement.signatures],
        "missing_signers": list(agreement.signers_missing()),
    }


def session_json(session) -> dict:
    """A mediation session (调解记录)."""
    return {
        "id": session.id,
        "held_at": session.held_at,
        "location": session.location,
        "mediators": session.mediators,
        "attendees": session.attendees,
        "summary": session.summary,
        "outcome": session.outcome,
        "recorded_by": session.recorded_by.username,
        "created_at": session.created_at,
    }


def visit_json(visit) -> dict:
    """A follow-up visit (回访记录)."""
    return {
        "id": visit.id,
        "visited_at": visit.visited_at,
        "performed": visit.performed,
        "satisfaction": visit.satisfaction,
        "notes": visit.notes,
        "remaining_risk": visit.remaining_risk,
        "visitor": visit.visitor.username,
        "created_at": visit.created_at,
    }


def case_detail(case: Case, user: User) -> dict:
    """One case in full, as user may see it."""
    return {
        **case_summary(case, user),
        "description": case.description,
        "came_from": case.came_from,
        "mediation_deadline_at": case.mediation_deadline_at,
        "accepted_at": case.accepted_at,
        "escalated_at": case.escalated_at,
        "effective_on": case.effective_on,
        "concluded_at": case.concluded_at,
        "updated_at": case.updated_at,
        "decline_reason": case.decline_reason,
        "court": case.court.code if case.court else None,
        "court_case_number": case.court_case_number,
        "ruling_text": case.ruling_text,
        "rejection_ground": case.rejection_ground,
        "agreement": agreement_json(case.agreement),
        "sessions": [session_json(s) for s in case.sessions],
        "visits": [visit_json(v) for v in case.visits],
    }


def event_json(event: AuditEvent) -> dict:
    """One audit event, with the actor's username (None for the system)."""
    return {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor.username if event.actor else None,
        "actor_role": event.actor_role,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "payload": event.payload,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }
