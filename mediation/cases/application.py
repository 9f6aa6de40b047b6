"""申请司法确认: the joint application's own page, its court, the consents and the materials.

The form only collects. request_confirmation checks the court, every consent, each file's type
(from its bytes), size and name, the 30-day window and the matter, and stores nothing when it
says no; its messages come back to this page next to their fields, with what was typed kept.
Files cannot be handed back to a browser: the page says to choose them again.
"""

from datetime import UTC, date, datetime
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import BooleanField, Form, SelectField, StringField

from mediation.access import policy
from mediation.cases import bp
from mediation.cases import operations as ops
from mediation.cases.forms import PICK, PageForm, local_now, party_label
from mediation.cases.views import CONFLICT_MESSAGE, version_of
from mediation.errors import Conflict, InvalidInput, Refused
from mediation.i18n import choices_of, label_of
from mediation.inputs import whole_number
from mediation.models import Case
from mediation.models.types import utcnow
from workflows import MATERIAL_KINDS
from workflows.deadlines import CHINA_TZ, confirmation_deadline, legal_date

ENDPOINT = "cases.confirmation"
# The media types request_confirmation takes (it reads the type from the bytes).
ACCEPTED_TYPES = "application/pdf,image/jpeg,image/png"
# What each kind of material is for (法释〔2011〕5号 Art 3), shown under its file input.
MATERIAL_HINTS = {
    "identity": _l("各方当事人的居民身份证或营业执照等身份证明"),
    "qualification": _l("当事人为法人或者其他组织时提交"),
    "property": _l("协议涉及房屋、车辆等财产权利时提交"),
    "service_address": _l("各方当事人确认的送达地址和联系电话"),
    "power_of_attorney": _l("委托代理人代为申请时提交"),
    "other": _l("与申请有关的其他材料"),
}
# What became of an application, by its outcome (None: still before the court).
OUTCOME_LABELS = {
    "confirmed": _l("已裁定确认调解协议有效"),
    "rejected": _l("已裁定驳回申请"),
    "not_accepted": _l("已裁定不予受理"),
    "withdrawn": _l("已撤回申请"),
}
BAD_MOMENT = object()


def field_name(kind: str) -> str:
    """The name of the file input of one kind of material."""
    return f"material-{kind}"


def day_in_words(day: date) -> str:
    """A day as it is written: 2026年12月31日."""
    return _("%(year)d年%(month)d月%(day)d日", year=day.year, month=day.month, day=day.day)


def aria(field_id: str, errors, hint: str | None = None) -> dict:
    """The aria attributes of an input: the ids of its hint and of its errors, if any."""
    described = [name for name in (hint, f"{field_id}-error" if errors else None) if name]
    attributes = {"aria-describedby": " ".join(described)} if described else {}
    if errors:
        attributes["aria-invalid"] = "true"
    return attributes


def application_window(case: Case) -> dict | None:
    """The last day to apply (民事诉讼法 Arts 205, 85) and whether it has passed; None before
    the agreement takes effect."""
    if case.effective_on is None:
        return None
    limits = ops.time_limits()
    last = confirmation_deadline(case.effective_on, limits)
    days_left = (last - legal_date(utcnow())).days
    return {
        "days": limits.confirmation_days,
        "last_day": day_in_words(last),
        "effective_on": day_in_words(case.effective_on),
        "days_left": days_left,
        "closed": days_left < 0,
    }


@bp.app_template_global()
def application_status(application) -> str:
    """Where an application stands, in words."""
    if application.outcome in OUTCOME_LABELS:
        return str(OUTCOME_LABELS[application.outcome])
    if application.accepted_at is not None:
        return _("法院已受理，正在审查")
    return _("待法院决定是否受理")


def consent_moment(raw: str | None):
    """A datetime-local value (China time) as a UTC moment; None when blank, BAD_MOMENT when it
    is no date and time."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return BAD_MOMENT
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(UTC)


class ConsentRow(Form):
    """One party's consent to the joint application: whether, how and when."""

    consented = BooleanField(_l("同意共同申请"))
    method = SelectField(_l("申请方式"), choices=partial(choices_of, "consent_methods"))
    consented_at = StringField(_l("同意时间"), render_kw={"type": "datetime-local"})


