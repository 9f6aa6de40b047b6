"""Judicial confirmation through the API: the joint application (POST /cases/<id>/confirmation)
and the court's triggers, fired by judge_demo of 江岸区's court."""

from tests.api_client import (
    assert_bad_body_refused,
    assert_refused,
    bad_bodies,
    effective,
    error,
    fire,
    ok,
    requested,
    show,
)
from tests.builders import MISSING, changed, consents, visit_body
from tests.factories import COURT, OTHER_COURT


def test_judge_accepts_and_confirms_a_joint_application(api):
    """The application goes to the court, the judge accepts it and confirms the agreement."""
    case = requested(api)
    assert (case["status"], case["court"]) == ("confirmation_requested", COURT)
    case = show(api, "judge_demo", case)
    assert case["available_triggers"] == ["accept_application", "reject_confirmation"]

    case = fire(
        api, "judge_demo", case, "accept_application", court_case_number="（2026）鄂0102民特7号"
    )
    assert case["status"] == "confirmation_accepted"
    assert case["court_case_number"] == "（2026）鄂0102民特7号"
    ruling = "经审查，双方达成的调解协议符合法律规定，确认有效。"
    case = fire(api, "judge_demo", case, "confirm", ruling_text=ruling)
    assert (case["status"], case["ruling_text"]) == ("confirmed", ruling)
    assert case["available_triggers"] == []

    ok(api.post("mediator_demo", f"/cases/{case['id']}/visits", json=visit_body()), 201)
    case = fire(api, "mediator_demo", show(api, "mediator_demo", case), "close")
    assert case["status"] == "closed"


def test_judge_rejects_before_acceptance_and_the_case_is_mediated_again(api):
    """A 不予受理 ground before acceptance; then the street mediates again."""
    case = requested(api)
    refusal = fire(api, "judge_demo", case, "reject_confirmation", 422, ground="not_voluntary")
    assert "不予受理理由" in refusal["message"]
    case = fire(api, "judge_demo", case, "reject_confirmation", ground="no_jurisdiction")
    assert (case["status"], case["rejection_ground"]) == (
        "confirmation_rejected",
        "no_jurisdiction",
    )
    case = fire(api, "mediator_demo", case, "remediate", reason="双方同意重新调解。")
    assert case["status"] == "street_mediation"


def test_judge_rejects_after_acceptance_on_a_dismissal_ground(api):
    """After acceptance the 驳回 grounds apply."""
    case = requested(api)
    case = fire(
        api, "judge_demo", case, "accept_application", court_case_number="（2026）鄂0102民特8号"
    )
    case = fire(api, "judge_demo", case, "reject_confirmation", ground="not_voluntary")
    assert (case["status"], case["rejection_ground"]) == ("confirmation_rejected", "not_voluntary")
    assert case["available_triggers"] == []
    mediator_view = show(api, "mediator_demo", case)
    assert mediator_view["available_triggers"] == ["remediate", "close"]


def test_parties_withdraw_their_application_for_confirmation(api):
    """Withdrawing the application brings the agreement back to simply effective."""
    case = fire(
        api, "mediator_demo", requested(api), "withdraw_confirmation", reason="双方书面撤回申请。"
    )
    assert case["status"] == "agreement_effective"


def test_judge_cannot_accept_a_dispute_for_mediation(api):
    """A judge who sees the case still may not fire the mediators' triggers."""
    case = requested(api)
    refusal = fire(api, "judge_demo", case, "accept", 403, mediator="mediator_demo")
    assert refusal["code"] == "forbidden"
    fire(api, "judge_demo", case, "withdraw_confirmation", 403, reason="撤回")


def test_street_officer_cannot_rule_on_a_confirmation(api):
    """Confirming an agreement is the judge's alone."""
    case = requested(api)
    fire(api, "street_demo", case, "accept_application", 403, court_case_number="（2026）1号")


def test_stale_version_on_the_confirmation_application(api):
    """The joint application carries the version too."""
    case = effective(api)
    body = {"version": case["version"] - 1, "court": COURT, "consents": consents(case)}
    error(api.post("mediator_demo", f"/cases/{case['id']}/confirmation", json=body), 409)
    assert show(api, "mediator_demo", case)["status"] == "agreement_effective"


def test_confirmation_needs_every_party_and_a_court(api):
    """The joint application names every party and a court."""
    case = effective(api)
    path = f"/cases/{case['id']}/confirmation"
    refusal = error(api.post("mediator_demo", path, json={"version": case["version"]}), 400)
    assert set(refusal["fields"]) == {"court", "consents"}
    one = consents(case)[:1]
    body = {"version": case["version"], "court": COURT, "consents": one}
    assert_refused(error(api.post("mediator_demo", path, json=body), 422), "共同申请")
    for court in ("nowhere", OTHER_COURT):
        body = {"version": case["version"], "court": court, "consents": consents(case)}
        assert_refused(error(api.post("mediator_demo", path, json=body), 422), court)
    assert show(api, "mediator_demo", case)["status"] == "agreement_effective"


def test_an_overlong_court_case_number_is_refused(api):
    """The court's case number has a length limit like every other text."""
    case = requested(api)
    response = api.post(
        "judge_demo",
        f"/cases/{case['id']}/transitions",
        json={
            "trigger": "accept_application",
            "version": case["version"],
            "court_case_number": "号" * 81,
        },
    )
    assert response.status_code in (400, 422)
    assert show(api, "judge_demo", case)["status"] == "confirmation_requested"


# ---------------------------------------------------------------------------- bad input


SIGNED = [{"party_id": 1, "method": "signed"}]


def confirmation(**changes) -> dict:
    """A confirmation body for the effective case (version 4)."""
    return changed({"version": 4, "court": COURT, "consents": SIGNED}, **changes)


BAD_BODIES = {
    ("effective", "POST", "/cases/{id}/confirmation"): {
        "confirmation version missing": (confirmation(version=MISSING), "version"),
        "confirmation version as string": (confirmation(version="4"), "version"),
        "court not text": (confirmation(court=420102), "court"),
        "consents not a list": (confirmation(consents="all"), "consents"),
        "consent not an object": (confirmation(consents=[1]), "consents"),
        "consent without party": (confirmation(consents=[{"method": "signed"}]), "party_id"),
        "consent party_id as text": (
            confirmation(consents=[{"party_id": "a", "method": "signed"}]),
            "party_id",
        ),
        "consent method unknown": (
            confirmation(consents=[{"party_id": 1, "method": "telepathy"}]),
            "method",
        ),
        "consent time not a time": (
            confirmation(consents=[{"party_id": 1, "method": "signed", "consented_at": 5}]),
            "consented_at",
        ),
        "court missing": (confirmation(court=MISSING), "court"),
        "consents missing": (confirmation(consents=MISSING), "consents"),
        "materials not supported": (confirmation(materials=["协议书.pdf"]), "materials"),
    },
}


@bad_bodies(BAD_BODIES)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    assert_bad_body_refused(api, setup, method, path, body, status, field)
