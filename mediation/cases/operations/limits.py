"""The clocks: the city's time limits and China's calendar day."""

from datetime import date, datetime

from flask import current_app

from workflows import TimeLimits
from workflows.deadlines import end_of_day


def time_limits() -> TimeLimits:
    """The city's time limits, from settings."""
    return TimeLimits.from_mapping(current_app.config["TIME_LIMITS"])


def end_of(day: date | None) -> datetime | None:
    """The last second of a day in China (None for no day)."""
    return end_of_day(day) if day else None
