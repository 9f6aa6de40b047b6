"""What every case endpoint of the API does alike: it needs a bearer token, answers 404 for a
case out of the caller's scope, 403 to a role that may not act, and 400 to a body that is not a
JSON object."""

import pytest

from tests.api_client import create, effective, error, ok, url
from tests.builders import agreement_body, intake, session_body, signature_body, visit_body
from tests.factories import COURT

# Only a judge uses these: another role is refused for the role (403) before any case is
# looked up, as for records; a judge of another court gets 404 (test_court_api).
JUDGES_ONLY = [
    ("POST", "/cases/{id}/confirmation/extension", {"version": 1, "reason": "经院长批准。"}),
]
ENDPOINTS = [
    ("GET", "/cases", None),
    ("POST", "/cases", intake()),
    ("GET", "/cases/{id}", None),
    ("GET", "/cases/{id}/history", None),
    ("POST", "/cases/{id}/transitions", {"trigger": "withdraw", "version": 1, "reason": "撤回"}),
    ("POST", "/cases/{id}/sessions", session_body()),
    ("POST", "/cases/{id}/visits", visit_body()),
    ("PUT", "/cases/{id}/agreement", agreement_body(1)),
    ("POST", "/cases/{id}/agreement/signatures", signature_body()),
    ("GET", "/courts?case={id}", None),
    ("POST", "/cases/{id}/confirmation", {"version": 1, "court": COURT, "consents": []}),
    *JUDGES_ONLY,
    ("GET", "/cases/{id}/application.pdf", None),
    ("GET", "/cases/{id}/materials/1", None),
    ("GET", "/cases/{id}/ruling.pdf", None),
    ("POST", "/cases/{id}/parties/{party}/reveal", {"field": "phone"}),
]
ENDPOINT_IDS = [f"{method} {path}" for method, path, _body in ENDPOINTS]
CASE_ENDPOINTS = [e for e in ENDPOINTS if "{id}" in e[1] and e not in JUDGES_ONLY]
CASE_ENDPOINT_IDS = [f"{method} {path}" for method, path, _body in CASE_ENDPOINTS]


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


@pytest.mark.parametrize(
    ("user", "method", "path", "body"),
    [
        ("admin_demo", "POST", "/cases", intake()),
        ("judge_demo", "POST", "/cases", intake()),
        ("judge_demo", "POST", "/cases/{id}/sessions", session_body()),
        ("judge_demo", "POST", "/cases/{id}/visits", visit_body()),
        ("grid_demo", "POST", "/cases/{id}/agreement/signatures", signature_body()),
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
