"""The parties' joint application for judicial confirmation, and the court's extension.

The application (人民调解法 Art 33; 民事诉讼法 Art 205; 法释〔2011〕5号 Art 3) records each
party's consent with its time and manner, the court chosen among those competent, and the
materials handed in; the system adds the 申请书 it generates and the sealed agreement.
"""

from collections.abc import Sequence
from datetime import datetime

from mediation import papers
from mediation.access import policy
from mediation.audit import append_event, with_retries
from mediation.cases.cleaning import stripped_text
from mediation.cases.operations.clocks import set_clock
from mediation.cases.operations.court import courts_serving, resolve_court
from mediation.cases.operations.limits import time_limits
from mediation.cases.operations.materials import (
    CheckedMaterial,
    MaterialUpload,
    checked_materials,
)
from mediation.cases.operations.reading import (
    checked_version,
    ensure_current,
    get_case,
    get_case_for_update,
)
from mediation.cases.operations.transitions import change_state, checked_destination
from mediation.errors import ChainMoved, Forbidden, InvalidInput, Refused
from mediation.extensions import db
from mediation.inputs import whole_number
from mediation.models import (
    ConfirmationApplication,
    ConfirmationConsent,
    ConfirmationMaterial,
    Court,
    User,
)
from mediation.models.types import utcnow
from mediation.papers.court import application_html
from mediation.papers.store import store_file
from workflows import CONSENT_METHODS
from workflows.deadlines import CHINA_TZ

REASON_LIMIT = 1000
METHODS = dict(CONSENT_METHODS)
CONSENT_PROBLEMS = {
    "party_id": "当事人无效，请刷新页面后重新勾选。",
    "method": f"请选择同意方式：{'、'.join(METHODS.values())}。",
    "consented_at": "同意时间应为日期和时间，如 2026-11-20T14:30。",
}


def competent_courts(user: User, case_id: int) -> list[Court]:
    """The courts the case's application may go to: those serving its grid.

    :raise NotFound (404): no such case in the user's jurisdiction.
    """
    return courts_serving(get_case(user, case_id))


def _consent_records(consents, now: datetime) -> list[dict]:
    """The consents as [{party_id, method, consented_at}], each checked.

    Accepted forms: {"party_id": 3, "method": "signed", "consented_at": datetime or ISO
    text or None (now)}, or a bare party id (given in writing, now).

    :raise InvalidInput (400): not a list, or entries that are malformed; each problem under
        `consents.<i>.<field>`, so that a page can show it beside its row.
    """
    if not isinstance(consents, list | tuple):
        raise InvalidInput("当事人同意应为列表。", {"consents": "应为列表"})
    records, problems, seen = [], {}, set()
    for index, entry in enumerate(consents):
        entry = entry if isinstance(entry, dict) else {"party_id": entry, "method": "signed"}
        record = {
            "party_id": _party_id(entry.get("party_id")),
            "method": entry.get("method") if entry.get("method") in METHODS else None,
            "consented_at": _moment(entry.get("consented_at"), now),
        }
        for field, value in record.items():
            if value is None:
                problems[f"consents.{index}.{field}"] = CONSENT_PROBLEMS[field]
        if record["consented_at"] is not None and record["consented_at"] > now:
            problems[f"consents.{index}.consented_at"] = "同意时间不能晚于现在。"
        if record["party_id"] is not None and record["party_id"] in seen:
            problems[f"consents.{index}.party_id"] = "同一当事人的同意只能登记一次。"
        seen.add(record["party_id"])
        records.append(record)
    if problems:
        raise InvalidInput(" ".join(dict.fromkeys(problems.values())), problems)
    return records


