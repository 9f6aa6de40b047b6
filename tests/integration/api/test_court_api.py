"""Judicial confirmation through the API: the competent courts, the joint application with its
materials (JSON or multipart/form-data), the judge's extension and decisions, and the papers
of an application (application.pdf, its materials, the sealed ruling.pdf)."""

import json
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest

from tests.api_client import assert_refused, error, fire, history, ok, show
from tests.builders import consents
from tests.database import row_counts
from tests.factories import COURT, OTHER_COURT, OTHER_DISTRICT_GRID, gen_case, gen_user
from workflows.deadlines import CHINA_TZ

# What the checks read a file's type from: its first bytes.
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64)
JIANGAN_COURT = {"code": COURT, "name": "武汉市江岸区人民法院"}


def recent(status: str, **options):
    """A case in status whose agreement took effect hours ago: the 30-day window is open."""
    return gen_case("mediator_demo", status, now=datetime.now(UTC) - timedelta(hours=3), **options)


def as_seen(api, case, user: str = "mediator_demo") -> dict:
    """The case as the API answers it to user."""
    return show(api, user, {"id": case.id})


def moment(text: str) -> datetime:
    """An ISO 8601 timestamp of an answer, for comparing instants whatever their zone."""
    return datetime.fromisoformat(text)


def application_body(case: dict, **changes) -> dict:
    """The JSON application: every party's written consent, to the court serving the grid."""
    return {"version": case["version"], "court": COURT, "consents": consents(case), **changes}


def apply_json(api, case: dict, user: str = "mediator_demo", **changes):
    """POST …/confirmation as JSON."""
    body = application_body(case, **changes)
    return api.post(user, f"/cases/{case['id']}/confirmation", json=body)


def application_form(case: dict, **changes) -> dict:
    """The same application as the text fields of multipart/form-data."""
    body = application_body(case)
    form = {**body, "version": str(body["version"]), "consents": json.dumps(body["consents"])}
    return {**form, **changes}


def post_form(api, case: dict, form: dict, user: str = "mediator_demo"):
    """POST …/confirmation as multipart/form-data; a field given a list of (bytes, name)
    sends those files under its name."""

    def value(field):
        return [(BytesIO(data), name) for data, name in field] if isinstance(field, list) else field

    data = {key: value(field) for key, field in form.items()}
    path = f"/cases/{case['id']}/confirmation"
    return api.post(user, path, data=data, content_type="multipart/form-data")


def apply_with_files(api, case: dict, files):
    """The application with each (kind, name, bytes) of files under the field of its kind."""
    form = application_form(case)
    for kind, name, data in files:
        form.setdefault(kind, []).append((data, name))
    return post_form(api, case, form)


@pytest.fixture
def effective(api) -> dict:
    """A case whose agreement is in force, as mediator_demo sees it."""
    return as_seen(api, recent("agreement_effective"))


@pytest.fixture
def setting(app, monkeypatch):
    """Change a setting for this test only: setting("MATERIAL_MAX_MB", 0.5)."""
    return lambda name, value: monkeypatch.setitem(app.config, name, value)


@pytest.fixture
def judge_of_wuchang():
    """A judge of 武昌区's court, which does not serve the first street."""
    return gen_user("judge_wuchang", "judge", court=OTHER_COURT).username


# ---------------------------------------------------------------------------- courts


def test_courts_are_those_serving_the_cases_grid(api):
    """Only the base court of the district the committee sits in (民事诉讼法 Art 205)."""
    first = recent("agreement_effective")
    assert ok(api.get("mediator_demo", f"/courts?case={first.id}")) == {"items": [JIANGAN_COURT]}
    other = gen_case("mediator_other", "intake", grid=OTHER_DISTRICT_GRID)
    listed = ok(api.get("mediator_other", f"/courts?case={other.id}"))["items"]
    assert [court["code"] for court in listed] == [OTHER_COURT]


def test_courts_of_a_case_out_of_scope_are_not_found(api, judge_of_wuchang):
    """404 as for a case that does not exist, to another district and another court."""
    case = recent("confirmation_requested")
    absent = error(api.get("mediator_demo", "/courts?case=987654"), 404, "not_found")
    assert error(api.get("mediator_other", f"/courts?case={case.id}"), 404) == absent
    error(api.get(judge_of_wuchang, f"/courts?case={case.id}"), 404, "not_found")


