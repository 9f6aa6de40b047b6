"""Every page of every role passes axe-core's WCAG 2.1 A and AA rules: in Chinese with each
form's error state, and in English in the large-text mode (大字模式, the 适老化 norm)."""

import json
import tempfile
from pathlib import Path

import pytest

from mediation.models.types import utcnow
from tests.browser.accessibility import Checked, walk
from tests.browser.steps import sign_in
from tests.database import reset_to_demo_city, restore_sqlite, save_sqlite
from tests.factories import ROUTES, gen_case
from tests.stand_in import stand_in_pdf

# Like every browser test, the walk runs on the SQLite pass only (tests/browser/conftest.py);
# it keeps its database as a copy of SQLite's file. The walks share one worker (conftest's
# RUN_TOGETHER), so that a page's markup checked by one walk is not checked again by a walk
# on another worker.
pytestmark = pytest.mark.browser

ROLES = ["grid_demo", "mediator_demo", "street_demo", "judge_demo", "admin_demo", None]
# (language, large text, send each form empty, a page checked once per): the forms' error
# states differ between the languages only in their words, so they are checked in Chinese;
# English in large text changes a page's words and type size, not its markup, so each kind of
# page is checked once in it (the Chinese walk checks every role's markup of it).
MODES = [("zh", False, True, "markup"), ("en", True, False, "kind")]
SUMMARY = Path(tempfile.gettempdir()) / "accessibility-summary.json"


@pytest.fixture(scope="module")
def summary():
    """What every walk checked, written out at the end for the record."""
    totals: dict[str, dict] = {}
    yield totals
    SUMMARY.write_text(json.dumps(totals, ensure_ascii=False, indent=1))


@pytest.fixture(scope="module")
def seen():
    """The markup (or kinds of page) every walk of this module has checked, by mode."""
    return set()


@pytest.fixture(scope="module")
def every_state_copy(app, tmp_path_factory):
    """A case in every state in grid_demo's grid, registered long ago (so overdue), and one
    in mediation and one with a drafted agreement registered now (deadlines ahead): built
    once through the real operations and kept as a copy of the database."""
    copy = str(tmp_path_factory.mktemp("accessibility") / "every_state.sqlite")
    with pytest.MonkeyPatch.context() as patch, app.app_context():
        patch.setattr(app.extensions["documents.renderer"], "pdf", stand_in_pdf)
        reset_to_demo_city()
        for status in ROUTES:
            gen_case(status=status)
        gen_case(status="grid_mediation", now=utcnow())
        gen_case(status="agreement_drafted", now=utcnow())
        save_sqlite(copy)
    return copy


@pytest.fixture
def every_state(clean_state, every_state_copy):
    """The database as every_state_copy built it, whatever the walk before changed (its
    user's language and text size, her sign-in)."""
    restore_sqlite(every_state_copy)


def choose_mode(page, locale: str, large: bool) -> None:
    """Switch the language in the footer and the large-text mode at the top, as a user does."""
    page.goto("/")
    if locale == "en":
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
    if large:
        with page.expect_navigation():
            page.get_by_test_id("large-text-switch").get_by_role("button").click()


@pytest.mark.parametrize(
    ("locale", "large", "send_forms", "once_per"), MODES, ids=["zh", "en-large"]
)
@pytest.mark.parametrize("username", ROLES, ids=lambda u: u or "anonymous")
def test_every_page_passes_wcag_21_aa(
    page, live_server, every_state, summary, seen, username, locale, large, send_forms, once_per
):
    if username:
        sign_in(page, username)
        page.wait_for_url(f"{live_server}/")
    choose_mode(page, locale, large)
    mode = f"{locale}/large" if large else locale
    checked = Checked(mode=mode, seen=seen, once_per=once_per, role=username or "anonymous")

    walk(page, live_server, checked, send_forms)

    summary[f"{username or 'anonymous'}/{checked.mode}"] = {
        "pages": len(checked.pages),
        "already_checked": checked.skipped,
        "elements": checked.elements,
        "violations": len(checked.violations),
        "checked": checked.pages,
    }
    assert len(checked.pages) + checked.skipped > 1, "the walk reached no page beyond home"
    assert checked.violations == [], "\n".join(checked.violations)
