"""`flask stats rebuild` and `flask stats report`: the roll-ups afresh, and a month's files."""

import sqlalchemy as sa

from mediation.extensions import db
from mediation.models import StatsRollup
from mediation.stats.report import monthly_report
from tests.factories import beijing, gen_case, user


def test_rebuild_after_the_roll_ups_were_lost_gives_the_same_report(runner):
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9))
    gen_case(status="withdrawn", now=beijing(2026, 3, 3, 9))
    admin = user("admin_demo")
    before = monthly_report(admin, "2026-03", sections=("indicators", "breakdowns"))
    db.session.execute(sa.delete(StatsRollup))
    db.session.commit()
    assert runner.invoke(args=["stats", "rebuild", "--if-empty"]).exit_code == 0
    after = monthly_report(admin, "2026-03", sections=("indicators", "breakdowns"))
    before.pop("generated_at"), after.pop("generated_at")
    assert after == before
    # --if-empty leaves roll-ups that exist alone; without it they are computed again.
    quiet = runner.invoke(args=["stats", "rebuild", "--if-empty"])
    assert quiet.exit_code == 0 and quiet.output == ""
    result = runner.invoke(args=["stats", "rebuild"])
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(StatsRollup))
    assert result.exit_code == 0 and f"stats_rollups {rows} 行" in result.output and rows > 0


def test_report_writes_the_three_files_of_the_month(runner, tmp_path):
    gen_case(status="agreement_effective", now=beijing(2026, 3, 2, 9))
    out = tmp_path / "archive"
    result = runner.invoke(
        args=["stats", "report", "--month", "2026-03", "--region", "420102", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir())
    assert names == [f"调解月报-2026-03-江岸区-期间口径.{ext}" for ext in ("csv", "pdf", "xlsx")]
    assert (out / names[1]).read_bytes().startswith(b"%PDF")
    assert str(out / names[0]) in result.output


def test_report_says_what_is_wrong_with_a_bad_month_or_region(runner, tmp_path):
    bad_month = runner.invoke(args=["stats", "report", "--month", "2026-3", "--out", str(tmp_path)])
    assert bad_month.exit_code != 0 and "YYYY-MM" in bad_month.output
    nowhere = runner.invoke(
        args=["stats", "report", "--month", "2026-03", "--region", "000", "--out", str(tmp_path)]
    )
    assert nowhere.exit_code != 0 and "区域不存在" in nowhere.output
    assert not list(tmp_path.iterdir())
