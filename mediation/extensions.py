"""Extensions, created once here and bound to the app in create_app."""

import sqlalchemy as sa
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# Stable constraint names, so that migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
# mediation.auth.throttle keeps the sign-in budgets in this limiter's storage (memory, or
# Redis shared by every host) with its strategy; the public verification routes carry the
# one decorator limit (mediation.papers.checking.rate_limited, VERIFY_RATE_LIMIT).
limiter = Limiter(key_func=get_remote_address)
babel = Babel()
bootstrap = Bootstrap5()


class JsonErrorsApi(Api):
    """flask-smorest without its app-wide JSON error handler: errors.handlers picks HTML or JSON."""

    # Each operation lists the errors it can give (mediation.api.errors), not a catch-all.
    DEFAULT_ERROR_RESPONSE_NAME = None

    @property
    def ERROR_SCHEMA(self):  # noqa: N802 (flask-smorest's attribute name)
        """Document errors in the shape mediation.errors.handlers answers with."""
        from mediation.api.schemas import ApiError

        return ApiError

    def _register_error_handlers(self):
        """Leave error handling to mediation.errors.handlers."""


api = JsonErrorsApi()
