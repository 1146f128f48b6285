"""Administrators: availability alerts (burn rates, certificates) and every target's probe state.

H5's breach dashboard is the place for breaches; this page is for early warnings.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.catalog import browse
from tcloud.db import get_session
from tcloud.sla.models import BurnAlert, CertWarning, ProbeTarget, SchedulerRun

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
    return render_template("sla/admin_availability.html", names=names, alerts=alerts,
                           certs=certs, failing=failing, runs=runs,
                           probed=db.execute(select(ProbeTarget.id)).all().__len__())
