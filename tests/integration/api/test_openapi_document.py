"""/api/v1/openapi.json describes the server exactly: codes, limits, shapes and statuses.

The fuzzer (test_openapi_fuzz) checks that answers fit the document; these check that the
document's numbers and lists are the server's own, and that what it promises holds.
"""

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation.api.schemas import (
    AMOUNT,
    ID_NUMBER,
    PHONE,
    TRANSITION_EXAMPLES,
    AgreementIn,
    CaseIn,
    ConfirmationIn,
    ExtensionIn,
    RevealIn,
    SessionIn,
    SignatureIn,
    TransitionIn,
    VisitIn,
)
from mediation.cases.cleaning import MAX_PARTIES, PARTY_TEXT_FIELDS
from mediation.cases.queries import MAX_PAGE, MAX_PER_PAGE
from mediation.models.cases import (
    PARTY_KINDS,
    PARTY_ROLES,
    SATISFACTION,
    SESSION_OUTCOMES,
    SEXES,
    SIGNATURE_METHODS,
)
from mediation.privacy import id_check_char, id_number_problem, phone_problem
from tests.factories import gen_case, id_number
from workflows import (
    CATEGORIES,
    CONSENT_METHODS,
    MATERIAL_KINDS,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    SOURCES,
    STATES,
    SYSTEM,
    TRANSITIONS,
)

API = "/api/v1"


@pytest.fixture
def spec(client):
    """The document, as a client downloads it (it needs no token)."""
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(spec):
    """(method, path, operation) for every documented operation."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def schema(spec, name: str) -> dict:
    """A component schema by name."""
    return spec["components"]["schemas"][name]


def prop(spec, name: str, field: str) -> dict:
    """One property of a component schema."""
    return schema(spec, name)["properties"][field]


def identifiers(codes) -> list[str]:
    """The identifiers of a code list."""
    return [identifier for identifier, _label in codes]


def enum(prop: dict) -> list:
    """A property's enum, without the null a nullable field adds."""
    return [value for value in prop["enum"] if value is not None]


# ---------------------------------------------------------------------------- code lists


@pytest.mark.parametrize(
    ("component", "field", "codes"),
    [
        ("CaseIn", "category", identifiers(CATEGORIES)),
        ("CaseIn", "source", identifiers(SOURCES)),
        ("PartyIn", "role", identifiers(PARTY_ROLES)),
        ("PartyIn", "kind", identifiers(PARTY_KINDS)),
        ("PartyIn", "sex", identifiers(SEXES)),
        ("TransitionIn", "trigger", [t.trigger for t in TRANSITIONS]),
        ("SessionIn", "outcome", identifiers(SESSION_OUTCOMES)),
        ("VisitIn", "satisfaction", identifiers(SATISFACTION)),
        ("SignatureIn", "method", identifiers(SIGNATURE_METHODS)),
        ("RevealIn", "field", ["id_number", "phone"]),
        ("CaseOut", "status", [s.name for s in STATES]),
        ("CaseOut", "category", identifiers(CATEGORIES)),
        ("PartyOut", "role", identifiers(PARTY_ROLES)),
        ("SessionOut", "outcome", identifiers(SESSION_OUTCOMES)),
        ("Consent", "method", identifiers(CONSENT_METHODS)),
        ("ConsentOut", "method", identifiers(CONSENT_METHODS)),
        ("MaterialOut", "kind", identifiers(MATERIAL_KINDS)),
        ("ApplicationOut", "ground", identifiers(REJECT_GROUNDS_AFTER_ACCEPTANCE)),
    ],
)
def test_every_code_field_lists_its_code_list(spec, component, field, codes):
    """The enum is the code list the server checks against, in its order."""
    assert enum(prop(spec, component, field)) == codes


