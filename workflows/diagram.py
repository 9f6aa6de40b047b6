"""The state diagram, drawn by pytransitions from the same table as the machine."""

import re

from transitions import State as MachineState
from transitions.extensions.diagrams import GraphMachine

from workflows.states import INITIAL, STATES
from workflows.table import TRANSITION_BY_TRIGGER, TRANSITIONS

_EDGE = re.compile(r"^(\s*\w+ --> \w+): (.+)$")


def _labelled(name: str, label: str) -> MachineState:
    """A pytransitions state that the mermaid engine draws with label."""
    state = MachineState(name)
    state.label = label
    return state


def _named_edge(line: str, english: bool) -> str:
    """An edge labelled with its triggers' names ("accept" → 受理), listed if several."""
    edge = _EDGE.match(line)
    if edge is None:
        return line
    triggers = edge.group(2).split(" | ")
    names = [
        getattr(TRANSITION_BY_TRIGGER[t], "label_en" if english else "label") for t in triggers
    ]
    return f"{edge.group(1)}: {(' / ' if english else '、').join(names)}"


def mermaid(english: bool = False) -> str:
    """Return the Mermaid stateDiagram source of the case workflow, Chinese unless english:
    each state and each arrow named as the pages name them."""
    machine = GraphMachine(
        model=None,
        states=[_labelled(s.name, s.label_en if english else s.label) for s in STATES],
        transitions=[
            {"trigger": t.trigger, "source": list(t.sources), "dest": dest}
            for t in TRANSITIONS
            for dest in t.destinations
        ],
        initial=INITIAL,
        auto_transitions=False,
        graph_engine="mermaid",
    )
    # A graph drawn for no model, so that no state is styled as the current one.
    source = machine.graph_cls(machine).get_graph().source
    # pytransitions opens with a front-matter block holding a bare title, which is not valid
    # mermaid YAML; the diagram itself starts at "stateDiagram".
    diagram = source[source.index("stateDiagram") :]
    # Top to bottom: the long chain of stages fits a page's width with text left readable.
    diagram = diagram.replace("direction LR", "direction TB", 1)
    diagram = "\n".join(_named_edge(line, english) for line in diagram.splitlines())
    ends = [f"  {s.name} --> [*]" for s in STATES if s.terminal]
    return "\n".join([diagram, *ends]) + "\n"
