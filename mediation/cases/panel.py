"""The case page's action panel: what the user may do next, in the order of the work.

A trigger the guard would refuse for a fact no form can supply (no session yet, no visit yet)
is shown disabled with the guard's own reasons (operations.trigger_blockers), never offered
and then refused. After a session that reached agreement, drafting the agreement comes first.
"""

from dataclasses import dataclass

from mediation.access import policy
from mediation.cases import operations as ops
from mediation.models import Case, User


@dataclass(frozen=True)
class Panel:
    """The triggers to show, the blocked ones with their reasons, and the pointer to drafting."""

    triggers: list[str]
    blocked: dict[str, list[str]]
    draft_next: bool


def action_panel(user: User, case: Case) -> Panel:
    """The panel of case for user: the policy's triggers, each checked against its guard."""
    triggers = policy.triggers_for(user, case)
    blocked = ops.trigger_blockers(case, triggers)
    draft_next = (
        "draft_agreement" in triggers
        and "draft_agreement" not in blocked
        and case.agreed_in_session
    )
    if draft_next:
        triggers = ["draft_agreement", *(t for t in triggers if t != "draft_agreement")]
    return Panel(triggers, blocked, draft_next)
