"""One pytransitions machine built from the table; a case is bound to it per call."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from transitions import EventData, Machine

from workflows.deadlines import TimeLimits
from workflows.errors import (
    GuardRefused,
    NotAvailableInState,
    RoleNotAllowed,
    UnknownTrigger,
    WorkflowError,
)
from workflows.guards import CaseFacts, refusals
from workflows.states import ROLES, STATE_BY_NAME, STATES, SYSTEM
from workflows.table import TRANSITION_BY_TRIGGER, TRANSITIONS

__all__ = [
    "MACHINE",
    "GuardRefused",
    "NotAvailableInState",
    "RoleNotAllowed",
    "UnknownTrigger",
    "WorkflowError",
    "available_triggers",
    "fire",
]

_ROLE_LABELS = {**dict(ROLES), SYSTEM: "系统"}


@dataclass
class _Subject:
    """The throwaway model a case is bound to while one trigger fires."""

    status: str
    facts: CaseFacts
    payload: Mapping
    now: datetime
    limits: TimeLimits
    refusals: list[str] = field(default_factory=list)


def _guards_pass(event: EventData) -> bool:
    """Run the trigger's guards and keep their refusals on the subject."""
    subject = event.model
    subject.refusals = refusals(
        event.event.name, subject.facts, subject.payload, subject.now, subject.limits
    )
    return not subject.refusals


def _fact_is(fact: str, dest: str, event: EventData) -> bool:
    """Condition: the case fact named by the transition's dest_from names dest."""
    return getattr(event.model.facts, fact) == dest


def _machine_transitions() -> list[dict]:
    """Translate the table into pytransitions' transition dicts, one per destination."""
    result = []
    for t in TRANSITIONS:
        for dest in t.destinations:
            conditions = [_guards_pass]
            if t.dest_from:
                conditions.append(partial(_fact_is, t.dest_from, dest))
            result.append(
                {
                    "trigger": t.trigger,
                    "source": list(t.sources),
                    "dest": dest,
                    "conditions": conditions,
                }
            )
    return result


MACHINE = Machine(
    model=None,
    states=[state.name for state in STATES],
    transitions=_machine_transitions(),
    initial=None,
    auto_transitions=False,
    send_event=True,
    model_attribute="status",
)


def fire(
    trigger: str,
    facts: CaseFacts,
    role: str,
    payload: Mapping | None = None,
    now: datetime | None = None,
    limits: TimeLimits | None = None,
) -> str:
    """Return the state trigger leads the case to, or raise the WorkflowError that stops it."""
    transition = TRANSITION_BY_TRIGGER.get(trigger)
    if transition is None:
        raise UnknownTrigger("未知的操作。")
    if role not in transition.roles:
        raise RoleNotAllowed(f"{_ROLE_LABELS.get(role, role)}无权执行“{transition.label}”。")
    if facts.status not in transition.sources:
        state = STATE_BY_NAME.get(facts.status)
        raise NotAvailableInState(
            f"案件当前状态为“{state.label if state else facts.status}”，"
            f"不能执行“{transition.label}”。"
        )
    subject = _Subject(
        status=facts.status,
        facts=facts,
        payload=payload or {},
        now=now or datetime.now(UTC),
        limits=limits or TimeLimits(),
    )
    if not MACHINE.events[trigger].trigger(subject):
        raise GuardRefused(subject.refusals)
    return subject.status


def available_triggers(status: str, role: str) -> list[str]:
    """The triggers a user with role may offer on a case in status, in table order."""
    return [t.trigger for t in TRANSITIONS if status in t.sources and role in t.roles]
