"""The forms of the case page's triggers: one per trigger, asking for what its guard needs.

Like the page forms, they only render and collect: the operations check the values.
申请司法确认 (mediation.cases.application) and 拟定调解协议 (mediation.cases.drafting) have
pages of their own: the case page links to them.
"""

from functools import partial

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField

from mediation.cases.forms import (
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


# Triggers that have pages of their own rather than a form on the case page: the agreement
# (cases.drafting), the parties' application (cases.application) and the court's decisions
# (the court blueprint).
OWN_PAGES = (
    "draft_agreement",
    "request_confirmation",
    "accept_application",
    "confirm",
    "reject_confirmation",
)

TRIGGER_FORMS: dict[str, type[TriggerForm]] = {
    "accept": AcceptForm,
    "decline": DeclineForm,
    "escalate": EscalateForm,
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
