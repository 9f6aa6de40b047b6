"""The case API: a dispute from intake to closing, the court's part, and every way to get it wrong.

Every case here is made and moved through HTTP, as an API client would, by the demo users:
grid_demo (grid worker of 工农兵社区第1网格), mediator_demo (that community's committee),
street_demo (大智街道), judge_demo (江岸区 court) and mediator_other (武昌区, out of scope).
"""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import Case
from mediation.privacy import id_check_char

GRID = "42010200200101"  # 工农兵社区第1网格: grid_demo's grid
OTHER_COMMUNITY_GRID = "42010200200201"  # 天声街社区, same street
OTHER_DISTRICT_GRID = "42010600100101"  # 武昌区: mediator_other's
STREET = "420102002"
COURT = "420102-court"
OTHER_COURT = "420106-court"
MISSING = object()
CJK = re.compile(r"[\u4e00-\u9fff]")


def with_check(first17: str) -> str:
    """An ID number from its first 17 characters and the GB 11643 check character."""
    return first17 + id_check_char(first17)


APPLICANT_ID = with_check("42010219800101001")  # male
RESPONDENT_ID = with_check("42010219850505002")  # female
APPLICANT_PHONE = "13812345678"
RESPONDENT_PHONE = "027-82861234"


class Api:
    """The JSON API as the demo users: api.post("grid_demo", "/cases", json=...)."""

    def __init__(self, client, token):
        self.client, self.token, self.headers = client, token, {}

    def auth(self, user: str) -> dict:
        """The bearer header of a demo user (one token each per test)."""
        if user not in self.headers:
            self.headers[user] = self.token(user)
        return self.headers[user]

    def call(self, method: str, user: str | None, path: str, **kwargs):
        """Send a request to /api/v1<path>, as user (None: without a token)."""
        headers = {**(self.auth(user) if user else {}), **kwargs.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, user, path, **kwargs):
        """GET."""
        return self.call("GET", user, path, **kwargs)

    def post(self, user, path, **kwargs):
        """POST."""
        return self.call("POST", user, path, **kwargs)

    def put(self, user, path, **kwargs):
        """PUT."""
        return self.call("PUT", user, path, **kwargs)


@pytest.fixture
def api(client, token):
    """The API client of the demo users."""
    return Api(client, token)


def ok(response, status: int = 200) -> dict:
    """The JSON body of a response that must have this status."""
    assert response.status_code == status, response.get_json()
    return response.get_json()


def error(response, status: int, code: str | None = None) -> dict:
    """The {"error": {...}} body of a refusal: this status, a code and a message in Chinese."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == (code or body["error"]["code"])
    assert CJK.search(body["error"]["message"]), body
    return body["error"]


def now_iso(hours_ago: float = 1) -> str:
    """A moment some hours ago, as ISO 8601 with its zone."""
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()


def days_ahead(days: int) -> str:
    """A date some days from today, as ISO 8601."""
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def changed(base: dict, **changes) -> dict:
    """A copy of base with some keys changed, or removed when given MISSING."""
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not MISSING}


def applicant(**changes) -> dict:
    """A male applicant with a valid ID number and mobile."""
    party = {
        "role": "applicant",
        "kind": "person",
        "name": "王建国",
        "sex": "male",
        "ethnicity": "汉族",
        "id_number": APPLICANT_ID,
        "phone": APPLICANT_PHONE,
        "address": "武汉市江岸区大智路1号",
        "occupation": "退休工人",
    }
    return changed(party, **changes)


def respondent(**changes) -> dict:
    """A female respondent with a landline."""
    party = {
        "role": "respondent",
        "kind": "person",
        "name": "李秀英",
        "sex": "female",
        "id_number": RESPONDENT_ID,
        "phone": RESPONDENT_PHONE,
    }
    return changed(party, **changes)


def intake(**changes) -> dict:
    """A complete, valid intake body."""
    body = {
        "title": "楼上漏水致楼下受损纠纷",
        "category": "neighbor",
        "description": "楼上住户卫生间漏水，楼下天花板受损，双方多次协商未果。",
        "grid": GRID,
        "source": "grid_patrol",
        "amount": "3500",
        "parties": [applicant(), respondent()],
    }
    return changed(body, **changes)


def session_body(**changes) -> dict:
    """A valid mediation session held an hour ago."""
    body = {
        "held_at": now_iso(),
        "location": "工农兵社区人民调解室",
        "attendees": "王建国、李秀英",
        "summary": "申请人要求赔偿维修费，被申请人同意承担责任。",
        "outcome": "agreed",
    }
    return changed(body, **changes)


def visit_body(**changes) -> dict:
    """A valid follow-up visit an hour ago: performed, satisfied."""
    body = {
        "visited_at": now_iso(),
        "performed": True,
        "satisfaction": "satisfied",
        "notes": "赔偿款已支付，双方满意。",
    }
    return changed(body, **changes)


def agreement_body(version: int, **changes) -> dict:
    """A complete agreement draft."""
    body = {
        "version": version,
        "facts": "楼上卫生间防水层老化漏水，致楼下天花板受损，被申请人负全部责任。",
        "terms": ["被申请人赔偿申请人维修费3500元。", "双方就此事再无其他争议。"],
        "performance_method": "银行转账",
        "performance_place": "工农兵社区人民调解委员会",
        "performance_deadline": days_ahead(30),
        "amount": "3500.00",
    }
    return changed(body, **changes)


def consents(case: dict) -> list[dict]:
    """Every party's consent to the joint application."""
    return [{"party_id": p["id"], "method": "signed"} for p in case["parties"]]


