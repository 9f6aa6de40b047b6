"""Hostile input never gets a 500: every text and number field of every form and endpoint.

Each API endpoint gets every value of tests.hostile in each of its text and number fields
and answers 400 invalid_input with a Chinese message, storing nothing; each web form does
the same with what a form post can carry, and never answers 500 to what it cannot.
"""

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from mediation.admin.operations import resolve_unit
from mediation.demo import DEMO_PASSWORD
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.inputs import MAX_JSON_DEPTH
from mediation.models import Case
from tests.builders import (
    CJK,
    PNG,
    agreement_form,
    consents,
    intake_post,
    local_time,
    now_iso,
    session_form,
    signature_form,
    user_form,
    visit_form,
)
from tests.database import reset_to_demo_city, row_counts
from tests.factories import (
    COURT,
    GRID,
    agreement,
    case_data,
    gen_case,
    gen_session,
    payload_for,
    reload,
    session_record,
    signature,
    visit_record,
)
from tests.hostile import (
    FORM_SAFE_TEXT,
    HARMLESS_TEXT,
    HOSTILE_JSON,
    HOSTILE_NUMBERS,
    HOSTILE_TEXT,
    form_body,
    params,
    with_value,
)

NUL_MESSAGE = "含有空字符"
# Party fields that case_data leaves out; the bodies below fill them in too (a legal
# representative on a third party, an organisation: a person has none).
PARTY_EXTRAS = {"occupation": "退休工人", "agent": "王小明"}
COMPANY = {
    "role": "third_party",
    "kind": "organization",
    "name": "安居物业公司",
    "address": "武汉市江岸区大智路88号",
    "legal_representative": "周明",
}


def intake_body() -> dict:
    """case_data's dispute with every party field filled in: its two people and a company."""
    applicant, respondent = case_data()["parties"]
    return {**case_data(), "parties": [{**applicant, **PARTY_EXTRAS}, respondent, COMPANY]}


def case_in(state: str | None) -> Case | None:
    """A case of mediator_demo's community, brought to this state yesterday (so no time limit
    has run out), with a session on record when it is in grid mediation."""
    if state is None:
        return None
    case = gen_case("mediator_demo", state, now=datetime.now(UTC) - timedelta(days=1))
    if state == "grid_mediation":
        gen_session(case)
    return reload(case)


def text_paths(body, path: str = "") -> list[str]:
    """The dotted paths of every string in a body ("parties.0.name"): its text fields."""
    if isinstance(body, dict):
        items = body.items()
    elif isinstance(body, list):
        items = enumerate(body)
    else:
        return [path] if isinstance(body, str) else []
    return [
        inner for key, value in items for inner in text_paths(value, f"{path}.{key}".lstrip("."))
    ]


# ---------------------------------------------------------------------------- the API


@dataclass(frozen=True)
class Endpoint:
    """A JSON endpoint: who calls it, on a case in which state, with which valid body."""

    user: str | None
    state: str | None
    method: str
    path: str
    body: Callable[[Case | None], dict]
    numbers: tuple[str, ...] = ()
    status: int = 201

    def url(self, case: Case | None) -> str:
        """The endpoint's URL for this case."""
        if case is None:
            return f"/api/v1{self.path}"
        return f"/api/v1{self.path}".format(case=case.id, party=case.parties[0].id)


def dated_consents(case: Case) -> list[dict]:
    """Every party's written consent, with the moment it was given (a text field too)."""
    return [{**consent, "consented_at": now_iso()} for consent in consents(case)]


def transition(trigger: str, state: str, user: str) -> Endpoint:
    """POST /cases/<id>/transitions firing trigger with the payload its guards accept."""

    def body(case):
        return {"trigger": trigger, "version": case.version, **payload_for(trigger, case)}

    return Endpoint(user, state, "POST", "/cases/{case}/transitions", body, ("version",), 200)


