"""Integration tests: every test starts from the demo city in a fresh database."""

import pytest

from tests.pages import carry_csrf


@pytest.fixture(autouse=True)
def _fresh_database(clean_state):
    """Apply clean_state to every test in this folder."""
    yield


@pytest.fixture
def admin(login):
    """The city admin, signed in and able to post forms."""
    return carry_csrf(login("admin_demo"))
