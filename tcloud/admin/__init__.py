"""Administration pages that read across domains: accounts for now, programme figures later."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.admin.views import bp

    app.register_blueprint(bp)
