"""GET /api/v1/codes: the code lists, states, triggers and clocks, each identifier with its
label."""

from mediation.api import bp
from mediation.api.schemas import CodesOut
from mediation.models import cases
from workflows import (
    AGREEMENT_FIELDS,
    CATEGORIES,
    CLOCKS,
    CONSENT_METHODS,
    DECLINE_REASONS,
    ESCALATE_REASONS,
    EXCLUDED_MATTERS,
    MATERIAL_KINDS,
    OTHER_ROUTES,
    REJECT_GROUNDS_AFTER_ACCEPTANCE,
    REJECT_GROUNDS_BEFORE_ACCEPTANCE,
    ROLES,
    SOURCES,
    STATES,
    TRANSITIONS,
)

CODE_LISTS = {
    "categories": CATEGORIES,
    "sources": SOURCES,
    "roles": ROLES,
    "decline_reasons": DECLINE_REASONS,
    "escalate_reasons": ESCALATE_REASONS,
    "reject_grounds_before_acceptance": REJECT_GROUNDS_BEFORE_ACCEPTANCE,
    "reject_grounds_after_acceptance": REJECT_GROUNDS_AFTER_ACCEPTANCE,
    "excluded_matters": EXCLUDED_MATTERS,
    "other_routes": OTHER_ROUTES,
    "agreement_fields": AGREEMENT_FIELDS,
    "consent_methods": CONSENT_METHODS,
    "material_kinds": MATERIAL_KINDS,
    # Party roles and kinds, sexes, session outcomes, satisfaction and signature methods.
    **cases.CODE_LISTS,
}


@bp.route("/codes", methods=["GET"])
@bp.response(200, CodesOut)
@bp.doc(
    summary="代码表",
    description="纠纷类型、案件来源、状态、操作、期限（clocks）及各类理由代码，附中文名称；"
    "司法确认的同意方式"
    "（consent_methods）、申请材料类别（material_kinds）、不予受理理由"
    "（reject_grounds_before_acceptance）和驳回理由（reject_grounds_after_acceptance）。",
)
def codes():
    """The code lists of DESIGN §5, the states and triggers of §2, and the reason lists."""
    clocks = [(clock.key, clock.label) for clock in CLOCKS]
    return {**CODE_LISTS, "states": STATES, "triggers": TRANSITIONS, "clocks": clocks}
