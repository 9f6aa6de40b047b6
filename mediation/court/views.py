"""The judge's pages: the workbench, the case as a court reviews it, and her decisions.

Only judges come here (other roles 403); a case outside her court is 404, as everywhere.
Each decision is a form that posts to its own route, which calls one operation: what the
operation refuses comes back on the same page with what she typed (400 bad input, 422 a
guard's reasons, 409 a stale version).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mediation.access import policy
from mediation.cases import operations as ops
from mediation.cases.forms import show_errors
from mediation.cases.views import CONFLICT_MESSAGE, timeline
from mediation.court import bp, queries
from mediation.court.forms import AcceptForm, ExtendForm, RejectForm, RulingForm
from mediation.errors import Conflict, InvalidInput, OperationError, Refused
from mediation.inputs import whole_number
from mediation.models import Case
from mediation.papers import checking
from mediation.papers.court import default_ruling_text
from mediation.templating import china_time

# The decisions the case page may offer, each with the trigger it fires.
DECISIONS = {
    "accept": "accept_application",
    "reject": "reject_confirmation",
    "confirm": "confirm",
}
FORMS = {"accept": AcceptForm, "reject": RejectForm, "extend": ExtendForm}


@bp.before_request
@login_required
def judges_only():
    """The court's pages are a judge's: other roles get 403."""
    if not policy.can_decide(current_user):
        abort(403)


# ---------------------------------------------------------------------------- the pages


def offered(case: Case) -> list[str]:
    """The decisions the judge may take on this case now: accept, reject, confirm, extend."""
    deciding = policy.can_decide(current_user, case)
    keys = [k for k, t in DECISIONS.items() if deciding and policy.can_fire(current_user, t, case)]
    if policy.can_extend_review(current_user, case):
        keys.append("extend")
    return keys


def agreement_verdict(case: Case):
    """The check of the sealed agreement's stored original (None: not sealed)."""
    sealed = case.agreement.sealed_document if case.agreement else None
    if sealed is None:
        return None
    return checking.public_record(sealed.public_id).verdict


def judge_page(
    case_id: int,
    status: int = 200,
    *,
    problem: list[str] | None = None,
    sent: dict | None = None,
    revealed: dict | None = None,
):
    """The case as the court reviews it, with a form that failed kept as it was sent, and
    a number the judge asked to see in full."""
    case = ops.get_case(current_user, case_id)
    decisions = offered(case)
    forms = {key: FORMS[key](prefix=key) for key in decisions if key in FORMS}
    forms.update({key: form for key, form in (sent or {}).items() if key in forms})
    for form in forms.values():
        form.prepare(case)
    return render_template(
        "court/case.html",
        case=case,
        application=case.application,
        clock=case.countdown if case.status in queries.QUEUES else None,
        verdict=agreement_verdict(case),
        timeline=timeline(case),
        decisions=decisions,
        forms=forms,
        opened=next(iter(sent), None) if sent else None,
        problem=problem,
        revealed=revealed or {},
    ), status


def problems_of(problem: OperationError, form) -> tuple[int, list[str]]:
    """The status and the messages to show for a refusal; field messages go on the form."""
    if isinstance(problem, Conflict):
        return 409, [str(CONFLICT_MESSAGE)]
    if isinstance(problem, Refused):
        return problem.status, problem.reasons
    # Each field's message beside its field; the whole message above the form, which also
    # names a field the form does not show (the version).
    show_errors(form, problem.fields)
    return problem.status, [problem.message]


def decide(case_id: int, key: str, form, act, done):
    """Run act(version) for one decision; then back to the case page with done(case) as news,
    or the page again with the refusal beside the form as it was sent.

    :raise NotFound (404): the case is not one sent to her court, whatever was posted.
    """
    form.prepare(ops.get_case(current_user, case_id))
    if unfit := form.unfit():
        show_errors(form, unfit)
        return judge_page(case_id, 400, problem=list(unfit.values()), sent={key: form})
    try:
        case = act(whole_number(request.form.get("version")))
    except (InvalidInput, Refused, Conflict) as problem:
        status, messages = problems_of(problem, form)
        return judge_page(case_id, status, problem=messages, sent={key: form})
    flash(done(case), "success")
    return redirect(url_for(".case", case_id=case_id))


