"""WSGI entry point: `gunicorn wsgi:app`."""

from mediation import create_app, heap

app = create_app()
heap.settle()