# ---------------------------------------------------------------------------- stories


def create(api, user: str = "grid_demo", **changes) -> dict:
    """Register a dispute through the API."""
    return ok(api.post(user, "/cases", json=intake(**changes)), 201)


def fire(api, user: str, case: dict, trigger: str, status: int = 200, **payload):
    """Fire a trigger with the case's version; the new case, or the error of a refusal."""
    response = api.post(
        user,
        f"/cases/{case['id']}/transitions",
        json={"trigger": trigger, "version": case["version"], **payload},
    )
    return ok(response) if status == 200 else error(response, status)


def show(api, user: str, case: dict) -> dict:
    """The case as user sees it now."""
    return ok(api.get(user, f"/cases/{case['id']}"))


def accepted(api) -> dict:
    """A case in grid mediation with mediator_demo assigned."""
    case = create(api)
    return fire(api, "mediator_demo", case, "accept", mediator="mediator_demo")


def mediating(api) -> dict:
    """An accepted case with one session on record."""
    case = accepted(api)
    ok(api.post("mediator_demo", f"/cases/{case['id']}/sessions", json=session_body()), 201)
    return show(api, "mediator_demo", case)


def drafted(api) -> dict:
    """A case whose agreement awaits signatures."""
    case = mediating(api)
    body = agreement_body(case["version"])
    return ok(api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body))


def sign(api, user: str, case: dict, signer: str, **fields):
    """Record one signature (typed unless fields say otherwise)."""
    body = {"signer": signer, "method": "typed", "typed_name": "王建国", **fields}
    return api.post(user, f"/cases/{case['id']}/agreement/signatures", json=body)


def sign_all(api, user: str, case: dict) -> dict:
    """Every required signature; the case as it stands afterwards."""
    for signer in case["agreement"]["required_signers"]:
        ok(sign(api, user, case, signer["identifier"]), 201)
    return show(api, user, case)


def effective(api) -> dict:
    """A case whose agreement is in force."""
    return sign_all(api, "mediator_demo", drafted(api))


def requested(api) -> dict:
    """A case sent to judge_demo's court for judicial confirmation."""
    case = effective(api)
    body = {"version": case["version"], "court": COURT, "consents": consents(case)}
    return ok(api.post("mediator_demo", f"/cases/{case['id']}/confirmation", json=body))


def history(api, user: str, case: dict) -> list[dict]:
    """The case's audit events."""
    return ok(api.get(user, f"/cases/{case['id']}/history"))["items"]


def actions(api, case: dict) -> list[str]:
    """The actions of the case's audit events, in order."""
    return [event["action"] for event in history(api, "mediator_demo", case)]


# ---------------------------------------------------------------------------- the happy paths


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
        "seal",
    ]
    assert agreement["missing_signers"] == [
        "申请人王建国",
        "被申请人李秀英",
        "调解员",
        "调委会印章",
    ]

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
    ok(sign(api, "street_demo", case, "mediator"), 201)
    last = ok(sign(api, "street_demo", case, "seal"), 201)
    assert (last["case_status"], last["case_version"]) == ("agreement_effective", 5)

    case = show(api, "street_demo", case)
    assert case["effective_on"]
    assert case["agreement"]["missing_signers"] == []
    assert [s["void"] for s in case["agreement"]["signatures"]] == [False] * 4
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
        "sign",
        "make_effective",
        "visit",
        "close",
    ]


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


def test_reopening_voids_the_signatures_and_returns_to_grid_mediation(api):
    """Signatures collected before a reopen no longer count; a new draft needs them all again."""
    case = drafted(api)
    ok(sign(api, "mediator_demo", case, "mediator"), 201)
    ok(sign(api, "mediator_demo", case, "seal"), 201)
    assert case["came_from"] == "grid_mediation"
    case = fire(api, "mediator_demo", case, "reopen", reason="被申请人对赔偿金额提出异议。")
    assert (case["status"], case["came_from"]) == ("grid_mediation", None)
    assert [s["void"] for s in case["agreement"]["signatures"]] == [True, True]

    body = agreement_body(case["version"], amount="3000")
    case = ok(api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body))
    assert case["status"] == "agreement_drafted"
    assert case["agreement"]["amount"] == "3000.00"
    assert len(case["agreement"]["missing_signers"]) == 4


# ---------------------------------------------------------------------------- who may


