"""The work queue's groups (workflows.work): read from the transition table, one group per
case at a time, in the order of the work."""

from workflows import STATE_BY_NAME, TERMINAL_STATES, TRANSITION_BY_TRIGGER
from workflows.work import FACTS, RECORD_ACTS, WORK_GROUP_BY_KEY, WORK_GROUPS, act_states

COURT_STATES = ("confirmation_requested", "confirmation_accepted")


def test_groups_are_the_issue_s_in_the_order_of_the_work():
    """New disputes first, closing last; 待指派 right after intake, before mediation."""
    assert [g.label for g in WORK_GROUPS] == [
        "待受理",
        "待指派",
        "待调解/记录",
        "待签署",
        "待盖章",
        "待回访",
        "待结案",
    ]
    assert len({g.key for g in WORK_GROUPS}) == len(WORK_GROUPS) == len(WORK_GROUP_BY_KEY)
    assert all(g.label_en for g in WORK_GROUPS)


def test_every_group_holds_open_states_and_known_acts():
    """A group's states are real and open; its acts are triggers or the policy's record acts;
    its fact is one the application reads."""
    for group in WORK_GROUPS:
        assert group.states, group.key
        for state in group.states:
            assert state in STATE_BY_NAME and state not in TERMINAL_STATES
        for act in group.acts:
            assert act in TRANSITION_BY_TRIGGER or act in RECORD_ACTS
        assert group.when is None or group.when[0] in FACTS


def test_groups_sharing_a_state_are_told_apart():
    """Where two groups hold one state, they name one fact with opposite values, or the
    earlier one is named by a fact and the later takes the rest."""
    by_state: dict[str, list] = {}
    for group in WORK_GROUPS:
        for state in group.states:
            by_state.setdefault(state, []).append(group)
    for state, groups in by_state.items():
        if len(groups) < 2:
            continue
        assert len(groups) == 2, state
        first, second = groups
        assert first.when is not None, state
        assert second.when is None or (
            second.when[0] == first.when[0] and second.when[1] != first.when[1]
        ), state


def test_every_open_state_with_a_mediator_s_step_has_a_group():
    """Each state where a mediator fires a trigger waits in some group, except the court's,
    where the case waits for the judge."""
    grouped = {state for group in WORK_GROUPS for state in group.states}
    for transition in TRANSITION_BY_TRIGGER.values():
        if "mediator" not in transition.roles:
            continue
        for state in transition.sources:
            assert state in grouped or state in COURT_STATES, (transition.trigger, state)
    assert not grouped & set(COURT_STATES)


def test_states_come_from_the_transition_table():
    """accept's states are where accept fires; sign and seal where make_effective does; visit
    and close where close does; a trigger act limits the group to its own sources."""
    assert WORK_GROUP_BY_KEY["accept"].states == TRANSITION_BY_TRIGGER["accept"].sources
    drafted = TRANSITION_BY_TRIGGER["make_effective"].sources
    assert WORK_GROUP_BY_KEY["sign"].states == WORK_GROUP_BY_KEY["seal"].states == drafted
    closing = TRANSITION_BY_TRIGGER["close"].sources
    assert WORK_GROUP_BY_KEY["visit"].states == WORK_GROUP_BY_KEY["close"].states == closing
    mediate = WORK_GROUP_BY_KEY["mediate"]
    assert act_states(mediate, "escalate") == ("grid_mediation",)
    assert act_states(mediate, "draft_agreement") == ("grid_mediation", "street_mediation")
    assert act_states(WORK_GROUP_BY_KEY["visit"], "record_visit") == closing
