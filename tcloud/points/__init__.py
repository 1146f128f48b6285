"""Points: programmes, applications, grants, the ledger, orders, contracts, payments (issue 4).

Built so far: programmes and eligibility, grant applications with automatic checks and an
administrator queue, the double-entry ledger with its named movements, wallets, and expiry.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.cli import tcloud_cli
    from tcloud.points.admin_views import bp as admin_bp
    from tcloud.points.aftercare import init_aftercare
    from tcloud.points.api import bp as api_bp
    from tcloud.points.cli import points_cli
    from tcloud.points.contract_admin_views import bp as contracts_admin_bp
    from tcloud.points.order_api import bp as orders_api_bp
    from tcloud.points.order_views import bp as orders_bp
    from tcloud.points.review_signal_views import api_bp as review_signals_api_bp
    from tcloud.points.review_signal_views import bp as review_signals_bp
    from tcloud.points.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(orders_api_bp)
    app.register_blueprint(contracts_admin_bp)
    app.register_blueprint(review_signals_bp)
    app.register_blueprint(review_signals_api_bp)
    tcloud_cli.add_command(points_cli)
    init_aftercare(app)
