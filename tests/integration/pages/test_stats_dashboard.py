"""统计看板: the admin's city and the street officer's street, month by month, with the
report to download as PDF, XLSX and CSV; every other role is turned away."""

import re
from html import unescape
from urllib.parse import quote

import pytest

from tests.factories import GRID, OTHER_DISTRICT_GRID, STREET, beijing, gen_case
from tests.pages import text

MAY = "2026-05"
OTHER_STREET = "420102003"  # 一元街道, beside street_demo's 大智街道
DISTRICT = "420102"  # 江岸区, above her street
OPTION = re.compile(r'<option value="(\d*)"[^>]*>([^<]*)</option>')
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def card(page: str, key: str) -> str:
    """The text of one headline card, tags and spacing taken out."""
    start = page.index(f'data-testid="card-{key}"')
    body = page[start : page.index("</section>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body.split(">", 1)[1])).split())


def card_value(page: str, key: str) -> str:
    """The big figure of one headline card."""
    start = page.index(f'data-testid="card-{key}"')
    return re.search(r'data-testid="value">([^<]*)<', page[start:]).group(1)


def region_options(page: str) -> list[str]:
    """The codes the region picker offers ('' is the user's whole jurisdiction)."""
    start = page.index('id="f-region"')
    return OPTION.findall(page[start : page.index("</select>", start)])


def table_rows(page: str, breakdown: str) -> list[str]:
    """The row headers of one breakdown table, top to bottom."""
    start = page.index(f'data-testid="breakdown-{breakdown}"')
    section = page[start : page.index("</section>", start)]
    headers = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', section, re.S)
    return [re.sub(r"<[^>]+>", "", header).strip() for header in headers]


@pytest.fixture
def may():
    """May 2026 in 大智街道: one case settled at grid level, one escalated and still open, one
    withdrawn; and one settled in 武昌区, which only the admin's city holds."""
    gen_case(status="agreement_effective", now=beijing(2026, 5, 11, 9))
    gen_case(status="street_mediation", now=beijing(2026, 5, 12, 9))
    gen_case(status="withdrawn", now=beijing(2026, 5, 13, 9))
    gen_case("mediator_other", "agreement_effective", OTHER_DISTRICT_GRID, beijing(2026, 5, 14, 9))


def test_admin_sees_the_month_of_her_city(admin, may):
    """Headline cards with what each rate is made of, the districts, charts and definitions."""
    response = admin.get(f"/stats/?month={MAY}")
    page = text(response)

    assert response.status_code == 200
    assert "<title>统计看板 · 调解通</title>" in page
    assert "武汉市" in page and MAY in page and "期间口径" in page
    assert card_value(page, "received") == "4"
    assert card_value(page, "succeeded") == "2"
    assert card_value(page, "success_rate") == "50.0%"
    assert "2 / 4 件" in card(page, "success_rate")
    assert card_value(page, "agreement_amount") == "7,000.00"
    # April had no case: the changes have no base to be measured from.
    assert "环比 —" in card(page, "received") and "（上月 0）" in card(page, "received")
    assert table_rows(page, "region") == ["江岸区", "武昌区"]
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert 'data-testid="definitions"' in page and "调解成功 ÷ 受理" in page


def test_a_street_officer_sees_only_her_street(login, may):
    """Her street's figures, its communities to pick, and no other street or the district."""
    officer = login("street_demo")
    page = text(officer.get(f"/stats/?month={MAY}"))

    assert "大智街道" in page
    assert card_value(page, "received") == "3"
    assert card_value(page, "succeeded") == "1"
    codes = [code for code, _label in region_options(page)]
    assert codes[:2] == ["", STREET]
    assert all(code.startswith(STREET) for code in codes[1:]) and GRID in codes
    assert OTHER_STREET not in codes and DISTRICT not in codes
    assert table_rows(page, "region") == ["工农兵社区", "天声街社区"]

    for code in (OTHER_STREET, DISTRICT, "no-such-region"):
        assert officer.get(f"/stats/?month={MAY}&region={code}").status_code == 404
        assert officer.get(f"/stats/monthly.csv?month={MAY}&region={code}").status_code == 404


def test_admin_picks_a_grid(admin, may):
    """Down the tree to one grid: its own figures, and no region below it to break down."""
    page = text(admin.get(f"/stats/?month={MAY}&region={GRID}&view=cohort"))

    assert "工农兵社区第1网格" in page and "队列口径" in page
    assert card_value(page, "received") == "3"
    assert f'<option value="{GRID}" selected>' in page
    assert re.search(r'id="f-view-cohort"[^>]* checked>', page)
    assert "网格是最小的区域，没有下级区域。" in page


def test_the_region_picker_lists_two_levels_and_the_way_to_the_region_shown(admin):
    """A city's picker: its districts and streets, not its communities and grids; shown a grid,
    the way down to it with the regions beside each step."""
    codes = [code for code, _label in region_options(text(admin.get(f"/stats/?month={MAY}")))]
    assert codes[:2] == ["", "420100"] and DISTRICT in codes and STREET in codes
    assert all(len(code) <= len(STREET) for code in codes)  # city 6, district 6, street 9

    codes = [
        code
        for code, _label in region_options(text(admin.get(f"/stats/?month={MAY}&region={GRID}")))
    ]
    community = GRID[:12]
    assert {DISTRICT, STREET, community, GRID} <= set(codes)
    # The community's other grid, and the street's other community, are a click away.
    assert "42010200200102" in codes and any(
        code.startswith(STREET) and len(code) == 12 and code != community for code in codes
    )
    # Nothing of the other streets' communities.
    assert not any(len(code) > len(STREET) and not code.startswith(STREET) for code in codes)


@pytest.mark.parametrize("username", ["mediator_demo", "grid_demo", "judge_demo"])
def test_other_roles_see_no_statistics(login, username):
    """Mediators, grid workers and judges get 403 on the page and on each download, and no
    link to the dashboard."""
    client = login(username)
    for path in ["/stats/", "/stats/monthly.pdf", "/stats/monthly.xlsx", "/stats/monthly.csv"]:
        assert client.get(path).status_code == 403, path
    assert "/stats/" not in text(client.get("/"))


def test_signed_out_visitor_is_sent_to_sign_in(client):
    """The figures are not public."""
    response = client.get("/stats/monthly.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=2026-13", "月份格式应为 YYYY-MM，例如 2026-11。"),
        ("month=May", "月份格式应为 YYYY-MM，例如 2026-11。"),
        ("view=monthly", "口径应为 period（期间口径）或 cohort（队列口径）。"),
    ],
)
def test_a_bad_month_or_view_says_what_to_write(admin, query, message):
    """400, on a page that says what the address should hold."""
    for path in ("/stats/", "/stats/monthly.xlsx"):
        response = admin.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in text(response)