ENDPOINTS = [
    ("GET", "/cases", None),
    ("POST", "/cases", intake()),
    ("GET", "/cases/{id}", None),
    ("GET", "/cases/{id}/history", None),
    ("POST", "/cases/{id}/transitions", {"trigger": "withdraw", "version": 1, "reason": "撤回"}),
    ("POST", "/cases/{id}/sessions", session_body()),
    ("POST", "/cases/{id}/visits", visit_body()),
    ("PUT", "/cases/{id}/agreement", agreement_body(1)),
    (
        "POST",
        "/cases/{id}/agreement/signatures",
        {"signer": "seal", "method": "typed", "typed_name": "调委会"},
    ),
    ("POST", "/cases/{id}/confirmation", {"version": 1, "court": COURT, "consents": []}),
    ("POST", "/cases/{id}/parties/{party}/reveal", {"field": "phone"}),
]
ENDPOINT_IDS = [f"{method} {path}" for method, path, _body in ENDPOINTS]
CASE_ENDPOINTS = [e for e in ENDPOINTS if "{id}" in e[1]]
CASE_ENDPOINT_IDS = [f"{method} {path}" for method, path, _body in CASE_ENDPOINTS]


def url(path: str, case: dict) -> str:
    """A path template filled in with the case's id and its first party's id."""
    return path.format(id=case["id"], party=case["parties"][0]["id"])


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic Z3JpZF9kZW1vOng="}],
    ids=["no token", "unknown token", "basic auth"],
)
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_case_endpoint_needs_a_bearer_token(api, method, path, body, headers):
    """401 in the API's error shape, whatever else the request says."""
    case = create(api)
    response = api.call(method, None, url(path, case), json=body, headers=headers)
    error(response, 401, "unauthorized")


@pytest.mark.parametrize(("method", "path", "body"), CASE_ENDPOINTS, ids=CASE_ENDPOINT_IDS)
def test_mediator_of_another_district_gets_404_for_a_first_street_case(api, method, path, body):
    """Out of scope answers exactly as a case that does not exist."""
    case = create(api)
    out_of_scope = error(api.call(method, "mediator_other", url(path, case), json=body), 404)
    absent = {"id": 987654, "parties": [{"id": 987654}]}
    assert error(api.call(method, "mediator_other", url(path, absent), json=body), 404) == (
        out_of_scope
    )
    assert out_of_scope["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/cases/{id}", None),
        ("GET", "/cases/{id}/history", None),
        (
            "POST",
            "/cases/{id}/transitions",
            {"trigger": "confirm", "version": 4, "ruling_text": "有效"},
        ),
        ("POST", "/cases/{id}/parties/{party}/reveal", {"field": "id_number"}),
    ],
    ids=["detail", "history", "transition", "reveal"],
)
def test_judge_gets_404_for_a_case_not_sent_to_her_court(api, method, path, body):
    """Until a case is sent to her court, a judge cannot see it, even in her district."""
    case = effective(api)
    error(api.call(method, "judge_demo", url(path, case), json=body), 404, "not_found")
    listed = ok(api.get("judge_demo", "/cases"))
    assert listed["total"] == 0


@pytest.mark.parametrize("path", ["/cases/0", "/cases/99999999999999999999", "/cases/abc"])
def test_case_ids_that_cannot_exist_are_not_found(api, path):
    """Zero, ids beyond 32 bits and non-numbers are 404, never a database error."""
    error(api.get("street_demo", path), 404)
    error(api.get("street_demo", f"{path}/history"), 404)


def test_grid_worker_cannot_terminate_mediation(api):
    """terminate is for mediators and street officers."""
    case = accepted(api)
    refusal = fire(
        api, "grid_demo", case, "terminate", 403, reason="分歧大", routes_told=["litigation"]
    )
    assert refusal["code"] == "forbidden" and "终止调解" in refusal["message"]
    assert show(api, "grid_demo", case)["status"] == "grid_mediation"


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


@pytest.mark.parametrize(
    ("user", "method", "path", "body"),
    [
        ("admin_demo", "POST", "/cases", intake()),
        ("judge_demo", "POST", "/cases", intake()),
        ("judge_demo", "POST", "/cases/{id}/sessions", session_body()),
        ("judge_demo", "POST", "/cases/{id}/visits", visit_body()),
        (
            "grid_demo",
            "POST",
            "/cases/{id}/agreement/signatures",
            {"signer": "seal", "method": "typed", "typed_name": "印"},
        ),
        ("grid_demo", "POST", "/cases/{id}/parties/{party}/reveal", {"field": "id_number"}),
        ("admin_demo", "POST", "/cases/{id}/parties/{party}/reveal", {"field": "phone"}),
    ],
    ids=[
        "admin registers",
        "judge registers",
        "judge records a session",
        "judge records a visit",
        "grid worker signs",
        "grid worker reveals",
        "admin reveals",
    ],
)
def test_roles_that_may_not_act_get_403(api, user, method, path, body):
    """Intake, records, signatures and revealing numbers are for the roles that need them."""
    case = create(api)
    error(api.call(method, user, url(path, case), json=body), 403, "forbidden")


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