def _party_id(value) -> int | None:
    """A party id: an integer, or ASCII digits; None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**31 else None
    return whole_number(value, 2**31 - 1)


def _moment(value, now: datetime) -> datetime | None:
    """A consent's time: now when not given; a datetime or ISO 8601 text (China time when
    it has no zone); None when unreadable."""
    if value is None or value == "":
        return now
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)


def request_confirmation(
    user: User,
    case_id: int,
    version,
    *,
    court,
    consents,
    materials: Sequence[MaterialUpload] = (),
    now: datetime | None = None,
):
    """File the joint application and send the case to the court (fires request_confirmation).

    Every upload is checked before anything is stored (type read from the content, size,
    name); then, in one transaction: the application with each party's consent and the
    materials (stored once under their SHA-256), the generated 申请书, and one audit event
    carrying the court, the consents and each file's hash.

    :raise Forbidden (403): the role files no applications.
    :raise InvalidInput (400): version, a consent or a file is malformed (each named).
    :raise NotFound (404): no such case in the user's jurisdiction.
    :raise Conflict (409): the case changed since `version`.
    :raise Refused (422): not every party consented, the 30-day window closed (the refusal
        names its last day), the matter cannot be confirmed, no court or one that does not
        serve the case's region, or the case is not in agreement_effective.
    """
    version = checked_version(version)
    now = now or utcnow()
    records = _consent_records(consents, now)
    files = checked_materials(materials)

    def work():
        # As for every trigger: the jurisdiction (404) first, then the role (403).
        case = get_case_for_update(user, case_id)
        if user is None or not policy.can_apply_confirmation(user):
            raise Forbidden("您的角色无权执行“申请司法确认”。")
        ensure_current(case, version)
        if unknown := {r["party_id"] for r in records} - {p.id for p in case.parties}:
            raise InvalidInput(
                "所选当事人不属于本案，请刷新页面后重新勾选。", {"consents": str(sorted(unknown))}
            )
        limits = time_limits()
        payload = {"court": court, "consents": _audited_consents(records)}
        dest = checked_destination(case, "request_confirmation", user.role, payload, now, limits)
        application = _file(case, user, resolve_court(case, court), records, files, now)
        payload["materials"] = [
            {"kind": m.kind, "sha256": m.sha256, "filename": m.filename}
            for m in application.materials
        ]
        payload["sha256"] = application.application_file.sha256
        change_state(case, user, "request_confirmation", dest, version, payload, now, limits)
        return case

    return with_retries(work, retry_on=(ChainMoved,))


def _audited_consents(records: list[dict]) -> list[dict]:
    """The consents as the log keeps them (times in ISO 8601)."""
    return [{**r, "consented_at": r["consented_at"].isoformat()} for r in records]


def _file(case, user, court, records, files: list[CheckedMaterial], now):
    """The application with its consents and materials, and its generated 申请书."""
    application = ConfirmationApplication(case=case, court=court, applied_at=now, applied_by=user)
    db.session.add(application)
    parties = {p.id: p for p in case.parties}
    for record in records:
        db.session.add(
            ConfirmationConsent(
                application=application,
                party=parties[record["party_id"]],
                method=record["method"],
                consented_at=record["consented_at"],
            )
        )
    for item in files:
        stored = store_file(item.data, item.media_type)
        db.session.add(
            ConfirmationMaterial(
                application=application,
                kind=item.kind,
                filename=item.filename,
                media_type=item.media_type,
                size=len(item.data),
                file=stored,
                uploaded_at=now,
            )
        )
    case.court = court
    db.session.flush()
    pdf = papers.renderer().pdf(application_html(case, application))
    application.application_file = store_file(pdf)
    return application


def extend_review(user: User, case_id: int, version, *, reason, now: datetime | None = None):
    """Record the approved extension of the review period (延长审查期限, 法释〔2011〕5号 Art 5):
    the ruling clock gets its extra days, once.

    :raise Forbidden (403): not a judge.
    :raise InvalidInput (400): version missing, or the reason empty or too long.
    :raise NotFound (404): no such case sent to the judge's court.
    :raise Conflict (409): the case changed since `version`.
    :raise Refused (422): the application is not accepted, or was extended already.
    """
    version = checked_version(version)
    errors: dict[str, str] = {}
    reason = stripped_text({"reason": reason}, "reason", REASON_LIMIT, "延长理由", errors, True)
    now = now or utcnow()

    def work():
        # As for the court's triggers: the jurisdiction (404), the role (403), then the input.
        case = get_case_for_update(user, case_id, counted=False)
        policy.ensure(policy.can_extend_review(user), "延长审查期限")
        if errors:
            raise InvalidInput(errors["reason"], errors)
        ensure_current(case, version)
        if not policy.can_extend_review(user, case):
            raise Refused([_why_not_extended(case)])
        application = case.application
        application.extended_at = now
        application.extended_by = user
        application.extension_reason = reason
        set_clock(case, case.status, now, time_limits())
        append_event(
            case,
            user,
            "extend_review",
            now,
            reason=reason,
            payload={"reason": reason, "deadline": case.deadline_at.isoformat()},
        )
        return case

    return with_retries(work, retry_on=(ChainMoved,))


def _why_not_extended(case) -> str:
    """The refusal of an extension."""
    if case.status != "confirmation_accepted":
        return f"案件当前状态为“{case.state.label}”，受理后、裁定前才能延长审查期限。"
    return "审查期限已延长过一次（法释〔2011〕5号第五条：经院长批准可延长十日），不能再延长。"
