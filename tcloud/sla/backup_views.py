"""Vendor pages for RPO: each solution's backup token (made or replaced here, shown once),
its RPO state and its recent backup reports."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from sqlmodel import select

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_VENDOR
from tcloud.catalog.models import Solution
from tcloud.clock import to_taipei
from tcloud.db import get_session, transaction
from tcloud.sla import backups
from tcloud.sla.breach_reports import solution_names
from tcloud.sla.incident_labels import BACKUP_STATUS_LABELS, RPO_STATE_LABELS

bp = Blueprint("sla_backups", __name__)


def _page(new_token: str | None = None, token_solution_id: int | None = None):
    db = get_session()
    ids = list(db.exec(select(Solution.id).where(
        Solution.vendor_organisation_id == current_user.organisation_id).order_by(Solution.id)))
    names = solution_names(db, ids)
    rows = [{"id": sid, "name": names.get(sid, f"#{sid}"), "token": backups.token_of(db, sid),
             "rpo": backups.solution_rpo(db, sid),
             "reports": backups.recent_reports(db, sid, limit=5)} for sid in ids]
    return render_template("sla/vendor_backups.html", rows=rows, new_token=new_token,
                           token_solution_id=token_solution_id, taipei=to_taipei,
                           rpo_labels=RPO_STATE_LABELS, status_labels=BACKUP_STATUS_LABELS,
                           api_url=url_for("sla_backups_api.report_backup", _external=False))


@bp.get("/vendor/sla/backups")
@allow(ROLE_VENDOR)
def backups_page():
    return _page()


@bp.post("/vendor/sla/backups/<int:solution_id>/token")
@allow(ROLE_VENDOR)
def issue_token(solution_id: int):
    # Rendered, not redirected: the token is shown this once and never stored in the clear.
    with transaction() as db:
        token = backups.issue_token(db, vendor=current_user._get_current_object(),
                                    solution_id=solution_id)
    return _page(new_token=token, token_solution_id=solution_id)
