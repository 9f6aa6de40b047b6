"""GET /api/v1/codes: the code lists, states and triggers an API client builds its forms from."""

import re

import pytest

from tests.builders import CJK
from tests.design import DESIGN_CATEGORIES, DESIGN_SOURCES
from workflows import STATES, TRANSITIONS


@pytest.fixture
def codes(client, token):
    """The codes as the grid worker gets them."""
    response = client.get("/api/v1/codes", headers=token("grid_demo"))
    assert response.status_code == 200
    return response.get_json()


def identifiers(entries: list[dict]) -> list[str]:
    """The identifiers of a code list, in order."""
    return [entry["identifier"] for entry in entries]


def test_categories_and_sources_are_those_of_the_design(codes):
    """DESIGN §5's lists, in its order, each with its Chinese label."""
    assert identifiers(codes["categories"]) == DESIGN_CATEGORIES
    assert codes["categories"][1] == {"identifier": "neighbor", "label": "邻里"}
    assert identifiers(codes["sources"]) == DESIGN_SOURCES
    assert codes["sources"][-1] == {"identifier": "hotline_12345", "label": "12345热线"}


def test_states_say_which_are_terminal(codes):
    """Every state of DESIGN §2 with its label; four of them end the case."""
    assert identifiers(codes["states"]) == [state.name for state in STATES]
    terminal = {s["identifier"] for s in codes["states"] if s["terminal"]}
    assert terminal == {"mediation_failed", "withdrawn", "declined", "closed"}
    assert codes["states"][2]["label"] == "街道联调"


def test_clocks_are_named(codes):
    """The clocks a case's deadline_at may belong to, each with the name its pages show."""
    assert codes["clocks"][0] == {"identifier": "intake", "label": "受理期限"}
    assert identifiers(codes["clocks"]) == [
        "intake",
        "grid",
        "mediation",
        "confirmation_window",
        "visit",
        "court_acceptance",
        "court_review",
        "court_review_extended",
    ]


def test_triggers_are_the_transition_table(codes):
    """Each trigger with its sources, destination, roles and the fields its guard needs."""
    assert identifiers(codes["triggers"]) == [t.trigger for t in TRANSITIONS]
    by_name = {t["identifier"]: t for t in codes["triggers"]}
    assert by_name["accept"] == {
        "identifier": "accept",
        "label": "受理",
        "sources": ["intake"],
        "dest": "grid_mediation",
        "destinations": ["grid_mediation"],
        "roles": ["grid_worker", "mediator", "street_officer"],
        "needs": ["mediator"],
    }
    assert by_name["reopen"]["dest"] is None
    assert by_name["reopen"]["destinations"] == ["grid_mediation", "street_mediation"]
    assert by_name["make_effective"]["roles"] == ["system"]
    assert by_name["reject_confirmation"]["sources"] == [
        "confirmation_requested",
        "confirmation_accepted",
    ]


def test_reason_ground_and_route_lists_are_included(codes):
    """The fixed lists the guards check against, so a client can offer them."""
    assert identifiers(codes["decline_reasons"]) == [
        "before_authority",
        "not_civil_dispute",
        "party_refuses",
    ]
    assert identifiers(codes["escalate_reasons"]) == [
        "complex",
        "cross_region",
        "escalation_risk",
        "cannot_settle",
    ]
    before = identifiers(codes["reject_grounds_before_acceptance"])
    after = identifiers(codes["reject_grounds_after_acceptance"])
    assert "no_jurisdiction" in before and "not_voluntary" not in before
    assert "not_voluntary" in after and set(before) <= set(after)
    assert identifiers(codes["other_routes"]) == ["litigation", "arbitration", "administrative"]
    assert "personal_status" in identifiers(codes["excluded_matters"])
    assert identifiers(codes["signature_methods"]) == ["drawn", "typed"]
    assert identifiers(codes["satisfaction"]) == ["satisfied", "basically", "unsatisfied"]
    assert identifiers(codes["party_roles"]) == ["applicant", "respondent", "third_party"]


def test_the_lists_of_judicial_confirmation_are_included(codes):
    """How a party consents and which materials an application takes (法释〔2011〕5号 Art 3),
    so that a client can build the application form."""
    assert identifiers(codes["consent_methods"]) == ["signed", "in_person", "oral", "agent"]
    assert identifiers(codes["material_kinds"]) == [
        "identity",
        "qualification",
        "property",
        "service_address",
        "power_of_attorney",
        "other",
    ]
    assert codes["material_kinds"][0] == {"identifier": "identity", "label": "当事人身份证明"}


def test_every_label_is_chinese(codes):
    """Identifiers are for code; labels are what pages and documents show."""
    for name, entries in codes.items():
        for entry in entries:
            assert re.fullmatch(r"[a-z0-9_]+", entry["identifier"]), (name, entry)
            assert CJK.search(entry["label"]), (name, entry)


def test_codes_need_a_token(client):
    """Like every API call but the token request."""
    response = client.get("/api/v1/codes")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_every_role_gets_the_same_codes(client, token, codes):
    """The lists do not depend on who asks."""
    for user in ("mediator_demo", "judge_demo", "admin_demo", "mediator_other"):
        assert client.get("/api/v1/codes", headers=token(user)).get_json() == codes


def test_openapi_documents_the_codes(client):
    """The codes endpoint and its response schema are in the generated document."""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/codes"]
    properties = spec["components"]["schemas"]["CodesOut"]["properties"]
    assert {"categories", "sources", "states", "triggers"} <= set(properties)
