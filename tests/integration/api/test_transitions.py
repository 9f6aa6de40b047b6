"""A dispute moved through POST /cases/<id>/transitions: from intake to closing, and every
refusal on the way (the court's part is in test_confirmation, the agreement's in test_agreement).

Every case here is made and moved through HTTP, as an API client would, by the demo users:
grid_demo (grid worker of 工农兵社区第1网格), mediator_demo (that community's committee),
street_demo (大智街道), judge_demo (江岸区 court) and mediator_other (武昌区, out of scope).
"""

import json

import pytest

from mediation.models.cases import PARTY_ROLES
from tests.api_client import (
    SETUPS,
    accepted,
    actions,
    assert_bad_body_refused,
    assert_refused,
    bad_bodies,
    create,
    effective,
    error,
    fire,
    history,
    ok,
    seal,
    show,
    sign,
)
from tests.builders import (
    MISSING,
    agreement_body,
    applicant,
    intake,
    respondent,
    session_body,
    transition,
    visit_body,
)
from tests.factories import GRID
from workflows import CATEGORIES, DECLINE_REASONS


def test_grid_case_escalates_and_closes_through_the_api(api):
    """Intake → accept → session → escalate → session → agreement → signatures → visit → close."""
    case = create(api)
    assert case["status"] == "intake"
    assert case["version"] == 1
    assert case["number"].startswith("（") and case["number"].endswith("号")
    assert case["grid"] == {"code": GRID, "name": "工农兵社区第1网格"}
    assert case["mediator"] is None
    assert case["amount"] == "3500.00"
    assert case["available_triggers"] == ["accept"]
    assert show(api, "mediator_demo", case)["available_triggers"] == [
        "accept",
        "decline",
        "withdraw",
    ]

    case = fire(api, "mediator_demo", case, "accept", mediator="mediator_demo")
    assert (case["status"], case["version"]) == ("grid_mediation", 2)
    assert case["mediator"] == {"username": "mediator_demo", "display_name": "李调解"}
    assert case["grid_deadline_at"] and case["deadline_at"] == case["grid_deadline_at"]

    held = ok(api.post("mediator_demo", f"/cases/{case['id']}/sessions", json=session_body()), 201)
    assert held["outcome"] == "agreed" and held["recorded_by"] == "mediator_demo"
    assert held["mediators"] == "李调解"

    case = fire(
        api, "street_demo", case, "escalate", reason_code="complex", reason="涉及楼上楼下多户。"
    )
    assert (case["status"], case["version"]) == ("street_mediation", 3)
    ok(api.post("street_demo", f"/cases/{case['id']}/sessions", json=session_body()), 201)

    body = agreement_body(case["version"])
    case = ok(api.put("street_demo", f"/cases/{case['id']}/agreement", json=body))
    assert (case["status"], case["version"]) == ("agreement_drafted", 4)
    agreement = case["agreement"]
    assert agreement["terms"] == body["terms"]
    assert agreement["performance_deadline"] == body["performance_deadline"]
    assert agreement["amount"] == "3500.00"
    parties = {p["role"]: p["id"] for p in case["parties"]}
    assert [s["identifier"] for s in agreement["required_signers"]] == [
        f"party:{parties['applicant']}",
        f"party:{parties['respondent']}",
        "mediator",
    ]
    assert agreement["missing_signers"] == ["申请人王建国", "被申请人李秀英", "调解员"]
    assert agreement["sealed"] is None and agreement["public_id"]

    drawn = sign(
        api,
        "street_demo",
        case,
        f"party:{parties['applicant']}",
        method="drawn",
        image="data:image/png;base64,iVBORw0KGgo=",
        typed_name=None,
    )
    signed = ok(drawn, 201)
    assert signed["method"] == "drawn" and signed["void"] is False
    assert (signed["case_status"], signed["case_version"]) == ("agreement_drafted", 4)
    ok(sign(api, "street_demo", case, f"party:{parties['respondent']}"), 201)
    last = ok(sign(api, "street_demo", case, "mediator"), 201)
    assert (last["case_status"], last["case_version"]) == ("agreement_drafted", 4)
    sealed = ok(seal(api, "mediator_demo", case))
    assert (sealed["status"], sealed["version"]) == ("agreement_effective", 5)
    assert sealed["agreement"]["sealed"]["issued_by"] == "mediator_demo"

    case = show(api, "street_demo", case)
    assert case["effective_on"]
    assert case["agreement"]["missing_signers"] == []
    assert [s["void"] for s in case["agreement"]["signatures"]] == [False] * 3
    assert "image" not in json.dumps(case["agreement"]["signatures"])

    visit = ok(api.post("street_demo", f"/cases/{case['id']}/visits", json=visit_body()), 201)
    assert visit["performed"] is True and visit["visitor"] == "street_demo"
    case = fire(api, "street_demo", case, "close")
    assert (case["status"], case["version"]) == ("closed", 6)
    assert case["available_triggers"] == []
    assert case["concluded_at"]
    assert len(case["sessions"]) == 2 and len(case["visits"]) == 1
    assert actions(api, case) == [
        "create",
        "accept",
        "session",
        "escalate",
        "session",
        "draft_agreement",
        "sign",
        "sign",
        "sign",
        "make_effective",
        "visit",
        "close",
    ]


