"""The JSON API (v1) at /api/v1, documented by flask-smorest at /api/v1/openapi.json."""

from flask import g, request
from flask_smorest import Blueprint

from mediation.api.errors import ErrorResponses, api_error
from mediation.auth.operations import user_for_token
from mediation.errors import NotAuthenticated
from mediation.extensions import api, csrf
from mediation.inputs import RequestParser

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="调解通 JSON API")
# JSON bodies go through request.get_json, whose parser refuses hostile input (mediation.inputs).
bp.ARGUMENTS_PARSER = RequestParser()
# A request that does not fit its schema answers 400 (422 means a guard refused); say so.
bp.ARGUMENTS_PARSER.DEFAULT_VALIDATION_STATUS = 400

PUBLIC_ENDPOINTS = {"api.create_token", "api.verify_copy"}


def bearer_user():
    """The owner of the request's bearer token.

    :raise NotAuthenticated: no token, or one that is unknown, expired or revoked.
    """
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("缺少有效的访问令牌，或令牌已过期。")
    return user_for_token(secret.strip())


@bp.before_request
def require_bearer_token():
    """Every call but token creation needs `Authorization: Bearer <token>`; cookies never count."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    try:
        user = bearer_user()
    except NotAuthenticated as refusal:
        return api_error(401, "unauthorized", refusal.message)
    # Flask-Login keeps the request's user in g._login_user; setting it here makes
    # current_user the token's owner without touching the session cookie.
    g._login_user = user
    return None


def init_api(app) -> None:
    """Register the API blueprint; it takes bearer tokens, so CSRF does not apply."""
    from mediation.api import cases, codes, court, documents, regions, reports, tokens  # noqa: F401

    api.init_app(app, spec_kwargs={"extra_plugins": [ErrorResponses()]})
    csrf.exempt(bp)
    api.register_blueprint(bp)
