"""English pages: with English chosen, the interface speaks English; the users' data stays as
they typed it, in Chinese, and 简体中文 brings the Chinese interface back."""

import html
import re

import pytest
import sqlalchemy as sa

from mediation.extensions import db
from tests.factories import gen_case, id_of

# Chinese characters and Chinese punctuation (、。：，（） …); the ideographic space that indents
# the region filter is only whitespace.
CHINESE = re.compile(r"[\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e]+")
# Shown in their own language whatever the locale: the language switch, and the full-width
# plus sign of the intake buttons (a symbol in both languages).
ALWAYS = ("简体中文", "＋")

ROLES_EN = {
    "grid_demo": "Grid worker",
    "mediator_demo": "People's mediator",
    "street_demo": "Street governance center / justice office",
    "judge_demo": "Judge",
    "admin_demo": "Administrator",
    "mediator_other": "People's mediator",
}


def collect_texts(value, found: set[str]) -> None:
    """Add every string inside a column value (JSON lists and objects included) to found."""
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, list | tuple):
        for item in value:
            collect_texts(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            collect_texts(item, found)


def user_data() -> list[str]:
    """Every text the database holds (names, case numbers, what users typed), longest first."""
    found: set[str] = set()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                collect_texts(list(row), found)
    return sorted((text for text in found if CHINESE.search(text)), key=len, reverse=True)


def interface_chinese(response) -> list[str]:
    """The Chinese left on a page once the database's own texts are taken out."""
    page = html.unescape(response.get_data(as_text=True))
    for text in (*user_data(), *ALWAYS):
        page = page.replace(text, " ")
    return CHINESE.findall(page)


def english(client):
    """Choose English in the footer and return the client."""
    client.post("/locale/en", data={"next": "/"})
    return client


def page(client, url: str) -> str:
    """A page's HTML, after checking it answered 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_login_page_is_in_english(client):
    """Sign in to Tiaojietong, with the form's labels in English."""
    english(client)
    response = client.get("/login")
    text = response.get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Sign in to Tiaojietong" in text
    assert "Username" in text
    assert "Password" in text
    assert 'value="Sign in"' in text
    assert interface_chinese(response) == []


def test_failed_sign_in_is_explained_in_english(client):
    """The flash and the field messages of the login form follow the locale."""
    english(client)
    response = client.post("/login", data={"username": "grid_demo", "password": "Wrong@2026"})
    assert "Wrong username or password, or the account is deactivated." in response.get_data(
        as_text=True
    )
    assert interface_chinese(response) == []


@pytest.mark.parametrize("username", ROLES_EN)
def test_each_role_has_an_english_workbench(login, username):
    """The workbench names the role in English and shows no Chinese chrome."""
    client = english(login(username))
    response = client.get("/")
    text = html.unescape(response.get_data(as_text=True))
    assert f"Workbench · {ROLES_EN[username]}" in text
    assert "Sign out" in text
    assert interface_chinese(response) == []


def test_admin_overview_counts_states_in_english(login):
    """The admin's overview labels each state in English."""
    gen_case(status="grid_mediation")
    text = page(english(login("admin_demo")), "/")
    assert "Case overview" in text
    assert "Grid mediation" in text
    assert "Judicially confirmed" in text


def test_case_list_is_in_english(login):
    """States, categories and the filter bar are in English; titles stay as typed."""
    gen_case(status="grid_mediation", category="marriage_family")
    gen_case(status="declined")
    client = english(login("mediator_demo"))
    response = client.get("/cases/")
    text = response.get_data(as_text=True)
    assert "Grid mediation" in text
    assert "Declined" in text
    assert "Marriage and family" in text
    assert "All states" in text
    assert "2 cases" in text
    assert interface_chinese(response) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("intake", ["Intake", "Accept", "Withdraw"]),
        ("agreement_drafted", ["Agreement awaiting signatures", "Record signature", "Mediator"]),
        ("mediation_failed", ["Mediation failed", "Told of: Litigation"]),
        ("declined", ["Declined", "Reason for declining: "]),
        ("confirmation_rejected", ["Confirmation rejected", "Reject application"]),
        ("closed", ["Closed", "Close and archive", "Agreement performed", "Follow-up visits"]),
    ],
)
def test_case_page_is_in_english(login, status, expected):
    """The case page: state, facts, parties, records, actions and the timeline in English."""
    case_id = id_of(gen_case(status=status))
    response = english(login("mediator_demo")).get(f"/cases/{case_id}")
    text = html.unescape(response.get_data(as_text=True))
    for phrase in ["Applicant", "Respondent", "Register dispute", "History", *expected]:
        assert phrase in text, phrase
    assert interface_chinese(response) == []