def test_applicant_withdraws_at_intake(api):
    """A withdrawal ends the case; nobody can do anything with it afterwards."""
    case = fire(api, "mediator_demo", create(api), "withdraw", reason="申请人书面撤回调解申请。")
    assert case["status"] == "withdrawn"
    assert case["available_triggers"] == []
    assert show(api, "street_demo", case)["available_triggers"] == []


def test_mediator_declines_a_dispute_already_before_a_court(api):
    """Declining keeps the reason code."""
    case = fire(api, "street_demo", create(api), "decline", reason_code="before_authority")
    assert (case["status"], case["decline_reason"]) == ("declined", "before_authority")


def test_street_terminates_failed_mediation_after_telling_the_other_routes(api):
    """Termination needs a reason and the routes told (人民调解法第二十六条)."""
    case = fire(
        api, "street_demo", accepted(api), "escalate", reason_code="cannot_settle", reason="分歧大"
    )
    case = fire(
        api,
        "street_demo",
        case,
        "terminate",
        reason="双方分歧过大，无法达成一致。",
        routes_told=["litigation", "arbitration"],
    )
    assert case["status"] == "mediation_failed"
    events = history(api, "street_demo", case)
    assert events[-1]["payload"]["routes_told"] == ["litigation", "arbitration"]


def test_grid_worker_cannot_terminate_mediation(api):
    """terminate is for mediators and street officers."""
    case = accepted(api)
    refusal = fire(
        api, "grid_demo", case, "terminate", 403, reason="分歧大", routes_told=["litigation"]
    )
    assert refusal["code"] == "forbidden" and "终止调解" in refusal["message"]
    assert show(api, "grid_demo", case)["status"] == "grid_mediation"


# ---------------------------------------------------------------------------- versions and guards


def test_stale_version_is_refused_and_changes_nothing(api):
    """Two clients saw version 2: the second to act gets 409, and the case stays as it was."""
    seen = accepted(api)
    first = fire(
        api, "street_demo", seen, "escalate", reason_code="complex", reason="需街道联合调解。"
    )
    before = history(api, "street_demo", seen)
    refusal = fire(api, "mediator_demo", seen, "withdraw", 409, reason="撤回")
    assert refusal["code"] == "version_conflict"
    body = agreement_body(seen["version"])
    error(api.put("mediator_demo", f"/cases/{seen['id']}/agreement", json=body), 409)
    after = show(api, "mediator_demo", seen)
    assert (after["status"], after["version"]) == (first["status"], first["version"])
    assert history(api, "street_demo", seen) == before


def test_accept_without_a_mediator_is_refused_with_the_reason(api):
    """A grid worker must name the mediator who takes the case."""
    case = create(api)
    assert_refused(fire(api, "grid_demo", case, "accept", 422), "请指派一名人民调解员")
    assert show(api, "grid_demo", case)["version"] == 1


@pytest.mark.parametrize("mediator", ["nobody", "mediator_other", "grid_demo", "judge_demo"])
def test_accept_names_an_active_mediator_of_the_area(api, mediator):
    """Someone who is no mediator of the case's area cannot be assigned."""
    case = create(api)
    refusal = fire(api, "grid_demo", case, "accept", 422, mediator=mediator)
    assert_refused(refusal, mediator, "请重新指派")
    assert show(api, "grid_demo", case)["status"] == "intake"


def test_a_party_who_refuses_mediation_blocks_acceptance(api):
    """人民调解法第十七条: a party's refusal means no mediation."""
    case = create(api, parties=[applicant(), respondent(refuses_mediation=True)])
    refusal = fire(api, "mediator_demo", case, "accept", 422, mediator="mediator_demo")
    assert_refused(refusal, "人民调解法第十七条")


def test_close_needs_performance_recorded_at_a_visit(api):
    """Closing waits for the follow-up visit."""
    assert_refused(fire(api, "mediator_demo", effective(api), "close", 422), "回访")


