"""Uploaded files: checked by content, stored under random names outside static/, never public."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.uploads.views import bp

    app.register_blueprint(bp)
