"""The operations that change cases. The only place that does: pages and the API call these.

Each operation is one transaction: the change, its audit event and its side records commit
together or not at all. Every write first takes the case row (`get_case_for_update`), so
writers to one case queue up: events that carry no version (sessions, visits, signatures …)
never conflict, and a transition whose `version` is no longer the case's answers 409 before
it writes anything. The compare-and-set on `version` and on the chain head (`audit_head`)
still guards every event, on SQLite and PostgreSQL alike.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from mediation.access.scoping import can_see_region, case_clause
from mediation.audit import build_event
from mediation.cases.intake import amount as clean_amount
from mediation.cases.intake import clean_intake, code, committee_for, text
from mediation.errors import (
    ChainMoved,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Refused,
)
from mediation.extensions import db
from mediation.models import (
    Agreement,
    AuditEvent,
    Case,
    CaseCounter,
    Court,
    FollowUpVisit,
    MediationSession,
    Party,
    Signature,
    User,
)
from mediation.models.cases import SATISFACTION, SESSION_OUTCOMES, SIGNATURE_METHODS
from mediation.models.types import utcnow
from workflows import (
    EXCLUDED_MATTERS,
    SYSTEM,
    TRANSITION_BY_TRIGGER,
    CaseFacts,
    GuardRefused,
    NotAvailableInState,
    RoleNotAllowed,
    TimeLimits,
    UnknownTrigger,
    court_acceptance_deadline,
    court_ruling_deadline,
    fire,
    grid_deadline,
    mediation_deadline,
    visit_deadline,
)
from workflows.deadlines import CHINA_TZ

INTAKE_ROLES = ("grid_worker", "mediator", "street_officer")
RECORDING_ROLES = ("grid_worker", "mediator", "street_officer")
REVEAL_ROLES = ("mediator", "street_officer", "judge")
ASSIGN_ROLES = ("mediator", "street_officer")
MEDIATOR_ROLES = ("mediator", "street_officer")
SESSION_STATES = ("grid_mediation", "street_mediation", "agreement_drafted")
VISIT_STATES = ("agreement_effective", "confirmed", "confirmation_rejected")
AGREEMENT_KEYS = (
    "facts",
    "terms",
    "performance_method",
    "performance_place",
    "performance_deadline",
    "amount",
    "matter",
)
# What of a transition's payload goes into the audit log.
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
    "joint_application",
    *AGREEMENT_KEYS,
)
CHAIN_RETRIES = 5
EARLIEST_DAY = date(2000, 1, 1)


def time_limits() -> TimeLimits:
    """The city's time limits, from settings."""
    return TimeLimits.from_mapping(current_app.config["TIME_LIMITS"])


def china_time(moment: datetime) -> datetime:
    """The same moment on China's clock, so that deadlines end at midnight in China."""
    return moment.astimezone(CHINA_TZ)


def end_of(day: date | None) -> datetime | None:
    """The last second of a day in China."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=CHINA_TZ) if day else None


# ---------------------------------------------------------------------------- reading


def get_case(user: User | None, case_id: int) -> Case:
    """The case if it exists and lies in the user's jurisdiction (None: the system); else 404."""
    stmt = sa.select(Case).where(Case.id == case_id)
    if user is not None:
        stmt = stmt.where(case_clause(user))
    case = db.session.scalar(stmt)
    if case is None:
        raise NotFound("案件不存在，或不在您的辖区内。")
    return case


def get_case_for_update(user: User | None, case_id: int) -> Case:
    """get_case, holding the case row until commit; read afresh once it is held.

    Every operation that writes a case takes it this way first (PostgreSQL: SELECT … FOR
    UPDATE; SQLite: the database's write lock, by a write that changes nothing). Writers to
    one case then queue up: a session recorded beside another is no conflict, and the loser
    of a transition race sees the winner's version and answers 409 before it writes anything.
    """
    db.session.expire_all()
    if db.engine.dialect.name != "postgresql":
        db.session.execute(
            sa.update(Case)
            .where(Case.id == case_id)
            .values(audit_head=Case.audit_head)
            .execution_options(synchronize_session=False)
        )
        return get_case(user, case_id)
    stmt = sa.select(Case).where(Case.id == case_id).with_for_update(of=Case)
    if user is not None:
        stmt = stmt.where(case_clause(user))
    case = db.session.scalar(stmt)
    if case is None:
        raise NotFound("案件不存在，或不在您的辖区内。")
    return case