@pytest.mark.parametrize(
    ("setup", "trigger", "payload", "fragment"),
    [
        ("intake", "decline", {"reason_code": "bored"}, "不予受理的理由"),
        ("intake", "decline", {}, "不予受理的理由"),
        ("accepted", "escalate", {"reason_code": "complex"}, "上报说明"),
        ("accepted", "escalate", {"reason": "复杂"}, "上报街道的理由"),
        ("accepted", "terminate", {"reason": "分歧大"}, "人民调解法第二十六条"),
        (
            "accepted",
            "terminate",
            {"reason": "分歧大", "routes_told": ["pigeon"]},
            "所选的告知途径中有无效项",
        ),
        ("accepted", "withdraw", {"reason": "   "}, "申请人撤回"),
        ("accepted", "draft_agreement", {}, "请先记录至少一次调解"),
        ("accepted", "accept", {"mediator": "mediator_demo"}, "不能执行“受理”"),
        ("accepted", "close", {}, "不能执行“结案归档”"),
        ("accepted", "reopen", {"reason": "重新调解"}, "不能执行“退回重新调解”"),
        ("drafted", "reopen", {}, "退回重新调解的原因"),
    ],
)
def test_guards_refuse_with_reasons_in_chinese(api, setup, trigger, payload, fragment):
    """Each refusal says what is missing or why not now; the case stays as it was."""
    case = SETUPS[setup](api)
    assert_refused(fire(api, "street_demo", case, trigger, 422, **payload), fragment)
    assert show(api, "street_demo", case)["version"] == case["version"]


def test_a_refused_choice_names_labels_and_gives_the_codes_apart(api):
    """The reasons say the choices in words; `codes` lists what the field accepts."""
    refusal = fire(api, "street_demo", create(api), "decline", 422, reason_code="bored")
    assert_refused(refusal, "不予受理的理由", "当事人一方明确拒绝调解")
    assert "bored" not in refusal["message"] and "party_refuses" not in refusal["message"]
    assert refusal["codes"] == {"reason_code": [code for code, _label in DECLINE_REASONS]}


def test_a_bad_code_in_a_body_names_labels_and_gives_the_codes_apart(api):
    """A 400 for a field of a fixed list: words in fields and message, codes beside them."""
    body = intake(category="gossip", parties=[applicant(role="judge"), respondent()])
    refusal = error(api.post("grid_demo", "/cases", json=body), 400)
    labels = "、".join(label for _code, label in CATEGORIES)
    assert refusal["fields"]["category"] == [f"所选的纠纷类型无效，请从以下选择：{labels}。"]
    assert "marriage_family" not in refusal["message"] and "gossip" not in refusal["message"]
    assert refusal["codes"] == {
        "category": [code for code, _label in CATEGORIES],
        "parties.0.role": [code for code, _label in PARTY_ROLES],
    }


# ---------------------------------------------------------------------------- bad input


BAD_BODIES = {
    ("intake", "POST", "/cases/{id}/transitions"): {
        "trigger missing": (transition(MISSING), "trigger"),
        "trigger not text": (transition(5), "trigger"),
        "trigger unknown": (transition("fly"), "trigger"),
        "trigger system only": (transition("make_effective"), None, 403),
        "version missing": (transition(version=MISSING), "version"),
        "version as string": (transition(version="1"), "version"),
        "version fractional": (transition(version=1.5), "version"),
        "version boolean": (transition(version=True), "version"),
        "version null": (transition(version=None), "version"),
        "mediator not text": (transition(mediator=7), "mediator"),
        "reason not text": (transition("withdraw", reason=["撤回"]), "reason"),
        "reason_code not text": (transition("decline", reason_code=1), "reason_code"),
        "routes_told not a list": (
            transition("terminate", routes_told="litigation"),
            "routes_told",
        ),
        "routes_told not text": (transition("terminate", routes_told=[1]), "routes_told"),
        "consents not a list": (transition("request_confirmation", consents="all"), "consents"),
        "consent party_id as text": (
            transition("request_confirmation", consents=[{"party_id": "1", "method": "signed"}]),
            "party_id",
        ),
        "consent method not text": (
            transition("request_confirmation", consents=[{"party_id": 1, "method": 7}]),
            "method",
        ),
        "consent consented_at not a moment": (
            transition(
                "request_confirmation",
                consents=[{"party_id": 1, "method": "signed", "consented_at": "昨天下午"}],
            ),
            "consented_at",
        ),
        "ground not text": (transition("reject_confirmation", ground={}), "ground"),
        "terms not a list": (transition("draft_agreement", terms="赔偿"), "terms"),
        "transition unknown field": (transition(mediatr="mediator_demo"), "mediatr"),
    },
}


@bad_bodies(BAD_BODIES)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    assert_bad_body_refused(api, setup, method, path, body, status, field)
