"""Advisor: needs forms, the readiness diagnosis, the matcher, and the consultant review."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.advisor.api import bp as api_bp
    from tcloud.advisor.consultant_views import bp as consultant_bp
    from tcloud.advisor.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(consultant_bp)
    app.register_blueprint(api_bp)