def test_stale_version_on_the_confirmation_application(api):
    """The joint application carries the version too."""
    case = effective(api)
    body = {"version": case["version"] - 1, "court": COURT, "consents": consents(case)}
    error(api.post("mediator_demo", f"/cases/{case['id']}/confirmation", json=body), 409)
    assert show(api, "mediator_demo", case)["status"] == "agreement_effective"


def assert_refused(refusal: dict, *fragments: str) -> None:
    """A guard refusal: reasons in Chinese, joined into the message, each fragment named."""
    assert refusal["code"] == "guard_refused"
    assert refusal["reasons"] and all(CJK.search(reason) for reason in refusal["reasons"])
    assert refusal["message"] == "；".join(refusal["reasons"])
    for fragment in fragments:
        assert fragment in refusal["message"]


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


def test_close_needs_performance_recorded_at_a_visit(api):
    """Closing waits for the follow-up visit."""
    assert_refused(fire(api, "mediator_demo", effective(api), "close", 422), "回访")


def test_confirmation_needs_every_party_and_a_court(api):
    """The joint application names every party and a court."""
    case = effective(api)
    path = f"/cases/{case['id']}/confirmation"
    refusal = error(api.post("mediator_demo", path, json={"version": case["version"]}), 422)
    assert_refused(refusal, "共同申请", "人民法院")
    one = consents(case)[:1]
    body = {"version": case["version"], "court": COURT, "consents": one}
    assert_refused(error(api.post("mediator_demo", path, json=body), 422), "共同申请")
    for court in ("nowhere", OTHER_COURT):
        body = {"version": case["version"], "court": court, "consents": consents(case)}
        assert_refused(error(api.post("mediator_demo", path, json=body), 422), court)
    assert show(api, "mediator_demo", case)["status"] == "agreement_effective"


