"""Catalogue: vendors, vetting, solutions, plans, search, comparison, reviews (issue 3)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.catalog import sla_words, text
    from tcloud.catalog.api import bp as api_bp
    from tcloud.catalog.browse_views import bp as browse_bp
    from tcloud.catalog.listing_views import bp as listings_bp
    from tcloud.catalog.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(browse_bp)
    app.register_blueprint(listings_bp)
    app.add_template_global(sla_words.statements, "sla_statements")
    app.add_template_global(sla_words.list_separator, "list_separator")
    app.add_template_filter(text.render_markdown, "markdown")
