"""流程图 (/admin/workflow): the state machine drawn for the admin, from the same table."""

import re

import pytest

from tests.pages import text
from workflows import TRANSITIONS


def test_admin_sees_the_workflow_diagram_with_every_trigger(login):
    """The page carries the diagram's source, the local mermaid.js and every trigger by its
    Chinese name, in the people's words (no identifiers, no code)."""
    response = login("admin_demo").get("/admin/workflow")
    assert response.status_code == 200
    page = text(response)
    assert '<pre class="mermaid' in page and "stateDiagram" in page
    assert "/static/vendor/mermaid/mermaid.min.js" in page and "/static/js/workflow.js" in page
    for transition in TRANSITIONS:
        assert f'data-trigger="{transition.trigger}"' in page and transition.label in page
    shown = re.sub(r"<[^>]+>", " ", page.split('<pre class="mermaid', 1)[0])
    for developer in ("Mermaid", "workflows", "<code>", "状态机"):
        assert developer not in page.replace("mermaid.min.js", "").replace('class="mermaid', "")
        assert developer not in shown
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert re.search(r"script-src 'self' 'nonce-[^']+';", policy)


def test_only_the_diagram_page_relaxes_styles(login):
    """Every other page keeps style-src to the nonce."""
    client = login("admin_demo")
    client.get("/admin/workflow")
    policy = client.get("/cases/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "username", ["grid_demo", "mediator_demo", "street_demo", "judge_demo", "mediator_other"]
)
def test_workflow_diagram_is_for_the_admin_only(login, username):
    """Everyone else gets 403."""
    assert login(username).get("/admin/workflow").status_code == 403


def test_mermaid_is_served_locally(client):
    """The vendored library and its licence are static files of the app."""
    assert client.get("/static/vendor/mermaid/mermaid.min.js").status_code == 200
    assert client.get("/static/vendor/mermaid/LICENSE").status_code == 200
