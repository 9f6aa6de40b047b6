"""GET /api/v1/codes: the code lists, states and triggers, each identifier with its label."""

from mediation.api import bp
from mediation.api.schemas import CodesOut
from mediation.models import cases
from workflows import (
    AGREEMENT_FIELDS,
    CATEGORIES,
    DECLINE_REASONS,
    ESCALATE_REASONS,
    EXCLUDED_MATTERS,
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
    # Party roles and kinds, sexes, session outcomes, satisfaction and signature methods.
    **cases.CODE_LISTS,
}


@bp.route("/codes", methods=["GET"])
@bp.response(200, CodesOut)
@bp.doc(summary="代码表", description="纠纷类型、案件来源、状态、操作及各类理由代码，附中文名称。")
def codes():
    """The code lists of DESIGN §5, the states and triggers of §2, and the reason lists."""
    return {**CODE_LISTS, "states": STATES, "triggers": TRANSITIONS}
