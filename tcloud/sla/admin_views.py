"""Administrators: availability alerts (burn rates, certificates), every target's probe state,
and the probe address of one solution.

H5's breach dashboard is the place for breaches; this page is for early warnings.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.catalog import browse
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.sla.models import BurnAlert, CertWarning, ProbeTarget, SchedulerRun
from tcloud.sla.probe_settings import set_probe_url, target_of

bp = Blueprint("sla_admin", __name__, url_prefix="/admin/sla")


@bp.get("/availability")
@allow(ROLE_ADMIN)
def availability():
    db = get_session()
    names = {row[0]: row[4] for row in browse.live_health_urls(db)}
    alerts = db.execute(select(BurnAlert).order_by(BurnAlert.resolved_at.is_(None).desc(),
                                                   BurnAlert.opened_at.desc()).limit(100)
                        ).scalars().all()
    certs = db.execute(select(CertWarning).order_by(CertWarning.warned_at.desc()).limit(100)
                       ).scalars().all()
    failing = db.execute(select(ProbeTarget).where(ProbeTarget.last_ok.is_(False))
                         .order_by(ProbeTarget.down_since)).scalars().all()
    runs = db.execute(select(SchedulerRun).order_by(SchedulerRun.job_name)).scalars().all()
    redirected = db.execute(select(ProbeTarget).where(ProbeTarget.probe_url.is_not(None))
                            .order_by(ProbeTarget.solution_id).limit(200)).scalars().all()
    return render_template("sla/admin_availability.html", names=names, alerts=alerts,
                           certs=certs, failing=failing, runs=runs, redirected=redirected,
                           probed=db.execute(select(ProbeTarget.id)).all().__len__())


@bp.get("/probe")
@allow(ROLE_ADMIN)
def find_probe():
    """The availability page's "solution number" box: on to that solution's probe address."""
    number = request.args.get("solution_id", "").strip().lstrip("#")
    if not number.isdigit() or not number.isascii():
        flash(_("Enter the solution's number, for example 42."), "error")
        return redirect(url_for(".availability"))
    return redirect(url_for(".probe_address", solution_id=int(number)))


@bp.route("/solutions/<int:solution_id>/probe", methods=["GET", "POST"])
@allow(ROLE_ADMIN)
def probe_address(solution_id: int):
    """Set or clear the address the probes use instead of the listed health URL."""
    db = get_session()
    listed = browse.live_health_urls(db, [solution_id])
    if not listed:
        abort(404)
    target = target_of(db, solution_id)
    errors, status = {}, 200
    values = {"probe_url": target.probe_url or "", "reason": ""}
    if request.method == "POST":
        values = {"probe_url": request.form.get("probe_url", ""),
                  "reason": request.form.get("reason", "")}
        try:
            with transaction(db):
                changed = set_probe_url(db, admin=current_user._get_current_object(),
                                        solution_id=solution_id, probe_url=values["probe_url"],
                                        reason=values["reason"])
            flash(_("Probe address saved: the next check uses %(url)s.",
                    url=changed.probe_url or listed[0][1]), "success")
            return redirect(url_for(".probe_address", solution_id=solution_id))
        except DomainError as err:
            errors, status = err.field_errors(), 422
    return render_template("sla/admin_probe.html", row=listed[0], target=target,
                           errors=errors, values=values), status
