"""Click commands: `flask seed-demo` (and, as the app grows, sla and audit commands)."""

import click

from mediation.extensions import db


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo city and demo users; running it again changes nothing."""
    from mediation.demo import seed_demo

    created = seed_demo()
    db.session.commit()
    click.echo(f"演示数据已就绪（新建 {created} 条记录）。")


def init_app(app) -> None:
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
