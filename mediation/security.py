"""Security headers with a per-request CSP nonce, and the login manager's settings."""

import secrets

from flask import g
from flask_babel import lazy_gettext

from mediation.extensions import db, login_manager


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
    """
    nonce = csp_nonce()
    style_src = (
        "'self' 'unsafe-inline'" if g.pop("csp_relax_style", False) else f"'self' 'nonce-{nonce}'"
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src {style_src}; "
        "img-src 'self' data:; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login's loader: the user, or None when the id is unknown."""
    from mediation.models import User

    return db.session.get(User, int(user_id))


def init_app(app) -> None:
    """Wire headers, the nonce for templates and the login settings."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
