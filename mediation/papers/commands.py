"""`flask keys init`: the local CA and a signing key for every committee and court."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from mediation import papers
from mediation.extensions import db
from mediation.models import Committee, Court

keys = AppGroup("keys", help="Signing keys for seals: the local CA, committees and courts.")


@keys.command("init")
def init_keys_command():
    """Create the root CA and the missing keys; existing files are kept (run it any time)."""
    store = papers.keys()
    created = int(store.ensure_ca())
    for kind, model in (("committee", Committee), ("court", Court)):
        for code, name in db.session.execute(sa.select(model.code, model.name)):
            created += int(store.ensure(kind, code, name))
    click.echo(f"签章密钥目录 {store.directory}：新建 {created} 个，已有的保持不变。")
