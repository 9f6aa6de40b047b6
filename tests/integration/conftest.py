"""Integration tests: every test starts from the demo city in a fresh database."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_database(clean_state):
    """Apply clean_state to every test in this folder."""
    yield
