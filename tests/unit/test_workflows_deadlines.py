"""Deadlines in calendar or working days, with the 2026 holidays from chinese_calendar."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows import (
    TimeLimits,
    add_days,
    confirmation_deadline,
    court_acceptance_deadline,
    court_ruling_deadline,
    deadline,
    grid_deadline,
    is_workday,
    legal_date,
    mediation_deadline,
    visit_deadline,
)
from workflows.deadlines import CHINA_TZ

WORKING = TimeLimits(working_days=True)
CALENDAR = TimeLimits()
# Covers the years chinese_calendar knows and a few past its data (weekday fallback).
DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))


def test_chinese_calendar_knows_national_day_2026():
    """The facts the tests below rely on: 1-7 Oct off, Sun 20 Sep and Sat 10 Oct worked (调休)."""
    assert not any(is_workday(date(2026, 10, day)) for day in range(1, 8))
    assert is_workday(date(2026, 9, 20))
    assert is_workday(date(2026, 10, 10))
    assert not is_workday(date(2026, 10, 11))


def test_calendar_days_do_not_count_the_start_day():
    """One day after 29 September is 30 September."""
    assert add_days(date(2026, 9, 29), 1, working_days=False) == date(2026, 9, 30)
    assert add_days(date(2026, 9, 29), 7, working_days=False) == date(2026, 10, 6)


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    """Seven working days from 29 Sep 2026: 30 Sep, 8, 9, 10 (Sat, 调休), 12, 13, 14 Oct."""
    assert add_days(date(2026, 9, 29), 7, working_days=True) == date(2026, 10, 14)


def test_working_day_after_friday_is_monday():
    """An ordinary weekend is skipped."""
    assert add_days(date(2026, 3, 6), 1, working_days=True) == date(2026, 3, 9)


def test_zero_days_is_the_start_day():
    """No period, no move."""
    assert add_days(date(2026, 10, 3), 0, working_days=True) == date(2026, 10, 3)


def test_negative_days_are_refused():
    """Periods run forward."""
    with pytest.raises(ValueError):
        add_days(date(2026, 3, 1), -1, working_days=False)


def test_years_unknown_to_chinese_calendar_count_monday_to_friday():
    """2099 has no published holidays: Friday 2 Jan 2099 plus one working day is Monday."""
    assert add_days(date(2099, 1, 2), 1, working_days=True) == date(2099, 1, 5)


def test_deadline_is_the_end_of_the_last_day_in_the_start_timezone():
    """23:59:59 on the last day, same tzinfo as the start."""
    start = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA_TZ)
    assert deadline(start, 3, working_days=False) == datetime(
        2026, 3, 5, 23, 59, 59, tzinfo=CHINA_TZ
    )


def test_naive_start_gives_a_naive_deadline():
    """No timezone is invented."""
    assert deadline(datetime(2026, 3, 2, 9), 1, working_days=False).tzinfo is None


def test_holiday_rolls_the_last_day_only_when_asked():
    """A 30-day period ending on 3 Oct 2026 stays there unless roll_holiday is set."""
    start = datetime(2026, 9, 3, 10, tzinfo=CHINA_TZ)
    assert deadline(start, 30, working_days=False).date() == date(2026, 10, 3)
    assert deadline(start, 30, working_days=False, roll_holiday=True).date() == date(2026, 10, 8)


def test_grid_deadline_over_national_day_with_working_days():
    """Accepted 29 Sep 2026: seven working days end on 14 Oct."""
    accepted = datetime(2026, 9, 29, 10, tzinfo=CHINA_TZ)
    expected = datetime(2026, 10, 14, 23, 59, 59, tzinfo=CHINA_TZ)
    assert grid_deadline(accepted, WORKING) == expected


def test_grid_deadline_over_national_day_with_calendar_days():
    """The same case in a calendar-day city is overdue on 6 Oct, holiday or not."""
    accepted = datetime(2026, 9, 29, 10, tzinfo=CHINA_TZ)
    assert grid_deadline(accepted, CALENDAR).date() == date(2026, 10, 6)


def test_mediation_deadline_is_thirty_days_and_sixty_with_the_extension():
    """一般在一个月内调结, one extension of 30 days."""
    accepted = datetime(2026, 3, 2, 10, tzinfo=CHINA_TZ)
    assert mediation_deadline(accepted, CALENDAR).date() == date(2026, 4, 1)
    assert mediation_deadline(accepted, CALENDAR, extended=True).date() == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("effective_on", "last_day"),
    [
        (date(2026, 3, 2), date(2026, 4, 1)),  # an ordinary Wednesday
        (date(2026, 9, 3), date(2026, 10, 8)),  # 30th day 3 Oct, in 国庆
        (date(2026, 9, 7), date(2026, 10, 8)),  # 30th day 7 Oct, the last holiday
        (date(2026, 9, 10), date(2026, 10, 10)),  # 30th day a 调休 Saturday: a working day
        (date(2026, 9, 11), date(2026, 10, 12)),  # 30th day an ordinary Sunday
    ],
)
def test_confirmation_window_follows_article_85(effective_on, last_day):
    """30 days, start day not counted, a last day off work rolls to the next working day."""
    assert confirmation_deadline(effective_on, CALENDAR) == last_day


def test_confirmation_window_stays_in_calendar_days_in_a_working_day_city():
    """The statutory window ignores the city's working-day switch."""
    assert confirmation_deadline(date(2026, 3, 2), WORKING) == date(2026, 4, 1)


