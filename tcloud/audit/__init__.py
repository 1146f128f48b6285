"""The append-only audit log of administrative and money-moving actions."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.audit.views import bp

    app.register_blueprint(bp)
