"""Transitions: the guards' facts read from the case, the state change, apply_transition."""

from datetime import date, datetime
from decimal import Decimal

from mediation.audit import append_event, with_retries
from mediation.cases.cleaning import AGREEMENT_KEYS, agreement_draft
from mediation.cases.operations.clocks import set_clock
from mediation.cases.operations.limits import time_limits
from mediation.cases.operations.reading import (
    checked_version,
    ensure_current,
    get_case_for_update,
)
from mediation.cases.operations.side_effects import SIDE_EFFECTS
from mediation.errors import ChainMoved, Forbidden, InvalidInput, Refused
from mediation.models import Case, User
from mediation.models.types import utcnow
from workflows import (
    SYSTEM,
    TRANSITION_BY_TRIGGER,
    CaseFacts,
    GuardRefused,
    NotAvailableInState,
    RoleNotAllowed,
    UnknownTrigger,
    blockers,
    fire,
)
from workflows.errors import CodedMessage

AUDITED_KEYS = (
    "reason",
    "reason_code",
    "mediator",
    "court",
    "court_case_number",
    "ruling_text",
    "ground",
    "routes_told",
    "consents",
    "materials",
    "sha256",
    "public_id",
    *AGREEMENT_KEYS,
)


def _facts(case: Case, payload: dict) -> CaseFacts:
    """What the guards need to know, read from the case as get_case_for_update holds it (and
    the agreement in the payload)."""
    roles = {p.role for p in case.parties}
    agreement_missing: tuple[str, ...] = ()
    matter = case.agreement.matter if case.agreement else None
    if case.status in ("grid_mediation", "street_mediation"):
        draft = agreement_draft(payload, case.agreement)
        agreement_missing, matter = draft.missing(), draft.matter
    party_ids = {p.id for p in case.parties}
    consenting = _consenting_parties(payload.get("consents"))
    return CaseFacts(
        status=case.status,
        came_from=case.came_from,
        has_applicant="applicant" in roles,
        has_respondent="respondent" in roles,
        mediator_assigned=case.mediator_id is not None,
        party_refused=any(p.refuses_mediation for p in case.parties),
        session_count=case.session_count,
        agreement_missing=agreement_missing,
        signatures_missing=case.agreement.missing_for_effect() if case.agreement else ("协议",),
        effective_on=case.effective_on,
        agreement_matter=matter,
        court_chosen=bool(payload.get("court")),
        joint_application=bool(party_ids) and party_ids <= consenting,
        consents_missing=tuple(
            f"{p.role_label}{p.name}" for p in case.parties if p.id not in consenting
        ),
        performance_recorded=case.performance_recorded,
        grid_deadline_at=case.grid_deadline_at,
    )


def trigger_blockers(case: Case, triggers, now: datetime | None = None) -> dict[str, list[str]]:
    """Why each of triggers cannot fire on case whatever its form says: the guards' standing
    conditions (workflows.blockers) over the facts apply_transition reads. Triggers that may
    be offered are left out. Reads only; case: as get_case(…, held=True) reads it, with the
    guards' counts."""
    facts, now, limits = _facts(case, {}), now or utcnow(), time_limits()
    return {t: reasons for t in triggers if (reasons := blockers(t, facts, now, limits))}


def _consenting_parties(consents) -> set[int]:
    """Party ids from a consents list: [{"party_id": 3, "method": …}] or [3, 4]."""
    if not isinstance(consents, list):
        return set()
    ids = (c.get("party_id") if isinstance(c, dict) else c for c in consents)
    return {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}


def _audited(payload: dict) -> dict:
    """The part of a payload the audit log keeps (JSON-safe)."""
    kept = {}
    for key in AUDITED_KEYS:
        if key in payload:
            value = payload[key]
            kept[key] = str(value) if isinstance(value, Decimal | date) else value
    return kept


def change_state(case, user, trigger, dest, version, payload, now, limits) -> None:
    """Run the trigger's side effects and start dest's clock, then move the case to dest if
    nobody moved it first."""
    source = case.status
    SIDE_EFFECTS.get(trigger, lambda *args: None)(case, payload, now, limits, user)
    set_clock(case, dest, now, limits)
    reason = payload.get("reason")
    append_event(
        case,
        user,
        trigger,
        now,
        version=version,
        status=dest,
        from_state=source,
        to_state=dest,
        reason=reason if isinstance(reason, str) else None,
        payload=_audited(payload),
    )


def apply_transition(
    user: User | None,
    case_id: int,
    trigger: str,
    version,
    payload: dict | None = None,
    now: datetime | None = None,
) -> Case:
    """Fire a trigger on a case as user (None: the system), in one transaction.

    Raises NotFound (404) outside the user's jurisdiction, Forbidden (403) for a role the
    trigger does not list, Conflict (409) for a stale version, Refused (422) when the state
    or a guard says no, InvalidInput (400) for malformed input.

    `request_confirmation` is the application of `operations.confirmation`, which records
    each party's consent (and takes the materials there): the payload's `court` and
    `consents` go to it. The court's decisions issue their sealed ruling on the way
    (`operations.court`): `accept_application` assigns the next 民特 number when none is
    typed, `confirm` and `reject_confirmation` use the generated ruling text when none is.
    """
    if trigger == "request_confirmation" and isinstance(payload, dict):
        # Imported here: the application operation is built on this module's change_state.
        from mediation.cases.operations.confirmation import request_confirmation

        return request_confirmation(
            user,
            case_id,
            version,
            court=payload.get("court"),
            consents=payload.get("consents") or [],
            now=now,
        )
    payload = {} if payload is None else payload
    now = now or utcnow()
    limits = time_limits()
    role = user.role if user else SYSTEM
    if not isinstance(payload, dict):
        raise InvalidInput("请求内容应为对象。")
    # The court's side effects add what they assign (number, ruling text, hash) for the log.
    payload = dict(payload)
    checked_version(version)
    transition = TRANSITION_BY_TRIGGER.get(trigger)
    if transition is None:
        unknown = CodedMessage("未知的操作。", "trigger", TRANSITION_BY_TRIGGER)
        raise InvalidInput(unknown, {"trigger": unknown})

    def work():
        case = get_case_for_update(user, case_id)
        if role not in transition.roles:
            raise Forbidden(f"您的角色无权执行“{transition.label}”。")
        ensure_current(case, version)
        dest = checked_destination(case, trigger, role, payload, now, limits)
        change_state(case, user, trigger, dest, version, payload, now, limits)
        return case

    # A session or visit recorded meanwhile moves the chain but not the version: try again.
    return with_retries(work, retry_on=(ChainMoved,), keep=True)


def checked_destination(case, trigger, role, payload, now, limits) -> str:
    """Ask the state machine where the trigger leads, turning its refusals into ours."""
    try:
        return fire(trigger, _facts(case, payload), role, payload, now, limits)
    except RoleNotAllowed as refusal:
        raise Forbidden(str(refusal)) from None
    except NotAvailableInState as refusal:
        raise Refused([str(refusal)]) from None
    except GuardRefused as refusal:
        raise Refused(refusal.reasons) from None
    except UnknownTrigger as refusal:
        raise InvalidInput(str(refusal)) from None