def case_facts(case: Case, payload: dict) -> CaseFacts:
    """What the guards need to know, read from the case (and the agreement in the payload)."""
    roles = {p.role for p in case.parties}
    agreement_missing: tuple[str, ...] = ()
    matter = case.agreement.matter if case.agreement else None
    if case.status in ("grid_mediation", "street_mediation"):
        draft = draft_agreement_from(payload, case.agreement)
        agreement_missing, matter = draft.missing(), draft.matter
    party_ids = {p.id for p in case.parties}
    return CaseFacts(
        status=case.status,
        came_from=case.came_from,
        has_applicant="applicant" in roles,
        has_respondent="respondent" in roles,
        mediator_assigned=case.mediator_id is not None,
        party_refused=any(p.refuses_mediation for p in case.parties),
        session_count=len(case.sessions),
        agreement_missing=agreement_missing,
        signatures_missing=case.agreement.signers_missing() if case.agreement else ("协议",),
        effective_on=case.effective_on,
        agreement_matter=matter,
        court_chosen=bool(payload.get("court")),
        joint_application=payload.get("joint_application") is True
        or (bool(party_ids) and party_ids <= consenting_parties(payload.get("consents"))),
        performance_recorded=any(v.performed is not None for v in case.visits),
        grid_deadline_at=case.grid_deadline_at,
    )


def consenting_parties(consents) -> set[int]:
    """Party ids from a consents list: [{"party_id": 3, "method": …}] or [3, 4]."""
    if not isinstance(consents, list):
        return set()
    ids = (c.get("party_id") if isinstance(c, dict) else c for c in consents)
    return {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}


# ---------------------------------------------------------------------------- the chain


def next_seq(case: Case) -> int:
    """The sequence number the case's next audit event gets."""
    last = db.session.scalar(
        sa.select(sa.func.max(AuditEvent.seq)).where(AuditEvent.case_id == case.id)
    )
    return (last or 0) + 1


