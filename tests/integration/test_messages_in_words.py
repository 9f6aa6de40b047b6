"""Every refusal a user can meet names things in words, never by their codes (issue 10, item 4).

The rule: a message may hold no run of three or more lower-case Latin letters or underscores
(`[a-z_]{3,}`). That is the shape of every code here (marriage_family, before_authority,
neighbor, draft_agreement, per_page, id_number). The Latin a message may rightly hold is
upper case or digits (PDF, PNG, ID, KB, YYYY-MM, 2026-11-20T14:30) and passes.

The messages are collected, not listed by hand:
- the guard of every trigger, over fabricated facts (nothing recorded; everything wrong) and
  payloads (missing, blank, unknown codes, codes of the wrong type);
- the state machine's refusals of every trigger, for every role in every state;
- the reasons the case page shows under a disabled trigger (the guards' standing part);
- the input cleaning behind every case form, and the case list's filters, given bad values
  of every kind in every field.
"""

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from mediation.cases.cleaning import (
    PARTY_TEXT_FIELDS,
    agreement_draft,
    intake_fields,
    session_fields,
    signature_fields,
    visit_fields,
)
from mediation.cases.operations.confirmation import CONSENT_PROBLEMS
from mediation.cases.queries import parse_filters
from mediation.errors import InvalidInput
from tests.factories import case_data, gen_case, person, user
from workflows import AGREEMENT_FIELDS, EXCLUDED_MATTERS, ROLES, STATES, SYSTEM, TRANSITIONS
from workflows.deadlines import TimeLimits
from workflows.errors import GuardRefused, WorkflowError
from workflows.guards import CaseFacts, blockers, refusals
from workflows.machine import fire

IDENTIFIER = re.compile(r"[a-z_]{3,}")

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
LIMITS = TimeLimits()

# Values a client may send in place of a good one: missing, blank, an unknown code, a code of
# the wrong type, control characters, far too long.
BAD_VALUES = (None, "", "   ", "gossip_code", 5, ["neighbor"], {"a": 1}, "a\x00b", "长" * 20_000)


def identifiers_in(messages) -> dict[str, list[str]]:
    """The messages that hold something shaped like a code, with what matched."""
    return {m: IDENTIFIER.findall(m) for m in messages if IDENTIFIER.search(m)}


# ---------------------------------------------------------------------------- the guards


def fabricated_facts() -> list[CaseFacts]:
    """Nothing recorded, in each state; and everything a guard checks wrong."""
    wrong = CaseFacts(
        status="confirmation_requested",
        came_from="intake",
        party_refused=True,
        agreement_missing=tuple(name for name, _label in AGREEMENT_FIELDS),
        signatures_missing=("王芳", "调解委员会印章"),
        effective_on=date(2020, 1, 1),
        consents_missing=("李强",),
        grid_deadline_at=NOW + timedelta(days=1),
    )
    matters = [replace(wrong, agreement_matter=code) for code, _label in EXCLUDED_MATTERS]
    return [
        *(CaseFacts(status=state.name) for state in STATES),
        wrong,
        replace(wrong, status="confirmation_accepted", consents_missing=()),
        *matters,
    ]


PAYLOADS = (
    {},
    {"reason": "   ", "reason_code": "", "ground": "", "routes_told": [], "mediator": ""},
    {"reason_code": "too_busy", "ground": "whim", "routes_told": ["prayer"], "reason": "说明"},
    {"reason_code": 5, "ground": ["x"], "routes_told": "prayer"},
    {"routes_told": [5, None]},
)


def guard_messages() -> list[str]:
    """What every guard says over the fabricated facts and payloads."""
    return [
        reason
        for transition in TRANSITIONS
        for facts in fabricated_facts()
        for payload in PAYLOADS
        for reason in refusals(transition.trigger, facts, payload, NOW, LIMITS)
    ]


def blocker_messages() -> list[str]:
    """The reasons the case page shows under a disabled trigger, over the fabricated facts."""
    return [
        reason
        for transition in TRANSITIONS
        for facts in fabricated_facts()
        for reason in blockers(transition.trigger, facts, NOW, LIMITS)
    ]


def machine_messages() -> list[str]:
    """What the machine says for every trigger, role and state, and for an unknown trigger."""
    messages = []
    roles = [*(code for code, _label in ROLES), SYSTEM]
    for transition in TRANSITIONS:
        for role in roles:
            for state in STATES:
                try:
                    fire(transition.trigger, CaseFacts(status=state.name), role, {}, NOW, LIMITS)
                except GuardRefused as refusal:
                    messages.extend(refusal.reasons)
                except WorkflowError as refusal:
                    messages.append(str(refusal))
    with pytest.raises(WorkflowError) as unknown:
        fire("fly_away", CaseFacts(), "mediator", {}, NOW, LIMITS)
    return [*messages, str(unknown.value)]


