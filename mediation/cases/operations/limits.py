"""The city's time limits, from settings."""

from flask import current_app

from workflows import TimeLimits


def time_limits() -> TimeLimits:
    """The city's time limits, from settings."""
    return TimeLimits.from_mapping(current_app.config["TIME_LIMITS"])
