"""The monthly report's indicators on a hand-built March 2026 whose every figure is known.

Each case below is driven through the real operations at a chosen moment (China time); the
comments say what it adds to March in each view. The expected numbers are counted by hand,
not by the code under test, and the roll-ups must give exactly what a fresh count of the
case tables gives, for every month the cases touch.
"""

import pytest

from mediation.errors import Forbidden, InvalidInput, NotFound
from mediation.stats.report import SECTIONS, monthly_report
from tests.factories import (
    OTHER_COMMUNITY_GRID,
    STREET,
    beijing,
    fire,
    gen_case,
    gen_session,
    gen_visit,
    reload,
    sign_all,
    user,
)
from tests.factories import agreement as agreement_fields

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")


def build_march():
    """The cases of the hand-built month (and its neighbours at the boundaries)."""
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9))  # c1: settled at grid
    gen_case(status="agreement_effective", now=beijing(2026, 3, 3, 9), via="street_mediation")
    gen_case(status="mediation_failed", now=beijing(2026, 3, 4, 9))  # c3: ended at grid
    gen_case(status="withdrawn", now=beijing(2026, 3, 5, 9))  # c4: from intake, no clock
    gen_case(status="declined", now=beijing(2026, 3, 6, 9))  # c5
    gen_case(status="grid_mediation", now=beijing(2026, 3, 7, 9))  # c6: pending
    # c7: received in February, settled at grid on 9 March, after its grid deadline (5 March).
    late = gen_case(status="grid_mediation", now=beijing(2026, 2, 26, 9))
    gen_session(late, now=beijing(2026, 3, 9, 9))
    fire(
        reload(late),
        "mediator_demo",
        "draft_agreement",
        beijing(2026, 3, 9, 10),
        **agreement_fields(),
    )
    sign_all(reload(late), now=beijing(2026, 3, 9, 11))
    gen_case(status="intake", now=beijing(2026, 3, 31, 23, 30))  # c8: March in Beijing
    gen_case(status="intake", now=beijing(2026, 4, 1, 0, 10))  # c9: April
    gen_case(status="intake", now=beijing(2026, 2, 28, 23, 55))  # c10: February
    gen_case(status="closed", now=beijing(2026, 3, 10, 9))  # c11: visited, performed, satisfied
    gen_case(status="confirmed", now=beijing(2026, 3, 11, 9))  # c12: applied, confirmed
    gen_case(status="confirmation_rejected", now=beijing(2026, 3, 12, 9))  # c13: applied
    unhappy = gen_case(status="agreement_effective", now=beijing(2026, 3, 13, 9))  # c14
    gen_visit(unhappy, now=beijing(2026, 3, 14, 9), performed=False, satisfaction="unsatisfied")
    return late


# indicator → (numerator, denominator, value) by hand; a count's value is its numerator.
MARCH = {
    "period": {
        "received": (11, None, 11),  # c1–c6, c8, c11–c14
        "succeeded": (7, None, 7),  # c1, c2, c7, c11–c14
        "success_rate": (7, 11, 7 / 11),
        "concluded": (10, None, 10),  # 7 + failed + withdrawn + declined
        "concluded_success_rate": (7, 10, 0.7),
        "grid_resolution_rate": (6, 7, 6 / 7),  # all but c2
        "escalation_rate": (1, 11, 1 / 11),
        "on_time_rate": (7, 8, 7 / 8),  # c7 late; c4, c5 had no clock
        "on_time_rate_grid": (6, 7, 6 / 7),
        "on_time_rate_street": (1, 1, 1.0),
        "median_days_to_agreement": (None, 7, 0.0),  # six on the day, c7 after 11 days
        "agreement_amount": (24500.0, None, 24500.0),  # 7 × 3500 元
        "confirmation_applied": (2, None, 2),
        "confirmed": (1, None, 1),
        "confirmation_rate": (1, 2, 0.5),
        "performance_rate": (1, 2, 0.5),
        "satisfaction_rate": (1, 2, 0.5),
    },
    "cohort": {
        "received": (11, None, 11),
        "succeeded": (6, None, 6),  # c7 belongs to February's cohort
        "success_rate": (6, 11, 6 / 11),
        "concluded": (9, None, 9),
        "concluded_success_rate": (6, 9, 6 / 9),
        "grid_resolution_rate": (5, 6, 5 / 6),
        "escalation_rate": (1, 11, 1 / 11),
        "on_time_rate": (7, 7, 1.0),
        "on_time_rate_grid": (6, 6, 1.0),
        "on_time_rate_street": (1, 1, 1.0),
        "median_days_to_agreement": (None, 6, 0.0),
        "agreement_amount": (21000.0, None, 21000.0),
        "confirmation_applied": (2, None, 2),
        "confirmed": (1, None, 1),
        "confirmation_rate": (1, 2, 0.5),
        "performance_rate": (1, 2, 0.5),
        "satisfaction_rate": (1, 2, 0.5),
    },
}


