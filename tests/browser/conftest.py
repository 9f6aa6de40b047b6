"""Browser fixtures: the test app served on a free local port, and headless Debian Chromium."""

import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from tests.database import ON_POSTGRES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """The browser tests run on the SQLite pass of `make test` only: what a page does in
    Chromium is the same on either database, and every operation they drive is tested on
    PostgreSQL by the integration tests (through the test client and the API). They are
    the longest part of the suite, so the PostgreSQL pass skips them."""
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="the browser tests run on the SQLite pass")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on 127.0.0.1 at a free port, in a background thread; yields its base URL."""
    # Port 0 lets the kernel pick a free port, so parallel runs cannot collide.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(autouse=True)
def _demo_city(clean_state):
    """Every browser test starts from the demo city with a fresh login throttle."""
    yield


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, driven by Playwright (no browser download needed)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium "
            "(or `sudo apt-get install -y chromium`).",
            pytrace=False,
        )
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Requests of Chromium's own pages (its PDF viewer), not of the app.
BROWSER_OWN = "chrome-extension://"


@dataclass
class Traffic:
    """What went wrong while a page loaded: console errors, failed and off-site requests."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    navigations: int = 0
    issued_during: dict = field(default_factory=dict)
    aborted: list[tuple[int, str]] = field(default_factory=list)

    def watch(self, page) -> None:
        """Record this page's console errors, script errors, requests and navigations."""
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        page.on("requestfailed", self.on_failed)
        page.on("request", self.on_request)
        page.on("framenavigated", self.on_navigated)

    def on_console(self, message) -> None:
        """Keep console errors; CSP violations are reported this way too."""
        if message.type == "error":
            url = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({url})")

    def on_failed(self, request) -> None:
        """Keep requests the browser could not complete; aborts are judged in assert_clean.

        Chromium shows a PDF with its own viewer, an extension whose requests
        (chrome-extension://…) it cancels when it likes: those aborts are the browser's, not
        the app's, and are left out.
        """
        failure = f"{request.method} {request.url}: {request.failure}"
        if request.failure == "net::ERR_ABORTED" and request.url.startswith(BROWSER_OWN):
            return
        if request.failure == "net::ERR_ABORTED":
            self.aborted.append((self.issued_during.get(request, self.navigations), failure))
        else:
            self.failed_requests.append(failure)

    def on_request(self, request) -> None:
        """Count top-level navigations; keep requests to any origin but the live server's."""
        if request.is_navigation_request() and is_main_frame(request):
            self.navigations += 1
        self.issued_during[request] = self.navigations
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def on_navigated(self, frame) -> None:
        """A new document in the top frame: whatever the old one had in flight is cancelled."""
        if frame.parent_frame is None:
            self.navigations += 1

    def cut_short_by_navigation(self, issued_during: int) -> bool:
        """Whether the page left (or began to leave) the document after this request began."""
        return self.navigations > issued_during

    def assert_clean(self) -> None:
        """Fail with everything recorded, if anything was.

        Leaving a page cancels what it still had in flight (its favicon, say) with
        net::ERR_ABORTED: that is the browser at work, not a defect. An abort that no
        navigation explains, and every other failure, is one.
        """
        unexplained = [f for issued, f in self.aborted if not self.cut_short_by_navigation(issued)]
        assert self.console_errors == [], "console errors"
        assert self.failed_requests + unexplained == [], "failed requests"
        assert self.foreign_requests == [], "requests off the live server"


def is_main_frame(request) -> bool:
    """Whether the request belongs to the page's top frame (not an iframe or a worker)."""
    try:
        return request.frame.parent_frame is None
    except Exception:  # Playwright raises for requests no frame owns (service workers)
        return False


@pytest.fixture
def traffic(live_server):
    """The recorder the `page` fixture reports into."""
    return Traffic(origin=live_server)


def new_page(browser, live_server, traffic, **context_options):
    """A page in a fresh browser context (no cookies), watched by traffic."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    traffic.watch(page)
    return page


@pytest.fixture
def page(browser, live_server, traffic):
    """A desktop-sized page (1280x800) in its own browser context."""
    page = new_page(browser, live_server, traffic, viewport={"width": 1280, "height": 800})
    yield page
    page.context.close()


@pytest.fixture
def tablet_page(browser, live_server, traffic):
    """A tablet-sized page (768x1024, portrait), as a mediator carries on a visit."""
    page = new_page(
        browser, live_server, traffic, viewport={"width": 768, "height": 1024}, has_touch=True
    )
    yield page
    page.context.close()
