"""The API tests: an `api` fixture that calls the JSON API as the demo users."""

import pytest

from tests.api_client import Api


@pytest.fixture
def api(client, token):
    """The API client of the demo users."""
    return Api(client, token)
