"""axe-core in Chromium: walk every page a signed-in user can reach and check it against
WCAG 2.1 A and AA.

The walk follows the links of each page, so a page added later is checked as soon as the
navigation leads to it. Pages of one kind are checked once: /cases/12 and /cases/31 are one
page unless their states differ, and the list's pages and filters are one page except for
the deadline filter. Every form that takes input is also sent empty once, so that its error
state is checked too; a stale `version` makes sure that sending a case's form changes nothing.

A page made of the same kinds of element (tags, classes, roles, types; not their text or
number) as one already checked in the same language and mode, by this walk or another
role's, is not checked again: the list, the password form and the error pages look alike
for everyone, and so do a case's pages in states that show the same sections and forms.
A mode that changes only a page's words and type size (English in large text) checks each
kind of page once, for the first role that reaches it, but each role's home page, which is
her own (`Checked.once_per`): the zh walk has checked every role's markup of each kind.
"""

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}

# Query parameters that make a different page; all others (page, category, q, …) do not.
PAGE_MAKING_PARAMS = ("overdue",)
# Links never followed: leaving, the API, static files, PDFs (Chromium's viewer, not ours).
NOT_FOLLOWED = re.compile(r"^/(logout|api/|static/|locale/|display/)|\.(pdf|xlsx|csv)$")
# Pages a user reaches by typing, a QR code or an old bookmark rather than by a link.
TYPED = ["/no-such-page", "/verify"]

_axe = Axe()


@dataclass
class Checked:
    """What the walk checked: pages by kind, nodes tested, and the violations found."""

    mode: str  # language and text size, as "zh" or "en/large"
    seen: set[tuple[str, str]]  # (mode, markup hash or kind) of every page any walk checked
    once_per: str = "markup"  # a page is checked once per markup, or once per kind of page
    role: str = ""  # whose walk it is (each role's home page is a kind of its own)
    pages: list[str] = field(default_factory=list)
    skipped: int = 0
    elements: int = 0
    violations: list[str] = field(default_factory=list)


# The kinds of element a page is made of: tag, classes, role, type and whether it is hidden.
MARKUP = """() => [...new Set([...document.body.querySelectorAll('*')].map(e =>
  [e.tagName, e.className, e.getAttribute('role'), e.getAttribute('type'), e.hidden].join(' ')
))].sort().join('|')"""


def check(page, label: str, checked: Checked) -> bool:
    """Run axe on the page as it stands and record what it found, unless its markup (or, once
    per kind, its kind: the label) has been checked before in this mode; returns whether it
    ran."""
    if checked.once_per == "kind":
        key = f"{label} ({checked.role})" if label == "/" else label
    else:
        key = hashlib.sha1(page.evaluate(MARKUP).encode()).hexdigest()
    if (checked.mode, key) in checked.seen:
        checked.skipped += 1
        return False
    checked.seen.add((checked.mode, key))
    results = _axe.run(page, options=AXE_OPTIONS).response
    checked.pages.append(label)
    checked.elements += page.evaluate("document.querySelectorAll('body *').length")
    for rule in results["violations"]:
        for node in rule["nodes"]:
            checked.violations.append(
                f"{label}: {rule['id']} ({rule['impact']}) {node['target']}: "
                f"{node['failureSummary']} — {node['html'][:160]}"
            )
    return True


def kind_of(url: str) -> str:
    """The kind of page a URL shows: numbers in the path and unimportant parameters dropped."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+", "/{id}", parts.path)
    params = sorted((k, v) for k, v in parse_qsl(parts.query) if k in PAGE_MAKING_PARAMS)
    return f"{path}?{urlencode(params)}" if params else path


# The state a case page shows in its header, or null (one round trip to the browser).
CASE_STATUS = """() => {
  const badge = document.querySelector('[data-testid=case-header] [data-status]');
  return badge ? badge.getAttribute('data-status') : null;
}"""


def case_kind(page) -> str:
    """A case page's kind includes its state: each state shows other forms and badges."""
    status = page.evaluate(CASE_STATUS)
    return f"state={status}" if status is not None else ""


def links_of(page, origin: str) -> list[str]:
    """The app's own pages this page links to, and the filter variants its GET forms offer."""
    hrefs = page.evaluate(
        """() => {
          const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
          for (const form of document.querySelectorAll('form')) {
            if ((form.method || 'get').toLowerCase() !== 'get') continue;
            for (const select of form.querySelectorAll('select[name]')) {
              for (const option of select.options) {
                if (!option.value) continue;
                const url = new URL(form.action);
                url.search = new URLSearchParams({[select.name]: option.value}).toString();
                links.push(url.href);
              }
            }
          }
          return links;
        }"""
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or NOT_FOLLOWED.search(parts.path):
            continue
        found.append(parts._replace(fragment="").geturl())
    return found


# Forms worth sending empty: those that take input, or act on a case at a version.
SENDABLE_FORMS = """() => [...document.querySelectorAll('form[method=post]')]
  .map((form, index) => ({form, index}))
  .filter(({form}) => form.querySelector(
    'textarea, select, input[name=version], input:not([type=hidden]):not([type=submit])'))
  .map(({form, index}) => ({index, action: new URL(form.action).pathname}))"""

SEND_EMPTY = """(index) => {
  const form = document.querySelectorAll('form[method=post]')[index];
  for (const input of form.querySelectorAll('input, textarea, select')) {
    if (input.name === 'csrf_token') continue;
    if (input.name === 'version') { input.value = '0'; continue; }
    if (input.type === 'checkbox' || input.type === 'radio') { input.checked = false; continue; }
    if (input.tagName === 'SELECT') { input.selectedIndex = -1; continue; }
    if (input.type !== 'hidden' && input.type !== 'submit') input.value = '';
  }
  form.noValidate = true;
  form.requestSubmit();
}"""


def address_of(url: str) -> str:
    """A URL's path and query: the same page whether the link was written relative or not."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def walk(page, origin: str, checked: Checked, send_forms: bool = True) -> None:
    """Check every kind of page reachable from the home page, and each form's error state.

    Each address is opened once: a case's page is linked from the home page, the list, the
    notices and its own pages, and opening it again shows the same state (a form sent empty
    changes nothing), so it would only be recognised as a kind already seen.
    """
    queue = ["/", *TYPED]
    seen: set[str] = set()
    opened: set[str] = set()
    sent: set[str] = set()
    while queue:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen or address_of(url) in opened:
            continue
        opened.add(address_of(url))
        page.goto(url)
        if kind.startswith("/cases/{id}") and kind.count("/") == 2:
            kind = f"{kind}?{case_kind(page)}"
            if kind in seen:
                continue
        seen.add(kind)
        fresh = check(page, kind, checked)
        queue.extend(links_of(page, origin))
        if send_forms and fresh:
            send_each_form(page, url, kind, sent, checked)


def send_each_form(page, url: str, kind: str, sent: set[str], checked: Checked) -> None:
    """Send each input-taking form of the page empty once, and check the page that answers.

    The page is opened again before each form but the first (the walk goes on from its
    queue, so nothing needs the page back after the last)."""
    forms = {}
    for form in page.evaluate(SENDABLE_FORMS):
        action = kind_of(form["action"])
        if action not in sent and action not in forms:
            forms[action] = form["index"]
    for number, (action, index) in enumerate(forms.items()):
        sent.add(action)
        if number:
            page.goto(url)
        with page.expect_navigation():
            page.evaluate(SEND_EMPTY, index)
        check(page, f"{kind} → {action} (sent empty)", checked)
