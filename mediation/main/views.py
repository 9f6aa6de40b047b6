"""Views: the home page of each role."""

from flask import render_template, request
from flask_login import current_user, login_required

from mediation.access import policy
from mediation.cases.queries import overview
from mediation.cases.queue import committee_summary, work_queue
from mediation.court.queries import workbench as court_workbench
from mediation.main import bp
from workflows import STATES


@bp.route("/")
@login_required
def home():
    """The user's workbench: her work queue grouped by what she must do next (the admin: an
    overview; the judge: her court's workbench); a street officer also sees her committees."""
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
        queue=work_queue(current_user, request.args),
        committees=committee_summary(current_user)
        if policy.can_view_statistics(current_user)
        else None,
    )
