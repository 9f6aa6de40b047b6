"""Case states and user roles (DESIGN §1, §2)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    """One state of a case, with its labels, level and whether the case ends there."""

    name: str
    label: str
    label_en: str
    level: str
    terminal: bool = False


STATES: tuple[State, ...] = (
    # Registered, not yet accepted (受理登记 would read as accepted already).
    State("intake", "待受理", "Awaiting acceptance", "grid"),
    State("grid_mediation", "网格调处", "Grid mediation", "grid"),
    State("street_mediation", "街道联调", "Street mediation", "street"),
    # The level of a drafted agreement is the level it came from (CaseFacts.came_from).
    State("agreement_drafted", "协议待签", "Agreement awaiting signatures", ""),
    State("agreement_effective", "协议生效", "Agreement effective", ""),
    State("confirmation_requested", "司法确认申请中", "Confirmation requested", "court"),
    State("confirmation_accepted", "法院已受理", "Accepted by the court", "court"),
    State("confirmed", "司法确认有效", "Judicially confirmed", "court"),
    State("confirmation_rejected", "确认申请被驳回/不予受理", "Confirmation rejected", ""),
    State("mediation_failed", "调解终止（未达成）", "Mediation failed", "", terminal=True),
    State("withdrawn", "已撤回", "Withdrawn", "", terminal=True),
    State("declined", "不予受理", "Declined", "", terminal=True),
    State("closed", "结案归档", "Closed", "", terminal=True),
)

STATE_BY_NAME: dict[str, State] = {state.name: state for state in STATES}
TERMINAL_STATES: frozenset[str] = frozenset(state.name for state in STATES if state.terminal)
INITIAL = "intake"
MEDIATION_STATES: tuple[str, ...] = ("grid_mediation", "street_mediation")

ROLES: tuple[tuple[str, str], ...] = (
    ("grid_worker", "网格员"),
    ("mediator", "人民调解员"),
    ("street_officer", "街道综治中心/司法所"),
    ("judge", "法官"),
    ("admin", "管理员"),
)
SYSTEM = "system"