def test_the_case_list_filters_list_their_codes(spec):
    """status and category of GET /cases are enums too; overdue is true or false."""
    parameters = {
        p["name"]: p["schema"] for p in spec["paths"][f"{API}/cases"]["get"]["parameters"]
    }
    assert parameters["status"]["enum"] == [s.name for s in STATES]
    assert parameters["category"]["enum"] == identifiers(CATEGORIES)
    assert parameters["overdue"]["enum"] == ["true", "false"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"status": "finished"}, "status"), ({"overdue": "yes"}, "overdue")],
)
def test_a_filter_outside_its_enum_is_refused(client, token, query, field):
    """What the enum leaves out the server refuses, naming the field."""
    response = client.get(f"{API}/cases", query_string=query, headers=token("street_demo"))
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


# ---------------------------------------------------------------------------- paging


def test_page_and_per_page_have_the_list_querys_limits(spec):
    """minimum 1; maximum the limits mediation.cases.queries enforces."""
    parameters = {
        p["name"]: p["schema"] for p in spec["paths"][f"{API}/cases"]["get"]["parameters"]
    }
    assert (parameters["page"]["minimum"], parameters["page"]["maximum"]) == (1, MAX_PAGE)
    assert (parameters["per_page"]["minimum"], parameters["per_page"]["maximum"]) == (
        1,
        MAX_PER_PAGE,
    )


@pytest.mark.parametrize(
    ("query", "limit"),
    [({"page": MAX_PAGE + 1}, MAX_PAGE), ({"per_page": MAX_PER_PAGE + 1}, MAX_PER_PAGE)],
)
def test_a_page_past_the_limit_names_the_real_limit(client, token, query, limit):
    """The refusal's number is the documented maximum, which the last allowed value shows."""
    headers = token("street_demo")
    refusal = client.get(f"{API}/cases", query_string=query, headers=headers)
    assert refusal.status_code == 400
    assert f"1 至 {limit} " in refusal.get_json()["error"]["message"]
    allowed = {name: value - 1 for name, value in query.items()}
    assert client.get(f"{API}/cases", query_string=allowed, headers=headers).status_code == 200


# ---------------------------------------------------------------------------- text limits

# (schema, field, limit): each limit is that of the operation that stores the field.
TEXT_LIMITS = [
    (CaseIn, "title", 200),
    (CaseIn, "description", 5000),
    (SessionIn, "location", 200),
    (SessionIn, "attendees", 2000),
    (SessionIn, "summary", 10000),
    (SessionIn, "mediators", 200),
    (VisitIn, "notes", 5000),
    (VisitIn, "remaining_risk", 2000),
    (AgreementIn, "facts", 5000),
    (AgreementIn, "performance_method", 200),
    (AgreementIn, "performance_place", 200),
    (TransitionIn, "court_case_number", 80),
    (TransitionIn, "ruling_text", 20000),
    (ExtensionIn, "reason", 1000),
    (SignatureIn, "typed_name", 120),
]


@pytest.mark.parametrize(("schema_class", "field", "limit"), TEXT_LIMITS)
def test_text_fields_document_the_operations_limit(spec, schema_class, field, limit):
    """maxLength is the operation's limit (and within the column's)."""
    name = schema_class.__name__
    assert prop(spec, name, field)["maxLength"] == limit


def test_party_fields_document_the_intake_limits(spec):
    """Every party text field has mediation.cases.cleaning's limit; at most MAX_PARTIES."""
    for field, (limit, _label) in PARTY_TEXT_FIELDS.items():
        assert prop(spec, "PartyIn", field)["maxLength"] == limit, field
    parties = prop(spec, "CaseIn", "parties")
    assert (parties["minItems"], parties["maxItems"]) == (2, MAX_PARTIES)


@pytest.mark.parametrize(("field", "limit"), [("title", 200), ("description", 5000)])
def test_the_longest_documented_text_is_stored_and_one_more_is_refused(client, token, field, limit):
    """At maxLength the case is registered; one character more is a 400 saying the limit."""
    headers = token("mediator_demo")
    body = {**intake_example(), field: "长" * limit}
    assert client.post(f"{API}/cases", json=body, headers=headers).status_code == 201
    refusal = client.post(f"{API}/cases", json={**body, field: "长" * (limit + 1)}, headers=headers)
    assert refusal.status_code == 400
    assert f"不能超过 {limit} 个字符" in str(refusal.get_json()["error"]["fields"][field])


