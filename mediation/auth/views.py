"""Views: login (throttled), logout, change password."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from mediation.auth import bp, throttle
from mediation.auth.forms import ChangePasswordForm, LoginForm
from mediation.auth.operations import authenticate, change_password, set_large_text, sign_out
from mediation.auth.urls import safe_next
from mediation.errors import InvalidInput, NotAuthenticated
from mediation.security import remember_generation, start_session


def wait_in_words(seconds: int) -> str:
    """How long to wait before trying again, for the throttle's message."""
    if seconds < 60:
        return _("尝试次数过多，请 %(seconds)s 秒后再试。", seconds=seconds)
    return _("尝试次数过多，请 %(minutes)s 分钟后再试。", minutes=-(-seconds // 60))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; sign the user in when the password matches.

    Wrong credentials spend the address's and the username's budget (auth.throttle); once
    either is spent the page answers 429 with Retry-After, before checking any password.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = throttle.retry_after(form.username.data)
        if wait is not None:
            flash(wait_in_words(wait), "danger")
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        try:
            user = authenticate(form.username.data, form.password.data)
        except NotAuthenticated:
            throttle.record_failure(form.username.data)
            flash(_("用户名或密码不正确，或账号已停用。"), "danger")
        else:
            start_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    status = 401 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out here and on every other browser, and return to the login page."""
    sign_out(current_user)
    logout_user()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Let the signed-in user change her own password; her other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except InvalidInput as refusal:
            form.current.errors.append(refusal.fields["current"])
        else:
            remember_generation(current_user)
            flash(_("密码已修改。"), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)


@bp.route("/display/large-text", methods=["POST"])
def large_text():
    """Turn 大字模式 on or off: for a signed-in user on her account, else for this browser."""
    on = request.form.get("on") == "1"
    if current_user.is_authenticated:
        set_large_text(current_user, on)
    else:
        session["large_text"] = on
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
