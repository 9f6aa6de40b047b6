"""拟定调解协议: the agreement written on a page of its own, with room to write.

The case page's action panel links here (a 330 px side box is no place to write an
agreement). The terms are a list: one textarea per term, all posted under one name, so the
order the page shows is the order posted and stored; the page's script adds, removes and
reorders them, and without it the page still offers numbered textareas. The POST fires the
same draft_agreement transition as before, and its refusals come back here with what was
typed kept.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import Field, SelectField, StringField, TextAreaField

from mediation.access import policy
from mediation.cases import bp
from mediation.cases import operations as ops
from mediation.cases.forms import NO_EXCLUDED_MATTER, PageForm, show_errors
from mediation.cases.views import CONFLICT_MESSAGE, trigger_label, version_of
from mediation.errors import Conflict, InvalidInput, Refused
from mediation.i18n import choices_of, label_of
from mediation.models import Case

TRIGGER = "draft_agreement"
# Empty term boxes a page offers without its script: enough for a short agreement.
MIN_TERM_ROWS = 3


class TermsField(Field):
    """协议条款: every value posted under the field's name, in the order posted."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, default=list, **kwargs)

    def process_formdata(self, valuelist):
        """Keep each posted term as typed (blank ones too: the operation drops them)."""
        self.data = list(valuelist)


class DraftAgreementForm(PageForm):
    """拟定调解协议: the agreement's fields."""

    facts = TextAreaField(_l("纠纷事实、争议事项及各方责任"), render_kw={"rows": 8})
    terms = TermsField(_l("协议条款"))
    performance_method = StringField(_l("履行方式"), render_kw={"placeholder": _l("如：银行转账")})
    performance_place = StringField(_l("履行地点"))
    performance_deadline = StringField(_l("履行期限"), render_kw={"type": "date"})
    amount = StringField(_l("协议金额（元）"), render_kw={"inputmode": "decimal"})
    matter = SelectField(
        _l("协议是否涉及以下事项"),
        choices=lambda: [(NO_EXCLUDED_MATTER, _("不涉及")), *choices_of("excluded_matters")],
        default=NO_EXCLUDED_MATTER,
    )

    def prepare(self, case: Case) -> None:
        """Start from the current draft, if the case has one (after 退回重新调解)."""
        draft = case.agreement
        if self.sent or draft is None:
            return
        self.facts.data = draft.facts
        self.terms.data = list(draft.terms or [])
        self.performance_method.data = draft.performance_method
        self.performance_place.data = draft.performance_place
        deadline = draft.performance_deadline
        self.performance_deadline.data = deadline.isoformat() if deadline else ""
        self.amount.data = "" if draft.amount is None else str(draft.amount)
        self.matter.data = draft.matter or NO_EXCLUDED_MATTER

    def term_rows(self) -> list[str]:
        """The terms to show: those typed, then empty boxes up to MIN_TERM_ROWS (one at least
        when none is empty), so that a page without script can still add a term."""
        typed = [term for term in self.terms.data or [] if isinstance(term, str)]
        if self.sent:
            typed = [term for term in typed if term.strip()]
        return typed + [""] * max(1, MIN_TERM_ROWS - len(typed))

    def payload(self) -> dict:
        """The agreement fields as draft_agreement takes them; 'none' means no excluded matter."""
        data = {name: self[name].data for name in self._fields if name != "csrf_token"}
        if data["matter"] == NO_EXCLUDED_MATTER:
            del data["matter"]
        return data


@bp.route("/<int:case_id>/agreement/draft", methods=["GET", "POST"])
@login_required
def draft_agreement(case_id: int):
    """拟定调解协议: the form on a full-width page; the post fires draft_agreement."""
    case = ops.get_case(current_user, case_id)  # outside the jurisdiction: 404 first
    if not policy.can_fire(current_user, TRIGGER):
        abort(403)
    if not policy.can_fire(current_user, TRIGGER, case):
        state = label_of("states", case.status)
        flash(_("案件处于“%(state)s”阶段，不能拟定调解协议。", state=state), "warning")
        return redirect(url_for(".detail", case_id=case_id))
    form = DraftAgreementForm(request.form if request.method == "POST" else None, prefix=TRIGGER)
    form.prepare(case)
    status, problems = 200, []
    if form.sent:
        try:
            version = version_of(request.form.get("version"))
            ops.apply_transition(current_user, case_id, TRIGGER, version, form.payload())
        except InvalidInput as problem:
            # Each field's message beside it; the whole message above the form, which also
            # names what the form does not show (the version).
            status, problems = 400, [problem.message]
            show_errors(form, problem.fields)
        except Refused as problem:
            status, problems = 422, problem.reasons
        except Conflict:
            status, problems = 409, [CONFLICT_MESSAGE]
        else:
            flash(_("已完成“%(action)s”。", action=trigger_label(TRIGGER)), "success")
            return redirect(url_for(".detail", case_id=case_id, _anchor="agreement"))
    return render_template(
        "cases/agreement_form.html",
        case=case,
        form=form,
        invalid=status == 400,
        problems=problems,
    ), status
