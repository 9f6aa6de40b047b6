"""The work queue (我的待办) as data: what a user must do next on a case, by state.

A case waits in one group at a time, named by the step its user takes next: accept the
dispute, give an escalated case to a street mediator, mediate (record sessions until the
case is escalated or an agreement can be drafted), sign, seal, visit the parties, close.
Groups are listed in the order of the work, a new dispute first.

A group's states are read from the transition table, where the trigger of its step (or the
trigger that its step makes possible) may fire; a role's share of them follows from the acts
the role may take (for a trigger, also where it may fire). Within one state `when` names the
fact that decides between groups, and whether it must hold: a drafted agreement waits for
signatures until every signer has signed, then for the seal. The application reads the facts
(mediation.cases.queue) and asks the policy whether a user may take an act.
"""

from dataclasses import dataclass

from workflows.table import TRANSITION_BY_TRIGGER

# The acts that are records, not triggers: each is a question of mediation.access.policy.
RECORD_ACTS = ("dispatch", "sign", "seal", "record_visit")
# The facts `when` may name.
FACTS = ("street_mediator", "signed", "visited")


def _sources(trigger: str) -> tuple[str, ...]:
    """The states the trigger may fire from."""
    return TRANSITION_BY_TRIGGER[trigger].sources


@dataclass(frozen=True)
class WorkGroup:
    """One group of the queue: its key and labels, the acts that take a case out of it (any
    one the user may take), the states it holds and the fact that splits a state with
    another group (fact name, the value it must have)."""

    key: str
    label: str
    label_en: str
    acts: tuple[str, ...]
    states: tuple[str, ...]
    when: tuple[str, bool] | None = None


WORK_GROUPS: tuple[WorkGroup, ...] = (
    WorkGroup("accept", "待受理", "To accept", ("accept", "decline"), _sources("accept")),
    # An escalated case still with its grid's mediator, for the street to hand on.
    WorkGroup(
        "dispatch",
        "待指派",
        "To assign",
        ("dispatch",),
        (TRANSITION_BY_TRIGGER["escalate"].dest,),
        ("street_mediator", False),
    ),
    WorkGroup(
        "mediate",
        "待调解/记录",
        "To mediate and record",
        ("escalate", "draft_agreement"),
        _sources("draft_agreement"),
    ),
    # make_effective fires on the seal, once every party and the mediator have signed.
    WorkGroup(
        "sign", "待签署", "To sign", ("sign",), _sources("make_effective"), ("signed", False)
    ),
    WorkGroup("seal", "待盖章", "To seal", ("seal",), _sources("make_effective"), ("signed", True)),
    # close needs the performance recorded at a follow-up visit.
    WorkGroup(
        "visit", "待回访", "To visit", ("record_visit",), _sources("close"), ("visited", False)
    ),
    WorkGroup("close", "待结案", "To close", ("close",), _sources("close"), ("visited", True)),
)
WORK_GROUP_BY_KEY: dict[str, WorkGroup] = {group.key: group for group in WORK_GROUPS}


def act_states(group: WorkGroup, act: str) -> tuple[str, ...]:
    """The states of the group in which act can be taken: where its trigger may fire, or
    all of them for a record act."""
    transition = TRANSITION_BY_TRIGGER.get(act)
    if transition is None:
        return group.states
    return tuple(state for state in group.states if state in transition.sources)
