"""Forms a screen reader can use, and pages that say where they are (WCAG 1.3.1, 2.4.2,
3.1.1, 3.3.1, 4.1.2): every field has a label tied to it; after bad input each field in
error is aria-invalid and described by the element that holds its message, every message
is tied to a field, and the summary is an alert; each page has a title of its own,
"页面名 · 调解通", and the language of the page is declared.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from lxml import html as lxml_html

from tests.builders import agreement_form, intake_form, local_time, user_form
from tests.factories import COURT, gen_session, reload
from tests.pages import new_case, post_agreement

CONTROLS = (
    "//input[not(@type='hidden' or @type='submit' or @type='button' or @type='image')]"
    " | //select | //textarea"
)
INVALID = "//*[contains(concat(' ', @class, ' '), ' is-invalid ') or @aria-invalid='true']"
MESSAGES = "//*[contains(concat(' ', @class, ' '), ' invalid-feedback ')]"
TITLE = re.compile(r"^(?P<page>.+) · (?P<app>调解通|Tiaojietong)$")


def parsed(response):
    """The page's HTML as a tree."""
    return lxml_html.fromstring(response.get_data(as_text=True))


def words(element) -> str:
    """An element's text, spaces collapsed."""
    return " ".join(element.text_content().split())


def outside_templates(elements) -> list:
    """The elements that are part of the page (not of a <template> for scripts to copy)."""
    return [e for e in elements if not e.xpath("ancestor::template")]


def label_of(doc, control) -> str:
    """The text of the labels tied to a control by aria-labelledby, <label for> or a wrapping
    <label>; empty if none is."""
    tied = [
        e for i in control.get("aria-labelledby", "").split() for e in doc.xpath(f"//*[@id='{i}']")
    ]
    if control.get("id"):
        tied += doc.xpath(f"//label[@for='{control.get('id')}']")
    tied += control.xpath("ancestor::label")
    return " ".join(words(element) for element in tied)


def unlabelled(doc) -> list[str]:
    """The fields without a label tied to them."""
    controls = outside_templates(doc.xpath(CONTROLS))
    return [lxml_html.tostring(c, encoding=str)[:120] for c in controls if not label_of(doc, c)]


def error_problems(doc) -> list[str]:
    """What keeps errors from a screen reader: a field marked invalid (by class or aria)
    without aria-invalid or without a description naming a message, a message no field names,
    and no alert to sum up."""
    found = []
    by_id = {e.get("id"): e for e in doc.xpath("//*[@id]")}
    described = set()
    for element in doc.xpath("//*[@aria-describedby]"):
        described.update(element.get("aria-describedby").split())
    for control in outside_templates(doc.xpath(INVALID)):
        name = control.get("name")
        if control.get("aria-invalid") != "true":
            found.append(f"{name}: marked invalid without aria-invalid")
        ids = (control.get("aria-describedby") or "").split()
        if any(i not in by_id for i in ids):
            found.append(f"{name}: aria-describedby names a missing element: {ids}")
        if not any(
            i in by_id and "invalid-feedback" in by_id[i].get("class", "") and words(by_id[i])
            for i in ids
        ):
            found.append(f"{name}: not described by its message")
    for message in doc.xpath(MESSAGES):
        if not words(message) or message.get("id") not in described:
            found.append(f"message tied to no field: {words(message)!r}")
    if not [alert for alert in doc.xpath("//*[@role='alert']") if words(alert)]:
        found.append("no role=alert summing up the problems")
    return found


def invalid_names(doc) -> set[str]:
    """The names of the fields marked aria-invalid."""
    return {c.get("name") for c in doc.xpath("//*[@aria-invalid='true']")}


# ---------------------------------------------------------------------------- bad input


@dataclass
class BadPost:
    """One form sent with bad input: who sends it, the state of the case it needs (None: no
    case), the post itself, the status code of the answer, and the fields it marks invalid."""

    who: str | None
    state: str | None
    send: Callable  # (client, case) -> response
    status_code: int
    invalid: set[str]


def signer(case) -> str:
    """The first of the agreement's signers."""
    return next(iter(case.agreement.required_signers()))


def with_session(case):
    """The case after a session was recorded, so that an agreement may be drafted."""
    gen_session(case)
    return reload(case.id)


