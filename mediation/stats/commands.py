"""`flask stats rebuild`, `fold` and `report`: the roll-ups afresh or brought up to date, and a
month's files."""

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from mediation.errors import OperationError
from mediation.extensions import db
from mediation.models import Case, StatsRollup

stats = AppGroup("stats", help="Monthly statistics: roll-ups and reports.")


@stats.command("rebuild")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Only when there are cases but no roll-ups yet (after an upgrade or a bulk load).",
)
def rebuild_command(if_empty: bool):
    """Compute every monthly roll-up afresh from the case tables."""
    from mediation.stats.rollups import rebuild

    if if_empty:
        has_rollups = db.session.scalar(sa.select(StatsRollup.view).limit(1)) is not None
        has_cases = db.session.scalar(sa.select(Case.id).limit(1)) is not None
        if has_rollups or not has_cases:
            return
    started = time.perf_counter()
    click.echo("正在重新计算月度统计汇总…")
    counts = rebuild()
    rows = "，".join(f"{table} {count} 行" for table, count in counts.items())
    click.echo(f"完成（{rows}），用时 {time.perf_counter() - started:.1f} 秒。")


@stats.command("fold")
def fold_command():
    """Add what the operations journalled to the roll-ups (PostgreSQL; run it with the SLA
    sweep, so that the journal stays short when nobody reads a report)."""
    from mediation.stats.journal import fold_pending

    click.echo(f"已汇入统计 {fold_pending()} 条变动。")


@stats.command("report")
@click.option("--month", required=True, help="月份 YYYY-MM（北京时间），例如 2026-11。")
@click.option("--region", "region_code", default=None, help="区域代码；默认全市。")
@click.option(
    "--view", type=click.Choice(["period", "cohort"]), default="period", show_default=True
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="写入 PDF、XLSX、CSV 的目录（不存在则创建）。",
)
def report_command(month: str, region_code: str | None, view: str, out_dir: Path):
    """Write the month's report as PDF, XLSX and CSV, for archiving."""
    from mediation.stats import exports
    from mediation.stats.report import monthly_report

    try:
        report = monthly_report(None, month, region_code, view)
    except OperationError as error:
        raise click.ClickException(error.message) from error
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in exports.write_report_files(report, out_dir):
        click.echo(str(path))
