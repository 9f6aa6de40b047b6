"""GET /api/v1/reports/monthly and its .pdf, .xlsx and .csv: every indicator with its parts and
definition, scoped to the caller's jurisdiction; the files hold the figures of the JSON."""

import csv
import io

import openpyxl
import pytest

from mediation.stats.definitions import INDICATORS
from tests.factories import STREET, beijing, gen_case
from tests.stats_sample import records

URL = "/api/v1/reports/monthly"


@pytest.fixture
def march():
    """A settled case, a failed one and a pending one in March 2026."""
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9))
    gen_case(status="mediation_failed", now=beijing(2026, 3, 3, 9))
    gen_case(status="grid_mediation", now=beijing(2026, 3, 4, 9))


def test_the_json_holds_every_indicator_with_its_parts_and_definition(client, token, march):
    response = client.get(f"{URL}?month=2026-03&view=cohort", headers=token("admin_demo"))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["month"], body["view"], body["region"]["code"]) == ("2026-03", "cohort", "420100")
    assert set(body["indicators"]) == {i.key for i in INDICATORS}
    for key, indicator in body["indicators"].items():
        assert {"numerator", "denominator", "value", "definition"} <= set(indicator), key
        assert indicator["definition"], key
    rate = body["indicators"]["success_rate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 3, pytest.approx(1 / 3))
    assert body["indicators"]["confirmation_rate"]["value"] is None  # 0 ÷ 0 is null, not 0
    assert set(body["breakdowns"]) == {"region", "category", "source", "level", "mediator"}
    assert len(body["trend"]) == 12


def test_a_street_officer_reads_her_street_only(client, token, march):
    officer = token("street_demo")
    assert client.get(f"{URL}?month=2026-03", headers=officer).get_json()["region"]["code"] == (
        STREET
    )
    for code in ("420106", "420102", "nowhere"):
        response = client.get(f"{URL}?month=2026-03&region={code}", headers=officer)
        assert response.status_code == 404, code


@pytest.mark.parametrize("username", ["mediator_demo", "grid_demo", "judge_demo"])
@pytest.mark.parametrize("suffix", ["", ".pdf", ".xlsx", ".csv"])
def test_roles_without_statistics_get_403(client, token, username, suffix):
    response = client.get(f"{URL}{suffix}?month=2026-03", headers=token(username))
    assert response.status_code == 403


def test_without_a_token_the_report_is_401(client):
    assert client.get(f"{URL}?month=2026-03").status_code == 401


@pytest.mark.parametrize("query", ["month=2026-13", "month=March", "view=weekly", "month=26-3"])
def test_a_bad_query_is_400_saying_what_to_fix(client, token, query):
    response = client.get(f"{URL}?{query}", headers=token("admin_demo"))
    assert response.status_code == 400
    assert "YYYY-MM" in response.get_data(as_text=True) or "period" in response.get_data(
        as_text=True
    )


def test_the_files_hold_the_figures_of_the_json(client, token, march):
    admin = token("admin_demo")
    query = "?month=2026-03&region=420102"
    body = client.get(f"{URL}{query}", headers=admin).get_json()
    sheet = client.get(f"{URL}.xlsx{query}", headers=admin)
    assert sheet.status_code == 200
    assert sheet.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in sheet.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(sheet.data))
    for row in records(book["指标"]):
        indicator = body["indicators"][row["代码"].value]
        assert row["数值"].value == indicator["value"]
        assert (row["分子"].value, row["分母"].value) == (
            indicator["numerator"],
            indicator["denominator"],
        )
    streets = {row["代码"].value: row for row in records(book["下级区域"])}
    for want in body["breakdowns"]["region"]:
        assert streets[want["code"]]["受理(件)"].value == want["received"]
    table = client.get(f"{URL}.csv{query}", headers=admin)
    assert table.data.startswith("\ufeff".encode())
    text = table.data.decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert "江岸区" in text and "调解成功率" in text and "3" in cells
    document = client.get(f"{URL}.pdf{query}", headers=admin)
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    assert "filename*=UTF-8''" in document.headers["Content-Disposition"]


def test_the_openapi_document_lists_the_report_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/reports/monthly" in paths
    assert "/api/v1/reports/monthly.{ext}" in paths
