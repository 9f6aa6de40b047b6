"""Operations on credentials: checking a password, changing it, ending sessions, API tokens."""

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


def end_sessions(user: User, *, revoke_tokens: bool) -> None:
    """End every session the user has signed in so far, and her API tokens if asked.

    Adds to the caller's transaction; the caller commits. The increment is done in SQL so
    that two sign-outs at once both count.
    """
    user.session_generation = User.session_generation + 1
    if revoke_tokens:
        db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))


def sign_out(user: User) -> None:
    """End the user's sessions on every browser; her API tokens stay valid."""
    end_sessions(user, revoke_tokens=False)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password when the current one is right; False otherwise.

    Whoever held the old password is shut out: every session signed in so far ends and every
    API token is revoked (the view keeps the browser that made the change signed in).
    """
    if not user.check_password(current):
        return False
    user.set_password(new)
    end_sessions(user, revoke_tokens=True)
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
