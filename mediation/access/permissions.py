"""The view decorator that asks the policy: 403 when the signed-in user may not."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def allowed_if(question):
    """Decorate a view so that only signed-in users for whom question(user) holds reach it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not question(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
