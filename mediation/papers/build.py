"""Each document of a case as HTML: the data gathered from the case, one template each.

The templates of `templates/documents/` share `_base.html` (the page, fonts, footer) and
hold one partial per document body, included by the standalone document and by the 卷宗
alike. What the templates show is prepared here: parties' details masked, ages computed,
moments on China's clock, labels for codes. User text reaches them as plain strings, which
the renderer escapes; only the SVG pictures drawn by `documents.pictures` are marked safe.
"""

import contextlib
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from documents import qr_image, seal_svg
from mediation.extensions import db
from mediation.models import AuditEvent, Case, FollowUpVisit, MediationSession, Signature
from mediation.models.cases import SATISFACTION, SESSION_OUTCOMES, SEXES
from mediation.papers import renderer
from mediation.privacy import id_birth_date, mask_id_number, mask_phone
from workflows import CATEGORIES, ROLES, SOURCES, STATE_BY_NAME, SYSTEM, TRANSITION_BY_TRIGGER
from workflows.deadlines import china_time

# The timeline's names of the audit actions that are not triggers of the workflow.
ACTION_LABELS = {
    "create": "登记纠纷",
    "session": "记录调解",
    "visit": "登记回访",
    "sign": "协议签名",
    "reveal": "查看完整号码",
    "assign_mediator": "指派调解员",
}
ROLE_LABELS = {**dict(ROLES), SYSTEM: "系统"}

DRAWN_PREFIX = "data:image/png;base64,"


# ---------------------------------------------------------------------------- the documents


def agreement_html(case: Case, *, sealed: bool, effective_on: date | None, verify_url: str) -> str:
    """调解协议书: the seal and the effective date when sealed, else a 草稿 watermark."""
    context = _agreement(case, sealed=sealed, effective_on=effective_on, verify_url=verify_url)
    return renderer().html("agreement.html", **_common(case), agreement=context)


def session_html(case: Case, session: MediationSession) -> str:
    """调解笔录 (人民调解记录) of one sitting."""
    return renderer().html("session.html", **_common(case), session=_session(session))


def intake_html(case: Case) -> str:
    """人民调解受理登记表."""
    return renderer().html("intake.html", **_common(case), intake=_intake(case))


def visit_html(case: Case, visit: FollowUpVisit) -> str:
    """人民调解回访记录 of one visit."""
    return renderer().html("visit.html", **_common(case), visit=_visit(case, visit))


def case_file_html(case: Case, *, verify_url: str | None) -> str:
    """卷宗: cover, 卷内目录, then every document of the case and its timeline, in one HTML."""
    agreement = None
    if case.agreement is not None:
        agreement = _agreement(
            case,
            sealed=case.agreement.sealed_document_id is not None,
            effective_on=case.effective_on,
            verify_url=verify_url,
            in_file=True,
        )
    concluded = china_time(case.concluded_at).date() if case.concluded_at else None
    cover = {
        "received_on": china_time(case.created_at).date(),
        "concluded_on": concluded,
        "retention": current_app.config.get("RETENTION") or "长期",
    }
    return renderer().html(
        "case_file.html",
        **_common(case),
        cover=cover,
        intake=_intake(case),
        sessions=[_session(session) for session in case.sessions],
        agreement=agreement,
        visits=[_visit(case, visit) for visit in case.visits],
        timeline=_timeline(case),
    )


# ---------------------------------------------------------------------------- their data


def _common(case: Case) -> dict:
    """What every document shows: the case and its committee."""
    return {"case": case, "committee": case.committee.name}


def _agreement(
    case: Case, *, sealed: bool, effective_on: date | None, verify_url: str | None, in_file=False
) -> dict:
    """The 调解协议书's content; `in_file` (the 卷宗's copy) has no seal picture, no QR code."""
    agreement = case.agreement
    drafted_on = china_time(agreement.drafted_at).date()
    signed = _valid_signatures(agreement.signatures)
    mediator = case.mediator.display_name if case.mediator else ""
    newest = max(case.sessions, key=lambda s: s.held_at, default=None)
    return {
        "record": agreement,
        "public_id": agreement.public_id,
        "sealed": sealed,
        # Not sealed here but in force: took effect before electronic seals (paper original).
        "draft": not sealed and effective_on is None,
        "in_file": in_file,
        "effective_on": effective_on,
        "verify_url": verify_url,
        "parties": [
            {
                **party_details(party, effective_on or drafted_on),
                "signature": signed.get(f"party:{party.id}"),
            }
            for party in case.parties
        ],
        "copies": len(case.parties) + 1,
        "mediator": mediator,
        "mediator_signature": signed.get("mediator"),
        "recorder": newest.recorded_by.display_name if newest else mediator,
        "seal": seal_svg(case.committee.name) if sealed and not in_file else None,
        "qr": qr_image(verify_url, size_mm=22) if verify_url and not in_file else None,
    }