@pytest.mark.parametrize(
    ("setup", "trigger", "payload", "fragment"),
    [
        ("intake", "decline", {"reason_code": "bored"}, "不予受理的理由"),
        ("intake", "decline", {}, "不予受理的理由"),
        ("accepted", "escalate", {"reason_code": "complex"}, "上报说明"),
        ("accepted", "escalate", {"reason": "复杂"}, "上报街道的理由"),
        ("accepted", "terminate", {"reason": "分歧大"}, "人民调解法第二十六条"),
        ("accepted", "terminate", {"reason": "分歧大", "routes_told": ["pigeon"]}, "pigeon"),
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


def test_a_far_performance_deadline_never_breaks_the_last_signature(api):
    """Either the draft is refused naming the deadline, or the agreement takes effect."""
    case = mediating(api)
    body = agreement_body(case["version"], performance_deadline="9999-12-31")
    response = api.put("mediator_demo", f"/cases/{case['id']}/agreement", json=body)
    if response.status_code == 400:
        assert "performance_deadline" in error(response, 400)["fields"]
        return
    assert sign_all(api, "mediator_demo", ok(response))["status"] == "agreement_effective"


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


def test_records_need_the_right_state(api):
    """No session before acceptance, no visit before the agreement, no signature without a draft."""
    case = create(api)
    path = f"/cases/{case['id']}"
    assert_refused(error(api.post("mediator_demo", f"{path}/sessions", json=session_body()), 422))
    assert_refused(error(api.post("mediator_demo", f"{path}/visits", json=visit_body()), 422))
    assert_refused(error(sign(api, "mediator_demo", case, "seal"), 422), "没有待签署的协议")
    assert actions(api, case) == ["create"]


def test_a_signature_cannot_be_given_twice(api):
    """The same signer twice is refused."""
    case = drafted(api)
    ok(sign(api, "mediator_demo", case, "seal"), 201)
    assert_refused(error(sign(api, "mediator_demo", case, "seal"), 422), "已签署")


# ---------------------------------------------------------------------------- bad input

TOO_LONG = "长" * 201
BAD_DATE_ID = with_check("42010219800230001")  # born on 30 February
SIGNED = [{"party_id": 1, "method": "signed"}]


def party_change(index: int, **changes) -> list[dict]:
    """The intake parties with one of them changed."""
    parties = [applicant(), respondent()]
    parties[index] = changed(parties[index], **changes)
    return parties


def first_party(**changes) -> dict:
    """An intake body whose applicant is changed."""
    return intake(parties=party_change(0, **changes))


def transition(trigger: str = "accept", version=1, **fields) -> dict:
    """A transition body (version MISSING leaves it out)."""
    return changed({"trigger": trigger, "version": version, **fields})


def signature(**changes) -> dict:
    """A signature body: the seal, typed."""
    return changed({"signer": "seal", "method": "typed", "typed_name": "调委会"}, **changes)


def confirmation(**changes) -> dict:
    """A confirmation body for the effective case (version 4)."""
    return changed({"version": 4, "court": COURT, "consents": SIGNED}, **changes)


# Per endpoint: the case it needs, and {name: (body, field named in the 400)} or, for a
# refusal other than 400, (body, None, status).
BAD_BODIES = {
    ("none", "POST", "/cases"): {
        "title missing": (intake(title=MISSING), "title"),
        "title not text": (intake(title=5), "title"),
        "title blank": (intake(title="   "), "title"),
        "title null": (intake(title=None), "title"),
        "title too long": (intake(title=TOO_LONG), "title"),
        "title with NUL": (intake(title="漏\x00水"), "title"),
        "description missing": (intake(description=MISSING), "description"),
        "description not text": (intake(description=[]), "description"),
        "category unknown": (intake(category="gossip"), "category"),
        "category missing": (intake(category=MISSING), "category"),
        "category not text": (intake(category=["neighbor"]), "category"),
        "source unknown": (intake(source="fax"), "source"),
        "source missing": (intake(source=MISSING), "source"),
        "grid unknown": (intake(grid="999"), "grid"),
        "grid not a grid": (intake(grid=STREET), "grid"),
        "grid out of scope": (intake(grid=OTHER_DISTRICT_GRID), "grid"),
        "grid not text": (intake(grid=42010200200101), "grid"),
        "amount negative": (intake(amount=-1), "amount"),
        "amount not a number": (intake(amount="三千"), "amount"),
        "amount boolean": (intake(amount=True), "amount"),
        "amount three decimals": (intake(amount="1.234"), "amount"),
        "amount infinite": (intake(amount="Infinity"), "amount"),
        "amount huge": (intake(amount="1e15"), "amount"),
        "parties missing": (intake(parties=MISSING), "parties"),
        "parties empty": (intake(parties=[]), "parties"),
        "parties not a list": (intake(parties="王建国"), "parties"),
        "no respondent": (intake(parties=[applicant()]), "parties"),
        "too many parties": (intake(parties=[applicant(), respondent()] * 11), "parties"),
        "party not an object": (intake(parties=["王建国", respondent()]), "parties"),
        "party role unknown": (first_party(role="judge"), "parties.0.role"),
        "party role missing": (first_party(role=MISSING), "role"),
        "party kind unknown": (first_party(kind="alien"), "parties.0.kind"),
        "party name missing": (first_party(name=MISSING), "name"),
        "party name blank": (first_party(name=" "), "parties.0.name"),
        "party sex unknown": (first_party(sex="x"), "parties.0.sex"),
        "ID bad check digit": (first_party(id_number=APPLICANT_ID[:-1] + "1"), "id_number"),
        "ID no such birth date": (first_party(id_number=BAD_DATE_ID), "parties.0.id_number"),
        "ID sex disagrees": (first_party(sex="female"), "parties.0.id_number"),
        "ID fifteen digits": (first_party(id_number="420102800101001"), "parties.0.id_number"),
        "ID not text": (first_party(id_number=420102198001010010), "id_number"),
        "ID of an organisation": (first_party(kind="organization", sex=None), "id_number"),
        "phone too short": (first_party(phone="1381234567"), "parties.0.phone"),
        "phone no such prefix": (first_party(phone="12812345678"), "parties.0.phone"),
        "phone letters": (first_party(phone="call me"), "parties.0.phone"),
        "phone not text": (first_party(phone=13812345678), "phone"),
        "refuses_mediation not bool": (first_party(refuses_mediation="yes"), "refuses_mediation"),
        "party unknown field": (first_party(nickname="老王"), "nickname"),
        "unknown field": (intake(priority="high"), "priority"),
    },
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
        "joint_application not bool": (
            transition("request_confirmation", joint_application="yes"),
            "joint_application",
        ),
        "ground not text": (transition("reject_confirmation", ground={}), "ground"),
        "terms not a list": (transition("draft_agreement", terms="赔偿"), "terms"),
        "transition unknown field": (transition(mediatr="mediator_demo"), "mediatr"),
    },
    ("accepted", "POST", "/cases/{id}/sessions"): {
        "held_at missing": (session_body(held_at=MISSING), "held_at"),
        "held_at not a time": (session_body(held_at="昨天下午"), "held_at"),
        "held_at in the future": (session_body(held_at=now_iso(-48)), "held_at"),
        "held_at not text": (session_body(held_at=1700000000), "held_at"),
        "held_at no such day": (session_body(held_at="2026-02-30T10:00"), "held_at"),
        "held_at year one": (session_body(held_at="0001-01-01T00:00"), "held_at"),
        "location missing": (session_body(location=MISSING), "location"),
        "location blank": (session_body(location=""), "location"),
        "location too long": (session_body(location=TOO_LONG), "location"),
        "attendees missing": (session_body(attendees=MISSING), "attendees"),
        "summary not text": (session_body(summary=42), "summary"),
        "outcome unknown": (session_body(outcome="won"), "outcome"),
        "outcome missing": (session_body(outcome=MISSING), "outcome"),
        "mediators not text": (session_body(mediators=["李调解"]), "mediators"),
        "session unknown field": (session_body(minutes="x"), "minutes"),
    },
    # Visit fields are checked before the case's state, so an accepted case will do.
    ("accepted", "POST", "/cases/{id}/visits"): {
        "visited_at missing": (visit_body(visited_at=MISSING), "visited_at"),
        "visited_at in the future": (visit_body(visited_at=now_iso(-48)), "visited_at"),
        "visited_at not a time": (visit_body(visited_at="soon"), "visited_at"),
        "performed missing": (visit_body(performed=MISSING), "performed"),
        "performed as text": (visit_body(performed="yes"), "performed"),
        "performed as number": (visit_body(performed=1), "performed"),
        "performed null": (visit_body(performed=None), "performed"),
        "satisfaction unknown": (visit_body(satisfaction="meh"), "satisfaction"),
        "satisfaction missing": (visit_body(satisfaction=MISSING), "satisfaction"),
        "notes not text": (visit_body(notes=5), "notes"),
        "remaining_risk not text": (visit_body(remaining_risk=True), "remaining_risk"),
    },
    ("effective", "POST", "/cases/{id}/visits"): {
        "visited_at year one": (visit_body(visited_at="0001-01-01T00:00"), "visited_at"),
    },
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
        "signer missing": (signature(signer=MISSING), "signer"),
        "signer not text": (signature(signer=1), "signer"),
        "signer unknown": (signature(signer="judge"), "signer"),
        "signer no such party": (signature(signer="party:987654"), "signer"),
        "method unknown": (signature(method="stamp"), "method"),
        "method missing": (signature(method=MISSING), "method"),
        "drawn without image": (signature(method="drawn"), "image"),
        "image not a PNG data URL": (signature(method="drawn", image="http://x/a.png"), "image"),
        "image not text": (signature(method="drawn", image=5), "image"),
        "typed without name": (signature(typed_name=MISSING), "typed_name"),
        "signature unknown field": (signature(at="now"), "at"),
    },
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
        "materials not supported": (confirmation(materials=["协议书.pdf"]), "materials"),
    },
    ("intake", "POST", "/cases/{id}/parties/{party}/reveal"): {
        "reveal field missing": ({}, "field"),
        "reveal field unknown": ({"field": "name"}, "field"),
        "reveal field not text": ({"field": ["phone"]}, "field"),
    },
}


