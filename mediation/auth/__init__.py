"""Sign-in, sign-out and the user's own password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from mediation.auth import views  # noqa: E402,F401
