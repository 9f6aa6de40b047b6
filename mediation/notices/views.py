"""通知: the user's notices, newest first, and the unread count in the navigation bar.

Reading the list changes nothing; 标为已读 is a POST.
"""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation.inputs import whole_number
from mediation.notices.operations import mark_read, notices_for, unread_count

bp = Blueprint("notices", __name__)


@bp.app_template_global()
def unread_notices() -> int:
    """How many notices the signed-in user has not read (0 when nobody is signed in), counted
    once a request: the navigation bar asks twice (its menu, and the narrow screens' badge)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notices" not in g:
        g.unread_notices = unread_count(current_user)
    return g.unread_notices


@bp.route("/")
@login_required
def index():
    """The user's notices, newest first, the unread ones marked."""
    notices = notices_for(current_user)
    unread = sum(1 for notice in notices if notice.read_at is None)
    return render_template("notices/index.html", notices=notices, unread=unread)


@bp.route("/read", methods=["POST"])
@login_required
def read():
    """Mark one notice read (the form's notice id), or every unread one."""
    raw = request.form.get("notice")
    if raw is None:
        mark_read(current_user)
        flash(_("已将全部通知标为已读。"), "success")
    else:
        notice_id = whole_number(raw)
        mark_read(current_user, [] if notice_id is None else [notice_id])
    return redirect(url_for(".index"))
