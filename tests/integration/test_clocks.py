"""Each state's clock on a real case, before and after the sweep; and the pages that name it.

The cases are driven by the real operations from T0 (Mon 11 May 2026, 09:00 in China), each
step a minute later: registered, accepted, agreed, effective and sent to court that morning,
with the agreement to be performed by 10 June.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from mediation.cases.sla import sweep
from mediation.models import Case
from tests.factories import end_of_day, gen_case, gen_visit, reload
from tests.pages import text
from workflows import STATES
from workflows.deadlines import china_time

SECOND = timedelta(seconds=1)

# state → (the clock that runs, its last day, the clock after the sweep past that day and
# whether the case is then overdue), or None when no clock runs.
TABLE: dict[str, tuple[str, date, str, bool] | None] = {
    # Three working days after Mon 11 May.
    "intake": ("intake", date(2026, 5, 14), "intake", True),
    # Past the grid's seven days the sweep escalates: the whole-mediation clock runs.
    "grid_mediation": ("grid", date(2026, 5, 18), "mediation", False),
    "street_mediation": ("mediation", date(2026, 6, 10), "mediation", True),
    "agreement_drafted": ("mediation", date(2026, 6, 10), "mediation", True),
    # The window closes on 10 June; the visit clock (to 25 June) takes over, in time.
    "agreement_effective": ("confirmation_window", date(2026, 6, 10), "visit", False),
    "confirmation_requested": ("court_acceptance", date(2026, 5, 14), "court_acceptance", True),
    "confirmation_accepted": ("court_review", date(2026, 5, 26), "court_review", True),
    "confirmed": ("visit", date(2026, 6, 25), "visit", True),
    "confirmation_rejected": None,
    "mediation_failed": None,
    "withdrawn": None,
    "declined": None,
    "closed": None,
}


def test_the_table_covers_every_state():
    """No state is left out."""
    assert set(TABLE) == {state.name for state in STATES}


def clock_of(case: Case) -> tuple:
    """What the case row says of its clock."""
    case = reload(case)
    return case.clock, case.deadline_at, case.overdue


@pytest.mark.parametrize("state", list(TABLE))
def test_each_state_runs_its_clock_before_and_after_the_sweep(state):
    """Entering the state starts its clock; a sweep just before its last moment changes
    nothing; a sweep just after flags the case, escalates it, or hands a closed window on."""
    case = gen_case(status=state)
    expected = TABLE[state]
    if expected is None:
        assert clock_of(case) == (None, None, False)
        sweep(now=datetime(2026, 12, 31, tzinfo=UTC))
        assert clock_of(case) == (None, None, False)
        return
    key, day, key_after, overdue_after = expected
    last = end_of_day(day)
    assert clock_of(case) == (key, last, False)
    sweep(now=last - SECOND)
    assert clock_of(case) == (key, last, False)
    assert reload(case).status == state
    sweep(now=last + SECOND)
    after_key, after_deadline, after_overdue = clock_of(case)
    assert (after_key, after_overdue) == (key_after, overdue_after)
    assert (after_deadline == last) == (key_after == key)


def test_a_confirmed_case_past_its_old_mediation_deadline_is_not_overdue(login):
    """司法确认有效 with the 调解期限 long past: the page names the 回访期限 with days left, and
    neither the admin's 已超期 tile nor the overdue filter counts the case."""
    month_ago = datetime.now(UTC) - timedelta(days=35)
    case = gen_case(status="confirmed", now=month_ago)
    assert case.mediation_deadline_at < datetime.now(UTC) < case.deadline_at
    sweep()
    assert reload(case).overdue is False
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    deadlines = page[page.index('data-testid="deadlines"') :]
    deadlines = deadlines[: deadlines.index("</div>")]
    assert "回访期限" in deadlines and "调解期限" not in deadlines
    assert re.search(r"还剩\d+天", deadlines) and "已超期" not in deadlines
    home = text(login("admin_demo").get("/"))
    tile = home[home.index('data-testid="count-overdue"') :]
    assert re.search(r"已超期</div>\s*<div[^>]*>0</div>", tile)
    listed = text(login("admin_demo").get("/cases/?overdue=true"))
    assert f'data-case-id="{case.id}"' not in listed


def test_a_case_page_names_an_overdue_clock_with_its_year_and_days_over(login):
    """A registered case not accepted within three working days: 受理期限, the date with the
    year, 已超期N天, and the admin's tile counts it."""
    case = gen_case(status="intake", now=datetime.now(UTC) - timedelta(days=20))
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    deadlines = page[page.index('data-testid="deadlines"') :]
    deadlines = deadlines[: deadlines.index("</div>")]
    last = reload(case).deadline_at
    assert last < datetime.now(UTC)
    assert "受理期限" in deadlines and china_time(last).date().isoformat() in deadlines
    assert re.search(r"已超期\d+天", deadlines) and 'data-clock="overdue"' in deadlines
    home = text(login("admin_demo").get("/"))
    tile = home[home.index('data-testid="count-overdue"') :]
    assert re.search(r"已超期</div>\s*<div[^>]*>1</div>", tile)


def test_a_visit_stops_the_clock_and_the_page_shows_none(login):
    """A confirmed case visited: no clock runs until it is closed."""
    case = gen_case(status="confirmed", now=datetime.now(UTC) - timedelta(days=60))
    sweep()
    assert reload(case).overdue is True
    gen_visit(case)
    assert clock_of(case) == (None, None, False)
    page = text(login("mediator_demo").get(f"/cases/{case.id}"))
    assert 'data-testid="deadlines"' not in page
