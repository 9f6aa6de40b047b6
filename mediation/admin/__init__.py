"""Administration: users and their units, the regions and committees of the map."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from mediation.admin import map_views, views  # noqa: E402,F401
