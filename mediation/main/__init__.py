"""The signed-in user's home page."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from mediation.main import views  # noqa: E402,F401
