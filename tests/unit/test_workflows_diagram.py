"""The Mermaid diagram is drawn from the transition table."""

import re

import pytest

from workflows import STATES, TERMINAL_STATES, TRANSITIONS, mermaid


def test_diagram_is_a_mermaid_state_diagram():
    """It starts with the diagram keyword and marks the initial state."""
    source = mermaid()
    assert source.startswith("stateDiagram-v2\n")
    assert "[*] --> intake" in source


@pytest.mark.parametrize("english", [False, True])
def test_diagram_names_every_trigger_on_its_edges(english):
    """Each source → destination edge carries the trigger's name as the pages say it (中文,
    or English), never its identifier."""
    lines = mermaid(english=english).splitlines()
    for t in TRANSITIONS:
        name = t.label_en if english else t.label
        for source in t.sources:
            for dest in t.destinations:
                edge = f"{source} --> {dest}: "
                (line,) = [line for line in lines if line.strip().startswith(edge)]
                assert name in line.split(": ", 1)[1], (t.trigger, source, dest)
    labels = [line.split(": ", 1)[1] for line in lines if " --> " in line and ": " in line]
    names = {name for label in labels for name in re.split(r" / |、", label)}
    assert not names & {t.trigger for t in TRANSITIONS}


def test_an_edge_of_two_triggers_names_both():
    """上报街道 and the sweep's 超期自动上报 share the arrow from the grid to the street."""
    assert "grid_mediation --> street_mediation: 上报街道、超期自动上报" in mermaid()


def test_diagram_shows_states_with_chinese_labels_and_ends():
    """States are drawn with their 中文 label; terminal states lead to the end marker."""
    source = mermaid()
    for state in STATES:
        assert f'state "{state.label}" as {state.name}' in source
    for name in TERMINAL_STATES:
        assert f"{name} --> [*]" in source


def test_diagram_highlights_no_state():
    """No case is drawn as current."""
    assert "s_active\n" not in mermaid().replace("classDef s_active", "")
