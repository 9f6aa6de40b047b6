"""What each trigger does to the case besides its status and its clock (operations.clocks):
the ends of the mediation clocks, the agreement, the court."""

import functools
from datetime import datetime

import sqlalchemy as sa

from mediation.access import policy
from mediation.access.scoping import within_unit
from mediation.cases.cleaning import AGREEMENT_KEYS, agreement_draft
from mediation.cases.operations import court
from mediation.cases.operations.reading import unproxied
from mediation.errors import Refused
from mediation.extensions import db
from mediation.models import Agreement, Case, User, new_public_id
from workflows import grid_deadline, mediation_deadline
from workflows.deadlines import china_time


def resolve_mediator(case: Case, username, taker: User | None = None) -> User:
    """The active mediator named in an `accept` or an assignment, who must work where the case
    is (her unit's reach checked by the statement that reads her).

    taker: the user who took the case (get_case_for_update). When she names herself, she is
    not read again: the statement that took the case checked that it lies in her unit's
    reach (one_case_clause is within_unit of her unit), which is what naming her needs."""
    name = username.strip() if isinstance(username, str) else ""
    if taker is not None and name == taker.username and policy.can_mediate(taker):
        return unproxied(taker)
    found = None
    if name:
        params = {"username": name, "grid_id": case.grid_id}
        found = db.session.execute(_mediator_statement(), params).first()
    if found is None or not policy.can_mediate(found[0]) or not found[1]:
        raise Refused([f"调解员“{username}”不存在、已停用，或不负责本案所在辖区，请重新指派。"])
    return found[0]


@functools.cache
def _mediator_statement():
    """The user named :username, and whether her unit reaches the region :grid_id."""
    reaches = within_unit(
        sa.bindparam("grid_id", type_=sa.Integer), User.committee_id, User.region_id
    )
    return sa.select(User, reaches).where(User.username == sa.bindparam("username"))


def _after_accept(case, payload, now, limits, user=None):
    """Assign the mediator and fix the ends of the grid and whole-mediation clocks."""
    if payload.get("mediator"):
        # The column, not the relationship: the transition's one UPDATE of the case writes it.
        case.mediator_id = resolve_mediator(case, payload["mediator"], user).id
    local = china_time(now)
    case.accepted_at = now
    case.grid_deadline_at = grid_deadline(local, limits)
    case.mediation_deadline_at = mediation_deadline(local, limits)


def _after_escalate(case, payload, now, limits, user=None):
    """Street level (where the whole-mediation clock runs)."""
    case.escalated_at = now


def _after_draft_agreement(case, payload, now, limits, user=None):
    """Save the agreement draft and remember which stage it came from."""
    draft = agreement_draft(payload, case.agreement)
    agreement = case.agreement or Agreement(case=case)
    _void_signatures(agreement, now)
    for key in AGREEMENT_KEYS:
        setattr(agreement, key, getattr(draft, key))
    agreement.drafted_at = now
    # Each draft gets its own public id: a printed earlier draft's QR code never leads to a
    # later text's seal. A sealed original (after remediation) keeps its own id and stays
    # verifiable; the new agreement needs a seal of its own.
    agreement.sealed_document = None
    agreement.public_id = new_public_id()
    db.session.add(agreement)
    case.came_from = case.status


def _after_reopen(case, payload, now, limits, user=None):
    """Back to mediation: every signature collected so far is void."""
    _void_signatures(case.agreement, now)
    case.came_from = None


def _after_make_effective(case, payload, now, limits, user=None):
    """The agreement is in force from today (its confirmation window starts)."""
    case.effective_on = china_time(now).date()


def _after_remediate(case, payload, now, limits, user=None):
    """Mediation starts again at the street, with a fresh whole-mediation clock. A case first
    settled at grid level is now the street's: it counts as escalated from here."""
    case.escalated_at = case.escalated_at or now
    case.mediation_deadline_at = mediation_deadline(china_time(now), limits)
    case.came_from = None
    court.leave_court(case)


def _after_decline(case, payload, now, limits, user=None):
    """Keep the reason code; the case ends."""
    case.decline_reason = payload["reason_code"].strip()
    _conclude(case, payload, now, limits)


def _void_signatures(agreement: Agreement, now: datetime) -> None:
    """Signatures given to earlier terms no longer count."""
    for signature in agreement.signatures:
        signature.voided_at = signature.voided_at or now


def _conclude(case, payload, now, limits, user=None):
    """A terminal state (where no clock runs)."""
    case.concluded_at = now


SIDE_EFFECTS = {
    "accept": _after_accept,
    "decline": _after_decline,
    "escalate": _after_escalate,
    "auto_escalate": _after_escalate,
    "draft_agreement": _after_draft_agreement,
    "reopen": _after_reopen,
    "make_effective": _after_make_effective,
    "request_confirmation": court.after_request_confirmation,
    "accept_application": court.after_accept_application,
    "confirm": court.after_confirm,
    "reject_confirmation": court.after_reject_confirmation,
    "withdraw_confirmation": court.after_withdraw_confirmation,
    "remediate": _after_remediate,
    "terminate": _conclude,
    "withdraw": _conclude,
    "close": _conclude,
}
