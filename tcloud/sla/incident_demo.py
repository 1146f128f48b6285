"""Demo SLA history for `seed-demo`: incidents, backup reports, breaches and compensation.

Everything goes through the real services with past moments (`now=`), so the incident pages,
the vendor's backup page, the scorecard and the breach dashboard show what production would
hold: incidents answered in time and late, one waiting with a live countdown, two weeks of
backup reports with a failed night that became an RPO breach, and month end for the last two
months from the measured roll-ups (credits appear where the demo availability fell short).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts import services as accounts
from tcloud.clock import utcnow
from tcloud.points.order_models import ACTIVE, Order
from tcloud.sla import backups, breaches, incidents, month_end
from tcloud.sla.incident_models import Incident

MARKER = "sla:incidents"
DEMO_VENDOR = "vendor@demo.tcloud.tw"
STORIES = (  # (days ago, severity, description, minutes to answer or None)
    (40, "normal", "月報表匯出的 Excel 金額欄位是空白。", 45),
    (25, "high", "今天早上開始，手機版無法登入，電腦版正常。", 300),
    (9, "low", "想請問如何新增第二個門市的帳號？", 20),
    (2, "critical", "整個系統打不開，顯示 502 錯誤，客人無法預約。", 25),
)


def _subscriptions(db: Session) -> list[Order]:
    vendor = accounts.find_user_by_email(db, DEMO_VENDOR)
    if vendor is None:
        return []
    return list(db.execute(select(Order).where(
        Order.vendor_organisation_id == vendor.organisation_id, Order.status == ACTIVE)
        .order_by(Order.id)).scalars())


def create_history(db: Session) -> None:
    orders = _subscriptions(db)
    if not orders:
        return  # no active demo order: nothing to hang incidents on
    vendor = accounts.find_user_by_email(db, DEMO_VENDOR)
    now = utcnow()
    for order in orders:
        buyer = db.get(type(vendor), order.accepted_by_id)
        for days_ago, severity, text, answer_after in STORIES:
            # 10:30 Taipei (02:30 UTC) on a past day: inside most committed support hours.
            opened = (now - timedelta(days=days_ago)).replace(hour=2, minute=30, second=0,
                                                               microsecond=0)
            if opened < datetime.combine(order.starts_on, datetime.min.time(), tzinfo=UTC):
                continue
            incident = incidents.open_incident(db, buyer=buyer, order_id=order.id,
                                               severity=severity, description=text, now=opened)
            answered = opened + timedelta(minutes=answer_after)
            breaches.evaluate_incidents(db, min(answered, now))
            incidents.record_response(db, vendor=vendor, incident_id=incident.id,
                                      note="已收到，工程師正在處理，稍後回報進度。", now=answered)
            incidents.resolve_incident(db, vendor=vendor, incident_id=incident.id,
                                       note="已修復並確認正常。", now=answered + timedelta(hours=2))
        incidents.open_incident(db, buyer=buyer, order_id=order.id, severity="normal",
                                description="發票列印格式跑掉，統一編號印在錯的位置。", now=now)
    _backup_history(db, vendor, {o.solution_id for o in orders}, now)
    for months_back in (1, 2):
        year, month = month_end.previous_month(now - timedelta(days=31 * (months_back - 1)))
        month_end.run_month_end(db, year=year, month=month, now=now)
    db.flush()


def _backup_history(db: Session, vendor, solution_ids: set[int], now: datetime) -> None:
    """Every 4 hours for 14 days, with one failed night (a breach closed by the next backup)."""
    for solution_id in solution_ids:
        backups.issue_token(db, vendor=vendor, solution_id=solution_id)
        token = backups.token_of(db, solution_id)
        moment = now - timedelta(days=14)
        while moment < now - timedelta(hours=1):
            failed_night = now - timedelta(days=6, hours=8) <= moment < now - timedelta(days=5)
            backups.report_backup(db, token=token, completed_at=moment,
                                  status="failed" if failed_night else "ok", now=moment,
                                  size_bytes=52_428_800, checksum=None)
            backups.evaluate_rpo(db, moment + timedelta(minutes=1))
            moment += timedelta(hours=4)


def steps() -> list:
    return [(MARKER, create_history)]


def is_done(db: Session, marker: str) -> bool:
    return db.execute(select(Incident.id).limit(1)).first() is not None