def test_intake_form_is_in_english(login):
    """Every label and choice of the intake form is English."""
    response = english(login("grid_demo")).get("/cases/new")
    phrases = ["Register dispute", "Dispute title", "Found on grid patrol", "Neighbors"]
    phrases += ["Applicant", "Natural person", "ID card number", "Please choose"]
    assert_all_english(response, phrases)


def assert_all_english(response, phrases: list[str]) -> None:
    """The page holds every phrase and no Chinese of the interface."""
    text = html.unescape(response.get_data(as_text=True))
    assert [phrase for phrase in phrases if phrase not in text] == []
    assert interface_chinese(response) == []


def test_record_forms_are_in_english(login):
    """The session and visit forms, with their outcome and satisfaction choices."""
    client = english(login("mediator_demo"))
    session = client.get(f"/cases/{id_of(gen_case(status='grid_mediation'))}/sessions/new")
    visit = client.get(f"/cases/{id_of(gen_case(status='agreement_effective'))}/visits/new")
    assert "Agreement reached" in session.get_data(as_text=True)
    assert "Mostly satisfied" in visit.get_data(as_text=True)
    assert interface_chinese(session) == []
    assert interface_chinese(visit) == []


def test_agreement_page_is_in_english(login):
    """The agreement's own page: its fields, its term list and its buttons."""
    client = english(login("mediator_demo"))
    case = gen_case(status="grid_mediation")
    response = client.get(f"/cases/{id_of(case)}/agreement/draft")
    phrases = ["Terms of the agreement", "Term 1", "Move up", "Add a term", "Draft the agreement"]
    assert_all_english(response, phrases)


def test_done_action_is_announced_in_english(login):
    """The flash after a trigger names it in English."""
    case = gen_case(status="grid_mediation")
    client = english(login("mediator_demo"))
    response = client.post(
        f"/cases/{case.id}/transitions/escalate",
        data={
            "version": case.version,
            "escalate-reason_code": "complex",
            "escalate-reason": "涉及多户，需街道协调。",
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Done: Escalate to street." in text
    assert "Street mediation" in text
    assert interface_chinese(response) == []


def test_admin_pages_are_in_english(login):
    """The user list, the user form and the workflow diagram with its table."""
    client = english(login("admin_demo"))
    users, form, workflow = (
        client.get(url) for url in ("/admin/users", "/admin/users/new", "/admin/workflow")
    )
    assert "Deactivate" in users.get_data(as_text=True)
    assert "Mediation committee · " in form.get_data(as_text=True)
    diagram = html.unescape(workflow.get_data(as_text=True))
    assert 'state "Grid mediation" as grid_mediation' in diagram
    assert "Street governance center / justice office" in diagram
    for response in (users, form, workflow):
        assert interface_chinese(response) == []


def test_error_page_is_in_english(login):
    """A missing page says so in English."""
    response = english(login("grid_demo")).get("/no-such-page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
    assert interface_chinese(response) == []


def test_switching_back_restores_chinese(login):
    """简体中文 in the footer brings back the Chinese interface and labels."""
    gen_case(status="grid_mediation")
    client = english(login("mediator_demo"))
    assert "Grid mediation" in page(client, "/cases/")
    client.post("/locale/zh_Hans_CN", data={"next": "/"})
    text = page(client, "/cases/")
    assert '<html lang="zh-CN">' in text
    assert "案件列表" in text
    assert "网格调处" in text
    assert "Grid mediation" not in text
    assert "工作台 · 人民调解员" in page(client, "/")


def test_api_keeps_chinese_labels_when_the_pages_are_english(client, token):
    """The API's labels are the domain's, in Chinese, whatever the browser chose."""
    english(client)
    codes = client.get("/api/v1/codes", headers=token("grid_demo")).get_json()
    assert codes["categories"][1] == {"identifier": "neighbor", "label": "邻里"}
    assert codes["states"][0]["label"] == "待受理"