@pytest.mark.parametrize("query", ["", "?case=", "?case=abc", "?case=١", "?case=-1", "?case=0"])
def test_courts_need_a_case_id_in_digits(api, query):
    """A missing or malformed case id is a 400 that names the field."""
    refusal = error(api.get("mediator_demo", f"/courts{query}"), 400, "invalid_input")
    assert "case" in refusal["fields"]


# ---------------------------------------------------------------------------- the application


def test_a_json_application_goes_to_the_court(api, effective):
    """The consents, the court and the generated 申请书; the acceptance clock runs."""
    case = ok(apply_json(api, effective))
    assert (case["status"], case["court"]) == ("confirmation_requested", COURT)
    application = case["application"]
    assert application["court"] == JIANGAN_COURT
    assert [c["party_id"] for c in application["consents"]] == [p["id"] for p in case["parties"]]
    assert {c["method"] for c in application["consents"]} == {"signed"}
    assert application["materials"] == []
    assert (application["outcome"], application["ruling"], application["extended"]) == (
        None,
        None,
        False,
    )
    assert application["ruling_deadline"] is None
    assert moment(application["acceptance_deadline"]) == moment(case["deadline_at"])
    assert application["application_pdf"] == f"/api/v1/cases/{case['id']}/application.pdf"
    paper = api.get("judge_demo", f"/cases/{case['id']}/application.pdf")
    assert (paper.status_code, paper.mimetype) == (200, "application/pdf")
    assert paper.data.startswith(b"%PDF-")


def test_a_consent_given_earlier_keeps_its_time_and_method(api, effective):
    """One party applies in person; the other's oral consent was recorded the day before."""
    given = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    first, second = consents(effective)
    body = [
        {**first, "method": "in_person"},
        {**second, "method": "oral", "consented_at": given.isoformat()},
    ]
    application = ok(apply_json(api, effective, consents=body))["application"]
    recorded = {c["party_id"]: c for c in application["consents"]}
    assert recorded[second["party_id"]]["method"] == "oral"
    assert moment(recorded[second["party_id"]]["consented_at"]) == given


def test_materials_in_a_multipart_application_are_stored_with_their_hashes(api, effective):
    """A PDF and a PNG under their kinds: listed with type, size and SHA-256, and the same
    hashes in the application's audit event; each file comes back byte for byte."""
    files = [("identity", "身份证.pdf", PDF), ("identity", "身份证背面.png", PNG)]
    files.append(("service_address", "送达地址确认书.pdf", PDF + b"%2"))
    case = ok(apply_with_files(api, effective, files))
    materials = case["application"]["materials"]
    assert [(m["kind"], m["filename"], m["media_type"], m["size"]) for m in materials] == [
        ("identity", "身份证.pdf", "application/pdf", len(PDF)),
        ("identity", "身份证背面.png", "image/png", len(PNG)),
        ("service_address", "送达地址确认书.pdf", "application/pdf", len(PDF) + 2),
    ]
    events = history(api, "mediator_demo", case)
    event = next(e for e in events if e["action"] == "request_confirmation")
    logged = [(m["kind"], m["sha256"]) for m in event["payload"]["materials"]]
    assert logged == [(m["kind"], m["sha256"]) for m in materials]
    for material, (_kind, _name, data) in zip(materials, files, strict=True):
        copy = api.get("judge_demo", material["url"].removeprefix("/api/v1"))
        assert (copy.status_code, copy.mimetype, copy.data) == (200, material["media_type"], data)