ENDPOINTS = {
    "tokens": Endpoint(
        None,
        None,
        "POST",
        "/tokens",
        lambda case: {"username": "grid_demo", "password": DEMO_PASSWORD},
    ),
    "intake": Endpoint(
        "grid_demo",
        None,
        "POST",
        "/cases",
        lambda case: intake_body(),
        ("amount",),
    ),
    **{
        f"transition {trigger}": transition(trigger, state, user)
        for trigger, state, user in (
            ("accept", "intake", "mediator_demo"),
            ("decline", "intake", "mediator_demo"),
            ("withdraw", "intake", "mediator_demo"),
            ("escalate", "grid_mediation", "mediator_demo"),
            ("terminate", "grid_mediation", "mediator_demo"),
            ("reopen", "agreement_drafted", "mediator_demo"),
            ("accept_application", "confirmation_requested", "judge_demo"),
            ("reject_confirmation", "confirmation_requested", "judge_demo"),
            ("withdraw_confirmation", "confirmation_requested", "mediator_demo"),
            ("confirm", "confirmation_accepted", "judge_demo"),
            ("remediate", "confirmation_rejected", "mediator_demo"),
        )
    },
    "transition draft_agreement": Endpoint(
        "mediator_demo",
        "grid_mediation",
        "POST",
        "/cases/{case}/transitions",
        lambda case: {
            "trigger": "draft_agreement",
            "version": case.version,
            **agreement(datetime.now(UTC), matter="property_title"),
        },
        ("version", "amount"),
        200,
    ),
    "transition request_confirmation": Endpoint(
        "mediator_demo",
        "agreement_effective",
        "POST",
        "/cases/{case}/transitions",
        lambda case: {
            "trigger": "request_confirmation",
            "version": case.version,
            "court": COURT,
            "consents": dated_consents(case),
        },
        ("version", "consents.0.party_id"),
        200,
    ),
    "agreement": Endpoint(
        "mediator_demo",
        "grid_mediation",
        "PUT",
        "/cases/{case}/agreement",
        lambda case: {"version": case.version, **agreement(datetime.now(UTC))},
        ("version", "amount"),
        200,
    ),
    "session": Endpoint(
        "mediator_demo",
        "grid_mediation",
        "POST",
        "/cases/{case}/sessions",
        lambda case: session_record(now_iso(), mediators="张调解"),
    ),
    "visit": Endpoint(
        "mediator_demo",
        "agreement_effective",
        "POST",
        "/cases/{case}/visits",
        lambda case: visit_record(now_iso(), remaining_risk="无"),
    ),
    "signature": Endpoint(
        "mediator_demo",
        "agreement_drafted",
        "POST",
        "/cases/{case}/agreement/signatures",
        lambda case: signature("mediator", image=PNG),
    ),
    "confirmation": Endpoint(
        "mediator_demo",
        "agreement_effective",
        "POST",
        "/cases/{case}/confirmation",
        lambda case: {"version": case.version, "court": COURT, "consents": dated_consents(case)},
        ("version", "consents.0.party_id"),
        200,
    ),
    "extension": Endpoint(
        "judge_demo",
        "confirmation_accepted",
        "POST",
        "/cases/{case}/confirmation/extension",
        lambda case: {"version": case.version, "reason": "案情复杂，经院长批准延长审查期限。"},
        ("version",),
        200,
    ),
    "reveal": Endpoint(
        "mediator_demo",
        "intake",
        "POST",
        "/cases/{case}/parties/{party}/reveal",
        lambda case: {"field": "phone"},
        status=200,
    ),
}
# What the case list takes in its query string, as street_demo asks for it.
LIST_QUERY = {
    "status": "intake",
    "category": "neighbor",
    "region": GRID,
    "overdue": "false",
    "q": "漏水",
    "page": "1",
    "per_page": "20",
}
LIST_NUMBERS = ("page", "per_page")


def text_fields(endpoint: Endpoint, case: Case | None) -> list[str]:
    """The endpoint's text fields: every string of its valid body but the number fields."""
    return [p for p in text_paths(endpoint.body(case)) if p not in endpoint.numbers]


def call(client, endpoint: Endpoint, case: Case | None, headers: dict, data) -> object:
    """Send the endpoint a raw JSON body (bytes) or a body to encode."""
    if not isinstance(data, bytes):
        data = json_body(data)
    return client.open(
        endpoint.url(case),
        method=endpoint.method,
        data=data,
        headers=headers,
        content_type="application/json",
    )


def json_body(body) -> bytes:
    """JSON as a client sends it: ASCII, a lone surrogate as its \\u escape."""
    return json.dumps(body).encode("ascii")


def api_setup(endpoint: Endpoint, token) -> tuple[Case | None, dict]:
    """The case the endpoint needs and the caller's bearer header."""
    case = case_in(endpoint.state)
    return case, (token(endpoint.user) if endpoint.user else {})


