"""Views: login (throttled), logout, change password."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from mediation.auth import bp
from mediation.auth.forms import ChangePasswordForm, LoginForm
from mediation.auth.operations import authenticate, change_password
from mediation.extensions import limiter
from mediation.urls import safe_next


def login_limit() -> str:
    """The throttle for failed sign-ins, from settings."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def failed_login(response) -> bool:
    """Only failed attempts count against the throttle (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed_login)
def login():
    """Show the login form; sign the user in when the password matches."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
        flash(_("用户名或密码不正确，或账号已停用。"), "danger")
    status = 401 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out and return to the login page."""
    logout_user()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Let the signed-in user change her own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if change_password(current_user, form.current.data, form.new.data):
            flash(_("密码已修改。"), "success")
            return redirect(url_for("main.home"))
        form.current.errors.append(_("当前密码不正确。"))
    return render_template("auth/password.html", form=form)
