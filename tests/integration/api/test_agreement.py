"""The agreement through the API: drafting it (PUT /cases/<id>/agreement), signing it
(POST …/agreement/signatures), and reopening it."""

from tests.api_client import (
    accepted,
    assert_bad_body_refused,
    assert_refused,
    bad_bodies,
    drafted,
    error,
    fire,
    mediating,
    ok,
    show,
    sign,
    sign_all,
)
from tests.builders import MISSING, agreement_body, signature_body


def test_reopening_voids_the_signatures_and_returns_to_grid_mediation(api):
    """Signatures collected before a reopen no longer count; a new draft needs them all again."""
    case = drafted(api)
    ok(sign(api, "mediator_demo", case, "mediator"), 201)
    party = case["parties"][0]["id"]
    ok(sign(api, "mediator_demo", case, f"party:{party}"), 201)
    assert case["came_from"] == "grid_mediation"
    case = fire(api, "mediator_demo", case, "reopen", reason="被申请人对赔偿金额提出异议。")
    assert (case["status"], case["came_from"]) == ("grid_mediation", None)
    assert [s["void"] for s in case["agreement"]["signatures"]] == [True, True]

    body = agreement_body(case["version"], amount="3000")
    case = ok(api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body))
    assert case["status"] == "agreement_drafted"
    assert case["agreement"]["amount"] == "3000.00"
    assert len(case["agreement"]["missing_signers"]) == 3


def test_agreement_needs_a_session_first(api):
    """No agreement without a mediation session on record."""
    case = accepted(api)
    body = agreement_body(case["version"])
    refusal = error(api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body), 422)
    assert_refused(refusal, "请先记录至少一次调解")


def test_incomplete_agreement_is_refused_naming_what_is_missing(api):
    """Each missing field of the 调解协议书 is named in Chinese."""
    case = mediating(api)
    body = agreement_body(case["version"], performance_place=MISSING, terms=[])
    refusal = error(api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body), 422)
    assert_refused(refusal, "协议条款", "履行地点")
    assert show(api, "mediator_demo", case)["agreement"] is None


def test_a_far_performance_deadline_never_breaks_the_last_signature(api):
    """Either the draft is refused naming the deadline, or the agreement takes effect."""
    case = mediating(api)
    body = agreement_body(case["version"], performance_deadline="9999-12-31")
    response = api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body)
    if response.status_code == 400:
        assert "performance_deadline" in error(response, 400)["fields"]
        return
    assert sign_all(api, "mediator_demo", ok(response))["status"] == "agreement_effective"


def test_a_signature_cannot_be_given_twice(api):
    """The same signer twice is refused."""
    case = drafted(api)
    ok(sign(api, "mediator_demo", case, "mediator"), 201)
    assert_refused(error(sign(api, "mediator_demo", case, "mediator"), 422), "已签署")


# ---------------------------------------------------------------------------- bad input


BAD_BODIES = {
    ("mediating", "PUT", "/cases/{id}/agreement"): {
        "agreement version missing": (agreement_body(MISSING), "version"),
        "agreement version as string": (agreement_body("2"), "version"),
        "facts not text": (agreement_body(2, facts=5), "facts"),
        "facts too long": (agreement_body(2, facts="长" * 5001), "facts"),
        "terms as text": (agreement_body(2, terms="赔偿"), "terms"),
        "terms not text": (agreement_body(2, terms=[3500]), "terms"),
        "deadline not a date": (agreement_body(2, performance_deadline="下月"), "deadline"),
        "deadline as number": (agreement_body(2, performance_deadline=20261231), "deadline"),
        "agreement amount negative": (agreement_body(2, amount="-5"), "amount"),
        "agreement amount not a number": (agreement_body(2, amount=[5]), "amount"),
        "matter unknown": (agreement_body(2, matter="gossip"), "matter"),
        "performance_place missing": (agreement_body(2, performance_place=MISSING), None, 422),
        "agreement unknown field": (agreement_body(2, trigger="accept"), "trigger"),
    },
    ("drafted", "POST", "/cases/{id}/agreement/signatures"): {
        "signer missing": (signature_body(signer=MISSING), "signer"),
        "signer not text": (signature_body(signer=1), "signer"),
        "signer unknown": (signature_body(signer="judge"), "signer"),
        "signer no such party": (signature_body(signer="party:987654"), "signer"),
        "method unknown": (signature_body(method="stamp"), "method"),
        "method missing": (signature_body(method=MISSING), "method"),
        "drawn without image": (signature_body(method="drawn"), "image"),
        "image not a PNG data URL": (
            signature_body(method="drawn", image="http://x/a.png"),
            "image",
        ),
        "image not text": (signature_body(method="drawn", image=5), "image"),
        "typed without name": (signature_body(typed_name=MISSING), "typed_name"),
        "signature unknown field": (signature_body(at="now"), "at"),
    },
}


@bad_bodies(BAD_BODIES)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    assert_bad_body_refused(api, setup, method, path, body, status, field)