def test_a_multipart_application_may_be_larger_than_other_requests(api, effective, setting):
    """The files have their own limit: a body over MAX_CONTENT_LENGTH is taken as multipart,
    while the same size of JSON is refused with 413 in the API's error shape."""
    setting("MAX_CONTENT_LENGTH", 64 * 1024)
    large = PDF + b"%" * (100 * 1024)
    # Refused for its size before it is read: what the body says does not matter.
    too_large = apply_json(api, effective, padding="长" * 50_000)
    assert "MB" in error(too_large, 413, "payload_too_large")["message"]
    case = ok(apply_with_files(api, effective, [("property", "房产证.pdf", large)]))
    assert case["application"]["materials"][0]["size"] == len(large)


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(api, effective, setting):
    """413 in the API's error shape, saying the limit; nothing stored."""
    setting("MATERIAL_MAX_MB", 0.01)
    setting("MATERIAL_MAX_FILES", 1)
    api.auth("mediator_demo")
    before = row_counts()
    response = apply_with_files(api, effective, [("other", "扫描件.pdf", PDF + bytes(1_200_000))])
    assert "MB" in error(response, 413, "payload_too_large")["message"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("settings", "file", "says"),
    [
        ({}, ("identity", "身份证.pdf", EXE), "PDF、JPEG或PNG"),
        ({"MATERIAL_MAX_MB": 0.5}, ("identity", "身份证.pdf", PDF + bytes(600_000)), "上限"),
        ({}, ("identity", "../../etc/身份证.pdf", PDF), "路径"),
        ({}, ("identity", "身份证.pdf", b""), "空"),
    ],
    ids=["disguised", "over the limit", "a path", "empty"],
)
def test_a_refused_file_leaves_nothing_behind(api, effective, setting, settings, file, says):
    """400 naming the file and what to do; no application, no file, no event."""
    for name, value in settings.items():
        setting(name, value)
    api.auth("mediator_demo")
    before = row_counts()
    good = ("service_address", "送达地址确认书.pdf", PDF)
    refusal = error(apply_with_files(api, effective, [good, file]), 400, "invalid_input")
    assert says in refusal["message"] and list(refusal["fields"]) == ["materials.0"]
    assert row_counts() == before
    assert show(api, "mediator_demo", effective)["status"] == "agreement_effective"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": "four"}, "version"),
        ({"consents": "all of them"}, "consents"),
        ({"consents": '[{"party_id": 1, "method": "telepathy"}]'}, "consents"),
        ({"identiy": [(PDF, "身份证.pdf")]}, "identiy"),
    ],
    ids=["version not a number", "consents not JSON", "unknown consent method", "unknown kind"],
)
def test_a_malformed_multipart_application_names_the_field(api, effective, change, field):
    """400 naming the field; a file under a misspelt kind is not silently dropped."""
    response = post_form(api, effective, application_form(effective, **change))
    assert field in error(response, 400, "invalid_input")["fields"]
    assert show(api, "mediator_demo", effective)["status"] == "agreement_effective"


def test_a_missing_consent_is_refused_with_the_party_named(api, effective):
    """One party's consent alone is no joint application (人民调解法 Art 33)."""
    alone = consents(effective)[:1]
    refusal = error(apply_json(api, effective, consents=alone), 422)
    respondent = next(p for p in effective["parties"] if p["role"] == "respondent")
    assert_refused(refusal, "共同申请", respondent["name"])
    assert show(api, "mediator_demo", effective)["application"] is None


def test_a_court_that_does_not_serve_the_region_is_refused(api, effective):
    """武昌区's court does not serve a 江岸区 grid."""
    refusal = error(apply_json(api, effective, court=OTHER_COURT), 422)
    assert_refused(refusal, OTHER_COURT)
    assert show(api, "mediator_demo", effective)["status"] == "agreement_effective"


# ---------------------------------------------------------------------------- the court


def test_accepting_without_a_number_assigns_the_next_min_te_number(api):
    """（<year>）鄂0102民特<N>号, the year of acceptance in China."""
    requested = as_seen(api, recent("confirmation_requested"), "judge_demo")
    case = fire(api, "judge_demo", requested, "accept_application")
    application = case["application"]
    year = moment(application["accepted_at"]).astimezone(CHINA_TZ).year
    assert re.fullmatch(rf"（{year}）鄂0102民特[1-9][0-9]*号", case["court_case_number"])
    assert application["court_case_number"] == case["court_case_number"]
    assert moment(application["ruling_deadline"]) == moment(case["deadline_at"])


def test_a_confirmation_without_text_issues_the_sealed_ruling(api):
    """The generated text; the ruling comes as a PDF at the address the case names."""
    accepted = as_seen(api, recent("confirmation_accepted"), "judge_demo")
    case = fire(api, "judge_demo", accepted, "confirm")
    application = case["application"]
    assert (case["status"], application["outcome"]) == ("confirmed", "confirmed")
    assert "确认" in case["ruling_text"]
    ruling = application["ruling"]
    assert ruling["url"] == f"/api/v1/cases/{case['id']}/ruling.pdf"
    paper = api.get("mediator_demo", ruling["url"].removeprefix("/api/v1"))
    assert (paper.status_code, paper.mimetype) == (200, "application/pdf")
    assert paper.data.startswith(b"%PDF-")


