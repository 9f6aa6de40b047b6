"""Who may do what to a case: one answer for the operations, the views and the templates.

Each `can_…(user, case=None)` answers for the user's role alone when no case is given (may
this kind of user ever do it: the operation refuses with 403 when not), and for the role and
the case's state together when a case is given (is it possible on this case now: the
operation refuses with 422, the page hides the button). Jurisdiction is not asked here:
outside it a case does not exist for the user (404, `access.scoping`); the one exception is
`can_decide`, which also asks that the case be before the judge's own court.
"""

from mediation.errors import Forbidden
from workflows import TRANSITION_BY_TRIGGER, available_triggers

INTAKE_ROLES = ("grid_worker", "mediator", "street_officer")
RECORDING_ROLES = ("grid_worker", "mediator", "street_officer")
REVEAL_ROLES = ("mediator", "street_officer", "judge")
MEDIATOR_ROLES = ("mediator", "street_officer")
SESSION_STATES = ("grid_mediation", "street_mediation", "agreement_drafted")
VISIT_STATES = ("agreement_effective", "confirmed", "confirmation_rejected")


def ensure(allowed: bool, what: str) -> None:
    """Refuse with 403 when the policy said no: "您的角色不能<what>。"."""
    if not allowed:
        raise Forbidden(f"您的角色不能{what}。")


def can_intake(user) -> bool:
    """Register a dispute (受理登记)."""
    return user.role in INTAKE_ROLES


def can_record_session(user, case=None) -> bool:
    """Record a mediation session: while the case is under mediation or its draft awaits."""
    return user.role in RECORDING_ROLES and (case is None or case.status in SESSION_STATES)


def can_record_visit(user, case=None) -> bool:
    """Record a follow-up visit: once an agreement is in force."""
    return user.role in RECORDING_ROLES and (case is None or case.status in VISIT_STATES)


def can_sign(user, case=None) -> bool:
    """Record a signature (a party's or the mediator's) on the drafted agreement."""
    drafted = case is None or (case.status == "agreement_drafted" and case.agreement is not None)
    return user.role in MEDIATOR_ROLES and drafted


def seals_for(user, case) -> bool:
    """Is the user one who holds this case's committee seal? Its committee's mediators, and
    for a street committee's case the street officers too (DESIGN §4)."""
    if user.role == "mediator":
        return user.committee_id == case.committee_id
    return user.role == "street_officer" and case.committee.region.level == "street"


def can_seal(user, case=None) -> bool:
    """Apply the committee's seal, which makes the agreement effective: once every party and
    the mediator have signed, by one who holds the seal (seals_for)."""
    if user.role not in MEDIATOR_ROLES:
        return False
    if case is None:
        return True
    drafted = case.status == "agreement_drafted" and case.agreement is not None
    return drafted and seals_for(user, case) and not case.agreement.signers_missing()


def can_assign(user, case=None) -> bool:
    """Give the case to another mediator of the area: until it is concluded."""
    return user.role in MEDIATOR_ROLES and (case is None or not case.is_terminal)


def can_dispatch(user) -> bool:
    """Hand an escalated case to a street mediator (待指派): the street officer's job, as she
    receives her street's escalations (DESIGN §1)."""
    return user.role == "street_officer"


def can_reveal(user, case=None) -> bool:
    """See a party's full ID number or phone (a logged act)."""
    return user.role in REVEAL_ROLES


def can_mediate(user) -> bool:
    """Be named the mediator of a case."""
    return user.active and user.role in MEDIATOR_ROLES


def triggers_for(user, case) -> list[str]:
    """The triggers the user may offer on this case now, in the table's order."""
    return available_triggers(case.status, user.role)


def can_fire(user, trigger: str, case=None) -> bool:
    """Fire a trigger of the state machine (its guard may still refuse for missing facts)."""
    if case is not None:
        return trigger in triggers_for(user, case)
    transition = TRANSITION_BY_TRIGGER.get(trigger)
    return transition is not None and user.role in transition.roles


COURT_STATES = ("confirmation_requested", "confirmation_accepted")


def can_apply_confirmation(user, case=None) -> bool:
    """File the parties' joint application for judicial confirmation: once the agreement is
    in force (the guards still check the window, the matter and the consents)."""
    return user.role in MEDIATOR_ROLES and (case is None or case.status == "agreement_effective")


def can_decide(user, case=None) -> bool:
    """Decide on an application (accept, confirm, reject): a judge of the court it was sent
    to, while it waits for her court."""
    if user.role != "judge":
        return False
    return case is None or (case.status in COURT_STATES and case.court_id == user.court_id)


def can_extend_review(user, case=None) -> bool:
    """Record the approved extension of the review period (延长审查期限): once, after
    acceptance, by a judge of that court."""
    if case is None:
        return user.role == "judge"
    application = case.application
    return (
        can_decide(user, case)
        and case.status == "confirmation_accepted"
        and application is not None
        and application.extended_at is None
    )


def can_administer(user) -> bool:
    """Manage users and units, and see the whole city's figures."""
    return user.role == "admin"


def can_manage_map(user) -> bool:
    """See the region and committee tree of one's jurisdiction, add a grid or a committee to
    it, rename a region or a committee: the admin (a district's admin, her district)."""
    return user.role == "admin"


def can_view_statistics(user) -> bool:
    """Read the monthly statistics of one's jurisdiction: the admin the whole city's, a street
    officer her street's. Mediators, grid workers and judges see none."""
    return user.role in ("admin", "street_officer")


TEMPLATE_QUESTIONS = (
    can_intake,
    can_record_session,
    can_record_visit,
    can_sign,
    can_seal,
    seals_for,
    can_assign,
    can_reveal,
    can_apply_confirmation,
    can_decide,
    can_extend_review,
    can_fire,
    can_administer,
    can_manage_map,
    can_view_statistics,
)


def init_app(app) -> None:
    """Let templates ask the same questions: {% if can_intake(current_user) %}."""
    for question in TEMPLATE_QUESTIONS:
        app.add_template_global(question, question.__name__)
