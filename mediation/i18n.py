"""Locale choice: 简体中文 by default, English on request, remembered in the session.

Interface text is translated by gettext (mediation/translations). Domain labels (states,
triggers, clocks, roles and the code lists) are data with an English table next to each list;
label_of picks the Chinese or the English one for the page's locale.
"""

from flask import (
    Blueprint,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations

from mediation.auth.urls import safe_next
from mediation.models import cases, regions
from workflows import CLOCKS, CODE_LISTS, LABELS_EN, STATES, TRANSITIONS
from workflows.work import WORK_GROUPS

bp = Blueprint("i18n", __name__)

# kind → (Chinese labels, English labels), each by identifier, in list order.
LABELS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "states": ({s.name: s.label for s in STATES}, {s.name: s.label_en for s in STATES}),
    "triggers": (
        {t.trigger: t.label for t in TRANSITIONS},
        {t.trigger: t.label_en for t in TRANSITIONS},
    ),
    "clocks": ({c.key: c.label for c in CLOCKS}, {c.key: c.label_en for c in CLOCKS}),
    "work_groups": (
        {g.key: g.label for g in WORK_GROUPS},
        {g.key: g.label_en for g in WORK_GROUPS},
    ),
    "levels": (regions.LEVEL_LABELS, regions.LEVEL_LABELS_EN),
    **{kind: (dict(pairs), LABELS_EN[kind]) for kind, pairs in CODE_LISTS.items()},
    **{kind: (dict(pairs), cases.LABELS_EN[kind]) for kind, pairs in cases.CODE_LISTS.items()},
}


def select_locale() -> str:
    """The locale the user chose, else the default (zh_Hans_CN)."""
    chosen = session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def in_english() -> bool:
    """True when the page being rendered is in English."""
    locale = get_locale() if has_request_context() else None
    return locale is not None and locale.language == "en"


def page_translations():
    """The translations of the page's locale, asked of Flask-Babel once per request.

    Flask-Babel finds them again on every gettext, through half a dozen lookups of the
    request's context: a template's _() took 20–40 µs that way and 10–17 µs this way, and a
    list page of 20 cases calls it 180 times.
    Kept on `g`, where Flask-Babel keeps the request's locale; this app never switches the
    locale within a request (no force_locale, no refresh)."""
    if not has_app_context():
        return get_translations()
    found = g.get("page_translations")
    if found is None:
        found = g.page_translations = get_translations()
    return found


def label_of(kind: str, code: str | None) -> str:
    """The label of a code of one kind in the page's language; an unknown code as it is."""
    chinese, english = LABELS[kind]
    code = code or ""
    if code not in chinese:
        return code
    return english[code] if in_english() else chinese[code]


def choices_of(kind: str, pairs=None) -> list[tuple[str, str]]:
    """A code list (all of the kind unless pairs is given) as select choices, labelled."""
    codes = [code for code, _label in pairs] if pairs is not None else list(LABELS[kind][0])
    return [(code, label_of(kind, code)) for code in codes]


@bp.route("/locale/<code>", methods=["POST"])
def switch(code: str):
    """Remember the chosen locale and go back where the user was."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


def init_app(app) -> None:
    """Register the locale switch and expose the locale and the labels to templates."""
    app.register_blueprint(bp)
    # The templates' _(), ngettext and pgettext (Flask-Babel's, newstyle), by page_translations.
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: page_translations().ugettext(string),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: page_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: page_translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["label_of"] = label_of