def test_court_deadlines_are_three_days_to_accept_and_fifteen_plus_ten_to_rule():
    """法释〔2011〕5号 Arts 4 and 5."""
    applied = datetime(2026, 3, 2, 10, tzinfo=CHINA_TZ)
    assert court_acceptance_deadline(applied, CALENDAR).date() == date(2026, 3, 5)
    assert court_ruling_deadline(applied, CALENDAR).date() == date(2026, 3, 17)
    assert court_ruling_deadline(applied, CALENDAR, extended=True).date() == date(2026, 3, 27)


def test_visit_is_due_fifteen_days_after_the_performance_deadline():
    """Local practice, configurable."""
    assert visit_deadline(date(2026, 3, 2), CALENDAR) == date(2026, 3, 17)


def test_legal_date_is_the_date_in_beijing():
    """17:00 UTC on 8 Oct is already 9 Oct in China; naive moments are UTC."""
    assert legal_date(datetime(2026, 10, 8, 17, tzinfo=UTC)) == date(2026, 10, 9)
    assert legal_date(datetime(2026, 10, 8, 17)) == date(2026, 10, 9)


def test_limits_read_from_environment_strings():
    """Values from os.environ are strings; missing keys keep their defaults."""
    limits = TimeLimits.from_mapping({"grid_days": "5", "working_days": "true", "PATH": "/bin"})
    assert limits.grid_days == 5
    assert limits.working_days is True
    assert limits.mediation_days == 30


@pytest.mark.parametrize(("raw", "expected"), [("0", False), ("off", False), ("Yes", True)])
def test_working_days_switch_reads_common_spellings(raw, expected):
    """1/0, yes/no, on/off, true/false, in any case."""
    assert TimeLimits.from_mapping({"working_days": raw}).working_days is expected


def test_limits_refuse_nonsense():
    """A bad switch or a negative period is a configuration error."""
    with pytest.raises(ValueError):
        TimeLimits.from_mapping({"working_days": "sometimes"})
    with pytest.raises(ValueError):
        TimeLimits.from_mapping({"grid_days": "-1"})


@given(DAYS, st.integers(0, 60), st.integers(0, 60), st.booleans())
def test_adding_more_days_never_ends_earlier(start, a, b, working):
    """add_days is monotone in the number of days."""
    low, high = sorted((a, b))
    assert add_days(start, low, working) <= add_days(start, high, working)


@given(DAYS, st.integers(1, 60))
def test_working_day_result_is_a_working_day_no_earlier_than_calendar(start, days):
    """n working days end on a working day, at least n calendar days on."""
    end = add_days(start, days, working_days=True)
    assert is_workday(end)
    assert end >= start + timedelta(days=days)


@given(DAYS)
def test_confirmation_window_ends_on_a_working_day_on_or_after_the_30th(effective_on):
    """Rolling only ever moves the last day forward, onto a working day."""
    last_day = confirmation_deadline(effective_on, CALENDAR)
    assert is_workday(last_day)
    assert last_day >= effective_on + timedelta(days=30)
