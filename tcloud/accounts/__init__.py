"""Accounts: people, roles, organisations, registration, login."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.accounts import login
    from tcloud.accounts.api import bp as api_bp
    from tcloud.accounts.contact_views import bp as contact_bp
    from tcloud.accounts.views import bp

    login.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(contact_bp)