def test_no_ruling_before_the_court_decides(api):
    """ruling.pdf is a 404 while the application waits."""
    case = recent("confirmation_requested")
    error(api.get("judge_demo", f"/cases/{case.id}/ruling.pdf"), 404, "not_found")


def test_the_judge_extends_the_review_period_once(api):
    """+10 days on the ruling clock, with the reason; a second extension is refused."""
    accepted = as_seen(api, recent("confirmation_accepted"), "judge_demo")
    path = f"/cases/{accepted['id']}/confirmation/extension"
    reason = "案情复杂，经院长批准延长审查期限。"
    body = {"version": accepted["version"], "reason": reason}
    case = ok(api.post("judge_demo", path, json=body))
    application = case["application"]
    assert (application["extended"], application["extension_reason"]) == (True, reason)
    before = moment(accepted["application"]["ruling_deadline"])
    assert moment(application["ruling_deadline"]) == before + timedelta(days=10)
    assert moment(case["deadline_at"]) == moment(application["ruling_deadline"])
    again = {"version": case["version"], "reason": reason}
    assert_refused(error(api.post("judge_demo", path, json=again), 422), "延长")


def test_the_extension_needs_a_reason_and_the_version(api):
    """400 naming the field; 409 for a stale version."""
    accepted = as_seen(api, recent("confirmation_accepted"), "judge_demo")
    path = f"/cases/{accepted['id']}/confirmation/extension"
    refusal = error(api.post("judge_demo", path, json={"version": accepted["version"]}), 400)
    assert "reason" in refusal["fields"]
    stale = {"version": accepted["version"] - 1, "reason": "经院长批准。"}
    error(api.post("judge_demo", path, json=stale), 409, "version_conflict")


@pytest.mark.parametrize(
    ("status", "trigger", "payload"),
    [
        ("confirmation_requested", "accept_application", {}),
        ("confirmation_requested", "reject_confirmation", {"ground": "no_jurisdiction"}),
        ("confirmation_accepted", "confirm", {}),
        ("confirmation_accepted", "reject_confirmation", {"ground": "not_voluntary"}),
    ],
)
def test_a_mediator_cannot_decide_for_the_court(api, status, trigger, payload):
    """The court's triggers and the extension are the judge's: 403 to the case's mediator."""
    case = as_seen(api, recent(status))
    assert fire(api, "mediator_demo", case, trigger, 403, **payload)["code"] == "forbidden"
    path = f"/cases/{case['id']}/confirmation/extension"
    body = {"version": case["version"], "reason": "延长"}
    error(api.post("mediator_demo", path, json=body), 403, "forbidden")
    assert show(api, "mediator_demo", case)["version"] == case["version"]


def test_a_judge_of_another_court_finds_none_of_it(api, effective, judge_of_wuchang):
    """Every confirmation route answers 404 to a judge whose court the case was not sent to."""
    case = ok(apply_with_files(api, effective, [("identity", "身份证.pdf", PDF)]))
    case = fire(api, "judge_demo", show(api, "judge_demo", case), "accept_application")
    material = case["application"]["materials"][0]["url"].removeprefix("/api/v1")
    base = f"/cases/{case['id']}"
    version = case["version"]
    requests = [
        ("GET", f"/courts?case={case['id']}", None),
        ("GET", base, None),
        ("POST", f"{base}/confirmation", application_body(case)),
        ("POST", f"{base}/confirmation/extension", {"version": version, "reason": "延长"}),
        ("POST", f"{base}/transitions", {"trigger": "confirm", "version": version}),
        ("GET", f"{base}/application.pdf", None),
        ("GET", material, None),
    ]
    for method, path, body in requests:
        error(api.call(method, judge_of_wuchang, path, json=body), 404, "not_found")
    fire(api, "judge_demo", case, "confirm")
    error(api.get(judge_of_wuchang, f"{base}/ruling.pdf"), 404, "not_found")
    assert api.get("judge_demo", f"{base}/ruling.pdf").status_code == 200
