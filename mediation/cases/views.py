"""The case pages: list, intake, detail with its trigger forms, sessions, visits, signatures.

Each view parses its form, calls one operation and redirects or renders. What the operation
refuses comes back to the same page: bad input with the fields marked (400), a guard's
reasons (422), a stale version (409). Out of scope is 404 and a role that may not is 403,
answered by the app's error pages.
"""

from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from mediation.cases import forms
from mediation.cases import operations as ops
from mediation.cases.queries import list_cases, parse_filters
from mediation.extensions import db
from mediation.models import AuditEvent, User
from mediation.models.types import utcnow
from mediation.models.users import ROLE_LABELS
from mediation.operation_errors import Conflict, InvalidInput, OperationError, Refused
from mediation.privacy import mask_id_number, mask_phone
from workflows import (
    CATEGORIES,
    DECLINE_REASONS,
    ESCALATE_REASONS,
    EXCLUDED_MATTERS,
    OTHER_ROUTES,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    STATE_BY_NAME,
    SYSTEM,
    TRANSITION_BY_TRIGGER,
    available_triggers,
)
from workflows.deadlines import CHINA_TZ

bp = Blueprint("cases", __name__)

CONFLICT_MESSAGE = "案件已被他人更新，请刷新后重试"
ACTION_LABELS = {
    "create": "登记纠纷",
    "session": "记录调解",
    "visit": "登记回访",
    "sign": "协议签名",
    "reveal": "查看完整号码",
    "assign_mediator": "指派调解员",
    **{t.trigger: t.label for t in TRANSITION_BY_TRIGGER.values()},
}
FIELD_LABELS = {"id_number": "身份证号码", "phone": "联系电话"}
CODE_LABELS = {
    "reason_code": dict(DECLINE_REASONS + ESCALATE_REASONS),
    "ground": dict(REJECT_GROUNDS_AFTER_ACCEPTANCE),
    "matter": dict(EXCLUDED_MATTERS),
}
SOON = timedelta(days=2)
# Far beyond any real list, and small enough that the row offset fits a 64-bit integer.


# ---------------------------------------------------------------------------- template helpers


