"""The forms of the case page's triggers: one per trigger, asking for what its guard needs.

Like the page forms, they only render and collect: the operations check the values.
申请司法确认 has a page of its own (mediation.cases.application): the case page links to it.
"""

from functools import partial

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from mediation.cases.forms import (
    NO_EXCLUDED_MATTER,
    PICK,
    MultiCheckboxField,
    PageForm,
    mediator_choices,
    picked,
)
from mediation.i18n import choices_of
from mediation.models import Case


class TriggerForm(PageForm):
    """What one trigger's guard needs; payload() is what apply_transition takes."""

    def payload(self) -> dict:
        """The form's values by field name."""
        return {name: self[name].data for name in self._fields if name != "csrf_token"}


class AcceptForm(TriggerForm):
    """受理: who will mediate."""

    mediator = SelectField(_l("承办调解员"))

    def prepare(self, case: Case) -> None:
        """Offer the mediators who work where the case is; the assigned one first."""
        self.mediator.choices = [PICK, *mediator_choices(case)]
        if not self.sent and case.mediator:
            self.mediator.data = case.mediator.username


class DeclineForm(TriggerForm):
    """不予受理: a reason from the fixed list."""

    reason_code = SelectField(_l("不予受理的理由"), choices=partial(picked, "decline_reasons"))


class EscalateForm(TriggerForm):
    """上报街道: a reason code and an explanation."""

    reason_code = SelectField(_l("上报街道的理由"), choices=partial(picked, "escalate_reasons"))
    reason = TextAreaField(_l("上报说明"), render_kw={"rows": 3})


class DraftAgreementForm(TriggerForm):
    """拟定调解协议: the agreement's fields."""

    facts = TextAreaField(_l("纠纷事实、争议事项及各方责任"), render_kw={"rows": 4})
    terms = TextAreaField(
        _l("协议条款（每行一条）"),
        render_kw={"rows": 4, "placeholder": _l("每行写一条协议条款")},
    )
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
        self.terms.data = "\n".join(draft.terms or [])
        self.performance_method.data = draft.performance_method
        self.performance_place.data = draft.performance_place
        deadline = draft.performance_deadline
        self.performance_deadline.data = deadline.isoformat() if deadline else ""
        self.amount.data = "" if draft.amount is None else str(draft.amount)
        self.matter.data = draft.matter or NO_EXCLUDED_MATTER

    def payload(self) -> dict:
        """The agreement fields; 'none' means no excluded matter."""
        data = super().payload()
        if data["matter"] == NO_EXCLUDED_MATTER:
            del data["matter"]
        return data


class TerminateForm(TriggerForm):
    """终止调解: why, and which other routes the parties were told of."""

    reason = TextAreaField(_l("终止调解的原因"), render_kw={"rows": 3})
    routes_told = MultiCheckboxField(
        _l("已告知当事人的其他途径"), choices=partial(choices_of, "other_routes")
    )


def reason_form(label) -> type[TriggerForm]:
    """A form that asks only for a written reason."""
    return type(
        "ReasonForm", (TriggerForm,), {"reason": TextAreaField(label, render_kw={"rows": 3})}
    )


# Triggers that have pages of their own rather than a form on the case page: the parties'
# application (cases.application) and the court's decisions (the court blueprint).
OWN_PAGES = ("request_confirmation", "accept_application", "confirm", "reject_confirmation")

TRIGGER_FORMS: dict[str, type[TriggerForm]] = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "escalate": EscalateForm,
    "draft_agreement": DraftAgreementForm,
    "reopen": reason_form(_l("退回重新调解的原因")),
    "withdraw_confirmation": reason_form(_l("当事人撤回司法确认申请的情况")),
    "remediate": reason_form(_l("重新调解的原因")),
    "terminate": TerminateForm,
    "withdraw": reason_form(_l("申请人撤回的情况")),
    "close": TriggerForm,
}


def trigger_form(trigger: str, formdata=None) -> TriggerForm:
    """The form of a trigger (triggers only the system fires get an empty one)."""
    return TRIGGER_FORMS.get(trigger, TriggerForm)(formdata=formdata, prefix=trigger)