def test_a_month_without_cases_shows_dashes(admin, may):
    """No case: counts are 0, every rate is "—" (its denominator is 0), never 0%."""
    page = text(admin.get("/stats/?month=2020-01"))

    assert card_value(page, "received") == "0"
    for key in ("success_rate", "concluded_success_rate", "grid_resolution_rate"):
        assert card_value(page, key) == "—", key
    assert "0 / 0 件" in card(page, "success_rate")
    assert 'data-testid="gap-note"' in page and "分母为 0" in page


def test_breakdowns_come_most_received_first_and_sortable(admin, may):
    """受理 descending, as aria-sort on its header says; the script sorts the rest."""
    page = text(admin.get(f"/stats/?month={MAY}&region={STREET}"))

    assert table_rows(page, "region") == ["工农兵社区", "天声街社区"]
    assert page.count("data-sortable") == 5
    assert page.count('data-sort="number" aria-sort="descending">受理</th>') == 5
    assert 'href="/stats/?month=2026-05&amp;region=420102002001&amp;view=period"' in page
    assert '<script src="/static/js/stats.js"' in page


@pytest.mark.parametrize("ext", ["pdf", "xlsx", "csv"])
def test_each_report_downloads_under_its_name(admin, may, ext):
    """The page's buttons fetch the same month, region and view as a file to save."""
    page = text(admin.get(f"/stats/?month={MAY}&region={STREET}&view=cohort"))
    link = f"/stats/monthly.{ext}?month={MAY}&amp;region={STREET}&amp;view=cohort"
    assert f'href="{link}"' in page

    response = admin.get(unescape(link))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == MEDIA_TYPES[ext]
    name = quote(f"调解月报-{MAY}-大智街道-队列口径.{ext}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"filename*=UTF-8''{name}" in disposition
    body = response.get_data()
    assert body.startswith({"pdf": b"%PDF", "xlsx": b"PK", "csv": b"\xef\xbb\xbf"}[ext])


def test_the_dashboard_is_in_the_menu_of_those_who_may_see_it(login):
    """The admin and the street officer find it in the menu; the admin's home links to it."""
    admin_home = text(login("admin_demo").get("/"))
    assert 'href="/stats/">统计看板</a>' in admin_home
    assert 'data-testid="stats-link"' in admin_home
    assert 'href="/stats/">统计看板</a>' in text(login("street_demo").get("/"))