# ---------------------------------------------------------------------------- routes


@bp.route("/")
def workbench():
    """Her court's applications: 待决定受理 and 待裁定 by nearest deadline, recent rulings."""
    return render_template(
        "court/workbench.html", workbench=queries.workbench(current_user, request.args)
    )


@bp.route("/cases/<int:case_id>")
def case(case_id: int):
    """The case as the court reviews it: the agreement, the application, the history."""
    return judge_page(case_id)


@bp.route("/cases/<int:case_id>/parties/<int:party_id>/reveal", methods=["POST"])
def reveal(case_id: int, party_id: int):
    """Show one party's ID number or phone in full; the operation logs that it was seen."""
    field = request.form.get("field", "")
    value = ops.reveal_party_field(current_user, case_id, party_id, field)
    return judge_page(case_id, revealed={(party_id, field): value})


@bp.route("/cases/<int:case_id>/accept", methods=["POST"])
def accept(case_id: int):
    """受理: with the court's own number, or the next 民特 number when left blank."""
    form = AcceptForm(request.form, prefix="accept")
    payload = {"court_case_number": form.court_case_number.data or ""}

    def act(version):
        return ops.apply_transition(current_user, case_id, "accept_application", version, payload)

    def done(case):
        return _("已受理，法院案号 %(number)s。", number=case.court_case_number)

    return decide(case_id, "accept", form, act, done)


@bp.route("/cases/<int:case_id>/reject", methods=["POST"])
def reject(case_id: int):
    """不予受理 (before acceptance) or 驳回申请 (after): a ground from the fixed list."""
    form = RejectForm(request.form, prefix="reject")
    payload = {"ground": form.ground.data or ""}

    def act(version):
        return ops.apply_transition(current_user, case_id, "reject_confirmation", version, payload)

    def done(case):
        if case.application is not None and case.application.outcome == "not_accepted":
            return _("已裁定不予受理，民事裁定书已出具。")
        return _("已裁定驳回申请，民事裁定书已出具。")

    return decide(case_id, "reject", form, act, done)


@bp.route("/cases/<int:case_id>/extend", methods=["POST"])
def extend(case_id: int):
    """延长审查期限: once, after acceptance, with the reason the extension was approved."""
    form = ExtendForm(request.form, prefix="extend")

    def act(version):
        return ops.extend_review(current_user, case_id, version, reason=form.reason.data or "")

    def done(case):
        day = china_time(case.deadline_at, "%Y-%m-%d")
        return _("已延长审查期限，裁定审查期限延至 %(day)s。", day=day)

    return decide(case_id, "extend", form, act, done)


@bp.route("/cases/<int:case_id>/ruling", methods=["GET", "POST"])
def ruling(case_id: int):
    """裁定确认有效: the ruling's text on a page of its own, to edit and then issue."""
    case = ops.get_case(current_user, case_id)
    if "confirm" not in offered(case):
        flash(_("本案当前不能作出确认调解协议有效的裁定。"), "warning")
        return redirect(url_for(".case", case_id=case_id))
    form = RulingForm(request.form if request.method == "POST" else None, prefix="ruling")
    status, problems = 200, []
    if form.sent:
        payload = {"ruling_text": form.ruling_text.data or ""}
        version = whole_number(request.form.get("version"))
        try:
            ops.apply_transition(current_user, case_id, "confirm", version, payload)
        except (InvalidInput, Refused, Conflict) as problem:
            status, problems = problems_of(problem, form)
            case = ops.get_case(current_user, case_id)
        else:
            flash(_("已裁定确认调解协议有效，民事裁定书已出具。"), "success")
            return redirect(url_for(".case", case_id=case_id))
    else:
        form.ruling_text.data = default_ruling_text(case, case.application, "confirmed")
    return render_template("court/ruling.html", case=case, form=form, problem=problems), status