@bp.app_template_filter("china_time")
def china_time(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC moment on China's clock."""
    return moment.astimezone(CHINA_TZ).strftime(fmt) if moment else ""


@bp.app_template_filter("yuan")
def yuan(amount) -> str:
    """An amount in yuan: 3,500.00 元."""
    return "" if amount is None else f"{amount:,.2f} 元"


bp.add_app_template_filter(mask_id_number, "mask_id")
bp.add_app_template_filter(mask_phone, "mask_phone")
bp.add_app_template_global(ops.INTAKE_ROLES, "INTAKE_ROLES")


@bp.app_template_global()
def deadline_state(moment, overdue: bool = False) -> str | None:
    """overdue (red), soon (amber: within two days), ok, or None when no clock runs."""
    if moment is None:
        return None
    now = utcnow()
    if overdue or moment < now:
        return "overdue"
    return "soon" if moment - now <= SOON else "ok"


@bp.app_template_global()
def state_label(name: str | None) -> str:
    """A state's Chinese label."""
    state = STATE_BY_NAME.get(name or "")
    return state.label if state else (name or "")


@bp.app_template_global()
def code_label(kind: str, code: str | None) -> str:
    """The label of a reason code, a rejection ground or an excluded matter."""
    return CODE_LABELS.get(kind, {}).get(code or "", code or "")


@bp.app_template_global()
def trigger_label(trigger: str) -> str:
    """A trigger's Chinese label."""
    return ACTION_LABELS.get(trigger, trigger)


def event_details(event: AuditEvent, parties: dict, signers: dict, names: dict) -> list[str]:
    """The parts of an audit event's payload worth reading on the timeline."""
    payload = event.payload or {}
    details = []
    for key in CODE_LABELS:
        if payload.get(key):
            details.append(code_label(key, payload[key]))
    if payload.get("routes_told"):
        routes = dict(OTHER_ROUTES)
        told = payload["routes_told"]
        told = [told] if isinstance(told, str) else told
        details.append("已告知：" + "、".join(routes.get(r, str(r)) for r in told))
    if payload.get("mediator"):
        details.append(f"调解员：{names.get(payload['mediator'], payload['mediator'])}")
    if payload.get("court_case_number"):
        details.append(f"法院案号：{payload['court_case_number']}")
    if event.action == "sign":
        details.append(signers.get(payload.get("signer"), payload.get("signer", "")))
    if event.action == "reveal":
        who = parties.get(payload.get("party_id"), "")
        details.append(f"{who}的{FIELD_LABELS.get(payload.get('field'), '')}")
    if event.action == "visit" and "performed" in payload:
        details.append("协议已履行" if payload["performed"] else "协议未履行")
    return details


def timeline(case) -> list[dict]:
    """The case's audit events, oldest first, ready for the page."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.case_id == case.id)
        .options(so.joinedload(AuditEvent.actor))
        .order_by(AuditEvent.seq)
    ).all()
    parties = {p.id: f"{p.role_label}{p.name}" for p in case.parties}
    signers = case.agreement.required_signers() if case.agreement else {}
    usernames = {e.payload.get("mediator") for e in events if (e.payload or {}).get("mediator")}
    names = dict(
        db.session.execute(
            sa.select(User.username, User.display_name).where(User.username.in_(usernames))
        ).all()
    )
    return [
        {
            "event": event,
            "actor": event.actor.display_name if event.actor else "系统",
            "role": ROLE_LABELS.get(event.actor_role, "系统" if event.actor_role == SYSTEM else ""),
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
    assign_form=None,
    revealed: dict | None = None,
):
    """Render the case page, with a form that failed kept as the user filled it in."""
    case = ops.get_case(current_user, case_id)
    role = current_user.role
    triggers = available_triggers(case.status, role)
    trigger_forms = {}
    for trigger in triggers:
        opened = trigger == open_trigger and submitted is not None
        trigger_forms[trigger] = submitted if opened else forms.trigger_form(trigger)
        trigger_forms[trigger].prepare(case)
    if case.status == "agreement_drafted" and role in ops.MEDIATOR_ROLES:
        sign_form = sign_form or forms.SignatureForm(prefix="sign")
        sign_form.prepare(case)
    else:
        sign_form = None
    if role in ops.ASSIGN_ROLES and not case.is_terminal:
        assign_form = assign_form or forms.AssignForm(prefix="assign")
        assign_form.prepare(case)
    else:
        assign_form = None
    signatures = case.agreement.signatures if case.agreement else []
    return render_template(
        "cases/detail.html",
        case=case,
        timeline=timeline(case),
        triggers=triggers,
        trigger_forms=trigger_forms,
        open_trigger=open_trigger,
        problem=problem,
        sign_form=sign_form,
        assign_form=assign_form,
        can_reveal=role in ops.REVEAL_ROLES,
        can_record_session=role in ops.RECORDING_ROLES and case.status in ops.SESSION_STATES,
        can_record_visit=role in ops.RECORDING_ROLES and case.status in ops.VISIT_STATES,
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
    """The version the user saw, or None (the operation then asks for it)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


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
    return render_template(
        "cases/list.html",
        result=result,
        problem=problem,
        args=args,
        states=forms.STATE_CHOICES,
        categories=[("", "全部类型"), *CATEGORIES],
        regions=forms.region_choices(current_user),
        can_intake=current_user.role in ops.INTAKE_ROLES,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """受理登记: register a dispute and its parties."""
    if current_user.role not in ops.INTAKE_ROLES:
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
            flash(f"已登记纠纷，案号 {case.number}。", "success")
            return redirect(url_for(".detail", case_id=case.id))
    return render_template(
        "cases/new.html",
        form=form,
        invalid=status == 400,
        problems=problems,
        blank_row=forms.blank_party_row(),
    ), status


@bp.route("/<int:case_id>")
@login_required
def detail(case_id: int):
    """One case: parties, timeline, records, agreement and what the user may do next."""
    return case_page(case_id)


@bp.route("/<int:case_id>/transitions/<trigger>", methods=["POST"])
@login_required
def transition(case_id: int, trigger: str):
    """Fire one trigger with what its form asked for."""
    if trigger not in TRANSITION_BY_TRIGGER:
        abort(404)
    form = forms.trigger_form(trigger, request.form)
    try:
        ops.apply_transition(
            current_user, case_id, trigger, version_of(request.form.get("version")), form.payload()
        )
    except (InvalidInput, Refused, Conflict) as problem:
        return refused_page(case_id, problem, form, submitted=form, open_trigger=trigger)
    flash(f"已完成“{trigger_label(trigger)}”。", "success")
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
    if signature.agreement.case.status == "agreement_effective":
        flash("签名已登记。各方均已签署，调解协议已生效。", "success")
    else:
        flash("签名已登记。", "success")
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
    flash(f"已指派调解员 {case.mediator.display_name}。", "success")
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
    return record_page(case_id, forms.SessionForm, ops.record_session, "已保存调解记录。")


@bp.route("/<int:case_id>/visits/new", methods=["GET", "POST"])
@login_required
def new_visit(case_id: int):
    """回访记录: record a follow-up visit."""
    return record_page(case_id, forms.VisitForm, ops.record_visit, "已保存回访记录。")


def record_page(case_id: int, form_class, operation, saved: str):
    """A session or visit form: show it, record it, or show what to fix."""
    if current_user.role not in ops.RECORDING_ROLES:
        abort(403)
    case = ops.get_case(current_user, case_id)
    form = form_class(request.form if request.method == "POST" else None)
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
