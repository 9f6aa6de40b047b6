"""The guards of DESIGN §2: what must be true before each trigger may fire."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from workflows.deadlines import TimeLimits, as_aware, confirmation_deadline, legal_date
from workflows.errors import N_, Coded, CodedMessage, GuardRefused, UnknownTrigger, Words
from workflows.states import INITIAL, MEDIATION_STATES
from workflows.table import (
    AGREEMENT_FIELDS,
    DECLINE_REASONS,
    ESCALATE_REASONS,
    EXCLUDED_MATTERS,
    OTHER_ROUTES,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
)

__all__ = ["CaseFacts", "GuardRefused", "blockers", "refusals"]


@dataclass
class CaseFacts:
    """What the guards need to know about a case, built by the service layer from the database."""

    status: str = INITIAL
    came_from: str | None = None
    has_applicant: bool = False
    has_respondent: bool = False
    mediator_assigned: bool = False
    party_refused: bool = False
    session_count: int = 0
    agreement_missing: tuple[str, ...] = ()
    signatures_missing: tuple[str, ...] = ()
    effective_on: date | None = None
    agreement_matter: str | None = None
    court_chosen: bool = False
    joint_application: bool = False
    # The parties whose consent to the joint application is not recorded, by name.
    consents_missing: tuple[str, ...] = ()
    performance_recorded: bool = False
    grid_deadline_at: datetime | None = None


# What the case must already hold, whatever the trigger's form says: the case page disables a
# trigger these refuse, with their reasons (they see no payload, so no form can answer them).
_Standing = Callable[[CaseFacts, datetime, TimeLimits], list[str]]
# What the user supplies with the trigger (a reason, a choice, the agreement's fields).
_Form = Callable[[CaseFacts, Mapping], list[str]]


def _nothing(*_args) -> list[str]:
    """No condition of this kind."""
    return []


@dataclass(frozen=True)
class _Guard:
    """A trigger's guard in its two parts; the trigger may fire when both have nothing to say."""

    standing: _Standing = _nothing
    form: _Form = _nothing


def _text(payload: Mapping, key: str) -> str:
    """Return the payload's text for key, stripped, or '' when absent or not text."""
    value = payload.get(key)
    return value.strip() if isinstance(value, str) else ""


def _choices(codes: tuple[tuple[str, str], ...]) -> str:
    """List the allowed choices by their labels for a message (never their codes)."""
    return "、".join(label for _code, label in codes)


def _code_refusals(
    payload: Mapping, key: str, codes: tuple[tuple[str, str], ...], what: str
) -> list[str]:
    """Refuse a missing or unknown code under key, naming the allowed choices in words.

    The value sent is not echoed (it is a code, or anything a client made up); the message
    carries the allowed codes for the API (CodedMessage).
    """
    value = _text(payload, key)
    if not value:
        text = f"请选择{what}：{_choices(codes)}。"
    elif value not in dict(codes):
        text = f"所选的{what}无效，请从以下选择：{_choices(codes)}。"
    else:
        return []
    return [CodedMessage(text, key, dict(codes))]


def _reason_refusals(payload: Mapping, what: str) -> list[str]:
    """Refuse an empty free-text reason."""
    return [] if _text(payload, "reason") else [f"请填写{what}。"]


def _accept_standing(facts, now, limits):
    """An applicant and a respondent, and nobody refuses mediation."""
    reasons = []
    if not facts.has_applicant:
        reasons.append(Words(N_("请先登记至少一名申请人。")))
    if not facts.has_respondent:
        reasons.append(Words(N_("请先登记至少一名被申请人。")))
    if facts.party_refused:
        reasons.append(
            Words(N_("当事人一方已明确拒绝调解，不得调解（人民调解法第十七条），请改为不予受理。"))
        )
    return reasons


def _accept_form(facts, payload):
    """A mediator: the one assigned, or one chosen while accepting."""
    if facts.mediator_assigned or _text(payload, "mediator"):
        return []
    return ["请指派一名人民调解员。"]


def _decline(facts, payload):
    """A reason from the fixed list."""
    return _code_refusals(payload, "reason_code", DECLINE_REASONS, "不予受理的理由")


def _escalate(facts, payload):
    """A reason code from the fixed list and an explanation."""
    reasons = _code_refusals(payload, "reason_code", ESCALATE_REASONS, "上报街道的理由")
    return reasons + _reason_refusals(payload, "上报说明")


def _auto_escalate(facts, now, limits):
    """The grid deadline has passed."""
    if facts.grid_deadline_at is None:
        return ["案件没有网格调处期限，不能自动上报。"]
    if as_aware(now) < as_aware(facts.grid_deadline_at):
        return [f"网格调处期限（{_moment(facts.grid_deadline_at)}）尚未届满，不能自动上报。"]
    return []


def _draft_agreement_standing(facts, now, limits):
    """At least one session on record."""
    return [] if facts.session_count >= 1 else [Words(N_("请先记录至少一次调解（调解记录）。"))]


def _draft_agreement_form(facts, payload):
    """Every agreement field filled in (facts.agreement_missing is read from the payload)."""
    if not facts.agreement_missing:
        return []
    labels = dict(AGREEMENT_FIELDS)
    missing = "、".join(labels.get(name, name) for name in facts.agreement_missing)
    return [f"调解协议尚未填写完整，请补充：{missing}。"]


def _reopen(facts, now, limits):
    """A known mediation stage to return to."""
    if facts.came_from in MEDIATION_STATES:
        return []
    return [Words(N_("无法确定协议拟定前的调解阶段（网格调处或街道联调），请联系管理员。"))]


