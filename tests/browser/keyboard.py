"""The keyboard in Chromium: press Tab through a page, record where the focus goes, and say
what is wrong with the order.

The page records each focus itself (a focusin listener), so a walk of sixty Tabs costs sixty
key presses and one read rather than a round trip per press. Of each element the focus
reaches (a frame counts once, however many presses its document takes) it records the tag,
the accessible name as far as the page can tell (aria-labelledby, aria-label, its <label>s,
its text, a button's value, alt, title or placeholder), its box in page coordinates, whether
a focus ring is drawn (an outline or a box shadow), and whether it sits above the main
content, in it, or in the footer.
"""

import time
from dataclasses import dataclass
from itertools import pairwise

from playwright.sync_api import Error as PlaywrightError

# How far (px) one box may stand above or left of the one before it and still read after it.
TOLERANCE = 8
REGIONS = ("top", "main", "footer")
# How long a walk waits for the PDFs a page shows to load in Chromium's viewer (tab_through).
VIEWER_WAIT_S = 30

# Everything Tab should stop at, listed from the DOM: shown, enabled, not taken out of the
# tab order. Of a group of radio buttons Tab stops at one (the checked one, else the first).
# Each gets data-kb, its place in the list, so that a walk can be compared with the list.
# A frame is not listed: whether Tab enters it depends on its document (a PDF viewer takes
# the focus only once it has loaded); when it does, the walk must still come out of it.
FOCUSABLE = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  document.querySelectorAll('[data-kb]').forEach(e => e.removeAttribute('data-kb'));
  const groups = new Set();
  const listed = [];
  for (const element of document.querySelectorAll(selector)) {
    if (element.disabled || element.type === 'hidden' || element.tabIndex < 0) continue;
    if (element.closest('[inert], template')) continue;
    const box = element.getBoundingClientRect();
    if (!element.checkVisibility({visibilityProperty: true}) || !box.width || !box.height) continue;
    let stop = element;
    if (element.type === 'radio') {
      const group = [...document.getElementsByName(element.name)].filter(
        r => r.type === 'radio' && r.form === element.form);
      if (groups.has(group[0])) continue;
      groups.add(group[0]);
      stop = group.find(r => r.checked) || element;
    }
    stop.setAttribute('data-kb', listed.length);
    listed.push(stop);
  }
  return listed.length;
}"""

RECORD = """() => {
  window.__focusLog = [];
  if (window.__recording) return;
  window.__recording = true;
  const text = e => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : '');
  const nameOf = e => {
    const by = e.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map(id => text(document.getElementById(id))).join(' ').trim();
    if (e.getAttribute('aria-label')) return e.getAttribute('aria-label').trim();
    if (e.labels && e.labels.length) return [...e.labels].map(text).join(' ').trim();
    const own = text(e) || [...e.querySelectorAll('img[alt]')].map(i => i.alt).join(' ');
    const value = ['submit', 'button', 'reset'].includes(e.type) && e.tagName === 'INPUT';
    return (own || (value ? e.value : '') || e.title || e.placeholder || '').trim();
  };
  const ringed = e => {
    const style = getComputedStyle(e);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && !/rgba\\([^)]*, 0\\)|transparent/.test(style.outlineColor);
    return outline || style.boxShadow !== 'none';
  };
  const record = (e, kb, ring) => {
    const box = e.getBoundingClientRect();
    window.__focusLog.push({
      kb: kb,
      tag: e.tagName.toLowerCase() + (e.tagName === 'INPUT' ? `[${e.type}]` : ''),
      name: nameOf(e),
      top: box.top + scrollY, left: box.left + scrollX,
      bottom: box.bottom + scrollY, right: box.right + scrollX,
      ring: ring,
      region: e.closest('main') ? 'main' : e.closest('footer') ? 'footer' : 'top',
    });
  };
  document.addEventListener('focusin', event => {
    record(event.target, event.target.getAttribute('data-kb'), ringed(event.target));
  }, true);
  // Tab into a frame (a document's viewer) blurs this window with the frame focused; the
  // frame's own document draws the ring, out of this page's sight.
  window.addEventListener('blur', () => {
    const frame = document.activeElement;
    if (frame.tagName === 'IFRAME') record(frame, 'frame', null);
  });
}"""

VIEWER_LOADED = "() => document.querySelector('pdf-viewer')?.loadState_ === 'success'"


@dataclass
class Stop:
    """One element the focus reached: what it is and where it stands on the page."""

    kb: str | None  # its place among the listed elements; "frame" for a frame, None: unlisted
    tag: str
    name: str
    top: float
    left: float
    bottom: float
    right: float
    ring: bool | None  # None: a frame, whose own document draws the ring
    region: str

    def __str__(self) -> str:
        return f"{self.tag} «{self.name}» at ({self.left:.0f}, {self.top:.0f})"


@dataclass
class Walk:
    """Where Tab took the focus, from the top of the page round to the top again."""

    listed: int  # the elements the DOM says Tab should reach
    stops: list[Stop]  # where Tab took the focus, up to the first element's second turn
    wrapped: bool  # whether the focus came round to the first element: nothing held it

    @property
    def page_stops(self) -> list[Stop]:
        """The stops of one round through the page."""
        return self.stops[:-1] if self.wrapped else self.stops


def press_until_round(page, key: str, presses: int) -> tuple[list[Stop], bool]:
    """Press key until the focus comes back to where the first press took it, pressing at
    least presses times and at most twice that and ten more (a date field or a document's
    viewer takes a press for each of its parts). Returns the stops, the first one's second
    turn last, and whether it came."""
    page.evaluate(RECORD)
    batch, pressed = presses, 0
    while pressed < 2 * presses + 10:
        for _ in range(batch):
            page.keyboard.press(key)
        pressed += batch
        stops = [Stop(**stop) for stop in page.evaluate("() => window.__focusLog")]
        again = [i for i, stop in enumerate(stops) if i and stop.kb == stops[0].kb]
        if again:
            return stops[: again[0] + 1], True
        batch = 5
    return stops, False


def viewers_loaded(page) -> bool:
    """Whether each PDF shown in a frame is loaded in Chromium's viewer (a page of its own,
    whose pdf-viewer element says so; until then it passes the focus back and forth)."""
    pdfs = page.locator("iframe[src*='.pdf']").count()
    viewers = [f for f in page.frames if f.url.startswith("chrome-extension://")]
    return sum(map(viewer_loaded, viewers)) >= pdfs


def viewer_loaded(frame) -> bool:
    """Whether this frame of Chromium's PDF viewer has loaded its document."""
    try:
        return bool(frame.evaluate(VIEWER_LOADED))
    except PlaywrightError:  # the viewer's page is still being set up
        return False


