"""Cases: intake, lists, the case page, transitions, sessions, visits, signatures, the SLA sweep."""

from flask import Blueprint

bp = Blueprint("cases", __name__)

from mediation.cases import views  # noqa: E402,F401
