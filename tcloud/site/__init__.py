"""The site itself: home page, language switch, health checks, error pages, OpenAPI."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.site import errors
    from tcloud.site.api import bp as api_bp
    from tcloud.site.menu import menu_context
    from tcloud.site.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    errors.init_app(app)
    app.context_processor(menu_context)
