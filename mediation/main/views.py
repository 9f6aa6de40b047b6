"""Views: the home page of each role."""

from flask import render_template
from flask_login import current_user, login_required

from mediation.main import bp


@bp.route("/")
@login_required
def home():
    """The user's workbench: what her role does and where to start."""
    return render_template("main/home.html", role=current_user.role)
