"""The judge's decision forms. Like the case page's, they only render and collect: the
operations check every value and say what to fix."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField

from mediation.cases.forms import PageForm
from mediation.i18n import choices_of
from mediation.models import Case
from workflows import REJECT_GROUNDS_AFTER_ACCEPTANCE, REJECT_GROUNDS_BEFORE_ACCEPTANCE


class DecisionForm(PageForm):
    """A decision's form; prepare() fills in what depends on the case."""

    def prepare(self, case: Case) -> None:
        """Fill in choices that depend on the case."""

    def unfit(self) -> dict[str, str]:
        """Field messages for a value the page never offered (none: send it on)."""
        return {}


class AcceptForm(DecisionForm):
    """受理: the court's own case number, or blank for the next 民特 number."""

    court_case_number = StringField(
        _l("法院案号（选填）"),
        description=_l("留空则自动编号，如（2026）鄂0102民特1号"),
    )


class RejectForm(DecisionForm):
    """不予受理 before acceptance, 驳回申请 after: a ground from the matching fixed list."""

    ground = RadioField(_l("理由"), validate_choice=False)

    def prepare(self, case: Case) -> None:
        """Offer the grounds the case's stage allows, labelled for the page."""
        accepted = case.status == "confirmation_accepted"
        grounds = REJECT_GROUNDS_AFTER_ACCEPTANCE if accepted else REJECT_GROUNDS_BEFORE_ACCEPTANCE
        self.ground.label.text = _l("驳回申请的理由") if accepted else _l("不予受理的理由")
        self.ground.choices = choices_of("reject_grounds", grounds)

    def unfit(self) -> dict[str, str]:
        """No ground ticked, or one not in the list: the operation would refuse it too, but
        naming the codes; the page asks in words."""
        if self.ground.data in dict(self.ground.choices):
            return {}
        return {"ground": _("请在列表中选择%(what)s。", what=self.ground.label.text)}


class ExtendForm(DecisionForm):
    """延长审查期限: why the extension was approved."""

    reason = TextAreaField(
        _l("延长审查期限的理由"),
        description=_l("经院长批准可延长十日，只能延长一次。"),
        render_kw={"rows": 3},
    )


class RulingForm(DecisionForm):
    """裁定确认有效: the ruling's body, which the judge edits before issuing it."""

    ruling_text = TextAreaField(_l("裁定书正文"), render_kw={"rows": 22})