def test_a_party_with_every_text_at_its_limit_is_stored(client, token):
    """Each party column holds the documented maximum (PostgreSQL would refuse more); the
    legal representative on the organisation, the only kind that has one."""
    party = {field: "长" * limit for field, (limit, _label) in PARTY_TEXT_FIELDS.items()}
    person = {key: value for key, value in party.items() if key != "legal_representative"}
    parties = [
        {**person, "role": "applicant"},
        {**party, "role": "respondent", "kind": "organization"},
    ]
    body = {**intake_example(), "parties": parties}
    response = client.post(f"{API}/cases", json=body, headers=token("mediator_demo"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["parties"][0]["name"] == party["name"]


def test_a_session_with_every_text_at_its_limit_is_stored(client, token):
    """Location, attendees, summary and mediators at their maxLength are recorded whole."""
    case = gen_case("mediator_demo", "grid_mediation")
    longest = {
        field: "长" * limit
        for schema_class, field, limit in TEXT_LIMITS
        if schema_class is SessionIn
    }
    body = {"held_at": "2026-11-20T14:30:00+08:00", "outcome": "continuing", **longest}
    path = f"{API}/cases/{case.id}/sessions"
    response = client.post(path, json=body, headers=token("mediator_demo"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["summary"] == longest["summary"]


def intake_example() -> dict:
    """The documented intake example, which is a valid request in the demo city."""
    from mediation.api.schemas import INTAKE_EXAMPLES

    return {
        **INTAKE_EXAMPLES["neighbor"]["value"],
        "parties": [dict(p) for p in INTAKE_EXAMPLES["neighbor"]["value"]["parties"]],
    }


# ---------------------------------------------------------------------------- patterns


@pytest.mark.parametrize("province", [f"{n:02d}" for n in range(10, 100)])
def test_the_id_number_pattern_knows_the_provinces_privacy_knows(province):
    """A valid number under each two-digit prefix: the pattern and the server agree."""
    number = id_number(region=f"{province}0102")
    documented = re.fullmatch(ID_NUMBER, number) is not None
    assert documented == (id_number_problem(number) is None)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(ID_NUMBER, fullmatch=True))
def test_a_documented_id_number_is_valid_once_its_check_digit_and_date_are(number):
    """The pattern says all the server checks but the check character and the calendar."""
    first17 = number[:17]
    try:
        born = date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        return
    if born > date.today():
        return
    assert id_number_problem(first17 + id_check_char(first17)) is None


@settings(max_examples=300, deadline=None)
@given(st.from_regex(PHONE, fullmatch=True))
def test_every_documented_phone_is_one_the_server_takes(phone):
    """Mobiles and landlines of the documented shape pass mediation.privacy's check."""
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "１３８１２３４５６７８"])
def test_the_api_takes_phones_only_in_the_documented_shape(phone):
    """Spaces and full-width digits, which the page's form tidies up, the API refuses."""
    party = {"role": "applicant", "name": "王建国", "phone": phone}
    errors = CaseIn().validate({**intake_example(), "parties": [party, party]})
    assert ("phone" in str(errors)) == (re.fullmatch(PHONE, phone) is None)


# ---------------------------------------------------------------------------- amounts


def test_amount_is_the_same_decimal_string_in_requests_and_responses(spec):
    """One shape: a string of digits with at most two decimals, never a number."""
    shapes = [
        prop(spec, "CaseIn", "amount"),
        prop(spec, "AgreementIn", "amount"),
        prop(spec, "TransitionIn", "amount"),
        prop(spec, "CaseOut", "amount"),
        prop(spec, "AgreementOut", "amount"),
    ]
    for shape in shapes:
        assert (shape["type"], shape["pattern"]) == ("string", AMOUNT)


def test_an_amount_sent_as_a_number_is_refused(client, token):
    """3500 is not "3500": the document says string, and so does the answer."""
    body = {**intake_example(), "amount": 3500}
    refusal = client.post(f"{API}/cases", json=body, headers=token("mediator_demo"))
    assert refusal.status_code == 400
    assert "amount" in refusal.get_json()["error"]["fields"]
    created = client.post(
        f"{API}/cases", json={**body, "amount": "3500"}, headers=token("mediator_demo")
    )
    assert created.get_json()["amount"] == "3500.00"


# ---------------------------------------------------------------------------- statuses


def documented(operation: dict) -> set[str]:
    """The statuses an operation documents."""
    return set(operation["responses"])


def test_every_operation_lists_its_errors_and_no_catch_all(spec):
    """401 where a token is needed; 400 and 413 with a body; 404 with an id; no `default`."""
    for method, path, operation in operations(spec):
        statuses = documented(operation)
        label = f"{method.upper()} {path}"
        assert "default" not in statuses, label
        if operation.get("security") != []:
            assert "401" in statuses, label
        if "requestBody" in operation:
            assert {"400", "413"} <= statuses, label
        if "{" in path:
            assert "404" in statuses, label
        for status in statuses - {"200", "201"}:
            error = operation["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ApiError"}, (label, status)


def test_the_statuses_of_each_write_are_its_own(spec):
    """403, 409 and 422 where the operation can give them, and only there."""
    expected = {
        ("post", "/cases"): {"201", "400", "401", "403", "413"},
        ("post", "/cases/{case_id}/transitions"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "409",
            "413",
            "422",
        },
        ("post", "/cases/{case_id}/sessions"): {"201", "400", "401", "403", "404", "413", "422"},
        ("post", "/cases/{case_id}/visits"): {"201", "400", "401", "403", "404", "413", "422"},
        ("put", "/cases/{case_id}/agreement"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "409",
            "413",
            "422",
        },
        ("post", "/cases/{case_id}/parties/{party_id}/reveal"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "413",
        },
        ("post", "/tokens"): {"201", "400", "401", "413", "429"},
        ("get", "/cases"): {"200", "400", "401"},
        ("get", "/codes"): {"200", "401"},
        ("get", "/courts"): {"200", "400", "401", "404"},
        ("post", "/cases/{case_id}/confirmation"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "409",
            "413",
            "422",
        },
        ("post", "/cases/{case_id}/confirmation/extension"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "409",
            "413",
            "422",
        },
        ("get", "/cases/{case_id}/ruling.pdf"): {"200", "401", "404"},
        ("get", "/cases/{case_id}/materials/{material_id}"): {"200", "401", "404"},
    }
    for (method, path), statuses in expected.items():
        assert documented(spec["paths"][API + path][method]) == statuses, path


def test_the_application_documents_its_multipart_form(spec):
    """JSON without files, or multipart: version, court, consents (JSON text) and a field of
    files per material kind; its 413 names the upload limit's settings."""
    operation = spec["paths"][f"{API}/cases/{{case_id}}/confirmation"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    form = schema(spec, content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1])
    kinds = identifiers(MATERIAL_KINDS)
    assert set(form["properties"]) == {"version", "court", "consents", *kinds}
    assert set(form["required"]) == {"version", "court", "consents"}
    for kind in kinds:
        files = form["properties"][kind]
        assert files["items"] == {"type": "string", "format": "binary"}, kind
    assert "MATERIAL_MAX_MB" in operation["responses"]["413"]["description"]


def test_a_material_is_documented_in_each_type_it_may_have(spec):
    """A material comes back as the PDF, JPEG or PNG it was stored as."""
    operation = spec["paths"][f"{API}/cases/{{case_id}}/materials/{{material_id}}"]["get"]
    types = set(operation["responses"]["200"]["content"])
    assert types == {"application/pdf", "image/jpeg", "image/png"}


def test_a_429_says_when_to_try_again(spec):
    """The token endpoint's 429 documents its Retry-After header."""
    response = spec["paths"][f"{API}/tokens"]["post"]["responses"]["429"]
    assert response["headers"]["Retry-After"]["required"] is True


def test_schema_errors_are_documented_as_400_not_422(spec):
    """A body that does not fit its schema answers 400; 422 is left for guard refusals."""
    tokens = spec["paths"][f"{API}/tokens"]["post"]["responses"]
    assert "422" not in tokens and "400" in tokens


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/tokens", {"POST", "OPTIONS"}),
        ("DELETE", "/cases", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("PUT", "/cases/1", {"GET", "HEAD", "OPTIONS"}),
        ("GET", "/cases/1/transitions", {"POST", "OPTIONS"}),
        ("PATCH", "/cases/1/agreement", {"PUT", "OPTIONS"}),
    ],
)
def test_a_wrong_method_answers_405_with_allow(client, token, method, path, allowed):
    """405 in the error shape, and the Allow header names the methods that would work."""
    response = client.open(f"{API}{path}", method=method, headers=token("mediator_demo"))
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_a_wrong_method_on_a_page_carries_allow_too(client):
    """The HTML 405 keeps the header as well."""
    response = client.open("/login", method="DELETE")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


