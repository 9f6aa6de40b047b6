"""调解通: the Flask application factory."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR, instance_secret_key
from mediation.database import tune_psycopg
from mediation.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None, test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error pages, CLI commands."""
    if config_class is None:
        config_class = CONFIGS[os.environ.get("APP_ENV", "production")]
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config_class)
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config.get("PROXY_FIX_X_FOR"):
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))

    from mediation import i18n, inputs, papers, security, templating
    from mediation.access import policy
    from mediation.stats import rollups

    inputs.init_app(app)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            tune_psycopg(engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=None)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    policy.init_app(app)
    papers.init_app(app)
    rollups.init_app(app)

    from mediation import cli
    from mediation.admin import bp as admin_bp
    from mediation.api import init_api
    from mediation.auth import bp as auth_bp
    from mediation.cases import bp as cases_bp
    from mediation.court import bp as court_bp
    from mediation.errors import handlers as error_handlers
    from mediation.main import bp as main_bp
    from mediation.notices.views import bp as notices_bp
    from mediation.papers.views import bp as papers_bp
    from mediation.stats.views import bp as stats_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(cases_bp, url_prefix="/cases")
    app.register_blueprint(notices_bp, url_prefix="/notices")
    app.register_blueprint(court_bp, url_prefix="/court")
    app.register_blueprint(papers_bp)
    app.register_blueprint(stats_bp, url_prefix="/stats")
    init_api(app)
    error_handlers.init_app(app)
    cli.init_app(app)
    return app
