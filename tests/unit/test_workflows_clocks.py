"""The clock of each state: its name, its deadline, and whether the case is overdue just before
and just after it (workflows.clocks, with the default limits and 2026's holidays)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from workflows import STATES, TERMINAL_STATES, TimeLimits
from workflows.clocks import (
    CLOCK_BY_KEY,
    CLOCKS,
    DEADLINES,
    STATE_CLOCKS,
    ClockFacts,
    countdown,
    running_clock,
)
from workflows.deadlines import CHINA_TZ

SECOND = timedelta(seconds=1)
LIMITS = TimeLimits()


def china(*parts: int) -> datetime:
    """A moment on China's clock."""
    return datetime(*parts, tzinfo=CHINA_TZ)


def last_second(day: date) -> datetime:
    """Where every deadline ends: 23:59:59 in China."""
    return china(day.year, day.month, day.day, 23, 59, 59)


# One case's life in 2026, told as the facts a clock is computed from. Registered Mon 11 May;
# accepted then (grid clock to 18 May, whole mediation to 10 June); agreement effective
# Wed 20 May, to be performed by 30 June; applied to the court Mon 25 May, accepted Wed 27 May.
FACTS = ClockFacts(
    registered_at=china(2026, 5, 11, 9),
    grid_deadline_at=last_second(date(2026, 5, 18)),
    mediation_deadline_at=last_second(date(2026, 6, 10)),
    effective_on=date(2026, 5, 20),
    performance_deadline=date(2026, 6, 30),
    applied_at=china(2026, 5, 25, 10),
    court_accepted_at=china(2026, 5, 27, 10),
)

# state → (the clock that runs, its last day), or None when no clock runs.
TABLE: dict[str, tuple[str, date] | None] = {
    # Three working days after Mon 11 May: Tue, Wed, Thu.
    "intake": ("intake", date(2026, 5, 14)),
    "grid_mediation": ("grid", date(2026, 5, 18)),
    "street_mediation": ("mediation", date(2026, 6, 10)),
    "agreement_drafted": ("mediation", date(2026, 6, 10)),
    # 30 days from 20 May end on Fri 19 June, 端午节: the last day moves to Mon 22 June.
    "agreement_effective": ("confirmation_window", date(2026, 6, 22)),
    "confirmation_requested": ("court_acceptance", date(2026, 5, 28)),
    "confirmation_accepted": ("court_review", date(2026, 6, 11)),
    # 15 days after the performance deadline of 30 June.
    "confirmed": ("visit", date(2026, 7, 15)),
    "confirmation_rejected": None,
    "mediation_failed": None,
    "withdrawn": None,
    "declined": None,
    "closed": None,
}


def test_the_table_covers_every_state():
    """Every state is in the table, and the machine's clocks run only in open states."""
    assert set(TABLE) == {state.name for state in STATES}
    assert set(STATE_CLOCKS) <= {state.name for state in STATES} - TERMINAL_STATES
    assert {key for keys in STATE_CLOCKS.values() for key in keys} <= set(DEADLINES)
    assert set(DEADLINES) <= set(CLOCK_BY_KEY)


def test_every_clock_has_a_chinese_and_an_english_name():
    """The names the pages show, one per clock."""
    assert [clock.label for clock in CLOCKS] == [
        "受理期限",
        "网格调处期限",
        "调解期限",
        "申请司法确认期限",
        "回访期限",
        "法院受理审查期限",
        "审查期限",
        "审查期限（已延长）",
    ]
    assert all(clock.label_en for clock in CLOCKS)


@pytest.mark.parametrize("state", list(TABLE))
def test_each_state_runs_its_clock_and_is_overdue_only_after_its_last_day(state):
    """One second before the last moment the clock runs and the case is in time; one second
    after, the case is overdue (or, for a window, the next clock runs)."""
    expected = TABLE[state]
    if expected is None:
        for moment in (china(2026, 5, 11, 10), china(2026, 12, 31, 12)):
            assert running_clock(state, FACTS, LIMITS, moment) is None
        return
    key, day = expected
    last = last_second(day)
    before = running_clock(state, FACTS, LIMITS, last - SECOND)
    assert (before.key, before.deadline_at, before.overdue(last - SECOND)) == (key, last, False)
    after = running_clock(state, FACTS, LIMITS, last + SECOND)
    if CLOCK_BY_KEY[key].lapses:
        assert (after.key, after.overdue(last + SECOND)) == ("visit", False)
    else:
        assert (after.key, after.deadline_at, after.overdue(last + SECOND)) == (key, last, True)