# ---------------------------------------------------------------------------- examples


def test_every_trigger_a_user_fires_has_an_example(spec):
    """The transitions document shows one body per trigger, each valid by the schema."""
    body = spec["paths"][f"{API}/cases/{{case_id}}/transitions"]["post"]["requestBody"]
    examples = body["content"]["application/json"]["examples"]
    fired_by_users = [t.trigger for t in TRANSITIONS if SYSTEM not in t.roles]
    assert list(examples) == fired_by_users
    assert examples == TRANSITION_EXAMPLES


@pytest.mark.parametrize(
    ("path", "method", "schema_class"),
    [
        ("/cases", "post", CaseIn),
        ("/cases/{case_id}/transitions", "post", TransitionIn),
        ("/cases/{case_id}/sessions", "post", SessionIn),
        ("/cases/{case_id}/visits", "post", VisitIn),
        ("/cases/{case_id}/agreement", "put", AgreementIn),
        ("/cases/{case_id}/agreement/signatures", "post", SignatureIn),
        ("/cases/{case_id}/confirmation", "post", ConfirmationIn),
        ("/cases/{case_id}/confirmation/extension", "post", ExtensionIn),
        ("/cases/{case_id}/parties/{party_id}/reveal", "post", RevealIn),
    ],
)
def test_documented_examples_fit_their_schema(spec, path, method, schema_class):
    """Each example body passes the schema it illustrates."""
    body = spec["paths"][API + path][method]["requestBody"]["content"]["application/json"]
    assert body["examples"]
    for name, example in body["examples"].items():
        assert schema_class().validate(example["value"]) == {}, name


# ---------------------------------------------------------------------------- responses


def test_response_fields_are_always_present(spec, client, token):
    """Every field of a case is required in the document, and the answer has each one."""
    case = gen_case("mediator_demo", "agreement_effective")
    answer = client.get(f"{API}/cases/{case.id}", headers=token("mediator_demo")).get_json()
    names = ("CaseOut", "PartyOut", "AgreementOut", "SignatureOut", "SessionOut")
    names += ("ApplicationOut", "ConsentOut", "MaterialOut", "RulingOut", "CourtsOut")
    for name in names:
        component = schema(spec, name)
        assert set(component["required"]) == set(component["properties"]), name
    assert set(answer) == set(schema(spec, "CaseOut")["properties"])


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
        "/api/v1/courts": {"get"},
        "/api/v1/cases/{case_id}/confirmation": {"post"},
        "/api/v1/cases/{case_id}/confirmation/extension": {"post"},
        "/api/v1/cases/{case_id}/application.pdf": {"get"},
        "/api/v1/cases/{case_id}/materials/{material_id}": {"get"},
        "/api/v1/cases/{case_id}/ruling.pdf": {"get"},
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
