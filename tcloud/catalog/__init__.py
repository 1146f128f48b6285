"""Catalogue: vendors, vetting, solutions, plans, search, comparison, reviews (issue 3).

Built so far: vendor applications and the vetting workflow, with its administrator setting.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.catalog.views import bp

    app.register_blueprint(bp)
