"""Availability API under /api/v1: measured figures (public) and maintenance (vendors)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import PUBLIC, allow
from tcloud.accounts.choices import ROLE_VENDOR
from tcloud.api import api_blueprint, json_body, operation
from tcloud.catalog import browse
from tcloud.db import get_session, transaction
from tcloud.errors import NotFound
from tcloud.sla import maintenance
from tcloud.sla.availability import MAINTENANCE_NOTICE
from tcloud.sla.measured import solution_figures
from tcloud.sla.models import MaintenanceWindow
from tcloud.sla.schemas import MaintenanceInSchema, MaintenanceOutSchema, MeasuredOutSchema

bp = api_blueprint("sla", __name__)


def _dump_window(window) -> dict:
    data = {name: getattr(window, name) for name in (
        "id", "solution_id", "starts_at", "ends_at", "announced_at", "reason", "cancelled_at")}
    data["excused"] = window.starts_at - window.announced_at >= MAINTENANCE_NOTICE
    return MaintenanceOutSchema().dump(data)


@bp.get("/sla/solutions/<int:solution_id>/availability")
@allow(PUBLIC)
@operation(summary="Measured availability of a public solution: 30/90 days and each day",
           tag="sla", response_schema=MeasuredOutSchema, errors=(404,))
def measured(solution_id: int):
    db = get_session()
    rows = browse.live_health_urls(db, [solution_id])
    if not rows:
        raise NotFound(_l("That solution is not in the catalogue."))
    figures = solution_figures(db, [solution_id])[solution_id]
    return jsonify(MeasuredOutSchema().dump({
        "solution_id": solution_id, "availability_30d": figures.availability_30d,
        "availability_90d": figures.availability_90d,
        "lacking_evidence_30d": figures.lacking_evidence_30d,
        "committed_percent": rows[0][2],
        "days": [{"day": d.day, "state": d.state, "up": d.counts.up, "down": d.counts.down,
                  "maintenance": d.counts.maintenance, "unknown": d.counts.unknown}
                 for d in figures.days]}))


@bp.get("/sla/solutions/<int:solution_id>/maintenance-windows")
@allow(ROLE_VENDOR)
@operation(summary="Your solution's maintenance windows (last month and upcoming)",
           tag="sla", response_schema=MaintenanceOutSchema(many=True), errors=(404,))
def list_windows(solution_id: int):
    db = get_session()
    maintenance.own_solution(db, current_user, solution_id)
    return jsonify([_dump_window(w) for w in maintenance.upcoming(db, solution_id)])


@bp.post("/sla/solutions/<int:solution_id>/maintenance-windows")
@allow(ROLE_VENDOR)
@operation(summary="Announce maintenance (at least 72 hours ahead)", tag="sla",
           request_schema=MaintenanceInSchema, response_schema=MaintenanceOutSchema,
           status=201, errors=(404, 415, 422))
def announce_window(solution_id: int):
    data = validation.load(MaintenanceInSchema(), json_body())
    with transaction() as db:
        window = maintenance.announce(db, vendor=current_user._get_current_object(),
                                      solution_id=solution_id, **data)
    return jsonify(_dump_window(window)), 201


@bp.delete("/sla/solutions/<int:solution_id>/maintenance-windows/<int:window_id>")
@allow(ROLE_VENDOR)
@operation(summary="Cancel a maintenance window that has not started", tag="sla",
           response_schema=MaintenanceOutSchema, errors=(404, 422))
def cancel_window(solution_id: int, window_id: int):
    with transaction() as db:
        found = db.get(MaintenanceWindow, window_id)
        if found is None or found.solution_id != solution_id:
            raise NotFound(_l("That maintenance window does not exist."))
        window = maintenance.cancel(db, vendor=current_user._get_current_object(),
                                    window_id=window_id)
    return jsonify(_dump_window(window))
