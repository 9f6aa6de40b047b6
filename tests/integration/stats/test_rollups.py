"""The roll-ups the operations keep equal a fresh count of the case tables, whatever happens.

Hypothesis lives a few cases through random operations at random moments spread over four
months (intake, acceptance, escalation, sessions, agreements and seals, visits, the court's
decisions, withdrawals, mediator changes …; refusals included). Afterwards every month's
report from the roll-ups equals the one counted afresh, in both views and at the city, the
street and the grid; and `rebuild` computes exactly the rows the operations kept.
"""

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mediation.admin.regions import add_grid
from mediation.cases import operations as ops
from mediation.errors import OperationError
from mediation.extensions import db
from mediation.models import (
    Case,
    Region,
    StatsRollup,
)
from mediation.stats import journal
from mediation.stats.report import monthly_report
from mediation.stats.rollups import rebuild
from tests.database import reset_to_demo_city
from tests.factories import (
    GRID,
    NEIGHBOUR_GRID,
    STREET,
    beijing,
    case_data,
    fire,
    gen_session,
    gen_visit,
    payload_for,
    reload,
    sign_all,
    unit,
    user,
)
from tests.rollup_rows import nonzero_rows

START = beijing(2026, 1, 25, 9)
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")
PLACES = (
    ("mediator_demo", GRID),
    ("grid_demo", GRID),
    ("mediator_demo", NEIGHBOUR_GRID),
)
TRIGGERS = (
    "accept",
    "decline",
    "escalate",
    "draft_agreement",
    "reopen",
    "request_confirmation",
    "accept_application",
    "confirm",
    "reject_confirmation",
    "withdraw_confirmation",
    "remediate",
    "terminate",
    "withdraw",
    "close",
)
ACTIONS = (*TRIGGERS, "create", "session", "sign_all", "visit", "assign", *["advance"] * 20)
# The next step of a case that goes well (happy) or not, for "advance".
NEXT = {
    "intake": ("accept", "accept"),
    "grid_mediation": ("draft_agreement", "escalate"),
    "street_mediation": ("draft_agreement", "terminate"),
    "agreement_drafted": ("sign_all", "reopen"),
    "agreement_effective": ("request_confirmation", "visit"),
    "confirmation_requested": ("accept_application", "withdraw_confirmation"),
    "confirmation_accepted": ("confirm", "reject_confirmation"),
    "confirmed": ("visit", "close"),
    "confirmation_rejected": ("remediate", "close"),
}
JUDGE = ("accept_application", "confirm", "reject_confirmation")

steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 2),  # which case
        st.integers(1, 240),  # hours after the step before
        st.sampled_from((True, True, True, False)),  # goes well: a visit performed, satisfied …
    ),
    min_size=12,
    max_size=30,
)


def act(cases: list[Case], action: str, index: int, now, happy: bool) -> None:
    """One operation, as the user who would do it; a refusal changes nothing."""
    if action == "create" or len(cases) <= index % 3 and len(cases) < 3:
        clerk, grid = PLACES[index % len(PLACES)]
        cases.append(ops.create_case(user(clerk), case_data(grid), now=now))
        return
    case = reload(cases[index % len(cases)])
    if action == "advance":
        action = NEXT.get(case.status, ("session", "session"))[0 if happy else 1]
        if action == "draft_agreement" and not case.sessions:
            action = "session"
    handler = case.mediator.username if case.mediator else "mediator_demo"
    if action == "session":
        gen_session(case, handler, now)
    elif action == "sign_all":
        if case.status == "agreement_drafted":
            sign_all(case, handler, now)
    elif action == "visit":
        satisfaction = "satisfied" if happy else "unsatisfied"
        gen_visit(case, handler, now, performed=happy, satisfaction=satisfaction)
    elif action == "assign":
        ops.assign_mediator(user("street_demo"), case.id, "mediator_demo", now=now)
    else:
        who = "judge_demo" if action in JUDGE else handler
        fire(case, who, action, now, **payload_for(action, case, now))


@settings(
    max_examples=12,
    deadline=None,
    # Each example drives real operations: a failing one is reported as found, not shrunk.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_rollups_equal_a_fresh_count_after_random_operations(app, steps):
    with app.app_context():
        reset_to_demo_city()
        cases: list[Case] = []
        now = START
        for action, index, hours, happy in steps:
            now += timedelta(hours=hours)
            try:
                act(cases, action, index, now, happy)
            except OperationError:
                db.session.rollback()
        admin = user("admin_demo")
        for code in (None, STREET, GRID):
            for month in MONTHS:
                for view in ("period", "cohort"):
                    parts = ("indicators", "breakdowns")
                    if month == MONTHS[-1]:  # its year before holds every other month
                        parts += ("comparisons", "trend")
                    kept = monthly_report(admin, month, code, view, sections=parts)
                    fresh = monthly_report(admin, month, code, view, "raw", sections=parts)
                    kept.pop("generated_at"), fresh.pop("generated_at")
                    assert kept == fresh, (code, month, view, steps)
        kept_rows = nonzero_rows()
        rebuild()
        assert nonzero_rows() == kept_rows
        db.session.remove()


def test_a_grid_added_on_the_map_counts_in_every_region_above_it(app):
    """The roll-ups of a case on a grid added by the admin reach its community, street,
    district and city (the grid's lineage is read, not taken from before the grid existed)."""
    community = unit("region", GRID).parent.code
    grid = add_grid(user("admin_demo"), {"parent": community, "name": "新建网格"})
    case = ops.create_case(user("street_demo"), case_data(grid.code), now=START)
    fire(case, "mediator_demo", "accept", START + timedelta(hours=1), mediator="mediator_demo")
    fire(case, "mediator_demo", "escalate", START + timedelta(hours=2))
    journal.fold_pending()
    counted = db.session.execute(
        sa.select(Region.code, sa.func.sum(StatsRollup.escalated))
        .join(Region, Region.id == StatsRollup.region_id)
        .where(StatsRollup.view == "period")
        .group_by(Region.code)
    ).all()
    codes = [code for code in grid.path.split("/") if code]
    assert dict(counted) == dict.fromkeys(codes, 1)