def tab_through(page) -> Walk:
    """Tab from the top of a freshly loaded page through it, out of it (to the browser's own
    controls), and into it again, once the page's PDFs are loaded."""
    # Chromium's viewer took over 5 s to load a sealed agreement once, with the other
    # worker's browser busy (CI): until it has, the focus goes into its frame and back.
    deadline = time.monotonic() + VIEWER_WAIT_S
    while not viewers_loaded(page) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    listed = page.evaluate(FOCUSABLE)
    stops, wrapped = press_until_round(page, "Tab", listed + 2)
    return Walk(listed=listed, stops=stops, wrapped=wrapped)


def shift_tab_back(page, walk: Walk) -> list[Stop]:
    """From the page's last element, Shift+Tab back round to it."""
    page.locator(f"[data-kb='{walk.listed - 1}']").focus()
    stops, _ = press_until_round(page, "Shift+Tab", walk.listed + 1)
    return stops


def disorder(stops: list[Stop]) -> list[str]:
    """Each step of the walk that goes against the reading order: back from the footer or
    the main content to what stands above it, right to left along one line, or up the page
    other than to the top of a column on the right."""
    found = []
    for before, after in pairwise(stops):
        step = f"{before} → {after}"
        if REGIONS.index(after.region) < REGIONS.index(before.region):
            found.append(f"{step}: back from {before.region} to {after.region}")
        elif after.top < before.bottom - TOLERANCE and after.bottom > before.top + TOLERANCE:
            if after.left < before.left - TOLERANCE:
                found.append(f"{step}: right to left along a line")
        elif after.top < before.top and after.left < before.right - TOLERANCE:
            found.append(f"{step}: up the page and to the left")
    return found


def problems(page, walk: Walk) -> list[str]:
    """Everything wrong with a walk: no way past the end, elements it missed, reached
    unlisted or reached twice, unnamed stops, stops without a focus ring, and steps out of
    reading order."""
    stops = walk.page_stops
    found = [] if walk.wrapped else ["Tab did not come round to the top: a trap or a gap"]
    missed = set(map(str, range(walk.listed))) - {stop.kb for stop in stops}
    found += [f"never reached: {outer_html(page, kb)}" for kb in sorted(missed, key=int)]
    found += [f"reached but not listed: {stop}" for stop in stops if stop.kb is None]
    kbs = [stop.kb for stop in stops if stop.kb not in (None, "frame")]
    found += [f"reached twice: {outer_html(page, kb)}" for kb in set(kbs) if kbs.count(kb) > 1]
    found += [f"no accessible name: {stop}" for stop in stops if not stop.name]
    found += [f"no focus ring: {stop}" for stop in stops if stop.ring is False]
    return found + disorder(stops)


def retraces(page, walk: Walk) -> bool:
    """Whether Shift+Tab from the page's last element goes back the way Tab came."""
    back = [stop.kb for stop in shift_tab_back(page, walk)]
    forth = [stop.kb for stop in walk.page_stops]
    return back[: len(forth) - 1] == forth[-2::-1]


def outer_html(page, kb: str) -> str:
    """The start of a listed element's markup, to say which one it is."""
    return page.locator(f"[data-kb='{kb}']").evaluate("e => e.outerHTML.slice(0, 160)")
