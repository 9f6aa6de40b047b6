"""The sign-in throttle: one budget of failed sign-ins per address and one per username,
shared by the login page and POST /api/v1/tokens.

LOGIN_RATE_LIMIT ("5 per minute;30 per hour") is the budget of each. Only wrong credentials
spend it; while either budget is spent, that address or username is refused before any
password is checked. The counters live in Flask-Limiter's storage (memory, or Redis when
RATELIMIT_STORAGE_URI says so, which every app host then shares) and follow its strategy.
"""

import hashlib
import math
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from mediation.extensions import limiter


def _budgets() -> list[RateLimitItem]:
    """The limits of LOGIN_RATE_LIMIT."""
    return parse_many(current_app.config["LOGIN_RATE_LIMIT"])


def _counters(username: str) -> list[tuple[str, ...]]:
    """The storage keys of this address's and this username's budgets.

    The username is hashed: keys stay short whatever is typed, and the storage holds no names.
    """
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    scope = (prefix, "sign-in") if prefix else ("sign-in",)
    name = hashlib.sha256((username or "").strip().encode()).hexdigest()
    return [
        (*scope, "address", get_remote_address() or "unknown"),
        (*scope, "username", name),
    ]


def _enabled() -> bool:
    """RATELIMIT_ENABLED switches this throttle off too."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def retry_after(username: str) -> int | None:
    """Seconds until this address and username may try again; None while both may."""
    if not _enabled():
        return None
    strategy = limiter.limiter
    resets = [
        strategy.get_window_stats(budget, *counter).reset_time
        for budget in _budgets()
        for counter in _counters(username)
        if not strategy.test(budget, *counter)
    ]
    if not resets:
        return None
    return max(1, math.ceil(max(resets) - time.time()))


def record_failure(username: str) -> None:
    """Spend one attempt of this address's budget and of this username's."""
    if not _enabled():
        return
    for budget in _budgets():
        for counter in _counters(username):
            limiter.limiter.hit(budget, *counter)
