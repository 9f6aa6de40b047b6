"""The process's heap, once the app is built: out of the garbage collector's way."""

import gc


def settle() -> None:
    """Collect once, then freeze every object alive (gc.freeze): the modules, the libraries'
    tables and the app's own, which live as long as the process. Python's full collections
    walk every tracked object but frozen ones; without this, one ran every 17 requests or so
    of the case list and took 140–190 ms, the slowest request of every twenty (bench/README).
    Each gunicorn worker imports wsgi.py, and settles its own heap."""
    gc.collect()
    gc.freeze()
