"""TCloud: the application factory. It reads as a list of steps and starts nothing.

No migrations, seeding, network calls or schedulers happen here: gunicorn runs this in every
worker, so anything with a side effect belongs in the CLI (`flask --app wsgi tcloud ...`).
"""

from __future__ import annotations

from flask import Flask

from tcloud.config import PROJECT_ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(config))
    _register_extensions(app)
    _register_domains(app)
    _register_cli(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    # Behind N proxies, take the client address and scheme from their X-Forwarded-* headers
    # (login throttling counts per address); with none, such headers are ignored as forged.
    hops = app.config["TCLOUD_TRUSTED_PROXIES"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _register_extensions(app: Flask) -> None:
    from tcloud import db, i18n, observability
    from tcloud.accounts.access import enforce_declared_access
    from tcloud.extensions import csrf

    db.init_app(app)
    i18n.init_app(app)
    observability.init_app(app)
    csrf.init_app(app)
    app.before_request(enforce_declared_access)


def _register_domains(app: Flask) -> None:
    from tcloud import (
        accounts,
        admin,
        advisor,
        audit,
        catalog,
        notifications,
        points,
        site,
        sla,
        uploads,
    )
    from tcloud.extensions import csrf

    for domain in (site, accounts, audit, admin, uploads, notifications, catalog, points, sla,
                   advisor):
        domain.init_app(app)
    for name, blueprint in app.blueprints.items():
        if name.endswith("_api"):
            csrf.exempt(blueprint)


def _register_cli(app: Flask) -> None:
    from tcloud.cli import tcloud_cli

    app.cli.add_command(tcloud_cli)
