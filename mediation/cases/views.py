"""The case pages: list, intake, detail with its trigger forms, sessions, visits, signatures.

Each view parses its form, calls one operation and redirects or renders. What the operation
refuses comes back to the same page: bad input with the fields marked (400), a guard's
reasons (422), a stale version (409). Out of scope is 404 and a role that may not is 403,
answered by the app's error pages.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediation.access import policy
from mediation.cases import bp, forms
from mediation.cases import operations as ops
from mediation.cases.panel import action_panel
from mediation.cases.queries import DEFAULT_SORT, list_cases, parse_filters
from mediation.cases.trigger_forms import OWN_PAGES, trigger_form
from mediation.errors import Conflict, InvalidInput, OperationError, Refused
from mediation.extensions import db
from mediation.i18n import LABELS, choices_of, label_of
from mediation.inputs import whole_number
from mediation.models import AuditEvent, User
from workflows import TRANSITION_BY_TRIGGER

CONFLICT_MESSAGE = _l("案件已被他人更新，请刷新后重试")
# The timeline's names of the events that are not triggers.
ACTION_LABELS = {
    "create": _l("登记纠纷"),
    "session": _l("记录调解"),
    "visit": _l("登记回访"),
    "sign": _l("协议签名"),
    "reveal": _l("查看完整号码"),
    "assign_mediator": _l("指派调解员"),
    "extend_review": _l("延长审查期限"),
}
FIELD_LABELS = {"id_number": _l("身份证号码"), "phone": _l("联系电话")}
# The coded entries of an audit event's payload, and the kinds of label their codes are of.
CODED_ENTRIES = {
    "reason_code": ("decline_reasons", "escalate_reasons"),
    "ground": ("reject_grounds",),
    "matter": ("excluded_matters",),
}
# Far beyond any real list, and small enough that the row offset fits a 64-bit integer.


# ---------------------------------------------------------------------------- template helpers


@bp.app_template_global()
def trigger_label(action: str) -> str:
    """The label of a trigger, or of another action on the timeline."""
    if action in TRANSITION_BY_TRIGGER:
        return label_of("triggers", action)
    return str(ACTION_LABELS.get(action, action))


def coded_label(kinds: tuple[str, ...], code) -> str:
    """The label of a code of one of kinds; an unknown code as it is."""
    code = str(code)
    for kind in kinds:
        if code in LABELS[kind][0]:
            return label_of(kind, code)
    return code


def event_details(event: AuditEvent, parties: dict, signers: dict, names: dict) -> list[str]:
    """The parts of an audit event's payload worth reading on the timeline."""
    payload = event.payload or {}
    details = []
    for key, kinds in CODED_ENTRIES.items():
        if payload.get(key):
            details.append(coded_label(kinds, payload[key]))
    if payload.get("routes_told"):
        told = payload["routes_told"]
        told = [told] if isinstance(told, str) else told
        routes = _("、").join(coded_label(("other_routes",), r) for r in told)
        details.append(_("已告知：%(routes)s", routes=routes))
    if payload.get("mediator"):
        name = names.get(payload["mediator"], payload["mediator"])
        details.append(_("调解员：%(name)s", name=name))
    if payload.get("court_case_number"):
        details.append(_("法院案号：%(number)s", number=payload["court_case_number"]))
    if event.action == "sign":
        details.append(signers.get(payload.get("signer"), payload.get("signer", "")))
    if event.action == "reveal":
        who = parties.get(payload.get("party_id"), "")
        field = FIELD_LABELS.get(payload.get("field"), "")
        details.append(_("%(party)s的%(field)s", party=who, field=field))
    if event.action == "visit" and "performed" in payload:
        details.append(_("协议已履行") if payload["performed"] else _("协议未履行"))
    return details