def figures(report: dict) -> dict:
    """{indicator: (numerator, denominator, value)} of a report."""
    return {
        key: (i["numerator"], i["denominator"], i["value"])
        for key, i in report["indicators"].items()
    }


def test_the_hand_built_month_in_both_views_and_its_neighbours():
    late = build_march()
    assert reload(late).grid_deadline_at < beijing(2026, 3, 6)  # why c7 is late
    admin = user("admin_demo")
    for view, expected in MARCH.items():
        got = figures(monthly_report(admin, "2026-03", view=view))
        assert set(got) == set(expected)
        for key, (numerator, denominator, value) in expected.items():
            assert got[key][:2] == (numerator, denominator), (view, key)
            assert got[key][2] == pytest.approx(value, abs=1e-6), (view, key)
    february = figures(monthly_report(admin, "2026-02"))
    assert february["received"][2] == 2  # c7, c10 (23:55 on the 28th)
    assert february["succeeded"][2] == 0
    assert figures(monthly_report(admin, "2026-02", view="cohort"))["succeeded"][2] == 1
    assert figures(monthly_report(admin, "2026-04"))["received"][2] == 1  # c9 (00:10 on 1 April)
    check_breakdowns_and_trend(monthly_report(admin, "2026-03", "420102"))
    # The roll-ups kept by the operations equal a fresh count, in every month and at every level.
    for code in (None, "420102", STREET, "42010200200101"):
        for month in MONTHS:
            for view in ("period", "cohort"):
                parts = SECTIONS if month == "2026-03" else ("indicators",)
                kept = monthly_report(admin, month, code, view, sections=parts)
                fresh = monthly_report(admin, month, code, view, "raw", sections=parts)
                kept.pop("generated_at"), fresh.pop("generated_at")
                assert kept == fresh, (code, month, view)


def check_breakdowns_and_trend(report: dict) -> None:
    """March in 江岸区: per street, level, category and mediator; the trend; 环比 and 同比."""
    rows = {row["code"]: row for row in report["breakdowns"]["region"]}
    assert rows[STREET]["received"] == 11 and rows[STREET]["succeeded"] == 7
    assert sum(row["received"] for row in rows.values()) == 11
    levels = {row["code"]: row for row in report["breakdowns"]["level"]}
    assert (levels["grid"]["succeeded"], levels["street"]["succeeded"]) == (6, 1)
    categories = {row["code"]: row["received"] for row in report["breakdowns"]["category"]}
    assert sum(categories.values()) == 11 and len(categories) == 15
    mediators = {row["code"]: row for row in report["breakdowns"]["mediator"]}
    assert mediators["mediator_demo"]["succeeded"] == 7
    trend = {row["month"]: row for row in report["trend"]}
    assert list(trend)[0] == "2025-04" and list(trend)[-1] == "2026-03"
    assert (trend["2026-02"]["received"], trend["2026-02"]["succeeded"]) == (2, 0)
    assert trend["2025-12"]["success_rate"] is None
    assert report["comparisons"]["received"]["previous_month"] == 2
    assert report["comparisons"]["received"]["mom"] == pytest.approx(4.5)  # 11 vs 2
    assert report["comparisons"]["received"]["yoy"] is None  # nothing in March 2025