BAD_POSTS = {
    "login": BadPost(
        None, None, lambda c, _: c.post("/login", data={}), 401, {"username", "password"}
    ),
    "password": BadPost(
        "mediator_demo",
        None,
        lambda c, _: c.post("/password", data={"current": "", "new": "short", "confirm": "x"}),
        200,
        {"current", "new", "confirm"},
    ),
    "user": BadPost(
        "admin_demo",
        None,
        lambda c, _: c.post("/admin/users/new", data=user_form(username="x", password="short")),
        200,
        {"username", "password"},
    ),
    "intake": BadPost(
        "grid_demo",
        None,
        lambda c, _: c.post(
            "/cases/new", data=intake_form(title="", **{"parties-0-id_number": "1234"})
        ),
        400,
        {"title", "parties-0-id_number"},
    ),
    "session": BadPost(
        "mediator_demo",
        "grid_mediation",
        lambda c, case: c.post(
            f"/cases/{case.id}/sessions/new",
            data={"held_at": local_time(-48), "attendees": "王芳", "outcome": "maybe"},
        ),
        400,
        {"held_at", "location", "summary", "outcome"},
    ),
    "visit": BadPost(
        "mediator_demo",
        "agreement_effective",
        lambda c, case: c.post(f"/cases/{case.id}/visits/new", data={"visited_at": "明天"}),
        400,
        {"visited_at", "performed"},
    ),
    "agreement": BadPost(
        "mediator_demo",
        "grid_mediation",
        lambda c, case: post_agreement(
            c,
            with_session(case),
            agreement_form(**{"draft_agreement-performance_deadline": "下个月"}),
        ),
        400,
        {"draft_agreement-performance_deadline"},
    ),
    "typed signature": BadPost(
        "mediator_demo",
        "agreement_drafted",
        lambda c, case: c.post(
            f"/cases/{case.id}/signatures",
            data={"sign-signer": signer(case), "sign-method": "typed"},
        ),
        400,
        {"sign-typed_name"},
    ),
    "drawn signature": BadPost(
        "mediator_demo",
        "agreement_drafted",
        lambda c, case: c.post(
            f"/cases/{case.id}/signatures",
            data={"sign-signer": signer(case), "sign-method": "drawn"},
        ),
        400,
        set(),
    ),
    "confirmation": BadPost(
        "mediator_demo",
        "agreement_effective",
        lambda c, case: c.post(
            f"/cases/{case.id}/confirmation", data={"version": str(case.version), "court": COURT}
        ),
        422,
        set(),
    ),
    "not accepted": BadPost(
        "judge_demo",
        "confirmation_requested",
        lambda c, case: c.post(
            f"/court/cases/{case.id}/reject", data={"version": str(case.version)}
        ),
        400,
        {"reject-ground"},
    ),
    "extension": BadPost(
        "judge_demo",
        "confirmation_accepted",
        lambda c, case: c.post(
            f"/court/cases/{case.id}/extend",
            data={"version": str(case.version), "extend-reason": " "},
        ),
        400,
        set(),
    ),
    "ruling": BadPost(
        "judge_demo",
        "confirmation_accepted",
        lambda c, case: c.post(
            f"/court/cases/{case.id}/ruling",
            data={"version": str(case.version), "ruling-ruling_text": "确" * 20001},
        ),
        400,
        set(),
    ),
}


@pytest.mark.parametrize("form", list(BAD_POSTS))
def test_bad_input_is_announced_at_each_field(client, login, form):
    bad = BAD_POSTS[form]
    case = new_case(status=bad.state) if bad.state else None
    sender = login(bad.who) if bad.who else client

    response = bad.send(sender, case)

    assert response.status_code == bad.status_code
    doc = parsed(response)
    assert error_problems(doc) == []
    assert bad.invalid <= invalid_names(doc)
    assert unlabelled(doc) == []


# ---------------------------------------------------------------------------- titles and language

# Each role's pages, with {state} for the id of a case in that state.
STATE = re.compile(r"\{(\w+)\}")
PAGES = {
    None: ["/login", "/verify"],
    "grid_demo": ["/", "/cases/", "/cases/new", "/cases/{intake}", "/notices/", "/password"],
    "mediator_demo": [
        "/",
        "/cases/{grid_mediation}",
        "/cases/{grid_mediation}/sessions/new",
        "/cases/{agreement_effective}/visits/new",
        "/cases/{agreement_effective}/confirmation",
    ],
    "street_demo": ["/", "/cases/"],
    "judge_demo": [
        "/",
        "/court/cases/{confirmation_accepted}",
        "/court/cases/{confirmation_accepted}/ruling",
    ],
    "admin_demo": ["/", "/admin/users", "/admin/users/new", "/admin/workflow"],
}
LANGUAGES = {"zh_Hans_CN": ("zh-CN", "调解通"), "en": ("en", "Tiaojietong")}


@pytest.mark.parametrize("locale", list(LANGUAGES))
@pytest.mark.parametrize("username", list(PAGES), ids=lambda u: u or "anonymous")
def test_each_page_has_a_title_of_its_own_and_its_language(client, login, username, locale):
    states = {state for path in PAGES[username] for state in STATE.findall(path)}
    ids = {state: new_case(status=state).id for state in states}
    browser = login(username) if username else client
    browser.post(f"/locale/{locale}", data={"next": "/"})
    lang, app = LANGUAGES[locale]

    titles = {}
    for path in PAGES[username]:
        response = browser.get(path.format(**ids))
        assert response.status_code == 200, path
        doc = parsed(response)
        assert doc.get("lang") == lang, path
        title = TITLE.match(doc.findtext(".//title").strip())
        assert title and title["app"] == app and title["page"] != app, path
        titles[path] = title["page"]
    assert len(set(titles.values())) == len(titles), titles
