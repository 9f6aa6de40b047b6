"""The JSON API as a client uses it: a bearer token per demo user, the shape of its answers,
and a case moved on through HTTP step by step, as gen_case moves one through the operations.

The API tests get an Api from their `api` fixture (tests/integration/api/conftest.py).
"""

import json

import pytest

from tests.builders import CJK, agreement_body, consents, intake, session_body
from tests.factories import COURT, signature


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


def assert_refused(refusal: dict, *fragments: str) -> None:
    """A guard refusal: reasons in Chinese, joined into the message, each fragment named."""
    assert refusal["code"] == "guard_refused"
    assert refusal["reasons"] and all(CJK.search(reason) for reason in refusal["reasons"])
    assert refusal["message"] == "；".join(refusal["reasons"])
    for fragment in fragments:
        assert fragment in refusal["message"]


def url(path: str, case: dict) -> str:
    """A path template filled in with the case's id and its first party's id."""
    return path.format(id=case["id"], party=case["parties"][0]["id"])


# ---------------------------------------------------------------------------- a case's steps


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
    body = signature(signer, **fields)
    return api.post(user, f"/cases/{case['id']}/agreement/signatures", json=body)


def seal(api, user: str, case: dict):
    """Apply the committee's seal at the case's current version."""
    version = show(api, user, case)["version"]
    return api.post(user, f"/cases/{case['id']}/agreement/seal", json={"version": version})


def sign_all(api, user: str, case: dict) -> dict:
    """Every required signature, then the seal (by mediator_demo, of the case's committee);
    the case as it stands afterwards."""
    for signer in case["agreement"]["required_signers"]:
        ok(sign(api, user, case, signer["identifier"]), 201)
    ok(seal(api, "mediator_demo", case))
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


# The case each endpoint's test needs, by name: "none" is a case id that names no case.
SETUPS = {
    "none": lambda api: {"id": 0, "parties": [{"id": 0}]},
    "intake": create,
    "accepted": accepted,
    "mediating": mediating,
    "drafted": drafted,
    "effective": effective,
}


# ---------------------------------------------------------------------------- bad bodies


def bad_bodies(table: dict):
    """Parametrize a test by a table of bad bodies: per endpoint, (the case it needs, method,
    path) → {name: (body, field named in the 400)} or, for a refusal other than 400,
    {name: (body, None, status)}."""
    cases = [
        pytest.param(setup, method, path, body, status[0] if status else 400, field, id=name)
        for (setup, method, path), bodies in table.items()
        for name, (body, field, *status) in bodies.items()
    ]
    return pytest.mark.parametrize(("setup", "method", "path", "body", "status", "field"), cases)


def assert_bad_body_refused(api, setup, method, path, body, status, field) -> None:
    """The bad body is answered 400 (or the guard's 422) naming the field; nothing changes."""
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