def test_an_empty_month_has_no_rates_only_dashes():
    report = monthly_report(user("admin_demo"), "2026-01")
    for key, indicator in report["indicators"].items():
        if indicator["kind"] in ("rate", "days"):
            assert indicator["value"] is None, key
        else:
            assert indicator["value"] == 0, key
        assert indicator["definition"], key


def test_a_month_of_pending_cases_has_a_success_rate_of_zero_and_no_concluded_rate():
    gen_case(status="grid_mediation", now=beijing(2026, 6, 2, 9))
    gen_case(status="intake", now=beijing(2026, 6, 3, 9))
    got = figures(monthly_report(user("street_demo"), "2026-06"))
    assert got["received"] == (2, None, 2)
    assert got["success_rate"] == (0, 2, 0.0)
    for key in ("concluded_success_rate", "grid_resolution_rate", "on_time_rate"):
        assert got[key][2] is None, key
    assert got["median_days_to_agreement"] == (None, 0, None)


@pytest.mark.parametrize("username", ["mediator_demo", "grid_demo", "judge_demo"])
def test_roles_without_statistics_are_refused(username):
    with pytest.raises(Forbidden):
        monthly_report(user(username), "2026-03")


def test_a_street_officer_reads_her_street_and_no_other():
    gen_case(status="grid_mediation", now=beijing(2026, 3, 2, 9))
    gen_case("street_demo", now=beijing(2026, 3, 2, 9), grid=OTHER_COMMUNITY_GRID)
    officer = user("street_demo")
    report = monthly_report(officer, "2026-03")
    assert report["region"]["code"] == STREET
    assert report["indicators"]["received"]["value"] == 2
    with pytest.raises(NotFound):
        monthly_report(officer, "2026-03", "420106")  # 武昌区
    with pytest.raises(NotFound):
        monthly_report(officer, "2026-03", "420102")  # her district, above her street


@pytest.mark.parametrize("month", ["2026-13", "26-03", "2026/03", "march", "1999-12"])
def test_a_malformed_month_says_how_to_write_it(month):
    with pytest.raises(InvalidInput) as refusal:
        monthly_report(user("admin_demo"), month)
    assert "YYYY-MM" in refusal.value.message


def test_an_unknown_view_is_refused():
    with pytest.raises(InvalidInput):
        monthly_report(user("admin_demo"), "2026-03", view="weekly")


def test_a_case_mediated_again_after_a_rejection_counts_at_the_street():
    case = gen_case(status="confirmation_rejected", now=beijing(2026, 3, 2, 9))
    fire(case, "mediator_demo", "remediate", beijing(2026, 3, 20, 9))
    fire(reload(case), "mediator_demo", "terminate", beijing(2026, 3, 22, 9))
    report = monthly_report(user("admin_demo"), "2026-03")
    got = figures(report)
    assert got["succeeded"][2] == 0 and got["concluded"][2] == 1  # failed in the end
    assert got["escalation_rate"][:2] == (1, 1)
    assert got["on_time_rate_street"][:2] == (1, 1)  # within the fresh mediation clock
    assert got["on_time_rate_grid"][:2] == (0, 0)
    levels = {row["code"]: row["received"] for row in report["breakdowns"]["level"]}
    assert levels == {"grid": 0, "street": 1}


def test_amounts_keep_their_cents():
    draft = agreement_fields(amount="12345.6")
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9), draft=draft)
    gen_case(status="agreement_effective", now=beijing(2026, 3, 3, 9), draft={"amount": "0.45"})
    for source in ("rollups", "raw"):
        report = monthly_report(user("admin_demo"), "2026-03", source=source)
        assert report["indicators"]["agreement_amount"]["value"] == 12346.05, source