def _make_effective(facts, now, limits):
    """Every party, the mediator and the committee seal have signed."""
    if facts.signatures_missing:
        return [f"尚缺签名或印章：{'、'.join(facts.signatures_missing)}。"]
    return []


def _request_confirmation_form(facts, payload):
    """A joint application and a chosen court (both read from the application's payload)."""
    reasons = []
    if not facts.joint_application:
        who = f"尚缺：{'、'.join(facts.consents_missing)}" if facts.consents_missing else ""
        reasons.append(
            f"司法确认须由双方当事人共同申请（人民调解法第三十三条），请登记每一方当事人的"
            f"同意{'，' + who if who else ''}。"
        )
    if not facts.court_chosen:
        reasons.append("请选择受理司法确认申请的人民法院。")
    return reasons


def _request_confirmation_standing(facts, now, limits):
    """An effective agreement, within the 30-day window, about a confirmable matter."""
    reasons = []
    if facts.effective_on is None:
        reasons.append(Words(N_("协议尚无生效日期，不能申请司法确认。")))
    else:
        last_day = confirmation_deadline(facts.effective_on, limits)
        if legal_date(now) > last_day:
            late = N_(
                "已超过司法确认申请期限（协议生效之日起%(days)s日，至%(day)s止），"
                "不能再申请司法确认。"
            )
            reasons.append(Words(late, days=limits.confirmation_days, day=last_day))
    matter = dict(EXCLUDED_MATTERS).get(facts.agreement_matter or "")
    if matter:
        coded = Coded("excluded_matters", facts.agreement_matter, matter)
        excluded = N_("协议内容涉及%(matter)s，人民法院不予确认，不能申请司法确认。")
        reasons.append(Words(excluded, matter=coded))
    return reasons


def _reject_confirmation(facts, payload):
    """A 不予受理 ground before acceptance, a 驳回 ground after it."""
    if facts.status == "confirmation_accepted":
        return _code_refusals(payload, "ground", REJECT_GROUNDS_AFTER_ACCEPTANCE, "驳回理由")
    return _code_refusals(payload, "ground", REJECT_GROUNDS_BEFORE_ACCEPTANCE, "不予受理理由")


def _terminate(facts, payload):
    """A reason, and the other routes the parties were told of (人民调解法 Art 26)."""
    reasons = _reason_refusals(payload, "终止调解的原因")
    told = payload.get("routes_told") or ()
    told = list(told) if isinstance(told, list | tuple) else [told]
    allowed = dict(OTHER_ROUTES)
    if not told:
        text = (
            f"请告知当事人可以通过其他途径维护权利（人民调解法第二十六条），"
            f"并勾选已告知的途径：{_choices(OTHER_ROUTES)}。"
        )
        reasons.append(CodedMessage(text, "routes_told", allowed))
    elif [r for r in told if not isinstance(r, str) or r not in allowed]:
        text = f"所选的告知途径中有无效项，请从以下选择：{_choices(OTHER_ROUTES)}。"
        reasons.append(CodedMessage(text, "routes_told", allowed))
    return reasons


def _close(facts, now, limits):
    """Performance recorded at a follow-up visit."""
    if facts.performance_recorded:
        return []
    return [Words(N_("请先在回访中登记协议履行情况。"))]


def _day(day: date) -> str:
    """Format a date the Chinese way."""
    return f"{day.year}年{day.month}月{day.day}日"


def _moment(moment: datetime) -> str:
    """Format a deadline moment as its date in China."""
    return _day(legal_date(moment))


def _reason_form(what: str) -> _Form:
    """A form part that asks only for a written reason."""
    return lambda facts, payload: _reason_refusals(payload, what)


# The court case number and the ruling text of the court's decisions are the judge's to type
# or the service's to supply (the next 民特 number; the standard ruling text): no guard.
_GUARDS: dict[str, _Guard] = {
    "accept": _Guard(_accept_standing, _accept_form),
    "decline": _Guard(form=_decline),
    "escalate": _Guard(form=_escalate),
    "auto_escalate": _Guard(_auto_escalate),
    "draft_agreement": _Guard(_draft_agreement_standing, _draft_agreement_form),
    "reopen": _Guard(_reopen, _reason_form("退回重新调解的原因")),
    "make_effective": _Guard(_make_effective),
    "request_confirmation": _Guard(_request_confirmation_standing, _request_confirmation_form),
    "accept_application": _Guard(),
    "confirm": _Guard(),
    "reject_confirmation": _Guard(form=_reject_confirmation),
    "withdraw_confirmation": _Guard(form=_reason_form("当事人撤回司法确认申请的情况")),
    "remediate": _Guard(form=_reason_form("重新调解的原因")),
    "terminate": _Guard(form=_terminate),
    "withdraw": _Guard(form=_reason_form("申请人撤回的情况")),
    "close": _Guard(_close),
}


def _guard(trigger: str) -> _Guard:
    """The guard of trigger; UnknownTrigger for a trigger not in the table."""
    try:
        return _GUARDS[trigger]
    except KeyError:
        raise UnknownTrigger("未知的操作。") from None


def blockers(trigger: str, facts: CaseFacts, now: datetime, limits: TimeLimits) -> list[str]:
    """Return why trigger cannot fire on facts at now whatever its form says; empty: it may
    be offered. These are the guard's own conditions (the same functions refusals runs)."""
    return _guard(trigger).standing(facts, now, limits)


def refusals(
    trigger: str, facts: CaseFacts, payload: Mapping, now: datetime, limits: TimeLimits
) -> list[str]:
    """Return why trigger may not fire on facts with payload at now; empty means allowed."""
    guard = _guard(trigger)
    return guard.standing(facts, now, limits) + guard.form(facts, payload)
