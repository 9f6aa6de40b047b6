"""Operations on credentials: checking a password, changing it, ending sessions, API tokens."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mediation.auth import throttle
from mediation.errors import InvalidInput, NotAuthenticated
from mediation.extensions import db
from mediation.models import ApiToken, User

WRONG_CREDENTIALS = "用户名或密码不正确，或账号已停用。"


def authenticate(username: str, password: str) -> User:
    """The active user with this username and password.

    :raise NotAuthenticated (401): unknown user, wrong password or deactivated account.
    """
    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active or not user.check_password(password or ""):
        raise NotAuthenticated(WRONG_CREDENTIALS)
    return user


def confirm_password(user: User, password: str) -> None:
    """The signed-in user proves again that she is herself, before an act like sealing.

    Wrong passwords spend the sign-in budget of mediation.auth.throttle, as at the login.

    :raise InvalidInput (400): the password is wrong, or too many were wrong just now.
    """
    wait = throttle.retry_after(user.username)
    if wait is not None:
        raise InvalidInput(
            f"密码错误次数过多，请 {wait} 秒后再试。", {"password": f"请 {wait} 秒后再试"}
        )
    if not user.check_password(password or ""):
        throttle.record_failure(user.username)
        raise InvalidInput("密码不正确：请输入您本人的登录密码。", {"password": "密码不正确"})


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


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password when the current one is right.

    Whoever held the old password is shut out: every session signed in so far ends and every
    API token is revoked (the view keeps the browser that made the change signed in).

    :raise InvalidInput (400): the current password is wrong (field `current`).
    """
    if not user.check_password(current):
        message = _("当前密码不正确。")
        raise InvalidInput(message, {"current": message})
    user.set_password(new)
    end_sessions(user, revoke_tokens=True)
    db.session.commit()


def issue_token(user: User) -> tuple[str, ApiToken]:
    """Create and store an API token; returns the secret (shown once) and its row."""
    row, secret = ApiToken.issue(user, current_app.config["API_TOKEN_HOURS"])
    db.session.add(row)
    db.session.commit()
    return secret, row


def user_for_token(secret: str) -> User:
    """The active user a bearer token belongs to.

    :raise NotAuthenticated (401): the token is unknown or expired, or its user deactivated.
    """
    row = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.digest == ApiToken.digest_of(secret))
    )
    if row is None or row.is_expired() or not row.user.active:
        raise NotAuthenticated("缺少有效的访问令牌，或令牌已过期。")
    return row.user


def set_large_text(user: User, on: bool) -> None:
    """Turn the user's large-text mode (大字模式) on or off; every page follows it."""
    user.large_text = on
    db.session.commit()
