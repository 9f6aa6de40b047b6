"""Security headers with a per-request CSP nonce, sessions that sign-out can end, and the
login manager's settings."""

import secrets

from flask import g, request, session
from flask_babel import lazy_gettext
from flask_login import login_user

from mediation.extensions import db, login_manager

# The session key that holds the user's session_generation as it was at sign-in.
GENERATION_KEY = "_generation"


def csp_nonce() -> str:
    """The nonce for this response's inline scripts and styles."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def set_security_headers(response):
    """Add CSP, framing, sniffing and referrer headers to every response.

    A view that shows a diagram drawn in the browser sets g.csp_relax_style: the drawing
    library writes inline styles, so that page's style-src allows them (a nonce in the same
    directive would make browsers ignore 'unsafe-inline'). Scripts stay strict everywhere.
    A PDF may be framed by our own pages (the judge's case page shows the sealed agreement
    inline); nothing else may be framed.
    """
    nonce = csp_nonce()
    framed = response.mimetype == "application/pdf"
    ancestors = "'self'" if framed else "'none'"
    style_src = (
        "'self' 'unsafe-inline'" if g.pop("csp_relax_style", False) else f"'self' 'nonce-{nonce}'"
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src {style_src}; "
        "img-src 'self' data:; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; "
        f"frame-ancestors {ancestors}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if not is_static_file():
        # Pages and API answers carry names, ID numbers and case facts: no browser or proxy
        # may keep a copy (the back button or a shared computer would show it again).
        response.headers["Cache-Control"] = "no-store"
    return response


def is_static_file() -> bool:
    """True for the app's and its extensions' static files (CSS, scripts, icons)."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def start_session(user) -> None:
    """Sign the user in on this browser, tied to her current session generation."""
    login_user(user)
    remember_generation(user)


def remember_generation(user) -> None:
    """Keep this browser signed in after the user's generation moved (her password change)."""
    session[GENERATION_KEY] = user.session_generation


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login's loader: the user, or None when the id is unknown or the session was ended.

    A session cookie stays valid as long as its signature does, so signing out cannot revoke
    copies of it; a session whose generation is older than the user's is treated as signed out.
    """
    from mediation.models import User

    user = db.session.get(User, int(user_id))
    if user is None or session.get(GENERATION_KEY) != user.session_generation:
        return None
    return user


def init_app(app) -> None:
    """Wire headers, the nonce for templates and the login settings."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
