"""Records on a case: sessions, visits, the mediator assigned, a look at a full number."""

from datetime import datetime

from mediation.access import policy
from mediation.audit import append_event, with_retries
from mediation.cases.cleaning import session_fields, visit_fields
from mediation.cases.operations.clocks import set_clock
from mediation.cases.operations.limits import time_limits
from mediation.cases.operations.reading import get_case_for_update
from mediation.cases.operations.side_effects import resolve_mediator
from mediation.errors import InvalidInput, NotFound, Refused
from mediation.extensions import db
from mediation.models import Case, FollowUpVisit, MediationSession, User
from mediation.models.types import utcnow


def record_session(user: User, case_id: int, data: dict, now: datetime | None = None):
    """Record a mediation session (调解记录) on a case under mediation.

    :raise Forbidden (403): the user's role records no sessions.
    :raise InvalidInput (400): a field is missing or malformed, or a party or mediator picked
        is not of this case (each one named).
    :raise NotFound (404): no such case in the user's jurisdiction.
    :raise Refused (422): the case is not under mediation.
    """
    policy.ensure(policy.can_record_session(user), "记录调解")
    now = now or utcnow()

    def work():
        case = get_case_for_update(user, case_id, counted=False)
        if not policy.can_record_session(user, case):
            raise Refused([f"案件当前状态为“{case.state.label}”，不能记录调解。"])
        fields = session_fields(data, user, now, case)
        session = MediationSession(case=case, recorded_by=user, **fields)
        db.session.add(session)
        append_event(case, user, "session", now, payload={"held_at": fields["held_at"].isoformat()})
        return session

    return with_retries(work)


def record_visit(user: User, case_id: int, data: dict, now: datetime | None = None):
    """Record a follow-up visit (回访记录) once an agreement is in force; it meets the
    visit clock.

    :raise Forbidden (403): the user's role records no visits.
    :raise InvalidInput (400): a field is missing or malformed (each one named).
    :raise NotFound (404): no such case in the user's jurisdiction.
    :raise Refused (422): no agreement is in force on the case.
    """
    policy.ensure(policy.can_record_visit(user), "登记回访")
    now = now or utcnow()
    fields = visit_fields(data, now)

    def work():
        case = get_case_for_update(user, case_id)
        if not policy.can_record_visit(user, case):
            raise Refused([f"案件当前状态为“{case.state.label}”，协议生效后才能回访。"])
        visit = FollowUpVisit(case=case, visitor=user, **fields)
        db.session.add(visit)
        set_clock(case, case.status, now, time_limits())
        append_event(case, user, "visit", now, payload={"performed": fields["performed"]})
        return visit

    return with_retries(work)


def assign_mediator(user: User, case_id: int, username: str, now: datetime | None = None) -> Case:
    """Give an open case to another mediator of the area.

    :raise Forbidden (403): the user's role assigns no mediators.
    :raise NotFound (404): no such case in the user's jurisdiction.
    :raise Refused (422): the case is concluded, or the mediator cannot take it.
    """
    policy.ensure(policy.can_assign(user), "指派调解员")
    now = now or utcnow()

    def work():
        case = get_case_for_update(user, case_id)
        if not policy.can_assign(user, case):
            raise Refused(["案件已办结，不能再指派调解员。"])
        case.mediator = resolve_mediator(case, username, user)
        append_event(case, user, "assign_mediator", now, payload={"mediator": username})
        return case

    return with_retries(work)


def reveal_party_field(user: User, case_id: int, party_id: int, field: str, now=None) -> str:
    """Show a party's ID number or phone in full, and log that it was seen.

    :raise Forbidden (403): the user's role may not see full numbers.
    :raise InvalidInput (400): the field is neither id_number nor phone.
    :raise NotFound (404): no such case in the jurisdiction, or no such party on it.
    """
    policy.ensure(policy.can_reveal(user), "查看完整的身份证号码或电话")
    if field not in ("id_number", "phone"):
        raise InvalidInput("只能查看身份证号码或电话。", {"field": "id_number 或 phone"})
    now = now or utcnow()

    def work():
        case = get_case_for_update(user, case_id, counted=False)
        party = next((p for p in case.parties if p.id == party_id), None)
        if party is None:
            raise NotFound("当事人不存在。")
        append_event(case, user, "reveal", now, payload={"party_id": party_id, "field": field})
        return getattr(party, field) or ""

    return with_retries(work)
