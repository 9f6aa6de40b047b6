"""What the court's triggers do besides the status: 民特 numbers, sealed rulings, notices.

These run inside `change_state`, in the transition's transaction, after the guards passed.
"""

import sqlalchemy as sa

from mediation import papers
from mediation.cases.cleaning import stripped_text
from mediation.cases.operations.counters import next_serial
from mediation.cases.operations.issuing import issue_sealed
from mediation.errors import InvalidInput, Refused
from mediation.extensions import db
from mediation.models import (
    ConfirmationApplication,
    Court,
    CourtCounter,
    Notice,
    User,
    new_public_id,
)
from mediation.papers.court import default_ruling_text, ruling_html
from workflows import REJECT_GROUNDS_AFTER_ACCEPTANCE
from workflows.deadlines import china_time

RULING_TEXT_LIMIT = 20000
GROUND_LABELS = dict(REJECT_GROUNDS_AFTER_ACCEPTANCE)


def courts_serving(case) -> list[Court]:
    """The courts competent for a case: those serving its grid (民事诉讼法 Art 205: the
    basic court where the mediation organisation sits), by code."""
    courts = db.session.scalars(sa.select(Court).order_by(Court.code)).all()
    return [court for court in courts if court.serves(case.grid)]


def resolve_court(case, court_code) -> Court:
    """The court chosen for judicial confirmation; it must serve the case's region."""
    court = None
    if isinstance(court_code, str):
        court = db.session.scalar(sa.select(Court).where(Court.code == court_code.strip()))
    if court is None or not court.serves(case.grid):
        raise Refused([f"法院“{court_code}”不存在，或不管辖本案所在地区，请重新选择。"])
    return court


def court_case_number(court: Court, year: int) -> str:
    """The next 民特 number of the court's year: （2026）鄂0102民特15号 (DESIGN §2)."""
    serial = next_serial(CourtCounter, "court_id", court.id, year)
    return f"（{year}）{court.short_name}民特{serial}号"


def _number(case, payload, now) -> str:
    """The number the judge typed (kept as given, if no other case of the court has it), or
    the court's next one not taken by a typed number."""
    errors: dict[str, str] = {}
    typed = stripped_text(payload, "court_case_number", 80, "法院案号", errors)
    if errors:
        raise InvalidInput(errors["court_case_number"], errors)
    if typed and _taken(case, typed):
        raise Refused([f"法院案号“{typed}”已用于本院另一案件，请核对，或留空由系统编号。"])
    number = typed
    while not number or _taken(case, number):
        number = court_case_number(case.court, china_time(now).year)
    payload["court_case_number"] = number
    return number


def _taken(case, number: str) -> bool:
    """Does another application to the case's court carry this number?"""
    return db.session.scalar(
        sa.select(
            sa.exists().where(
                ConfirmationApplication.court_id == case.court_id,
                ConfirmationApplication.court_case_number == number,
                ConfirmationApplication.id != case.application.id,
            )
        )
    )


def after_request_confirmation(case, payload, now, limits, user):
    """Send the case to the chosen court; the court has days to decide on acceptance."""
    case.court = resolve_court(case, payload.get("court"))
    case.court_case_number = None
    case.ruling_text = None
    case.rejection_ground = None


def after_accept_application(case, payload, now, limits, user):
    """The court's case number, typed or assigned, and the ruling clock; notices."""
    application = case.application
    case.court_case_number = application.court_case_number = _number(case, payload, now)
    application.accepted_at = now
    application.accepted_by = user
    accepted = f"法院已受理司法确认申请，案号{case.court_case_number}。"
    _notify(case, "accept_application", accepted, now)


def after_confirm(case, payload, now, limits, user):
    """The ruling that the agreement is valid, sealed by the court; then the follow-up."""
    _decide(case, user, payload, now, "confirmed", None)
    case.ruling_text = case.application.ruling_text
    _notify(case, "confirm", "法院裁定确认调解协议有效。", now)


def after_reject_confirmation(case, payload, now, limits, user):
    """不予受理 before acceptance, 驳回 after: the ruling, sealed by the court; no clock."""
    ground = payload["ground"].strip()
    outcome = "rejected" if case.status == "confirmation_accepted" else "not_accepted"
    if outcome == "not_accepted":
        case.court_case_number = case.application.court_case_number = _number(case, payload, now)
    _decide(case, user, payload, now, outcome, ground)
    case.rejection_ground = ground
    what = "驳回司法确认申请" if outcome == "rejected" else "对司法确认申请不予受理"
    _notify(case, "reject_confirmation", f"法院裁定{what}：{GROUND_LABELS[ground]}。", now)


def after_withdraw_confirmation(case, payload, now, limits, user):
    """The parties withdrew before the decision (法释〔2011〕5号 Art 5: the court allows it).
    The case leaves the court: its judges no longer see it (the application stays on record)."""
    application = case.application
    if application is not None and application.open:
        application.outcome = "withdrawn"
        application.decided_at = now
    leave_court(case)


def leave_court(case) -> None:
    """The case is no longer before a court: a judge sees the cases sent to her court only."""
    case.court = None
    case.court_case_number = None


def _decide(case, user, payload, now, outcome, ground) -> None:
    """Record the decision and issue its 民事裁定书: the judge's text, or the default one."""
    application = case.application
    errors: dict[str, str] = {}
    text = stripped_text(payload, "ruling_text", RULING_TEXT_LIMIT, "裁定书内容", errors)
    if errors:
        raise InvalidInput(errors["ruling_text"], errors)
    application.outcome = outcome
    application.ground = ground
    application.decided_at = now
    application.decided_by = user
    application.ruling_text = text or default_ruling_text(case, application, outcome, ground)
    public_id = new_public_id()
    court = case.court
    application.ruling_document = issue_sealed(
        case,
        user,
        now,
        html=ruling_html(case, application, verify_url=papers.verify_url(public_id)),
        kind="ruling",
        public_id=public_id,
        number=application.court_case_number,
        unit=("court", court),
        reason=f"{court.name}民事裁定书：{application.court_case_number}",
    )
    payload["ruling_text"] = application.ruling_text
    payload["sha256"] = application.ruling_document.sha256
    payload["public_id"] = public_id


def _notify(case, kind: str, text: str, now) -> None:
    """Tell the case's mediator and the officers of its street what the court decided."""
    street = case.grid
    while street is not None and street.level != "street":
        street = street.parent
    officers = (
        db.session.scalars(
            sa.select(User).where(
                User.role == "street_officer", User.region_id == street.id, User.active
            )
        ).all()
        if street is not None
        else []
    )
    readers = {u.id: u for u in [case.mediator, *officers] if u is not None and u.active}
    for reader in readers.values():
        db.session.add(
            Notice(user=reader, case=case, kind=kind, text=f"{case.number}：{text}", created_at=now)
        )
