"""SLA: the five commitments, probes, incidents, backups, breaches, compensation (issue 5).

Availability (probes, minute roll-ups, maintenance, burn-rate alerts, the scheduler process)
lives in probes.py, rollups.py, maintenance.py, burn.py, scheduler.py; pages read figures
through measured.py. Incidents, backups (RPO), breaches and compensation register below too.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from tcloud.cli import tcloud_cli
    from tcloud.sla.cli import scheduler_command, sla_cli

    tcloud_cli.add_command(sla_cli)
    tcloud_cli.add_command(scheduler_command)
    _register_availability(app)
    _register_incidents(app)


def _register_availability(app: Flask) -> None:
    """Vendor, admin and API pages for probes, maintenance and measured availability."""
    from tcloud.sla.admin_views import bp as admin_bp
    from tcloud.sla.api import bp as api_bp
    from tcloud.sla.vendor_views import bp as vendor_bp

    app.register_blueprint(vendor_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.jinja_env.globals["sla_measured"] = _measured_for_page
    if app.config.get("TCLOUD_ENV") != "production":
        from tcloud.sla.demo_health import bp as demo_health_bp

        app.register_blueprint(demo_health_bp)  # the demo's probes call it (sla/demo.py)


def _measured_for_page(solution_id: int):
    """Templates: the measured figures of one solution (sla/_measured.html)."""
    from tcloud.db import get_session
    from tcloud.sla.measured import solution_figures

    return solution_figures(get_session(), [solution_id]).get(solution_id)


def _register_incidents(app: Flask) -> None:
    """Incidents, backups (RPO), breaches, compensation, holidays and scorecards."""
    from tcloud.sla import (
        backup_api,
        backup_views,
        compensation_views,
        dashboard_views,
        holiday_views,
        incident_api,
        incident_views,
        scorecard_views,
    )

    for module in (incident_views, backup_views, compensation_views, dashboard_views,
                   holiday_views, scorecard_views, incident_api, backup_api):
        app.register_blueprint(module.bp)
    app.jinja_env.globals["sla_incident_summary"] = scorecard_views.incident_summary
