"""No browser or proxy keeps a copy of a page or an API answer: every response but a static
file carries Cache-Control: no-store (a full ID number must not come back from a cache)."""

import pytest

from tests.factories import APPLICANT_ID, gen_case


def no_store(response) -> bool:
    """True when the response forbids every cache to keep it."""
    return "no-store" in response.headers.get("Cache-Control", "")


def test_revealed_id_number_page_is_not_stored(login):
    """The page that shows a full ID number tells the browser not to keep it."""
    case = gen_case("mediator_demo")
    response = login("mediator_demo").post(
        f"/cases/{case.id}/parties/{case.parties[0].id}/reveal", data={"field": "id_number"}
    )
    assert response.status_code == 200
    assert APPLICANT_ID in response.get_data(as_text=True)
    assert no_store(response)


def test_revealed_id_number_in_the_api_is_not_stored(client, token):
    """The API answer with a full ID number is not stored either."""
    case = gen_case("mediator_demo")
    response = client.post(
        f"/api/v1/cases/{case.id}/parties/{case.parties[0].id}/reveal",
        json={"field": "id_number"},
        headers=token("mediator_demo"),
    )
    assert response.status_code == 200
    assert response.get_json()["value"] == APPLICANT_ID
    assert no_store(response)


@pytest.mark.parametrize("page", ["/", "/cases/", "/cases/{id}", "/password"])
def test_signed_in_pages_are_not_stored(login, page):
    """The workbench, case list and case page show names and facts: none is stored."""
    case = gen_case("mediator_demo")
    response = login("mediator_demo").get(page.format(id=case.id))
    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/regions"])
def test_api_answers_to_a_token_are_not_stored(client, token, path):
    """Every answer to a bearer-token caller is not stored."""
    case = gen_case("mediator_demo")
    response = client.get(path.format(id=case.id), headers=token("mediator_demo"))
    assert response.status_code == 200
    assert no_store(response)


def test_login_page_and_errors_are_not_stored_either(client):
    """The rule has no exceptions but static files: the login page holds a CSRF token."""
    assert no_store(client.get("/login"))
    assert no_store(client.get("/no-such-page"))


@pytest.mark.parametrize("path", ["/static/css/app.css", "/static/favicon.svg"])
def test_static_files_stay_cacheable(login, path):
    """Style sheets, scripts and icons carry nothing personal: browsers may keep them."""
    response = login("mediator_demo").get(path)
    assert response.status_code == 200
    assert not no_store(response)
    assert response.headers.get("ETag") or response.headers.get("Last-Modified")


def test_bundled_bootstrap_stays_cacheable(client):
    """The locally served Bootstrap files (an extension's static folder) are not marked."""
    page = client.get("/login").get_data(as_text=True)
    start = page.index("/bootstrap/static/")
    href = page[start : page.index('"', start)]
    response = client.get(href)
    assert response.status_code == 200
    assert not no_store(response)