def bad_input_params():
    """BAD_BODIES as pytest params (setup, method, path, body, status, field)."""
    for (setup, method, path), bodies in BAD_BODIES.items():
        for name, (body, field, *status) in bodies.items():
            values = (setup, method, path, body, status[0] if status else 400, field)
            yield pytest.param(*values, id=name)


SETUPS = {
    "none": lambda api: {"id": 0, "parties": [{"id": 0}]},
    "intake": create,
    "accepted": accepted,
    "mediating": mediating,
    "drafted": drafted,
    "effective": effective,
}


@pytest.mark.parametrize(
    ("setup", "method", "path", "body", "status", "field"), list(bad_input_params())
)
def test_bad_input_gets_a_message_never_a_500(api, setup, method, path, body, status, field):
    """Each bad field is answered 400 (or the guard's 422) naming the field; nothing changes."""
    case = SETUPS[setup](api)
    user = "grid_demo" if setup == "none" else "mediator_demo"
    refusal = error(api.call(method, user, url(path, case), json=body), status)
    if field:
        assert refusal["code"] == "invalid_input"
        assert field in json.dumps(refusal.get("fields", {})) or field in refusal["message"]
    if setup == "none":
        assert ok(api.get("street_demo", "/cases"))["total"] == 0
    else:
        assert show(api, "mediator_demo", case)["version"] == case["version"]


BODY_ENDPOINTS = [(m, p) for m, p, body in ENDPOINTS if body is not None]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("42", "application/json"),
        ("null", "application/json"),
        ("title=漏水", "application/x-www-form-urlencoded"),
        ("", None),
    ],
    ids=["bad JSON", "array", "string", "number", "null", "form", "empty"],
)
@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS, ids=lambda v: v)
def test_bodies_that_are_not_json_objects_get_400(api, method, path, data, content_type):
    """Malformed JSON, non-objects and forms are refused with a message, never a 500."""
    case = create(api)
    headers = {"Content-Type": content_type} if content_type else {}
    response = api.call(method, "mediator_demo", url(path, case), data=data, headers=headers)
    refusal = error(response, 400, "invalid_input")
    assert refusal["message"]


# ---------------------------------------------------------------------------- the list