def _intake(case: Case) -> dict:
    """The 受理登记表's content."""
    received_on = china_time(case.created_at).date()
    return {
        "received_on": received_on,
        "parties": [party_details(party, received_on) for party in case.parties],
        "category": dict(CATEGORIES).get(case.category, case.category),
        "source": dict(SOURCES).get(case.source, case.source),
        "registrar": case.created_by.display_name if case.created_by else "",
    }


def _session(session: MediationSession) -> dict:
    """The 调解笔录's content."""
    return {
        "record": session,
        "held_at": _moment(session.held_at),
        "held_on": china_time(session.held_at).date(),
        "outcome": dict(SESSION_OUTCOMES).get(session.outcome, session.outcome),
        "recorder": session.recorded_by.display_name,
    }


def _visit(case: Case, visit: FollowUpVisit) -> dict:
    """The 回访记录's content."""
    return {
        "record": visit,
        "parties": [f"{party.role_label}{party.name}" for party in case.parties],
        "visited_at": _moment(visit.visited_at),
        "visited_on": china_time(visit.visited_at).date(),
        "satisfaction": dict(SATISFACTION).get(visit.satisfaction, visit.satisfaction),
        "visitor": visit.visitor.display_name,
    }


def _timeline(case: Case) -> list[dict]:
    """The 案件流程记录: every audit event of the case, oldest first, in words."""
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)
    )
    signers = case.agreement.required_signers() if case.agreement else {}
    return [_event_row(event, signers) for event in events]


def _event_row(event: AuditEvent, signers: dict[str, str]) -> dict:
    """One line of the 案件流程记录: when, who, what, the states, and why."""
    payload = event.payload or {}
    transition = TRANSITION_BY_TRIGGER.get(event.action)
    signer = payload.get("signer") if event.action == "sign" else None
    return {
        "at": _moment(event.at),
        "actor": event.actor.display_name if event.actor else "系统自动",
        "role": ROLE_LABELS.get(event.actor_role, event.actor_role) if event.actor else "",
        "action": transition.label if transition else ACTION_LABELS.get(event.action, event.action),
        "from_state": _state_label(event.from_state),
        "to_state": _state_label(event.to_state),
        "note": event.reason or (f"签名人：{signers.get(signer, signer)}" if signer else ""),
        "sha256": payload.get("sha256"),
    }


# ---------------------------------------------------------------------------- small helpers


def party_details(party, on: date) -> dict:
    """A party's details as documents print them: numbers masked, age as of `on`."""
    return {
        "role": party.role_label,
        "organization": party.kind == "organization",
        "name": party.name,
        "sex": dict(SEXES).get(party.sex or "", ""),
        "ethnicity": party.ethnicity or "",
        "age": _age(party, on),
        "id_number": mask_id_number(party.id_number) if party.id_number else "",
        "occupation": party.occupation or "",
        "address": party.address or "",
        "phone": mask_phone(party.phone) if party.phone else "",
        "representative": party.legal_representative or "",
        "agent": party.agent or "",
    }


def _age(party, on: date) -> int | None:
    """Whole years from the party's birth date to `on` (the one stored, else the one in an
    18-digit ID number registered before birth dates were kept); None without either."""
    born = party.birth_date
    number = party.id_number or ""
    if born is None and len(number) == 18 and number[6:14].isdigit():
        with contextlib.suppress(ValueError):
            born = id_birth_date(number)
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _valid_signatures(signatures: list[Signature]) -> dict[str, dict]:
    """Signer code → how the signature is shown: a drawn PNG, or a typed name."""
    shown = {}
    for signature in signatures:
        if signature.voided_at is not None:
            continue
        if signature.method == "drawn" and (signature.image or "").startswith(DRAWN_PREFIX):
            shown[signature.signer] = {"image": signature.image, "typed": None}
        else:
            shown[signature.signer] = {"image": None, "typed": signature.typed_name or ""}
    return shown


def _moment(moment: datetime) -> str:
    """A stored UTC moment on China's clock: 2026年12月6日 10:30."""
    local = china_time(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _state_label(name: str | None) -> str:
    """The label of a state, or an empty string."""
    return STATE_BY_NAME[name].label if name in STATE_BY_NAME else ""
