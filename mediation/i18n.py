"""Locale choice: 简体中文 by default, English on request, remembered in the session."""

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import get_locale

from mediation.urls import safe_next

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The locale the user chose, else the default (zh_Hans_CN)."""
    chosen = session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.route("/locale/<code>", methods=["POST"])
def switch(code: str):
    """Remember the chosen locale and go back where the user was."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


def init_app(app) -> None:
    """Register the locale switch and expose the current locale to templates."""
    app.register_blueprint(bp)
    app.jinja_env.globals["get_locale"] = get_locale
