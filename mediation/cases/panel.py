"""The case page's action panel: what the user may do next, in the order of the work.

A trigger the guard would refuse for a fact no form can supply (no session yet, no visit yet)
is shown disabled with the guard's own reasons (operations.trigger_blockers), never offered
and then refused. After a session that reached agreement, drafting the agreement comes first.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, gettext

from mediation.access import policy
from mediation.cases import operations as ops
from mediation.i18n import in_english, label_of
from mediation.models import Case, User
from workflows.errors import Coded, Words


@dataclass(frozen=True)
class Panel:
    """The triggers to show, the blocked ones with their reasons, and the pointer to drafting."""

    triggers: list[str]
    blocked: dict[str, list[str]]
    draft_next: bool


def action_panel(user: User, case: Case) -> Panel:
    """The panel of case (read with get_case(…, held=True)) for user: the policy's triggers,
    each checked against its guard."""
    triggers = policy.triggers_for(user, case)
    blocked = {
        trigger: [in_words(reason) for reason in reasons]
        for trigger, reasons in ops.trigger_blockers(case, triggers).items()
    }
    draft_next = (
        "draft_agreement" in triggers
        and "draft_agreement" not in blocked
        and case.agreed_in_session
    )
    if draft_next:
        triggers = ["draft_agreement", *(t for t in triggers if t != "draft_agreement")]
    return Panel(triggers, blocked, draft_next)


def in_words(reason: str) -> str:
    """A guard's reason in the page's language: the catalogue's English for Words, with the
    dates and codes put in said in English too (the Chinese text is the reason itself)."""
    if not isinstance(reason, Words) or not in_english():
        return str(reason)
    return gettext(reason.msgid, **{key: _english(v) for key, v in reason.params.items()})


def _english(value) -> str:
    """A value put into a reason, as the English page writes it."""
    if isinstance(value, date):
        return format_date(value, "long")
    if isinstance(value, Coded):
        return label_of(value.kind, value.code)
    return str(value)
