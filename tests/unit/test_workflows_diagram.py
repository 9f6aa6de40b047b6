"""The Mermaid diagram is drawn from the transition table."""

from workflows import STATES, TERMINAL_STATES, TRANSITIONS, mermaid


def test_diagram_is_a_mermaid_state_diagram():
    """It starts with the diagram keyword and marks the initial state."""
    source = mermaid()
    assert source.startswith("stateDiagram-v2\n")
    assert "[*] --> intake" in source


def test_diagram_contains_every_trigger_on_its_edges():
    """Each source → destination edge carries the trigger's name."""
    lines = mermaid().splitlines()
    for t in TRANSITIONS:
        for source in t.sources:
            for dest in t.destinations:
                edge = f"{source} --> {dest}: "
                assert any(line.strip().startswith(edge) and t.trigger in line for line in lines), (
                    t.trigger,
                    source,
                    dest,
                )


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
