"""The court's pages: the judge's workbench, her case page and her decisions."""

from flask import Blueprint

bp = Blueprint("court", __name__)

from mediation.court import views  # noqa: E402,F401