def assert_refused(response, before: dict, what: str) -> None:
    """400 invalid_input with a Chinese message, and not a row stored."""
    assert response.status_code == 400, (what, response.get_data(as_text=True))
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input", (what, error)
    assert CJK.search(error["message"]), (what, error)
    assert row_counts() == before, what


@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_endpoints_valid_body_is_accepted(client, token, name):
    """The bodies below are right: without the hostile value, each call succeeds."""
    endpoint = ENDPOINTS[name]
    case, headers = api_setup(endpoint, token)
    response = call(client, endpoint, case, headers, endpoint.body(case))
    assert response.status_code == endpoint.status, response.get_json()


# Each test below builds the case its endpoint or form needs once, then sends it every
# hostile value in every field: a refused request stores nothing (each is checked), so the
# case is the same for the next one.


@pytest.mark.parametrize("name", ENDPOINTS)
def test_hostile_text_in_any_api_field_is_refused(client, token, name):
    """A lone surrogate or a NUL in any text field: 400, nothing stored."""
    endpoint = ENDPOINTS[name]
    case, headers = api_setup(endpoint, token)
    before = row_counts()
    fields = text_fields(endpoint, case)
    assert fields
    for (what, value), path in itertools.product(HOSTILE_TEXT.items(), fields):
        body = with_value(endpoint.body(case), path, value)
        assert_refused(call(client, endpoint, case, headers, body), before, (what, path))


@pytest.mark.parametrize("name", [n for n, e in ENDPOINTS.items() if e.numbers])
def test_hostile_numbers_in_any_api_field_are_refused(client, token, name):
    """A version, amount or party id written "²", "١", "１０", "1_000" or the like: 400."""
    endpoint = ENDPOINTS[name]
    case, headers = api_setup(endpoint, token)
    before = row_counts()
    for (what, value), path in itertools.product(HOSTILE_NUMBERS.items(), endpoint.numbers):
        body = with_value(endpoint.body(case), path, value)
        assert_refused(call(client, endpoint, case, headers, body), before, (what, path))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_hostile_json_bodies_are_refused(client, token, name):
    """JSON nested 1000 deep, bytes that are not UTF-8, bad keys: 400, not a RecursionError."""
    endpoint = ENDPOINTS[name]
    case, headers = api_setup(endpoint, token)
    before = row_counts()
    for what, data in HOSTILE_JSON.items():
        assert_refused(call(client, endpoint, case, headers, data), before, what)


def test_a_document_as_deep_as_allowed_reaches_the_schema(client):
    """Nesting up to the limit is parsed; the schema then says what is wrong with it."""
    deep = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    body = f'{{"username": {deep}, "password": "x"}}'.encode()
    response = client.post("/api/v1/tokens", data=body, content_type="application/json", csrf=False)
    assert response.status_code == 400
    assert "username" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("value", params(HARMLESS_TEXT))
