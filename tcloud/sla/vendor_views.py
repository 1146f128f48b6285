"""Vendor pages: each listed solution's probe status and availability, probe settings, and
maintenance announcements (refused under 72 hours' notice; the month's cap shown)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_VENDOR
from tcloud.clock import utcnow
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.sla import maintenance
from tcloud.sla.measured import solution_figures
from tcloud.sla.probe_settings import target_of, update_probe_settings
from tcloud.sla.schemas import MaintenanceInSchema, ProbeSettingsSchema
from tcloud.sla.settings import maintenance_cap_minutes

bp = Blueprint("sla_vendor", __name__, url_prefix="/vendor/sla")


def _vendor():
    return current_user._get_current_object()


@bp.get("")
@allow(ROLE_VENDOR)
def overview():
    db = get_session()
    rows = maintenance.vendor_solutions(db, current_user.organisation_id)
    figures = solution_figures(db, [row[0] for row in rows])
    targets = {row[0]: target_of(db, row[0]) for row in rows}
    return render_template("sla/vendor_overview.html", rows=rows, figures=figures,
                           targets=targets)


@bp.route("/solutions/<int:solution_id>/maintenance", methods=["GET", "POST"])
@allow(ROLE_VENDOR)
def maintenance_page(solution_id: int):
    db = get_session()
    row = maintenance.own_solution(db, _vendor(), solution_id)
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            data = validation.load(MaintenanceInSchema(), values, from_form=True)
            with transaction(db):
                maintenance.announce(db, vendor=_vendor(), solution_id=solution_id, **data)
            flash(_("Maintenance announced. Buyers see it on the solution page."), "success")
            return redirect(url_for(".maintenance_page", solution_id=solution_id))
        except DomainError as err:
            errors, status = err.field_errors() or {"starts_at": str(err.message)}, 400
    now = utcnow()
    return render_template(
        "sla/vendor_maintenance.html", row=row, errors=errors, values=values,
        windows=maintenance.upcoming(db, solution_id, now), now=now,
        cap=maintenance_cap_minutes(),
        planned_now=maintenance.planned_minutes(db, solution_id, now)), status


@bp.post("/solutions/<int:solution_id>/maintenance/<int:window_id>/cancel")
@allow(ROLE_VENDOR)
def cancel_maintenance(solution_id: int, window_id: int):
    db = get_session()
    try:
        with transaction(db):
            maintenance.cancel(db, vendor=_vendor(), window_id=window_id)
        flash(_("Maintenance cancelled."), "success")
    except DomainError as err:
        flash(str(err.message), "error")
    return redirect(url_for(".maintenance_page", solution_id=solution_id))


@bp.route("/solutions/<int:solution_id>/probe", methods=["GET", "POST"])
@allow(ROLE_VENDOR)
def probe_settings(solution_id: int):
    db = get_session()
    row = maintenance.own_solution(db, _vendor(), solution_id)
    target = target_of(db, solution_id)
    errors, status = {}, 200
    values = {"interval_seconds": target.interval_seconds,
              "timeout_seconds": target.timeout_seconds,
              "expected_status": target.expected_status, "keyword": target.keyword or ""}
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            data = validation.load(ProbeSettingsSchema(), values, from_form=True)
            with transaction(db):
                update_probe_settings(db, vendor=_vendor(), solution_id=solution_id,
                                      values=data)
            flash(_("Probe settings saved. The next check uses them."), "success")
            return redirect(url_for(".overview"))
        except DomainError as err:
            errors, status = err.field_errors(), 400
    return render_template("sla/vendor_probe.html", row=row, target=target, errors=errors,
                           values={k: str(v) for k, v in values.items()}), status
