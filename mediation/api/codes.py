"""GET /api/v1/codes: the code lists, states and triggers, each identifier with its label."""

from mediation.api import bp
from mediation.api.schemas import CodesOut
from mediation.models.cases import (
    PARTY_KINDS,
    PARTY_ROLES,
    SATISFACTION,
    SESSION_OUTCOMES,
    SEXES,
    SIGNATURE_METHODS,
)
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
    "party_roles": PARTY_ROLES,
    "party_kinds": PARTY_KINDS,
    "sexes": SEXES,
    "session_outcomes": SESSION_OUTCOMES,
    "satisfaction": SATISFACTION,
    "signature_methods": SIGNATURE_METHODS,
}


def coded(pairs) -> list[dict]:
    """(identifier, label) pairs as objects."""
    return [{"identifier": identifier, "label": label} for identifier, label in pairs]


def all_codes() -> dict:
    """Every list, in the shape of CodesOut."""
    return {
        **{name: coded(pairs) for name, pairs in CODE_LISTS.items()},
        "states": [
            {"identifier": s.name, "label": s.label, "level": s.level, "terminal": s.terminal}
            for s in STATES
        ],
        "triggers": [
            {
                "identifier": t.trigger,
                "label": t.label,
                "sources": list(t.sources),
                "dest": t.dest or None,
                "destinations": list(t.destinations),
                "roles": list(t.roles),
                "needs": list(t.needs),
            }
            for t in TRANSITIONS
        ],
    }


@bp.route("/codes", methods=["GET"])
@bp.response(200, CodesOut)
@bp.doc(summary="代码表", description="纠纷类型、案件来源、状态、操作及各类理由代码，附中文名称。")
def codes():
    """The code lists of DESIGN §5, the states and triggers of §2, and the reason lists."""
    return all_codes()