def timeline(case) -> list[dict]:
    """The case's audit events, oldest first, ready for the page."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.case_id == case.id)
        .options(so.joinedload(AuditEvent.actor))
        .order_by(AuditEvent.seq)
    ).all()
    parties = {p.id: forms.party_label(p) for p in case.parties}
    signers = forms.signer_labels(case.agreement) if case.agreement else {}
    usernames = {e.payload.get("mediator") for e in events if (e.payload or {}).get("mediator")}
    names = dict(
        db.session.execute(
            sa.select(User.username, User.display_name).where(User.username.in_(usernames))
        ).all()
    )
    return [
        {
            "event": event,
            # The sweep's own steps (自动上报): said once, not as "系统 · 系统".
            "actor": event.actor.display_name if event.actor else _("系统自动"),
            "role": label_of("roles", event.actor_role) if event.actor else None,
            "details": event_details(event, parties, signers, names),
        }
        for event in events
    ]


# ---------------------------------------------------------------------------- the case page


def case_page(
    case_id: int,
    status: int = 200,
    *,
    problem: list[str] | None = None,
    open_trigger: str | None = None,
    submitted=None,
    sign_form=None,
    seal_form=None,
    assign_form=None,
    revealed: dict | None = None,
):
    """Render the case page, with a form that failed kept as the user filled it in."""
    # Held: with the parties, agreement and guard counts the action panel's reasons need.
    case = ops.get_case(current_user, case_id, held=True)
    panel = action_panel(current_user, case)
    trigger_forms = {}
    for trigger in (t for t in panel.triggers if t not in panel.blocked):
        opened = trigger == open_trigger and submitted is not None
        trigger_forms[trigger] = submitted if opened else trigger_form(trigger)
        trigger_forms[trigger].prepare(case)
    if policy.can_sign(current_user, case):
        sign_form = sign_form or forms.SignatureForm(prefix="sign")
        sign_form.prepare(case)
    else:
        sign_form = None
    if policy.can_seal(current_user, case):
        seal_form = seal_form or forms.SealForm(prefix="seal")
    else:
        seal_form = None
    if policy.can_assign(current_user, case):
        assign_form = assign_form or forms.AssignForm(prefix="assign")
        assign_form.prepare(case)
    else:
        assign_form = None
    signatures = case.agreement.signatures if case.agreement else []
    return render_template(
        "cases/detail.html",
        case=case,
        timeline=timeline(case),
        triggers=panel.triggers,
        blocked=panel.blocked,
        draft_next=panel.draft_next,
        trigger_forms=trigger_forms,
        open_trigger=open_trigger,
        problem=problem,
        sign_form=sign_form,
        seal_form=seal_form,
        assign_form=assign_form,
        signers=forms.signer_labels(case.agreement) if case.agreement else {},
        signatures={s.signer: s for s in signatures if s.voided_at is None},
        revealed=revealed or {},
    ), status


def refused_page(case_id: int, problem: OperationError, form, **extra):
    """The case page again after an operation said no: fields marked, reasons shown."""
    if isinstance(problem, Conflict):
        flash(CONFLICT_MESSAGE, "warning")
        return case_page(case_id, status=409)
    reasons = problem.reasons if isinstance(problem, Refused) else [problem.message]
    if isinstance(problem, InvalidInput) and form is not None:
        forms.show_errors(form, problem.fields)
    return case_page(case_id, status=problem.status, problem=reasons, **extra)


def version_of(raw) -> int | None:
    """The version the user saw, in ASCII digits, or None (the operation then asks for it)."""
    return whole_number(raw)


# ---------------------------------------------------------------------------- routes


@bp.route("/")
@login_required
def index():
    """The cases of the user's jurisdiction, filtered and paginated."""
    try:
        filters, page, per_page = parse_filters(request.args)
    except InvalidInput as problem:
        return render_list(None, problem.message), 400
    if "per_page" not in request.args:
        per_page = current_app.config["CASES_PER_PAGE"]
    return render_list(list_cases(current_user, filters, page, per_page))


def render_list(result, problem: str | None = None):
    """The list page with its filter bar."""
    args = request.args.to_dict()
    args.pop("page", None)
    args.pop("cursor", None)
    sort = args.get("sort") or DEFAULT_SORT
    sorts = forms.sort_choices()
    return render_template(
        "cases/list.html",
        result=result,
        problem=problem,
        args=args,
        states=forms.state_choices(),
        categories=[("", _("全部类型")), *choices_of("categories")],
        sorts=sorts,
        sort=sort,
        sort_caption=_("排序：%(order)s", order=dict(sorts).get(sort, "")),
        total_caption=total_caption(result) if result else "",
        # Two levels below the top and the way to the chosen region: a city's 2 459 grids
        # made the admin's page 20–230 ms slower (bench/README.md).
        regions=forms.region_choices(current_user, depth=2, near=args.get("region")),
    )


def total_caption(result) -> str:
    """共 N 件 when counted; 约 N 件 (two significant digits) when estimated; N+ 件 when
    the count stopped at its cap and there is no better estimate."""
    if result.total_exact:
        return _("共 %(n)s 件", n=result.total)
    if result.total > result.total_at_least:
        rounded = round(result.total, 2 - len(str(result.total)))
        return _("约 %(n)s 件", n=f"{rounded:,}")
    return _("%(n)s+ 件", n=f"{result.total_at_least - 1:,}")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """受理登记: register a dispute and its parties."""
    if not policy.can_intake(current_user):
        abort(403)
    form = forms.IntakeForm(request.form if request.method == "POST" else None, user=current_user)
    status, problems = 200, []
    if form.sent:
        try:
            case = ops.create_case(current_user, form.payload())
        except InvalidInput as problem:
            status = 400
            problems = form.show_errors(problem.fields) if problem.fields else [problem.message]
        else:
            flash(_("已登记纠纷，案号 %(number)s。", number=case.number), "success")
            return redirect(url_for(".detail", case_id=case.id))
    return render_template(
        "cases/new.html",
        form=form,
        invalid=status == 400,
        problems=problems,
        blank_row=forms.blank_party_row(),
        min_parties=forms.MIN_PARTIES,
    ), status


