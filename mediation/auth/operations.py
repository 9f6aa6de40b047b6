"""Operations on credentials: checking a password, changing it, issuing API tokens."""

import sqlalchemy as sa
from flask import current_app

from mediation.extensions import db
from mediation.models import ApiToken, User


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, else None."""
    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password when the current one is right; False otherwise."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    db.session.commit()
    return True


def issue_token(user: User) -> tuple[str, ApiToken]:
    """Create and store an API token; returns the secret (shown once) and its row."""
    row, secret = ApiToken.issue(user, current_app.config["API_TOKEN_HOURS"])
    db.session.add(row)
    db.session.commit()
    return secret, row


def user_for_token(secret: str) -> User | None:
    """The active user a bearer token belongs to, or None if unknown or expired."""
    row = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.digest == ApiToken.digest_of(secret))
    )
    if row is None or row.is_expired() or not row.user.active:
        return None
    return row.user