def test_odd_but_valid_text_is_stored_as_sent(client, token, value):
    """A surrogate pair escaped in JSON is one character, and is kept like any other."""
    endpoint = ENDPOINTS["intake"]
    body = with_value(endpoint.body(None), "title", value)
    response = call(client, endpoint, None, token("grid_demo"), body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["title"] == value
    assert db.session.get(Case, response.get_json()["id"]).title == value


@pytest.mark.parametrize("value", params(HOSTILE_TEXT))
@pytest.mark.parametrize("key", [k for k in LIST_QUERY if k not in LIST_NUMBERS])
def test_hostile_text_in_the_api_case_list_query(client, token, key, value):
    """A NUL in a filter is refused naming it; a surrogate cannot arrive in a URL at all."""
    gen_case("mediator_demo")
    query = form_body({**LIST_QUERY, key: value}).decode()
    response = client.get(f"/api/v1/cases?{query}", headers=token("street_demo"))
    if value in FORM_SAFE_TEXT.values():
        assert response.status_code == 400
        error = response.get_json()["error"]
        assert error["code"] == "invalid_input" and key in error["message"]
    else:
        assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", params(HOSTILE_NUMBERS))
@pytest.mark.parametrize("key", LIST_NUMBERS)
def test_hostile_numbers_in_the_api_case_list_query(client, token, key, value):
    """page=١ and per_page=１０ are not numbers: 400 naming the argument."""
    query = form_body({**LIST_QUERY, key: value}).decode()
    response = client.get(f"/api/v1/cases?{query}", headers=token("street_demo"))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input" and key in str(error)


@pytest.mark.parametrize("value", params(HOSTILE_NUMBERS))
def test_hostile_numbers_in_an_api_path_are_not_found(client, token, value):
    """/cases/١ is no case: 404, never a case found by reading the digit."""
    gen_case("mediator_demo")
    response = client.get(f"/api/v1/cases/{quote(value)}", headers=token("mediator_demo"))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------------------- the pages


@dataclass(frozen=True)
class Page:
    """A web form: who posts it, on a case in which state, a valid post, its number fields.

    numbers maps a number field to the words of the message that refuses a bad value.
    """

    user: str | None
    state: str | None
    url: str
    fields: Callable[[Case | None], dict]
    numbers: dict[str, str] = field(default_factory=dict)
    status: int = 302

    def path(self, case: Case | None) -> str:
        """The form's URL for this case."""
        if case is None:
            return self.url
        return self.url.format(case=case.id, party=case.parties[0].id)


def intake_page_post(case=None) -> dict:
    """The intake endpoint's body (every party field filled in) as the intake page posts it."""
    return intake_post(ENDPOINTS["intake"].body(None))


def trigger_page(trigger: str, state: str, user: str = "mediator_demo", **form) -> Page:
    """A trigger's small form on the case page, with the version the user saw."""

    def fields(case):
        return {"version": case.version, **{f"{trigger}-{k}": v for k, v in form.items()}}

    numbers = {"version": "版本号"}
    if "amount" in form:
        numbers[f"{trigger}-amount"] = "金额应为"
    return Page(user, state, f"/cases/{{case}}/transitions/{trigger}", fields, numbers)


def confirmation_page_post(case) -> dict:
    """The application page's form: the court, and every party's consent ticked, in writing,
    an hour ago."""
    rows = {
        f"party-{party.id}-{key}": value
        for party in case.parties
        for key, value in (("consented", "y"), ("method", "signed"), ("consented_at", local_time()))
    }
    return {"version": case.version, "court": COURT, **rows}


def court_page(decision: str, state: str, **form) -> Page:
    """One of the judge's forms on the court's page of a case (/court/cases/<id>/<decision>),
    with the version she saw."""

    def fields(case):
        return {"version": case.version, **{f"{decision}-{k}": v for k, v in form.items()}}

    return Page(
        "judge_demo", state, f"/court/cases/{{case}}/{decision}", fields, {"version": "版本号"}
    )


def agreement_page_post(case) -> dict:
    """The agreement page's form (one box per term), with the version the user saw."""
    return {"version": case.version, **agreement_form()}


PAGES = {
    "login": Page(
        None, None, "/login", lambda case: {"username": "grid_demo", "password": DEMO_PASSWORD}
    ),
    "password": Page(
        "grid_demo",
        None,
        "/password",
        lambda case: {"current": DEMO_PASSWORD, "new": "Newpass2026", "confirm": "Newpass2026"},
    ),
    "language": Page("grid_demo", None, "/locale/en", lambda case: {"next": "/cases/"}),
    "admin user": Page("admin_demo", None, "/admin/users/new", lambda case: user_form()),
    "intake": Page("grid_demo", None, "/cases/new", intake_page_post, {"amount": "金额应为"}),
    "accept": trigger_page("accept", "intake", mediator="mediator_demo"),
    "decline": trigger_page("decline", "intake", reason_code="not_civil_dispute"),
    "withdraw": trigger_page("withdraw", "intake", reason="申请人书面撤回。"),
    "escalate": trigger_page(
        "escalate", "grid_mediation", reason_code="complex", reason="涉及多户。"
    ),
    "terminate": trigger_page(
        "terminate", "grid_mediation", reason="分歧过大。", routes_told="litigation"
    ),
    "draft_agreement": Page(
        "mediator_demo",
        "grid_mediation",
        "/cases/{case}/agreement/draft",
        agreement_page_post,
        {"version": "版本号", "draft_agreement-amount": "金额应为"},
    ),
    "reopen": trigger_page("reopen", "agreement_drafted", reason="对金额有异议。"),
    "request_confirmation": Page(
        "mediator_demo",
        "agreement_effective",
        "/cases/{case}/confirmation",
        confirmation_page_post,
        {"version": "版本号"},
    ),
    "accept_application": court_page(
        "accept", "confirmation_requested", court_case_number="（2026）鄂0102民特1号"
    ),
    "confirm": court_page("ruling", "confirmation_accepted", ruling_text="确认有效。"),
    "reject_confirmation": court_page("reject", "confirmation_requested", ground="not_civil_case"),
    "extend_review": court_page("extend", "confirmation_accepted", reason="案情复杂，经院长批准。"),
    "withdraw_confirmation": trigger_page(
        "withdraw_confirmation", "confirmation_requested", reason="双方撤回。"
    ),
    "remediate": trigger_page("remediate", "confirmation_rejected", reason="同意重新调解。"),
    "signature": Page(
        "mediator_demo",
        "agreement_drafted",
        "/cases/{case}/signatures",
        lambda case: signature_form("mediator", image=PNG),
    ),
    "assign": Page(
        "street_demo",
        "grid_mediation",
        "/cases/{case}/mediator",
        lambda case: {"assign-mediator": "mediator_demo"},
    ),
    "reveal": Page(
        "mediator_demo",
        "intake",
        "/cases/{case}/parties/{party}/reveal",
        lambda case: {"field": "phone"},
        status=200,
    ),
    "session": Page(
        "mediator_demo",
        "grid_mediation",
        "/cases/{case}/sessions/new",
        lambda case: session_form(mediators="张调解"),
    ),
    "visit": Page(
        "mediator_demo",
        "agreement_effective",
        "/cases/{case}/visits/new",
        lambda case: visit_form(remaining_risk="无"),
    ),
}


def page_setup(page: Page, client, login) -> tuple[Case | None, object]:
    """The case the form needs and a client of its user (signed in unless user is None)."""
    return case_in(page.state), (login(page.user) if page.user else client)


def post_form(client, url: str, fields: dict):
    """Post a form as raw urlencoded bytes, with the client's CSRF token."""
    client.token = client.token or client.fetch_token()
    body = form_body({"csrf_token": client.token, **fields})
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded", csrf=False)


def page_text_fields(page: Page, case: Case | None) -> list[str]:
    """Every field of the valid post but the version and the number fields."""
    return [k for k in page.fields(case) if k != "version" and k not in page.numbers]


@pytest.mark.parametrize("name", PAGES)
def test_each_forms_valid_post_is_accepted(client, login, name):
    """The posts below are right: without the hostile value, each form does its work."""
    page = PAGES[name]
    case, client = page_setup(page, client, login)
    response = post_form(client, page.path(case), page.fields(case))
    assert response.status_code == page.status, response.get_data(as_text=True)[:2000]


@pytest.mark.parametrize("name", PAGES)
def test_hostile_text_in_any_form_field_is_refused(client, login, name):
    """A NUL in any field of any form: 400 saying which field, nothing stored."""
    page = PAGES[name]
    case, client = page_setup(page, client, login)
    before = row_counts()
    for (what, value), key in itertools.product(
        FORM_SAFE_TEXT.items(), page_text_fields(page, case)
    ):
        response = post_form(client, page.path(case), {**page.fields(case), key: value})
        assert response.status_code == 400, (what, key)
        assert NUL_MESSAGE in response.get_data(as_text=True), (what, key)
        assert row_counts() == before, (what, key)


@pytest.mark.parametrize("name", PAGES)
def test_a_lone_surrogate_cannot_reach_a_form(client, login, name):
    """Its bytes are not UTF-8, so werkzeug keeps the escape as typed: never a 500."""
    page = PAGES[name]
    surrogates = {k: v for k, v in HOSTILE_TEXT.items() if v not in FORM_SAFE_TEXT.values()}
    assert surrogates
    for what, value in surrogates.items():
        reset_to_demo_city()  # what the last value's posts stored (werkzeug let them through)
        case, signed_in = page_setup(page, client, login)
        for key in page_text_fields(page, case):
            response = post_form(signed_in, page.path(case), {**page.fields(case), key: value})
            assert response.status_code < 500, (what, key)


def test_werkzeug_keeps_an_undecodable_escape_as_typed(login):
    """What a title with a lone surrogate becomes: the escape itself, stored as text."""
    client = login("grid_demo")
    response = post_form(client, "/cases/new", {**intake_page_post(), "title": "漏水\ud800"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Case.title)) == "漏水%ED%A0%80"


def test_a_form_body_that_is_not_utf8_is_not_read_at_all(login):
    """Raw bytes that are not UTF-8: werkzeug drops the whole form, so CSRF refuses it."""
    client = login("grid_demo")
    before = row_counts()
    body = form_body({**intake_page_post(), "csrf_token": client.fetch_token()}) + b"&x=\xff"
    response = client.post(
        "/cases/new", data=body, content_type="application/x-www-form-urlencoded", csrf=False
    )
    assert response.status_code == 400
    assert row_counts() == before


@pytest.mark.parametrize("name", [n for n, p in PAGES.items() if p.numbers])
def test_hostile_numbers_in_any_form_field_are_refused(client, login, name):
    """version=², amount=1_000, consents=١: 400 with the field's message, nothing stored."""
    page = PAGES[name]
    case, client = page_setup(page, client, login)
    before = row_counts()
    for (what, value), (key, message) in itertools.product(
        HOSTILE_NUMBERS.items(), page.numbers.items()
    ):
        response = post_form(client, page.path(case), {**page.fields(case), key: value})
        assert response.status_code == 400, (what, key)
        expected = NUL_MESSAGE if "\x00" in value else message
        assert expected in response.get_data(as_text=True), (what, key)
        assert row_counts() == before, (what, key)


@pytest.mark.parametrize("value", params(HOSTILE_NUMBERS))
def test_hostile_unit_id_on_the_admin_form_stores_no_user(login, value):
    """unit=region:² is no unit: the form marks the field (it answers 200, as for any
    invalid field; a NUL gets 400 before it), and nothing is stored."""
    client = login("admin_demo")
    before = row_counts()
    response = post_form(client, "/admin/users/new", user_form(unit=f"region:{value}"))
    page = response.get_data(as_text=True)
    if "\x00" in value:
        assert response.status_code == 400 and NUL_MESSAGE in page
    else:
        assert response.status_code == 200
        assert re.search(r'class="form-select is-invalid" id="unit"', page)
    assert row_counts() == before


@pytest.mark.parametrize("value", params(HOSTILE_NUMBERS))
def test_a_unit_id_that_is_no_ascii_number_is_no_unit(app, value):
    """What the form's choices keep out, the operation refuses too, rather than raise."""
    with app.test_request_context(), pytest.raises(InvalidInput, match="所选单位不存在"):
        resolve_unit("grid_worker", f"region:{value}")


def test_hostile_row_numbers_in_intake_keys_are_ignored(login):
    """parties-²-name is no row (WTForms would have called int("²")); the three rows register."""
    client = login("grid_demo")
    post = {
        **intake_page_post(),
        "parties-²-name": "甲",
        "parties-١-name": "乙",
        "parties-1_0-name": "丙",
    }
    response = post_form(client, "/cases/new", post)
    assert response.status_code == 302
    assert sorted(p.name for p in db.session.scalar(db.select(Case)).parties) == [
        "安居物业公司",
        "李秀英",
        "王建国",
    ]


@pytest.mark.parametrize("value", params(HOSTILE_TEXT))
@pytest.mark.parametrize("key", [k for k in LIST_QUERY if k not in LIST_NUMBERS])
def test_hostile_text_in_the_case_list_query(login, key, value):
    """A NUL in a filter of the list page is refused; a surrogate arrives as its escape."""
    gen_case("mediator_demo")
    query = form_body({**LIST_QUERY, key: value}).decode()
    response = login("street_demo").get(f"/cases/?{query}")
    if value in FORM_SAFE_TEXT.values():
        assert response.status_code == 400
        assert NUL_MESSAGE in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", params(HOSTILE_NUMBERS))
@pytest.mark.parametrize("key", LIST_NUMBERS)
def test_hostile_numbers_in_the_case_list_query(login, key, value):
    """page=١ and per_page=１０ are not page numbers: 400 naming them."""
    query = form_body({**LIST_QUERY, key: value}).decode()
    response = login("street_demo").get(f"/cases/?{query}")
    assert response.status_code == 400
    expected = NUL_MESSAGE if "\x00" in value else key
    assert expected in response.get_data(as_text=True)


@pytest.mark.parametrize("value", params(HOSTILE_NUMBERS))
def test_hostile_numbers_in_a_page_path_are_not_found(login, value):
    """/cases/١ and /cases/99999999999999999999 are no case: 404."""
    case = gen_case("mediator_demo")
    client = login("mediator_demo")
    assert client.get(f"/cases/{quote(value)}").status_code == 404
    response = post_form(client, f"/cases/{quote(value)}/transitions/accept", {"version": "1"})
    assert response.status_code == 404
    response = post_form(
        client, f"/cases/{case.id}/parties/{quote(value)}/reveal", {"field": "phone"}
    )
    assert response.status_code == 404