def test_the_window_hands_on_to_the_visit_clock_which_can_be_overdue():
    """After the confirmation window the visit clock runs, and is late after 15 July."""
    late = last_second(date(2026, 7, 15)) + SECOND
    clock = running_clock("agreement_effective", FACTS, LIMITS, late)
    assert (clock.key, clock.deadline_at, clock.overdue(late)) == (
        "visit",
        last_second(date(2026, 7, 15)),
        True,
    )


def test_a_recorded_visit_stops_the_visit_clock():
    """Once the performance is recorded at a visit there is nothing left to be late for."""
    visited = ClockFacts(**{**FACTS.__dict__, "visited": True})
    assert running_clock("confirmed", visited, LIMITS, china(2026, 8, 1)) is None
    assert running_clock("agreement_effective", visited, LIMITS, china(2026, 7, 1)) is None
    window = running_clock("agreement_effective", visited, LIMITS, china(2026, 6, 1))
    assert window.key == "confirmation_window"


def test_the_extended_review_is_named_and_ends_ten_days_later():
    """审查期限（已延长）: 25 days after acceptance on 27 May."""
    extended = ClockFacts(**{**FACTS.__dict__, "review_extended": True})
    clock = running_clock("confirmation_accepted", extended, LIMITS, china(2026, 6, 12))
    assert clock.key == "court_review_extended"
    assert clock.clock.label == "审查期限（已延长）"
    assert clock.deadline_at == last_second(date(2026, 6, 21))
    assert not clock.overdue(china(2026, 6, 12))


def test_intake_counts_working_days_over_national_day():
    """Registered Wed 30 Sep: 8, 9 and 10 Oct (a Saturday worked, 调休) are the three days."""
    facts = ClockFacts(registered_at=china(2026, 9, 30, 10))
    clock = running_clock("intake", facts, LIMITS, china(2026, 9, 30, 11))
    assert clock.deadline_at == last_second(date(2026, 10, 10))


def test_intake_days_are_a_setting():
    """Five calendar days when the city says so."""
    limits = TimeLimits(intake_days=5, intake_working_days=False)
    facts = ClockFacts(registered_at=china(2026, 9, 30, 10))
    clock = running_clock("intake", facts, limits, china(2026, 9, 30, 11))
    assert clock.deadline_at == last_second(date(2026, 10, 5))


def test_a_registration_late_at_night_in_utc_counts_from_chinas_day():
    """20:00 UTC on Sun 10 May is Mon 11 May 04:00 in China: the days count from Monday."""
    facts = ClockFacts(registered_at=datetime(2026, 5, 10, 20, tzinfo=UTC))
    clock = running_clock("intake", facts, LIMITS, china(2026, 5, 11, 5))
    assert clock.deadline_at == last_second(date(2026, 5, 14))


def test_a_clock_not_started_does_not_run():
    """A mediation state without its deadline fixed yet runs no clock."""
    assert running_clock("street_mediation", ClockFacts(), LIMITS, china(2026, 5, 11)) is None


@pytest.mark.parametrize(
    ("now", "days_left", "overdue", "days_over"),
    [
        (china(2026, 5, 12, 8), 2, False, 0),
        (china(2026, 5, 14, 23, 59), 0, False, 0),
        (china(2026, 5, 15, 0, 0, 1), -1, True, 1),
        (china(2026, 5, 18, 12), -4, True, 4),
    ],
)
def test_countdown_counts_china_calendar_days(now, days_left, overdue, days_over):
    """Days left to the last day, by the calendar in China; past it, days over."""
    shown = countdown("intake", last_second(date(2026, 5, 14)), now)
    assert (shown.days_left, shown.overdue, shown.days_over) == (days_left, overdue, days_over)
    assert shown.clock.label == "受理期限"


def test_no_countdown_without_a_clock():
    """A case with no running clock shows none."""
    assert countdown(None, None, china(2026, 5, 11)) is None


def test_a_window_past_its_last_day_has_lapsed_and_is_not_overdue():
    """The 30-day window to apply for judicial confirmation, seen after its last day and
    before the sweep hands on to the visit clock: closed (已届满), nothing is late."""
    before = countdown("confirmation_window", last_second(date(2026, 5, 14)), china(2026, 5, 14))
    assert (before.lapsed, before.overdue) == (False, False)
    shown = countdown("confirmation_window", last_second(date(2026, 5, 14)), china(2026, 5, 16))
    assert (shown.days_left, shown.lapsed, shown.overdue) == (-2, True, False)
    late = countdown("visit", last_second(date(2026, 5, 14)), china(2026, 5, 16))
    assert (late.lapsed, late.overdue) == (False, True)