@bp.route("/<int:case_id>")
@login_required
def detail(case_id: int):
    """One case: parties, timeline, records, agreement and what the user may do next.

    `?open=<trigger>` shows that trigger's form opened (the pointer to drafting links so).
    A judge has her own page of a case, with what the court needs; a case her court has not
    received is 404 here as there.
    """
    if current_user.role == "judge":
        ops.get_case(current_user, case_id)
        return redirect(url_for("court.case", case_id=case_id))
    return case_page(case_id, open_trigger=request.args.get("open"))


@bp.route("/<int:case_id>/transitions/<trigger>", methods=["POST"])
@login_required
def transition(case_id: int, trigger: str):
    """Fire one trigger with what its form asked for."""
    if trigger not in TRANSITION_BY_TRIGGER or trigger in OWN_PAGES:
        abort(404)
    form = trigger_form(trigger, request.form)
    try:
        ops.apply_transition(
            current_user, case_id, trigger, version_of(request.form.get("version")), form.payload()
        )
    except (InvalidInput, Refused, Conflict) as problem:
        return refused_page(case_id, problem, form, submitted=form, open_trigger=trigger)
    flash(_("已完成“%(action)s”。", action=trigger_label(trigger)), "success")
    return redirect(url_for(".detail", case_id=case_id))


@bp.route("/<int:case_id>/signatures", methods=["POST"])
@login_required
def sign(case_id: int):
    """Record one signature on the drafted agreement."""
    form = forms.SignatureForm(request.form, prefix="sign")
    try:
        signature = ops.sign_agreement(current_user, case_id, form.payload())
    except (InvalidInput, Refused, Conflict) as problem:
        return refused_page(case_id, problem, form, sign_form=form)
    if signature.agreement.signers_missing():
        flash(_("签名已登记。"), "success")
    else:
        flash(_("签名已登记。各方当事人和调解员均已签署，可以加盖调委会印章。"), "success")
    return redirect(url_for(".detail", case_id=case_id, _anchor="agreement"))


@bp.route("/<int:case_id>/agreement/seal", methods=["POST"])
@login_required
def seal(case_id: int):
    """Apply the committee's seal, once the user has entered her password again."""
    form = forms.SealForm(request.form, prefix="seal")
    try:
        version = version_of(request.form.get("version"))
        ops.seal_agreement(current_user, case_id, version, password=form.password.data or "")
    except (InvalidInput, Refused, Conflict) as problem:
        return refused_page(case_id, problem, form, seal_form=form)
    flash(_("已加盖调委会印章，调解协议已生效。盖章原件可以打开、打印或下载。"), "success")
    return redirect(url_for(".detail", case_id=case_id, _anchor="agreement"))


@bp.route("/<int:case_id>/mediator", methods=["POST"])
@login_required
def assign(case_id: int):
    """Give the case to another mediator."""
    form = forms.AssignForm(request.form, prefix="assign")
    try:
        case = ops.assign_mediator(current_user, case_id, form.mediator.data)
    except (InvalidInput, Refused, Conflict) as problem:
        return refused_page(case_id, problem, form, assign_form=form)
    flash(_("已指派调解员 %(name)s。", name=case.mediator.display_name), "success")
    return redirect(url_for(".detail", case_id=case_id))


@bp.route("/<int:case_id>/parties/<int:party_id>/reveal", methods=["POST"])
@login_required
def reveal(case_id: int, party_id: int):
    """Show one party's ID number or phone in full; the operation logs that it was seen."""
    field = request.form.get("field", "")
    value = ops.reveal_party_field(current_user, case_id, party_id, field)
    return case_page(case_id, revealed={(party_id, field): value})


@bp.route("/<int:case_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(case_id: int):
    """调解记录: record a mediation session."""
    allowed, saved = policy.can_record_session, _("已保存调解记录。")
    return record_page(case_id, forms.SessionForm, ops.record_session, allowed, saved)


@bp.route("/<int:case_id>/visits/new", methods=["GET", "POST"])
@login_required
def new_visit(case_id: int):
    """回访记录: record a follow-up visit."""
    saved = _("已保存回访记录。")
    return record_page(case_id, forms.VisitForm, ops.record_visit, policy.can_record_visit, saved)


def record_page(case_id: int, form_class, operation, allowed, saved: str):
    """A session or visit form: show it, record it, or show what to fix.

    allowed(user) is the policy's answer for the act; a role it refuses gets 403.
    """
    if not allowed(current_user):
        abort(403)
    case = ops.get_case(current_user, case_id)
    form = form_class(request.form if request.method == "POST" else None)
    form.prepare(case)
    status, problems = 200, []
    if form.sent:
        try:
            operation(current_user, case_id, form.payload())
        except InvalidInput as problem:
            status = 400
            problems = (
                forms.show_errors(form, problem.fields) if problem.fields else [problem.message]
            )
        except Refused as problem:
            status, problems = 422, problem.reasons
        except Conflict:
            status, problems = 409, [CONFLICT_MESSAGE]
        else:
            flash(saved, "success")
            return redirect(url_for(".detail", case_id=case_id))
    else:
        form.prefill(current_user)
    return render_template(
        form.template, case=case, form=form, invalid=status == 400, problems=problems
    ), status


# The agreement and the application for judicial confirmation have pages of their own.
from mediation.cases import application, drafting  # noqa: E402,F401
