"""Views of the city's map: the region and committee tree, add a grid or a committee, rename."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.access import policy
from mediation.access.permissions import allowed_if
from mediation.access.scoping import can_see_region, region_by_code
from mediation.admin import bp
from mediation.admin.forms import CommitteeForm, CommitteeNameForm, GridForm, RegionNameForm
from mediation.admin.regions import (
    add_committee,
    add_grid,
    map_tree,
    recent_events,
    region_choices,
    rename_committee,
    rename_region,
)
from mediation.errors import InvalidInput
from mediation.extensions import db
from mediation.models import Committee


@bp.route("/regions")
@allowed_if(policy.can_manage_map)
def regions():
    """The regions and committees of the admin's jurisdiction, opened down to ?open=<code>
    (404 outside it), and the latest changes."""
    code = request.args.get("open")
    opened = (region_by_code(current_user, code) or abort(404)) if code else None
    return render_template(
        "admin/regions.html",
        tree=map_tree(current_user, opened),
        opened=opened,
        events=recent_events(current_user),
        map_actions={
            "grid_added": _("添加网格"),
            "committee_added": _("添加调委会"),
            "region_renamed": _("区域改名"),
            "committee_renamed": _("调委会改名"),
        },
    )


def tree_at(code: str | None) -> str:
    """The tree page opened down to the region of this code (None: the top)."""
    if not code:
        return url_for("admin.regions")
    return url_for("admin.regions", open=code, _anchor=f"r-{code}")


def saved_or_form(form, save, template: str, place: str | None = None, **context):
    """Run save(form.data) on a valid post, which returns (message, the code of the region to
    show): flash the message and go back to the tree opened there; else (or when refused, the
    messages on their fields) show the form with what was typed. place: where cancel leads."""
    if form.validate_on_submit():
        try:
            message, changed = save(form.data)
        except InvalidInput as refusal:
            for field, text in refusal.fields.items():
                form[field].errors.append(text)
        else:
            flash(message, "success")
            return redirect(tree_at(changed))
    return render_template(template, form=form, cancel=tree_at(place), **context)


@bp.route("/regions/grids/new", methods=["GET", "POST"])
@allowed_if(policy.can_manage_map)
def new_grid():
    """Add a grid to a community (?parent=<community code> chooses it)."""
    form = GridForm()
    form.parent.choices = region_choices(current_user, ("community",))
    if not form.is_submitted():
        form.parent.data = request.args.get("parent", "")

    def save(data):
        grid = add_grid(current_user, data)
        message = _("已添加网格 %(name)s（编码 %(code)s）。", name=grid.name, code=grid.code)
        return message, grid.parent.code

    place = request.args.get("parent")
    return saved_or_form(form, save, "admin/map_form.html", place, heading=_("添加网格"))


@bp.route("/committees/new", methods=["GET", "POST"])
@allowed_if(policy.can_manage_map)
def new_committee():
    """Add a committee to a street or community (?region=<code> chooses it)."""
    form = CommitteeForm()
    form.region.choices = region_choices(current_user, ("street", "community"))
    if not form.is_submitted():
        form.region.data = request.args.get("region", "")

    def save(data):
        committee = add_committee(current_user, data)
        name, code = committee.name, committee.code
        message = _("已添加调委会 %(name)s（编码 %(code)s）。", name=name, code=code)
        return message, committee.region.code

    place = request.args.get("region")
    return saved_or_form(form, save, "admin/map_form.html", place, heading=_("添加调委会"))


@bp.route("/regions/<code>/name", methods=["GET", "POST"])
@allowed_if(policy.can_manage_map)
def rename_region_view(code: str):
    """Rename a region of the admin's jurisdiction (404 outside it)."""
    region = region_by_code(current_user, code) or abort(404)
    form = RegionNameForm(data={"name": region.name})
    return rename_page(region, form, rename_region, region.code)


@bp.route("/committees/<code>/name", methods=["GET", "POST"])
@allowed_if(policy.can_manage_map)
def rename_committee_view(code: str):
    """Rename a committee of the admin's jurisdiction (404 outside it)."""
    committee = db.session.scalar(sa.select(Committee).where(Committee.code == code))
    if committee is None or not can_see_region(current_user, committee.region):
        abort(404)
    form = CommitteeNameForm(data={"name": committee.name, "short_name": committee.short_name})
    return rename_page(committee, form, rename_committee, committee.region.code)


def rename_page(row, form, rename, place: str):
    """The rename form of a region or committee (row); rename(user, row, data) saves it; the
    tree opens at `place` (the region's code, or the committee's region's) afterwards."""
    old = row.name

    def save(data):
        if not rename(current_user, row, data):
            return _("名称未改变。"), place
        return _("已将 %(old)s 改名为 %(new)s。", old=old, new=row.name), place

    heading = _("重命名 %(name)s", name=old)
    return saved_or_form(form, save, "admin/map_form.html", place, heading=heading, code=row.code)
