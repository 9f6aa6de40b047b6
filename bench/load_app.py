"""The app as `bench.load` serves it with gunicorn: the production app and one route more.

`/bench/floor` is the floor a request of the app is measured against: it reads one row of
`cases` through the same session and renders a one-line template, with no login, in the same
workers and behind the same middleware. It exists only here, never in `wsgi.py`.
"""

import sqlalchemy as sa
from flask import render_template_string

from mediation import create_app
from mediation.extensions import db
from mediation.models import Case

app = create_app()
FLOOR_TEMPLATE = "<!doctype html><title>floor</title><p>{{ number }}</p>"


@app.get("/bench/floor")
def floor():
    """One row read and a tiny template rendered."""
    number = db.session.scalar(sa.select(Case.number).order_by(Case.id).limit(1))
    return render_template_string(FLOOR_TEMPLATE, number=number)