def append_event(
    case: Case,
    actor: User | None,
    action: str,
    now: datetime,
    version: int | None = None,
    status: str | None = None,
    **fields,
) -> None:
    """Chain an audit event to the case in one compare-and-set UPDATE of the case row.

    The row moves only if its chain head is still the one this event links to and, for a
    transition (version given), its version is the one the user saw; then the version rises
    by one and the status becomes `status`. Otherwise Conflict (the version moved: the user
    must reload) or ChainMoved (only another event was appended: the caller may retry).
    """
    event = build_event(
        case,
        next_seq(case),  # its query also flushes the side effects already made to the case
        now,
        actor.id if actor else None,
        actor.role if actor else SYSTEM,
        action,
        fields.get("from_state"),
        fields.get("to_state"),
        fields.get("reason"),
        fields.get("payload") or {},
    )
    claimed = {"audit_head": event.hash, "updated_at": now}
    where = [Case.id == case.id, Case.audit_head == case.audit_head]
    if version is not None:
        claimed.update(version=version + 1, status=status)
        where.append(Case.version == version)
    moved = db.session.execute(
        sa.update(Case).where(*where).values(**claimed).execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        current = db.session.scalar(sa.select(Case.version).where(Case.id == case.id))
        if version is not None and current != version:
            raise Conflict("案件刚被他人更新，请刷新后重试。")
        raise ChainMoved("案件刚被他人更新，请刷新后重试。")
    db.session.add(event)
    for key, value in claimed.items():
        # Already written by the UPDATE above: record it without a second UPDATE at commit.
        so.attributes.set_committed_value(case, key, value)


def with_retries(work, retry_on=(Conflict,)):
    """Run work() in one transaction; start again when a concurrent writer got there first."""
    for attempt in range(CHAIN_RETRIES):
        try:
            result = work()
            db.session.commit()
            return result
        except retry_on:
            db.session.rollback()
            if attempt == CHAIN_RETRIES - 1:
                raise
        except Exception:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------- intake


def next_serial(committee_id: int, year: int) -> int:
    """Take the next case serial of a committee's year; the row update serialises writers."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(CaseCounter)
        .values(committee_id=committee_id, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["committee_id", "year"])
    )
    return db.session.execute(
        sa.update(CaseCounter)
        .where(CaseCounter.committee_id == committee_id, CaseCounter.year == year)
        .values(last=CaseCounter.last + 1)
        .returning(CaseCounter.last)
    ).scalar_one()


def create_case(user: User, data: dict, now: datetime | None = None) -> Case:
    """Register a dispute (受理登记): checks every field, numbers it, logs it."""
    if user.role not in INTAKE_ROLES:
        raise Forbidden("您的角色不能登记纠纷。")
    now = now or utcnow()
    cleaned = clean_intake(user, data)
    committee = committee_for(cleaned["grid"])
    year = china_time(now).year
    serial = next_serial(committee.id, year)
    case = Case(
        number=f"（{year}）{committee.short_name}人调字第{serial}号",
        year=year,
        serial=serial,
        committee=committee,
        grid=cleaned["grid"],
        title=cleaned["title"],
        category=cleaned["category"],
        source=cleaned["source"],
        description=cleaned["description"],
        amount=cleaned["amount"],
        status="intake",
        version=1,
        created_by=user,
        created_at=now,
        updated_at=now,
        parties=[Party(**party) for party in cleaned["parties"]],
    )
    if user.role == "mediator":
        case.mediator = user
    db.session.add(case)
    db.session.flush()
    event = build_event(
        case, 1, now, user.id, user.role, "create", None, "intake", None, {"number": case.number}
    )
    db.session.add(event)
    case.audit_head = event.hash
    db.session.commit()
    return case


# ---------------------------------------------------------------------------- transitions


def draft_agreement_from(payload: dict, current: Agreement | None) -> Agreement:
    """An unsaved agreement: the current draft's fields overridden by those in the payload."""
    draft = Agreement()
    for key in AGREEMENT_KEYS:
        setattr(draft, key, getattr(current, key) if current else None)
    errors: dict[str, str] = {}
    if "facts" in payload:
        draft.facts = text(payload, "facts", 5000, "纠纷事实", errors)
    if "terms" in payload:
        terms = payload["terms"]
        if isinstance(terms, str):
            terms = terms.splitlines()
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            errors["terms"] = "协议条款应为文字列表，每条一项。"
            terms = []
        draft.terms = [t.strip() for t in terms if t.strip()]
    for key, label in (("performance_method", "履行方式"), ("performance_place", "履行地点")):
        if key in payload:
            setattr(draft, key, text(payload, key, 200, label, errors))
    if "performance_deadline" in payload:
        draft.performance_deadline = parse_date(payload["performance_deadline"], "履行期限", errors)
    if "amount" in payload:
        draft.amount = clean_amount(payload, "amount", errors)
    if payload.get("matter"):
        draft.matter = code(payload, "matter", EXCLUDED_MATTERS, "协议涉及事项", errors)
    if errors:
        raise InvalidInput("协议内容有误：" + "；".join(errors.values()), errors)
    return draft


def parse_date(value, label: str, errors: dict, key: str = "performance_deadline") -> date | None:
    """A date from an ISO string (2026-12-31) or a date, between 2000 and ten years ahead."""
    if not value:
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError:
        errors[key] = f"{label}应为日期，格式如 2026-12-31。"
        return None
    if not EARLIEST_DAY <= day <= date.today() + timedelta(days=3660):
        errors[key] = f"{label}不合理，请核对年份。"
        return None
    return day


def resolve_mediator(case: Case, username) -> User:
    """The active mediator named in an `accept`, who must work where the case is."""
    user = None
    if isinstance(username, str) and username.strip():
        user = db.session.scalar(sa.select(User).where(User.username == username.strip()))
    if (
        user is None
        or not user.active
        or user.role not in MEDIATOR_ROLES
        or not can_see_region(user, case.grid)
    ):
        raise Refused([f"调解员“{username}”不存在、已停用，或不负责本案所在辖区，请重新指派。"])
    return user


def resolve_court(case: Case, court_code) -> Court:
    """The court chosen for judicial confirmation; it must serve the case's region."""
    court = None
    if isinstance(court_code, str):
        court = db.session.scalar(sa.select(Court).where(Court.code == court_code.strip()))
    if court is None or not court.serves(case.grid):
        raise Refused([f"法院“{court_code}”不存在，或不管辖本案所在地区，请重新选择。"])
    return court


def after_accept(case, payload, now, limits):
    """Assign the mediator and start the grid and whole-mediation clocks."""
    if payload.get("mediator"):
        case.mediator = resolve_mediator(case, payload["mediator"])
    local = china_time(now)
    case.accepted_at = now
    case.grid_deadline_at = grid_deadline(local, limits)
    case.mediation_deadline_at = mediation_deadline(local, limits)
    case.deadline_at = case.grid_deadline_at


def after_escalate(case, payload, now, limits):
    """Street level: the whole-mediation clock now applies."""
    case.escalated_at = now
    case.deadline_at = case.mediation_deadline_at


def after_draft_agreement(case, payload, now, limits):
    """Save the agreement draft and remember which stage it came from."""
    draft = draft_agreement_from(payload, case.agreement)
    agreement = case.agreement or Agreement(case=case)
    void_signatures(agreement, now)
    for key in AGREEMENT_KEYS:
        setattr(agreement, key, getattr(draft, key))
    agreement.drafted_at = now
    db.session.add(agreement)
    case.came_from = case.status


def follow_up_clock(case, limits):
    """The visit is due some days after the agreement's performance deadline."""
    deadline = case.agreement.performance_deadline if case.agreement else None
    case.deadline_at = end_of(visit_deadline(deadline, limits)) if deadline else None


def void_signatures(agreement: Agreement, now: datetime) -> None:
    """Signatures given to earlier terms no longer count."""
    for signature in agreement.signatures:
        signature.voided_at = signature.voided_at or now


def after_reopen(case, payload, now, limits):
    """Back to mediation: every signature collected so far is void."""
    void_signatures(case.agreement, now)
    case.came_from = None


def after_make_effective(case, payload, now, limits):
    """The agreement is in force: date it and start the follow-up clock."""
    case.effective_on = china_time(now).date()
    follow_up_clock(case, limits)


def after_request_confirmation(case, payload, now, limits):
    """Send the case to the chosen court; the court has days to decide on acceptance."""
    case.court = resolve_court(case, payload.get("court"))
    case.deadline_at = court_acceptance_deadline(china_time(now), limits)


def after_accept_application(case, payload, now, limits):
    """The court's case number, and the ruling clock."""
    errors: dict[str, str] = {}
    case.court_case_number = text(payload, "court_case_number", 80, "法院案号", errors)
    if errors:
        raise InvalidInput(errors["court_case_number"], errors)
    case.deadline_at = court_ruling_deadline(china_time(now), limits)


def after_confirm(case, payload, now, limits):
    """Keep the ruling; what remains is the follow-up visit."""
    case.ruling_text = payload["ruling_text"].strip()
    follow_up_clock(case, limits)


def after_reject_confirmation(case, payload, now, limits):
    """Record the ground; no court clock runs any more."""
    case.rejection_ground = payload["ground"].strip()
    case.deadline_at = None


def after_withdraw_confirmation(case, payload, now, limits):
    """The application is withdrawn; the follow-up clock applies again."""
    follow_up_clock(case, limits)


def after_remediate(case, payload, now, limits):
    """Mediation starts again at the street, with a fresh whole-mediation clock."""
    case.mediation_deadline_at = mediation_deadline(china_time(now), limits)
    case.deadline_at = case.mediation_deadline_at
    case.came_from = None


def after_decline(case, payload, now, limits):
    """Keep the reason code; the case ends."""
    case.decline_reason = payload["reason_code"].strip()
    conclude(case, payload, now, limits)


def conclude(case, payload, now, limits):
    """A terminal state: no clock runs."""
    case.concluded_at = now
    case.deadline_at = None


SIDE_EFFECTS = {
    "accept": after_accept,
    "decline": after_decline,
    "escalate": after_escalate,
    "auto_escalate": after_escalate,
    "draft_agreement": after_draft_agreement,
    "reopen": after_reopen,
    "make_effective": after_make_effective,
    "request_confirmation": after_request_confirmation,
    "accept_application": after_accept_application,
    "confirm": after_confirm,
    "reject_confirmation": after_reject_confirmation,
    "withdraw_confirmation": after_withdraw_confirmation,
    "remediate": after_remediate,
    "terminate": conclude,
    "withdraw": conclude,
    "close": conclude,
}


def audited(payload: dict) -> dict:
    """The part of a payload the audit log keeps (JSON-safe)."""
    kept = {}
    for key in AUDITED_KEYS:
        if key in payload:
            value = payload[key]
            kept[key] = str(value) if isinstance(value, Decimal | date) else value
    return kept


def change_state(case, user, trigger, dest, version, payload, now, limits) -> None:
    """Run the trigger's side effects, then move the case to dest if nobody moved it first."""
    source = case.status
    SIDE_EFFECTS.get(trigger, lambda *args: None)(case, payload, now, limits)
    case.overdue = bool(case.deadline_at and case.deadline_at < now)
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
        payload=audited(payload),
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
    """
    payload = payload or {}
    now = now or utcnow()
    limits = time_limits()
    role = user.role if user else SYSTEM
    if not isinstance(payload, dict):
        raise InvalidInput("请求内容应为对象。")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput("请提供案件版本号 version（整数）。", {"version": "必填，整数"})
    transition = TRANSITION_BY_TRIGGER.get(trigger)
    if transition is None:
        raise InvalidInput(f"未知的操作：{trigger}。", {"trigger": "未知的操作"})

    def work():
        case = get_case_for_update(user, case_id)
        if role not in transition.roles:
            raise Forbidden(f"您的角色无权执行“{transition.label}”。")
        if version != case.version:
            raise Conflict(f"案件已被他人更新（当前版本 {case.version}），请刷新后重试。")
        dest = checked_destination(case, trigger, role, payload, now, limits)
        change_state(case, user, trigger, dest, version, payload, now, limits)
        return case

    # A session or visit recorded meanwhile moves the chain but not the version: try again.
    return with_retries(work, retry_on=(ChainMoved,))


def checked_destination(case, trigger, role, payload, now, limits) -> str:
    """Ask the state machine where the trigger leads, turning its refusals into ours."""
    try:
        return fire(trigger, case_facts(case, payload), role, payload, now, limits)
    except RoleNotAllowed as refusal:
        raise Forbidden(str(refusal)) from None
    except NotAvailableInState as refusal:
        raise Refused([str(refusal)]) from None
    except GuardRefused as refusal:
        raise Refused(refusal.reasons) from None
    except UnknownTrigger as refusal:
        raise InvalidInput(str(refusal)) from None


# ---------------------------------------------------------------------------- records


def ensure_role(user: User, roles: tuple[str, ...], what: str) -> None:
    """Refuse with 403 unless the user's role is one of roles."""
    if user.role not in roles:
        raise Forbidden(f"您的角色不能{what}。")


def parse_moment(value, label: str, key: str, errors: dict, now: datetime) -> datetime | None:
    """A past-or-present timestamp from ISO text; naive values are China time."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            errors[key] = f"请填写{label}，格式如 2026-11-20T14:30。"
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    if moment.date() < EARLIEST_DAY:
        errors[key] = f"{label}不合理，请核对年份。"
        return None
    if moment > now:
        errors[key] = f"{label}不能晚于现在。"
        return None
    return moment


def record_session(user: User, case_id: int, data: dict, now: datetime | None = None):
    """Record a mediation session (调解记录) on a case under mediation."""
    ensure_role(user, RECORDING_ROLES, "记录调解")
    now = now or utcnow()
    if not isinstance(data, dict):
        raise InvalidInput("请求内容应为对象。")
    errors: dict[str, str] = {}
    fields = {
        "held_at": parse_moment(data.get("held_at"), "调解时间", "held_at", errors, now),
        "location": text(data, "location", 200, "调解地点", errors, required=True),
        "mediators": text(data, "mediators", 200, "调解员", errors) or user.display_name,
        "attendees": text(data, "attendees", 2000, "参加人", errors, required=True),
        "summary": text(data, "summary", 10000, "各方陈述及调解经过", errors, required=True),
        "outcome": code(data, "outcome", SESSION_OUTCOMES, "调解结果", errors),
    }
    if errors:
        raise InvalidInput("调解记录有误：" + "；".join(errors.values()), errors)

    def work():
        case = get_case_for_update(user, case_id)
        if case.status not in SESSION_STATES:
            raise Refused([f"案件当前状态为“{case.state.label}”，不能记录调解。"])
        session = MediationSession(case=case, recorded_by=user, **fields)
        db.session.add(session)
        append_event(case, user, "session", now, payload={"held_at": fields["held_at"].isoformat()})
        return session

    return with_retries(work)


def record_visit(user: User, case_id: int, data: dict, now: datetime | None = None):
    """Record a follow-up visit (回访记录) once an agreement is in force."""
    ensure_role(user, RECORDING_ROLES, "登记回访")
    now = now or utcnow()
    if not isinstance(data, dict):
        raise InvalidInput("请求内容应为对象。")
    errors: dict[str, str] = {}
    performed = data.get("performed")
    if not isinstance(performed, bool):
        errors["performed"] = "请选择协议是否已履行（是/否）。"
    fields = {
        "visited_at": parse_moment(data.get("visited_at"), "回访时间", "visited_at", errors, now),
        "performed": performed,
        "satisfaction": code(data, "satisfaction", SATISFACTION, "满意程度", errors),
        "remaining_risk": text(data, "remaining_risk", 2000, "遗留风险", errors),
        "notes": text(data, "notes", 5000, "回访情况", errors),
    }
    if errors:
        raise InvalidInput("回访记录有误：" + "；".join(errors.values()), errors)

    def work():
        case = get_case_for_update(user, case_id)
        if case.status not in VISIT_STATES:
            raise Refused([f"案件当前状态为“{case.state.label}”，协议生效后才能回访。"])
        visit = FollowUpVisit(case=case, visitor=user, **fields)
        db.session.add(visit)
        append_event(case, user, "visit", now, payload={"performed": performed})
        return visit

    return with_retries(work)


def assign_mediator(user: User, case_id: int, username: str, now: datetime | None = None) -> Case:
    """Give an open case to another mediator of the area."""
    ensure_role(user, ASSIGN_ROLES, "指派调解员")
    now = now or utcnow()

    def work():
        case = get_case_for_update(user, case_id)
        if case.is_terminal:
            raise Refused(["案件已办结，不能再指派调解员。"])
        case.mediator = resolve_mediator(case, username)
        append_event(case, user, "assign_mediator", now, payload={"mediator": username})
        return case

    return with_retries(work)


def reveal_party_field(user: User, case_id: int, party_id: int, field: str, now=None) -> str:
    """Show a party's ID number or phone in full, and log that it was seen."""
    ensure_role(user, REVEAL_ROLES, "查看完整的身份证号码或电话")
    if field not in ("id_number", "phone"):
        raise InvalidInput("只能查看身份证号码或电话。", {"field": "id_number 或 phone"})
    now = now or utcnow()

    def work():
        case = get_case_for_update(user, case_id)
        party = next((p for p in case.parties if p.id == party_id), None)
        if party is None:
            raise NotFound("当事人不存在。")
        append_event(case, user, "reveal", now, payload={"party_id": party_id, "field": field})
        return getattr(party, field) or ""

    return with_retries(work)


MAX_SIGNATURE_IMAGE = 400_000
STAFF_SIGNERS = ("mediator", "seal")


def clean_signature(data: dict, errors: dict) -> dict:
    """The signer, the method and the drawn image or typed name."""
    fields = {
        "signer": text(data, "signer", 32, "签名人", errors, required=True),
        "method": code(data, "method", SIGNATURE_METHODS, "签名方式", errors),
        "typed_name": text(data, "typed_name", 120, "签名姓名", errors),
        "image": data.get("image") or None,
    }
    image = fields["image"]
    if image is not None and (
        not isinstance(image, str)
        or not image.startswith("data:image/png;base64,")
        or len(image) > MAX_SIGNATURE_IMAGE
    ):
        errors["image"] = "签名图片应为 PNG 格式的 data URL，且不超过 300 KB。"
    if fields["method"] == "drawn" and not image:
        errors["image"] = "手写签名须附签名图片。"
    if fields["method"] == "typed" and not fields["typed_name"]:
        errors["typed_name"] = "请输入签名人姓名。"
    return fields


def sign_agreement(user: User, case_id: int, data: dict, now: datetime | None = None):
    """Record one signature on the drafted agreement; the last one makes it effective."""
    ensure_role(user, MEDIATOR_ROLES, "登记协议签名")
    now = now or utcnow()
    if not isinstance(data, dict):
        raise InvalidInput("请求内容应为对象。")
    errors: dict[str, str] = {}
    fields = clean_signature(data, errors)
    if errors:
        raise InvalidInput("签名信息有误：" + "；".join(errors.values()), errors)

    def work():
        case = get_case_for_update(user, case_id)
        if case.status != "agreement_drafted" or case.agreement is None:
            raise Refused([f"案件当前状态为“{case.state.label}”，没有待签署的协议。"])
        agreement = case.agreement
        required = agreement.required_signers()
        if fields["signer"] not in required:
            allowed = "、".join(required)
            raise InvalidInput(f"签名人应为：{allowed}。", {"signer": allowed})
        signed = {s.signer for s in agreement.signatures if s.voided_at is None}
        if fields["signer"] in signed:
            raise Refused([f"{required[fields['signer']]}已签署，无需重复签名。"])
        signature = Signature(agreement=agreement, signed_at=now, recorded_by=user, **fields)
        db.session.add(signature)
        append_event(case, user, "sign", now, payload={"signer": fields["signer"]})
        if not agreement.signers_missing():
            limits = time_limits()
            dest = checked_destination(case, "make_effective", SYSTEM, {}, now, limits)
            change_state(case, None, "make_effective", dest, case.version, {}, now, limits)
        return signature

    return with_retries(work)
