"""Views: the home page of each role."""

from flask import render_template, request
from flask_login import current_user, login_required

from mediation.access import policy
from mediation.cases.queries import my_work, overview
from mediation.court.queries import workbench as court_workbench
from mediation.main import bp
from workflows import STATES


@bp.route("/")
@login_required
def home():
    """The user's workbench: her work queue, soonest deadline first (the admin: an overview)."""
    if policy.can_administer(current_user):
        return render_template(
            "main/home.html", role="admin", counts=overview(current_user), states=STATES
        )
    if policy.can_decide(current_user):
        return render_template(
            "main/home.html", role="judge", workbench=court_workbench(current_user, request.args)
        )
    return render_template(
        "main/home.html",
        role=current_user.role,
        queue=my_work(current_user),
    )