def test_the_guards_and_the_machine_say_their_refusals_in_words():
    """No guard or machine refusal names a code, whatever facts and payload it is given."""
    guards, machine, disabled = guard_messages(), machine_messages(), blocker_messages()
    # The collection reaches the refusals that list choices, and the machine's own.
    assert any("请选择不予受理的理由：" in m for m in guards)
    assert any("所选的驳回理由无效" in m for m in guards)
    assert any("所选的告知途径中有无效项" in m for m in guards)
    assert any("无权执行" in m for m in machine) and any("不能执行" in m for m in machine)
    assert any("请先记录至少一次调解" in m for m in disabled)
    assert identifiers_in(guards) == {}
    assert identifiers_in(machine) == {}
    assert identifiers_in(disabled) == {}


# ---------------------------------------------------------------------------- the forms


def refused_fields(clean, *args) -> list[str]:
    """The message and the field messages with which clean(*args) refuses (none if it takes
    the input)."""
    try:
        clean(*args)
    except InvalidInput as refusal:
        return [refusal.message, *map(str, refusal.fields.values())]
    return []


def intake_messages() -> list[str]:
    """登记纠纷 with each field, and each field of a party, bad in each way."""
    clerk = user("grid_demo")
    respondent = person("respondent", "李秀英", "female")
    messages = []
    for key in ("title", "category", "source", "description", "amount", "grid", "parties"):
        for bad in BAD_VALUES:
            messages += refused_fields(intake_fields, clerk, case_data(**{key: bad}))
    party_keys = ("role", "kind", "sex", "id_number", "phone", *PARTY_TEXT_FIELDS)
    for key in party_keys:
        for bad in BAD_VALUES:
            party = {**person("applicant", "王建国"), key: bad}
            messages += refused_fields(intake_fields, clerk, case_data(parties=[party, respondent]))
    organization = {**person("applicant", "某公司"), "kind": "organization"}
    for parties in ([respondent], [organization, respondent], [5, respondent], [respondent] * 21):
        messages += refused_fields(intake_fields, clerk, case_data(parties=parties))
    return messages


def record_messages() -> list[str]:
    """调解记录, 回访记录, signatures and the agreement, each field bad in each way."""
    mediator = user("mediator_demo")
    now = datetime.now(UTC)
    session_keys = ("held_at", "location", "mediators", "attendees", "summary", "outcome")
    visit_keys = ("visited_at", "performed", "satisfaction", "remaining_risk", "notes")
    signature_keys = ("signer", "method", "typed_name", "image")
    case = gen_case("mediator_demo", "grid_mediation")
    messages = [*refused_fields(session_fields, "not a form", mediator, now)]
    for bad in BAD_VALUES:
        for key in session_keys:
            messages += refused_fields(session_fields, {key: bad}, mediator, now)
        for key in ("attendee_parties", "mediator_users"):
            messages += refused_fields(session_fields, {key: bad}, mediator, now, case)
        for key in visit_keys:
            messages += refused_fields(visit_fields, {key: bad}, now)
        for key in signature_keys:
            messages += refused_fields(signature_fields, {"method": "drawn", key: bad})
            messages += refused_fields(signature_fields, {"method": "typed", key: bad})
        for key in ("facts", "terms", "performance_method", "performance_place",
                    "performance_deadline", "amount", "matter"):  # fmt: skip
            messages += refused_fields(agreement_draft, {key: bad}, None)
    return messages


def filter_messages() -> list[str]:
    """The case list's filters, order and paging, each bad."""
    queries = [
        {key: bad}
        for key in ("status", "category", "overdue", "sort", "page", "per_page")
        for bad in ("gossip_code", "0", "-1", "abc", "99999999999999999999", "1000")
    ]
    return [m for query in queries for m in refused_fields(parse_filters, MultiDict(query))]


def test_the_forms_say_their_problems_in_words():
    """No form's refusal names a code or echoes one, whatever bad value a field gets."""
    intake, records, filters = intake_messages(), record_messages(), filter_messages()
    # The collection reaches the code lists, the length and type checks of every form.
    assert any(m.startswith("请选择纠纷类型：婚姻家庭、邻里") for m in intake)
    assert any("请选择当事人类型：申请人、被申请人" in m for m in intake)
    assert any("请选择调解结果：" in m for m in records)
    assert any("所选的参加人中有不是本案当事人的" in m for m in records)
    assert any("所选的调解员中有人已停用" in m for m in records)
    assert any("请选择满意程度：" in m for m in records)
    assert any("请选择签名方式：" in m for m in records)
    assert any("所选的纠纷类型无效" in m for m in filters)
    assert any("排序方式只能按" in m for m in filters)
    everything = [*intake, *records, *filters, *CONSENT_PROBLEMS.values()]
    assert identifiers_in(everything) == {}


def test_the_rule_catches_a_code_and_lets_latin_words_pass():
    """The scan would see marriage_family in a message; PDF, ID and YYYY-MM are words."""
    assert identifiers_in(["请选择纠纷类型：marriage_family（婚姻家庭）。"]) == {
        "请选择纠纷类型：marriage_family（婚姻家庭）。": ["marriage_family"]
    }
    assert identifiers_in(["月份应为 YYYY-MM。", "请上传 PDF 文件。", "ID 无效。", "300 KB"]) == {}
