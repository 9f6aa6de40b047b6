"""Click commands: seed-demo, serve, `sla sweep`, `audit verify`, `keys init` and `stats`."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from mediation.extensions import db
from mediation.papers.commands import keys
from mediation.stats.commands import stats

sla = AppGroup("sla", help="Deadlines: escalate and flag overdue cases.")
audit = AppGroup("audit", help="The hash-chained audit log.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no users yet.")
@click.option("--cases/--no-cases", default=True, help="Also create demo cases (the default).")
@click.option(
    "--count",
    default=300,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="How many demo cases (each settled one is rendered and sealed: ~0.3 s).",
)
def seed_demo_command(if_empty: bool, cases: bool, count: int):
    """Load the demo city, users and cases; running it again changes nothing."""
    from mediation.demo import has_users, seed_demo

    if if_empty and has_users():
        click.echo("数据库已有用户，跳过演示数据。")
        return
    click.echo("正在载入演示城市和用户…")
    created = seed_demo(with_cases=cases, count=count, progress=report_progress)
    db.session.commit()
    click.echo(f"演示数据已就绪（新建 {created} 条记录）。")


# A line of progress every this many demo cases.
PROGRESS_EVERY = 50


def report_progress(done: int, count: int) -> None:
    """A line every PROGRESS_EVERY demo cases (and at the last), so a long seed does not look
    stuck."""
    if done % PROGRESS_EVERY == 0 or done == count:
        click.echo(f"演示案件 {done}/{count}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
def serve_command(host: str, port: int):
    """Serve the app to try it out: says where once it listens; Ctrl-C stops it."""
    from werkzeug.serving import make_server

    from mediation.demo import DEMO_PASSWORD, USERS

    try:
        server = make_server(host, port, current_app._get_current_object(), threaded=True)
    except OSError as error:
        raise click.ClickException(
            f"无法在 {host}:{port} 上监听（{error.strerror}）。该端口可能已被占用："
            "请先停止占用它的程序，或换一个端口，例如 PORT=5001 make run。"
        ) from error
    click.echo(f"\n调解通 is running at http://{host}:{server.server_port}  (Ctrl-C stops it)")
    logins = " ".join(username for username, *_ in USERS)
    click.echo(f"Demo logins (password {DEMO_PASSWORD}): {logins}\n")
    server.serve_forever()  # returns on Ctrl-C: werkzeug catches it and closes the socket
    click.echo("\n调解通 stopped.")


@sla.command("sweep")
def sla_sweep_command():
    """Escalate grid cases past their deadline, start the clocks after closed windows, and
    flag overdue cases."""
    from mediation.cases.sla import sweep

    result = sweep()
    click.echo(
        f"自动上报 {result.escalated} 件，跳过 {result.skipped} 件（已被处理），"
        f"申请司法确认期限届满 {result.handed_on} 件，"
        f"标记超期 {result.flagged} 件，解除超期 {result.cleared} 件。"
    )


@audit.command("verify")
def audit_verify_command():
    """Walk every case's hash chain; exit 1 naming the first broken event."""
    from mediation.audit import verify_all

    for problem in verify_all():
        where = f"事件 #{problem.event_id}（序号 {problem.seq}）" if problem.event_id else "链头"
        click.echo(f"审计链断裂：案件 {problem.case_id} 的{where}：{problem.problem}", err=True)
        sys.exit(1)
    click.echo("审计链完整。")


def init_app(app) -> None:
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(sla)
    app.cli.add_command(audit)
    app.cli.add_command(keys)
    app.cli.add_command(stats)
