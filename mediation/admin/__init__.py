"""Administration: users and their units."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from mediation.admin import views  # noqa: E402,F401
