"""Wires the order aftercare into the app: its blueprints, the order page's template global,
and the check that lets a business with an activated order review the solution."""

from __future__ import annotations

from flask import Flask


def init_aftercare(app: Flask) -> None:
    from tcloud.catalog import reviews
    from tcloud.points.admin_order_views import bp as admin_bp
    from tcloud.points.aftercare_api import bp as api_bp
    from tcloud.points.aftercare_views import activated_order_check, order_aftercare
    from tcloud.points.aftercare_views import bp as buyer_bp
    from tcloud.points.settlement_views import bp as settlement_bp
    from tcloud.points.vendor_order_views import bp as vendor_bp

    for blueprint in (vendor_bp, buyer_bp, admin_bp, settlement_bp, api_bp):
        app.register_blueprint(blueprint)
    app.add_template_global(order_aftercare, "order_aftercare")
    reviews.register_order_check(activated_order_check)