@pytest.fixture
def street_cases(api):
    """Four cases in 大智街道: three on grid_demo's grid, one in another community.

    The contract dispute is accepted; the first neighbour dispute is overdue.
    """
    first = create(api, title="楼上漏水纠纷")
    contract = create(
        api,
        title="装修合同尾款纠纷",
        category="contract",
        parties=[
            applicant(name="周小明"),
            respondent(),
        ],
    )
    third = create(api, title="噪音扰民纠纷", amount=None)
    other = create(api, "street_demo", title="停车位纠纷", grid=OTHER_COMMUNITY_GRID)
    fire(api, "mediator_demo", contract, "accept", mediator="mediator_demo")
    past = datetime(2026, 1, 1, tzinfo=UTC)
    overdue = {"overdue": True, "deadline_at": past}
    db.session.execute(sa.update(Case).where(Case.id == first["id"]).values(**overdue))
    db.session.commit()
    return {"first": first, "contract": contract, "third": third, "other": other}


def listed(api, user: str = "street_demo", **args) -> dict:
    """The list with these query arguments."""
    return ok(api.get(user, "/cases", query_string=args))


def ids(page: dict) -> set[int]:
    """The case ids on a page."""
    return {item["id"] for item in page["items"]}


def test_list_is_scoped_and_newest_first(api, street_cases):
    """The street sees all four, the grid worker her grid, others nothing."""
    page = listed(api)
    assert (page["total"], page["page"], page["per_page"]) == (4, 1, 20)
    assert [item["title"] for item in page["items"]] == [
        "停车位纠纷",
        "噪音扰民纠纷",
        "装修合同尾款纠纷",
        "楼上漏水纠纷",
    ]
    assert listed(api, "grid_demo")["total"] == 3
    assert listed(api, "mediator_other")["total"] == 0
    assert listed(api, "judge_demo")["total"] == 0
    assert listed(api, "admin_demo")["total"] == 4
    item = page["items"][1]
    assert item["available_triggers"] == ["accept", "decline", "withdraw"]
    assert item["amount"] is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"status": "intake"}, {"first", "third", "other"}),
        ({"status": "grid_mediation"}, {"contract"}),
        ({"status": "closed"}, set()),
        ({"category": "contract"}, {"contract"}),
        ({"category": "neighbor", "status": "intake"}, {"first", "third", "other"}),
        ({"region": GRID}, {"first", "contract", "third"}),
        ({"region": OTHER_COMMUNITY_GRID}, {"other"}),
        ({"region": STREET}, {"first", "contract", "third", "other"}),
        ({"region": OTHER_DISTRICT_GRID}, set()),
        ({"region": "nowhere"}, set()),
        ({"overdue": "true"}, {"first"}),
        ({"overdue": "false"}, {"contract", "third", "other"}),
        ({"q": "装修"}, {"contract"}),
        ({"q": "周小明"}, {"contract"}),
        ({"q": "李秀英"}, {"first", "contract", "third", "other"}),
        ({"q": "没有这个词"}, set()),
        ({"q": ""}, {"first", "contract", "third", "other"}),
    ],
)
def test_list_filters(api, street_cases, args, expected):
    """Status, category, region (a subtree), overdue and free text narrow the list."""
    page = listed(api, **args)
    assert ids(page) == {street_cases[name]["id"] for name in expected}
    assert page["total"] == len(expected)


def test_list_finds_a_case_by_its_number(api, street_cases):
    """The case number is searchable."""
    number = street_cases["third"]["number"]
    assert ids(listed(api, q=number)) == {street_cases["third"]["id"]}


def test_list_pages(api, street_cases):
    """per_page and page cut the newest-first list; past the end is an empty page."""
    pages = [listed(api, per_page=1, page=n) for n in (1, 2, 3, 4, 5)]
    assert [len(p["items"]) for p in pages] == [1, 1, 1, 1, 0]
    assert all(p["total"] == 4 and p["per_page"] == 1 for p in pages)
    assert len(set().union(*(ids(p) for p in pages))) == 4
    assert len(listed(api, per_page=3, page=2)["items"]) == 1
    assert len(listed(api, per_page=100)["items"]) == 4


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"category": "gossip"}, "category"),
        ({"overdue": "maybe"}, "overdue"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "many"}, "per_page"),
        ({"q": "漏\x00水"}, "q"),
        ({"region": "\x00"}, "region"),
    ],
)
def test_bad_list_arguments_get_400(api, street_cases, args, field):
    """Each bad filter or paging argument is named."""
    refusal = error(api.get("street_demo", "/cases", query_string=args), 400, "invalid_input")
    assert field in json.dumps(refusal.get("fields", {})) or field in refusal["message"]


# ---------------------------------------------------------------------------- privacy


def full_numbers_in(response) -> list[str]:
    """The parties' full ID numbers and phones that appear anywhere in a response."""
    text = response.get_data(as_text=True)
    full = (APPLICANT_ID, RESPONDENT_ID, APPLICANT_PHONE, "82861234")
    return [number for number in full if number in text]


def test_numbers_are_masked_in_every_answer(api):
    """Intake, detail, list and history never show a full ID number or phone."""
    response = api.post("grid_demo", "/cases", json=intake())
    assert full_numbers_in(response) == []
    case = response.get_json()
    applicant_json, respondent_json = case["parties"]
    assert applicant_json["id_number"] == "420102********001X"
    assert applicant_json["phone"] == "138****5678"
    assert respondent_json["phone"] == "027-******34"
    for user in ("grid_demo", "mediator_demo", "street_demo", "admin_demo"):
        for path in ("/cases", f"/cases/{case['id']}", f"/cases/{case['id']}/history"):
            response = api.get(user, path)
            assert response.status_code == 200
            assert full_numbers_in(response) == [], (user, path)