class ConfirmationForm(PageForm):
    """The application: the court, a consent row per party; the files come from request.files."""

    court = SelectField(_l("受理法院"))

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self.formdata = formdata
        self.rows: list[tuple] = []
        self.sent_consents: list[dict] = []
        self.sent_uploads: list = []
        self.consent_problems: list[str] = []
        self.material_problems: list[str] = []
        self.material_errors: dict[str, list[str]] = {}
        # (id of the field or section, message): the summary above the form links to each.
        self.placed: list[tuple[str, str]] = []

    def prepare(self, case: Case, courts) -> None:
        """Offer the competent courts (the only one chosen already) and a row per party."""
        self.court.choices = [PICK, *((court.code, court.name) for court in courts)]
        if not self.sent and len(courts) == 1:
            self.court.data = courts[0].code
        for party in case.parties:
            row = ConsentRow(self.formdata, prefix=f"party-{party.id}")
            if not self.sent:
                row.consented_at.data = local_now()
            self.rows.append((party, party_label(party), row))

    def consents(self) -> list[dict]:
        """The ticked parties' consents, as request_confirmation takes them.

        :raise InvalidInput: for a time of consent that is no date and time.
        """
        errors = {}
        for party, _label, row in self.rows:
            if not row.consented.data:
                continue
            moment = consent_moment(row.consented_at.data)
            if moment is BAD_MOMENT:
                key = f"consents.{len(self.sent_consents)}.consented_at"
                errors[key] = _("请填写同意时间，格式如 2026-11-20 14:30。")
                moment = None
            consent = {"party_id": party.id, "method": row.method.data, "consented_at": moment}
            self.sent_consents.append(consent)
        if errors:
            raise InvalidInput(_("请按提示修改后重新提交。"), errors)
        return self.sent_consents

    def uploads(self, files) -> list:
        """The chosen files as MaterialUploads, by kind (an input left empty sends none)."""
        self.sent_uploads = [
            ops.MaterialUpload(kind, upload.filename, upload.read())
            for kind, _label in MATERIAL_KINDS
            for upload in files.getlist(field_name(kind))
            if upload.filename
        ]
        return self.sent_uploads

    def show_errors(self, fields: dict[str, str]) -> list[str]:
        """Put the operation's messages next to their fields; return those that fit none.

        consents.<i>… and materials.<i>… refer to the i-th consent or file that was sent.
        """
        unplaced = []
        for key, message in fields.items():
            head, _dot, rest = key.partition(".")
            number, _dot, name = rest.partition(".")
            index = whole_number(number)
            if head == "court":
                self.court.errors = [message]
                anchor = self.court.id
            elif head == "consents" and index is not None and index < len(self.sent_consents):
                row = self.row_of(self.sent_consents[index]["party_id"])
                field = row[name] if name in row._fields else row.consented
                field.errors = [*field.errors, message]
                anchor = field.id
            elif head == "consents":
                self.consent_problems.append(message)
                anchor = "consents-heading"
            elif head == "materials" and index is not None and index < len(self.sent_uploads):
                anchor = field_name(self.sent_uploads[index].kind)
                self.material_errors.setdefault(self.sent_uploads[index].kind, []).append(message)
            elif head == "materials":
                self.material_problems.append(message)
                anchor = "materials-heading"
            else:
                unplaced.append(message)
                continue
            self.placed.append((anchor, message))
        return unplaced

    def row_of(self, party_id: int) -> ConsentRow:
        """The consent row of a party."""
        return next(row for party, _label, row in self.rows if party.id == party_id)

    def material_inputs(self) -> list[dict]:
        """One file input per kind of material: name, label, hint, errors."""
        return [
            {
                "name": field_name(kind),
                "label": label,
                "hint": MATERIAL_HINTS.get(kind, ""),
                "errors": self.material_errors.get(kind, []),
            }
            for kind, label in choices_of("material_kinds")
        ]


@bp.url_value_preprocessor
def allow_materials(endpoint: str | None, _values: dict | None) -> None:
    """Raise the body limit of the application page before anything reads its body.

    The app's own hooks (the CSRF check, the refusal of NUL characters) read the form before
    any view runs, and URL value preprocessors run before them.
    """
    # Only for a signed-in user who may apply: anyone else's body stays within MAX_REQUEST_MB.
    if (
        endpoint == ENDPOINT
        and request.method == "POST"
        and current_user.is_authenticated
        and policy.can_apply_confirmation(current_user)
    ):
        request.max_content_length = ops.upload_body_limit()


@bp.route("/<int:case_id>/confirmation", methods=["GET", "POST"])
@login_required
def confirmation(case_id: int):
    """申请司法确认: the court, each party's consent and the materials, in one application."""
    ops.get_case(current_user, case_id)  # outside the jurisdiction: 404 before anything else
    if not policy.can_apply_confirmation(current_user):
        abort(403)
    case = ops.get_case(current_user, case_id)
    if not policy.can_apply_confirmation(current_user, case):
        state = label_of("states", case.status)
        flash(_("案件处于“%(state)s”阶段，不能申请司法确认。", state=state), "warning")
        return redirect(url_for(".detail", case_id=case_id))
    form = ConfirmationForm(request.form if request.method == "POST" else None)
    form.prepare(case, ops.competent_courts(current_user, case_id))
    status, problems = 200, []
    if form.sent:
        try:
            ops.request_confirmation(
                current_user,
                case_id,
                version_of(request.form.get("version")),
                court=form.court.data,
                consents=form.consents(),
                materials=form.uploads(request.files),
            )
        except InvalidInput as problem:
            status = 400
            # Each field's message beside its field; the whole message above the form, which
            # also names a field the form does not show (the version).
            form.show_errors(problem.fields)
            problems = [problem.message]
        except Refused as problem:
            status, problems = 422, problem.reasons
        except Conflict:
            status, problems = 409, [CONFLICT_MESSAGE]
        else:
            flash(_("已提交司法确认申请，请留意法院是否受理。"), "success")
            return redirect(url_for(".detail", case_id=case_id, _anchor="application"))
    return render_template(
        "cases/confirmation_form.html",
        case=case,
        form=form,
        window=application_window(case),
        status=status,
        problems=problems,
        accept=ACCEPTED_TYPES,
        aria=aria,
        limit_mb=f"{ops.material_limit_bytes() / 2**20:g}",
    ), status
