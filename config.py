"""Settings classes: every value comes from an environment variable, with safe defaults."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str) -> str:
    """Point plain postgresql:// URLs at the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret(name: str, instance_dir: Path = INSTANCE_DIR) -> str:
    """The environment variable `name`, or a random value generated once into instance/."""
    value = os.environ.get(name)
    if value:
        return value
    path = instance_dir / name.lower()
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def instance_secret_key(instance_dir: Path = INSTANCE_DIR) -> str:
    """SECRET_KEY from the environment, or one generated once into instance/secret_key."""
    return instance_secret("SECRET_KEY", instance_dir)


def instance_passphrase(instance_dir: Path = INSTANCE_DIR) -> str:
    """KEYS_PASSPHRASE from the environment, or one generated once into instance/."""
    return instance_secret("KEYS_PASSPHRASE", instance_dir)


class Config:
    """Production-safe defaults; SQLite in instance/ unless DATABASE_URL says otherwise."""

    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tiaojietong.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Statistics and their exports may read from a replica (mediation.stats.readers).
    SQLALCHEMY_BINDS = (
        {"reports": database_url(os.environ["REPORTS_DATABASE_URL"])}
        if os.environ.get("REPORTS_DATABASE_URL")
        else {}
    )
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "8")))
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;30 per hour")
    PASSWORD_HASH_METHOD = "scrypt"
    API_TOKEN_HOURS = int(os.environ.get("API_TOKEN_HOURS", "12"))
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "zh_Hans_CN")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_Hans_CN", "en")
    BOOTSTRAP_SERVE_LOCAL = True
    CASES_PER_PAGE = int(os.environ.get("CASES_PER_PAGE", "20"))
    # Larger request bodies get 413 before they are read (file uploads get their own limit).
    MAX_CONTENT_LENGTH = int(float(os.environ.get("MAX_REQUEST_MB", "2")) * 2**20)
    # The materials of a judicial-confirmation application: each file at most this size, and
    # at most MATERIAL_MAX_FILES of them in one application.
    MATERIAL_MAX_MB = float(os.environ.get("MATERIAL_MAX_MB", "10"))
    MATERIAL_MAX_FILES = int(os.environ.get("MATERIAL_MAX_FILES", "20"))
    # Time limits of DESIGN §3, per city; see workflows.deadlines.TimeLimits.
    TIME_LIMITS = {
        key: os.environ[f"LIMIT_{key.upper()}"]
        for key in (
            "intake_days",
            "intake_working_days",
            "grid_days",
            "mediation_days",
            "extension_days",
            "confirmation_days",
            "court_acceptance_days",
            "court_ruling_days",
            "court_ruling_extension_days",
            "visit_days",
            "working_days",
        )
        if f"LIMIT_{key.upper()}" in os.environ
    }
    # Documents (DESIGN §4): the signing keys' folder (flask keys init) and their passphrase
    # (KEYS_PASSPHRASE, else generated once into instance/), and the address printed in each
    # document's QR code, which must be the one the public reaches /verify/<id> at.
    KEYS_DIR = os.environ.get("KEYS_DIR", str(INSTANCE_DIR / "keys"))
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")  # see mediation.papers
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")
    # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none): the
    # throttles count the client's address, not the proxy's.
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    # 保管期限 printed on the 卷宗 cover (the law sets none; each committee fixes its own).
    RETENTION = os.environ.get("RETENTION", "长期")
    # flask-smorest: the OpenAPI document lives at /api/v1/openapi.json.
    API_TITLE = "调解通 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }


class DevelopmentConfig(Config):
    """Local `make run`: plain HTTP on 127.0.0.1, so cookies cannot require HTTPS."""

    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(Config):
    """The test suite: SQLite unless TEST_DATABASE_URL is given; CSRF stays on."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    KEYS_PASSPHRASE = "test-only-passphrase"
    # A cheap hash keeps the suite fast; production uses scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


CONFIGS = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestConfig,
}
