"""The transition table and the code lists match DESIGN §2 and §5."""

from datetime import UTC, datetime

import pytest

from tests.design import DESIGN_CATEGORIES
from workflows import (
    CATEGORIES,
    INITIAL,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
    ROLES,
    SOURCES,
    STATE_BY_NAME,
    STATES,
    SYSTEM,
    TERMINAL_STATES,
    TRANSITION_BY_TRIGGER,
    TRANSITIONS,
    CaseFacts,
    TimeLimits,
    UnknownTrigger,
    refusals,
)

DESIGN_TRIGGERS = [
    "accept",
    "decline",
    "escalate",
    "auto_escalate",
    "draft_agreement",
    "reopen",
    "make_effective",
    "request_confirmation",
    "accept_application",
    "confirm",
    "reject_confirmation",
    "withdraw_confirmation",
    "remediate",
    "terminate",
    "withdraw",
    "close",
]


def test_table_has_exactly_the_sixteen_design_triggers_in_order():
    """The table lists DESIGN's triggers, no more, no fewer."""
    assert [t.trigger for t in TRANSITIONS] == DESIGN_TRIGGERS
    assert set(TRANSITION_BY_TRIGGER) == set(DESIGN_TRIGGERS)


def test_states_follow_design_order_with_chinese_labels():
    """States come in DESIGN order, each with its 中文 label."""
    assert [s.name for s in STATES] == [
        "intake",
        "grid_mediation",
        "street_mediation",
        "agreement_drafted",
        "agreement_effective",
        "confirmation_requested",
        "confirmation_accepted",
        "confirmed",
        "confirmation_rejected",
        "mediation_failed",
        "withdrawn",
        "declined",
        "closed",
    ]
    assert STATE_BY_NAME["street_mediation"].label == "街道联调"
    assert STATE_BY_NAME["intake"].level == "grid"
    assert INITIAL == "intake"


def test_only_failed_withdrawn_declined_and_closed_are_terminal():
    """The four end states of DESIGN are terminal."""
    assert sorted(TERMINAL_STATES) == ["closed", "declined", "mediation_failed", "withdrawn"]


def test_every_transition_connects_known_states_and_known_roles():
    """Sources, destinations and roles all exist."""
    role_codes = {code for code, _ in ROLES} | {SYSTEM}
    for t in TRANSITIONS:
        assert set(t.sources) <= set(STATE_BY_NAME), t.trigger
        assert set(t.destinations) <= set(STATE_BY_NAME), t.trigger
        assert set(t.roles) <= role_codes, t.trigger
        assert t.label and t.label_en


def test_no_transition_leaves_a_terminal_state():
    """Terminal states are never a source."""
    for t in TRANSITIONS:
        assert not set(t.sources) & TERMINAL_STATES, t.trigger


def test_reopen_takes_its_destination_from_the_case():
    """Reopen leads back to grid or street mediation, chosen by came_from."""
    reopen = TRANSITION_BY_TRIGGER["reopen"]
    assert reopen.dest_from == "came_from"
    assert reopen.destinations == ("grid_mediation", "street_mediation")


def test_system_triggers_belong_to_the_system_only():
    """auto_escalate and make_effective are the system's alone."""
    assert TRANSITION_BY_TRIGGER["auto_escalate"].roles == (SYSTEM,)
    assert TRANSITION_BY_TRIGGER["make_effective"].roles == (SYSTEM,)


def test_roles_have_chinese_labels():
    """The five roles of DESIGN §1, labelled."""
    assert dict(ROLES) == {
        "grid_worker": "网格员",
        "mediator": "人民调解员",
        "street_officer": "街道综治中心/司法所",
        "judge": "法官",
        "admin": "管理员",
    }


def test_categories_and_sources_match_design_code_lists():
    """The code lists the API exposes are DESIGN §5's."""
    assert [code for code, _ in CATEGORIES] == DESIGN_CATEGORIES
    assert dict(SOURCES)["hotline_12345"] == "12345热线"
    assert len(SOURCES) == 7


def test_inadmissibility_grounds_found_after_acceptance_also_lead_to_rejection():
    """民诉法解释 Art 357: a 不予受理 ground found after acceptance is a 驳回 ground."""
    after = dict(REJECT_GROUNDS_AFTER_ACCEPTANCE)
    assert set(dict(REJECT_GROUNDS_BEFORE_ACCEPTANCE)) <= set(after)
    assert "unclear_content" in after


@pytest.mark.parametrize("trigger", DESIGN_TRIGGERS)
def test_every_trigger_has_a_guard(trigger):
    """refusals knows every trigger of the table."""
    result = refusals(trigger, CaseFacts(), {}, datetime(2026, 3, 1, tzinfo=UTC), TimeLimits())
    assert isinstance(result, list)


def test_guards_refuse_to_judge_an_unknown_trigger():
    """An unknown trigger is an error, not an empty refusal list."""
    with pytest.raises(UnknownTrigger):
        refusals("seal", CaseFacts(), {}, datetime(2026, 3, 1, tzinfo=UTC), TimeLimits())