def test_revealing_a_number_is_logged(api):
    """The full number is answered once, and the audit log says who saw which field of whom."""
    case = create(api)
    party = case["parties"][0]
    path = f"/cases/{case['id']}/parties/{party['id']}/reveal"
    assert ok(api.post("mediator_demo", path, json={"field": "id_number"})) == {
        "value": APPLICANT_ID
    }
    assert ok(api.post("street_demo", path, json={"field": "phone"})) == {"value": APPLICANT_PHONE}
    events = history(api, "mediator_demo", case)
    assert [(e["action"], e["actor"], e["payload"]) for e in events[-2:]] == [
        ("reveal", "mediator_demo", {"party_id": party["id"], "field": "id_number"}),
        ("reveal", "street_demo", {"party_id": party["id"], "field": "phone"}),
    ]
    again = api.get("mediator_demo", f"/cases/{case['id']}")
    assert full_numbers_in(again) == []
    assert show(api, "mediator_demo", case)["version"] == 1


def test_revealing_an_absent_number_answers_empty(api):
    """A party without a phone has nothing to reveal."""
    case = create(api, parties=[applicant(phone=None), respondent()])
    path = f"/cases/{case['id']}/parties/{case['parties'][0]['id']}/reveal"
    assert ok(api.post("mediator_demo", path, json={"field": "phone"})) == {"value": ""}


def test_revealing_a_party_of_another_case_is_not_found(api):
    """The party must belong to the case in the URL."""
    first, second = create(api), create(api)
    path = f"/cases/{first['id']}/parties/{second['parties'][0]['id']}/reveal"
    error(api.post("mediator_demo", path, json={"field": "id_number"}), 404, "not_found")
    assert actions(api, first) == ["create"]


# ---------------------------------------------------------------------------- history


def test_history_is_ordered_and_hash_linked(api):
    """Events come oldest first, numbered from 1, each prev_hash the previous event's hash."""
    case = drafted(api)
    ok(sign(api, "mediator_demo", case, "seal"), 201)
    events = history(api, "street_demo", case)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["action"] for e in events] == [
        "create",
        "accept",
        "session",
        "draft_agreement",
        "sign",
    ]
    assert events[0]["prev_hash"] is None
    for previous, event in zip(events, events[1:], strict=False):
        assert event["prev_hash"] == previous["hash"]
        assert datetime.fromisoformat(event["at"]) >= datetime.fromisoformat(previous["at"])
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["hash"]) for e in events)
    accept = events[1]
    assert (accept["actor"], accept["actor_role"]) == ("mediator_demo", "mediator")
    assert (accept["from"], accept["to"]) == ("intake", "grid_mediation")
    assert accept["payload"] == {"mediator": "mediator_demo"}
    assert events[0]["actor"] == "grid_demo"


def test_the_system_is_the_actor_of_make_effective(api):
    """The last signature fires make_effective as the system, with no user."""
    case = effective(api)
    event = history(api, "mediator_demo", case)[-1]
    assert (event["action"], event["actor"], event["actor_role"]) == (
        "make_effective",
        None,
        "system",
    )


# ---------------------------------------------------------------------------- the document


def test_openapi_lists_every_case_endpoint(client):
    """The generated OpenAPI document has each path and method, with the request schemas."""
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = {path: set(ops) for path, ops in spec["paths"].items()}
    expected = {
        "/api/v1/codes": {"get"},
        "/api/v1/cases": {"get", "post"},
        "/api/v1/cases/{case_id}": {"get"},
        "/api/v1/cases/{case_id}/transitions": {"post"},
        "/api/v1/cases/{case_id}/history": {"get"},
        "/api/v1/cases/{case_id}/sessions": {"post"},
        "/api/v1/cases/{case_id}/visits": {"post"},
        "/api/v1/cases/{case_id}/agreement": {"put"},
        "/api/v1/cases/{case_id}/agreement/signatures": {"post"},
        "/api/v1/cases/{case_id}/confirmation": {"post"},
        "/api/v1/cases/{case_id}/parties/{party_id}/reveal": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= paths.get(path, set()), path
    schemas = spec["components"]["schemas"]
    assert {"title", "category", "description", "grid", "source", "amount", "parties"} <= set(
        schemas["CaseIn"]["properties"]
    )
    transition = schemas["TransitionIn"]
    assert set(transition["required"]) == {"trigger", "version"}
    assert transition["properties"]["version"]["type"] == "integer"
    listing = spec["paths"]["/api/v1/cases"]["get"]["parameters"]
    assert {p["name"] for p in listing} >= {"status", "category", "region", "overdue", "q", "page"}
