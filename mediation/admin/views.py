"""Views: the user list, create and edit a user, deactivate."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.access import policy
from mediation.access.permissions import allowed_if
from mediation.admin import bp
from mediation.admin.forms import UserForm
from mediation.admin.operations import (
    save_user,
    set_active,
    unit_choices,
    unit_value,
)
from mediation.admin.queries import UserFilters, page_number, search_users
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.i18n import choices_of, in_english
from mediation.models import User
from workflows import TRANSITIONS, mermaid
from workflows.states import ROLES


@bp.route("/users")
@allowed_if(policy.can_administer)
def users():
    """The accounts, by role: searched by name, filtered by role and unit, paged."""
    filters = UserFilters.from_args(request.args)
    return render_template(
        "admin/users.html",
        result=search_users(filters, page_number(request.args.get("page"))),
        filters=filters,
        roles=choices_of("roles", ROLES),
        units=unit_choices(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@allowed_if(policy.can_administer)
def new_user():
    """Create an account."""
    return edit_form(None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allowed_if(policy.can_administer)
def edit_user(user_id: int):
    """Change an account's name, role, unit, password or status."""
    return edit_form(db.get_or_404(User, user_id))


def edit_form(user: User | None):
    """Show the user form and save it when valid."""
    form = UserForm(obj=user)
    form.unit.choices = unit_choices()
    if user is not None and not form.is_submitted():
        form.unit.data = unit_value(user)
    if form.validate_on_submit():
        try:
            saved = save_user(user, form.data, current_user)
        except InvalidInput as refusal:
            for field, message in refusal.fields.items():
                form[field].errors.append(message)
        else:
            flash(_("已保存用户 %(name)s。", name=saved.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@allowed_if(policy.can_administer)
def toggle_active(user_id: int):
    """Deactivate an account, or activate it again."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(400)
    set_active(user, not user.active)
    message = _("已启用 %(name)s。") if user.active else _("已停用 %(name)s。")
    flash(message % {"name": user.username}, "success")
    return redirect(url_for("admin.users"))


@bp.route("/workflow")
@allowed_if(policy.can_administer)
def workflow():
    """流程图: the case state machine drawn from its transition table."""
    # Mermaid writes <style> into the SVG it draws, which a nonce cannot cover.
    g.csp_relax_style = True
    return render_template(
        "admin/workflow.html",
        source=mermaid(english=in_english()),
        transitions=TRANSITIONS,
    )
