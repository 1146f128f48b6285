"""Scorecards: a vendor's SLA record per solution (measured availability, incidents, median
response, RPO state, breaches by term), and the figures for the public solution page."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from flask_login import current_user
from sqlmodel import Session, select

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_VENDOR
from tcloud.catalog.models import Solution
from tcloud.clock import to_taipei, utcnow
from tcloud.db import get_session
from tcloud.sla import backups, breach_reports, rpo
from tcloud.sla.incident_labels import RPO_STATE_LABELS, TERM_LABELS
from tcloud.sla.incident_models import BACKUP_OK, BackupReport

bp = Blueprint("sla_scorecards", __name__)
WINDOW_DAYS = 90


def rpo_compliance(session: Session, solution_id: int, days: int = WINDOW_DAYS) -> float | None:
    """Share of the last `days` not spent in an RPO breach (None when RPO is not checked)."""
    now = utcnow()
    state = backups.solution_rpo(session, solution_id, now)
    if state.status is None:
        return None
    start = max(now - timedelta(days=days), state.since)
    if start >= now:
        return None
    reports = [rpo.BackupReport(at) for at in session.exec(
        select(BackupReport.completed_at).where(
            BackupReport.solution_id == solution_id, BackupReport.status == BACKUP_OK,
            BackupReport.completed_at >= start - timedelta(minutes=state.rpo_minutes * 2),
            BackupReport.completed_at <= now))]
    return rpo.compliance_percent(reports, rpo_minutes=state.rpo_minutes, since=state.since,
                                  start=start, end=now)


def incident_summary(solution_id: int) -> dict:
    """What the public solution page shows beside the committed terms (90 days)."""
    db = get_session()
    since = utcnow() - timedelta(days=WINDOW_DAYS)
    return {"incidents": breach_reports.incident_figures(db, solution_id, since),
            "rpo_compliance": rpo_compliance(db, solution_id), "days": WINDOW_DAYS}


def _measured(db: Session, solution_ids: list[int]) -> dict:
    try:
        from tcloud.sla.measured import solution_figures
    except ImportError:  # availability checks not installed: the scorecard shows the rest
        return {}
    return solution_figures(db, solution_ids)


@bp.get("/vendor/sla/scorecard")
@allow(ROLE_VENDOR)
def scorecard():
    db = get_session()
    ids = list(db.exec(select(Solution.id).where(
        Solution.vendor_organisation_id == current_user.organisation_id).order_by(Solution.id)))
    names = breach_reports.solution_names(db, ids)
    since = utcnow() - timedelta(days=WINDOW_DAYS)
    measured = _measured(db, ids)
    cards = [{"id": sid, "name": names.get(sid, f"#{sid}"), "measured": measured.get(sid),
              "incidents": breach_reports.incident_figures(db, sid, since),
              "rpo": backups.solution_rpo(db, sid), "rpo_compliance": rpo_compliance(db, sid),
              "breaches": breach_reports.breaches_by_term_for(db, sid)} for sid in ids]
    return render_template("sla/vendor_scorecard.html", cards=cards, days=WINDOW_DAYS,
                           term_labels=TERM_LABELS, rpo_labels=RPO_STATE_LABELS,
                           taipei=to_taipei)
