"""How the browser tests judge failed requests: an abort a navigation explains is no defect."""

from dataclasses import dataclass

import pytest

from tests.browser.conftest import Traffic

ORIGIN = "http://127.0.0.1:5000"


@dataclass(eq=False)
class FakeFrame:
    parent_frame: object = None


@dataclass(eq=False)
class FakeRequest:
    url: str
    failure: str | None = None
    method: str = "GET"
    navigation: bool = False
    frame: FakeFrame = FakeFrame()

    def is_navigation_request(self) -> bool:
        return self.navigation


def navigate(traffic: Traffic, path: str) -> None:
    """The page goes to path: the navigation request, then the new document commits."""
    traffic.on_request(FakeRequest(ORIGIN + path, navigation=True))
    traffic.on_navigated(FakeFrame())


def fail(traffic: Traffic, path: str, failure: str) -> None:
    """A request for path that the browser gave up on with failure."""
    request = FakeRequest(ORIGIN + path, failure=failure)
    traffic.on_request(request)
    traffic.on_failed(request)


def page_at(path: str) -> Traffic:
    """A recorder whose page has just loaded path."""
    traffic = Traffic(origin=ORIGIN)
    navigate(traffic, path)
    return traffic


def test_favicon_cut_short_by_leaving_the_page_is_not_a_defect():
    traffic = page_at("/cases/1")
    favicon = FakeRequest(ORIGIN + "/static/favicon.svg")
    traffic.on_request(favicon)
    navigate(traffic, "/cases/1/sessions/new")
    favicon.failure = "net::ERR_ABORTED"
    traffic.on_failed(favicon)
    traffic.assert_clean()


def test_abort_reported_before_the_navigation_event_is_still_explained():
    traffic = page_at("/")
    fail(traffic, "/static/favicon.svg", "net::ERR_ABORTED")
    navigate(traffic, "/login")
    traffic.assert_clean()


def test_abort_with_no_navigation_is_a_defect():
    traffic = page_at("/")
    fail(traffic, "/static/js/app.js", "net::ERR_ABORTED")
    with pytest.raises(AssertionError, match="failed requests"):
        traffic.assert_clean()


def test_other_failures_are_defects_even_when_the_page_is_left():
    traffic = page_at("/")
    fail(traffic, "/static/css/app.css", "net::ERR_CONNECTION_RESET")
    navigate(traffic, "/login")
    with pytest.raises(AssertionError, match="failed requests"):
        traffic.assert_clean()


def test_requests_in_an_iframe_do_not_count_as_navigations():
    traffic = page_at("/")
    fail(traffic, "/static/favicon.svg", "net::ERR_ABORTED")
    traffic.on_request(FakeRequest(ORIGIN + "/frame", navigation=True, frame=FakeFrame(object())))
    traffic.on_navigated(FakeFrame(parent_frame=object()))
    with pytest.raises(AssertionError, match="failed requests"):
        traffic.assert_clean()
