"""Time limits and deadline arithmetic (DESIGN §3)."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta, timezone

import chinese_calendar

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
_END_OF_DAY = time(23, 59, 59)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class TimeLimits:
    """The configurable clocks of a city, in days.

    working_days makes every clock but the statutory confirmation window count working days;
    the intake clock has its own switch, as registered disputes are answered in working days
    (受理期限: 3 working days by default).
    """

    intake_days: int = 3
    intake_working_days: bool = True
    grid_days: int = 7
    mediation_days: int = 30
    extension_days: int = 30
    confirmation_days: int = 30
    court_acceptance_days: int = 3
    court_ruling_days: int = 15
    court_ruling_extension_days: int = 10
    visit_days: int = 15
    working_days: bool = False

    def __post_init__(self):
        """Refuse negative day counts."""
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type is int and value < 0:
                raise ValueError(f"{field.name} must not be negative: {value}")

    @classmethod
    def from_mapping(cls, m: Mapping) -> "TimeLimits":
        """Build limits from settings or os.environ-style strings; missing keys keep defaults."""
        values = {}
        for field in fields(cls):
            if field.name not in m:
                continue
            raw = m[field.name]
            if field.type is bool:
                values[field.name] = _parse_bool(field.name, raw)
            else:
                values[field.name] = int(raw)
        return cls(**values)


def _parse_bool(name: str, raw) -> bool:
    """Read a boolean given as a bool or as an environment string."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean, got {raw!r}")


def is_workday(day: date) -> bool:
    """Whether day is a working day in mainland China, 调休 make-up days included."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # chinese_calendar only knows the years the State Council has published (up to 2026 in
        # 1.11.0); for other years we can only count Monday to Friday, holidays unknown.
        return day.weekday() < 5


def add_days(start: date, days: int, working_days: bool) -> date:
    """Return the day `days` calendar or working days after start; start itself is not counted."""
    if days < 0:
        raise ValueError(f"days must not be negative: {days}")
    if not working_days:
        return start + timedelta(days=days)
    day = start
    while days:
        day += timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


def next_workday(day: date) -> date:
    """Return day itself if it is a working day, otherwise the first working day after it."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def deadline(
    start: datetime, days: int, working_days: bool, roll_holiday: bool = False
) -> datetime:
    """Return the last moment (23:59:59, start's tzinfo) of the period of `days` after start."""
    last = add_days(start.date(), days, working_days)
    if roll_holiday:
        last = next_workday(last)
    return datetime.combine(last, _END_OF_DAY, tzinfo=start.tzinfo)


def end_of_day(day: date) -> datetime:
    """The last second of a day in China."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=CHINA_TZ)


def as_aware(moment: datetime) -> datetime:
    """Return moment with a tzinfo; a naive moment is taken as UTC, as the database stores it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def china_time(moment: datetime) -> datetime:
    """The same moment on China's clock, so that deadlines end at midnight in China."""
    return moment.astimezone(CHINA_TZ)


def legal_date(moment: datetime) -> date:
    """Return the calendar date in China at moment."""
    return as_aware(moment).astimezone(CHINA_TZ).date()


def grid_deadline(accepted_at: datetime, limits: TimeLimits) -> datetime:
    """When a grid case is overdue and escalates by itself."""
    return deadline(accepted_at, limits.grid_days, limits.working_days)


def mediation_deadline(
    accepted_at: datetime, limits: TimeLimits, extended: bool = False
) -> datetime:
    """When the whole mediation should be concluded, with the one agreed extension if granted."""
    days = limits.mediation_days + (limits.extension_days if extended else 0)
    return deadline(accepted_at, days, limits.working_days)


def confirmation_deadline(effective_on: date, limits: TimeLimits) -> date:
    """Last day to apply for judicial confirmation (民事诉讼法 Arts 205, 85)."""
    # A statutory period: always calendar days whatever the city's setting, and a last day on
    # a 法定休假日 moves to the next working day. chinese_calendar counts weekends as rest
    # days too, which matches the courts' reading of 法定休假日 as including 双休日.
    return next_workday(add_days(effective_on, limits.confirmation_days, working_days=False))


def court_acceptance_deadline(applied_at: datetime, limits: TimeLimits) -> datetime:
    """When the court should have decided whether to accept (法释〔2011〕5号 Art 4)."""
    return deadline(applied_at, limits.court_acceptance_days, limits.working_days)


def court_ruling_deadline(
    accepted_at: datetime, limits: TimeLimits, extended: bool = False
) -> datetime:
    """When the court should have ruled, with the approved extension if any (Art 5)."""
    days = limits.court_ruling_days + (limits.court_ruling_extension_days if extended else 0)
    return deadline(accepted_at, days, limits.working_days)


def visit_deadline(performance_deadline: date, limits: TimeLimits) -> date:
    """Last day for the follow-up visit after the performance deadline."""
    return add_days(performance_deadline, limits.visit_days, limits.working_days)
