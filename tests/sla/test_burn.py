"""Burn-rate alerts open once, notify administrators once, and resolve; certificate warnings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tcloud.notifications.models import Notification
from tcloud.sla.availability import day_minutes, epoch_minute
from tcloud.sla.burn import check_burn_rates, check_certificates
from tcloud.sla.minute_states import DOWN, UP, DayRollup
from tcloud.sla.models import BurnAlert, CertWarning, MinuteDay, ProbeTarget

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # noon in Taipei
TODAY = NOW.date()


def put_today(db, solution_id, down_last_minutes: int):
    first, end = day_minutes(TODAY)
    states = bytearray([UP] * (end - first))
    now_index = epoch_minute(NOW) - first
    for i in range(now_index - down_last_minutes, now_index):
        states[i] = DOWN
    rollup = DayRollup.from_states(TODAY, states)
    row = db.exec(select(MinuteDay).where(MinuteDay.solution_id == solution_id)).scalar()
    row = row or MinuteDay(solution_id=solution_id, day=TODAY, encoded=b"")
    c = rollup.counts
    row.up, row.down, row.maintenance, row.unknown = c.up, c.down, c.maintenance, c.unknown
    row.encoded = rollup.encoded
    db.add(row)
    db.flush()


def admin_notifications(db):
    return db.exec(select(func.count()).select_from(Notification)
                   .where(Notification.kind.like("sla.burn%"))).scalar()


def test_a_fast_burn_pages_admins_once_then_resolves(db, live_solution, factories):
    factories.staff("admin")
    sid = live_solution()  # commits 99.5%: budget 0.5%; 14.4x means 7.2% down
    put_today(db, sid, down_last_minutes=10)  # 1 h: 16.7% down, 5 min: 100%
    assert check_burn_rates(db, NOW).startswith("1 burn alert(s) opened")
    assert check_burn_rates(db, NOW + timedelta(minutes=1)).startswith("0 burn alert(s)")
    alert = db.exec(select(BurnAlert)).scalar_one()
    assert alert.kind == "page" and alert.resolved_at is None and alert.long_rate > 14.4
    assert admin_notifications(db) >= 1
    sent = admin_notifications(db)
    put_today(db, sid, down_last_minutes=0)
    assert check_burn_rates(db, NOW).endswith("1 resolved")
    assert admin_notifications(db) == sent


def test_a_slow_steady_burn_is_not_alerted(db, live_solution, factories):
    factories.staff("admin")
    sid = live_solution()
    put_today(db, sid, down_last_minutes=0)
    assert check_burn_rates(db, NOW).startswith("0 burn alert(s) opened")


def test_certificate_warnings_at_21_14_and_7_days_once_each(db, live_solution, factories):
    factories.staff("admin")
    sid = live_solution()
    expiry = NOW + timedelta(days=20)
    db.add(ProbeTarget(solution_id=sid, cert_expires_at=expiry))
    db.flush()
    assert check_certificates(db, NOW) == "1 certificate warning(s)"
    assert check_certificates(db, NOW + timedelta(hours=1)) == "0 certificate warning(s)"
    assert check_certificates(db, NOW + timedelta(days=7)) == "1 certificate warning(s)"
    assert check_certificates(db, NOW + timedelta(days=30)) == "1 certificate warning(s)"
    thresholds = db.exec(select(CertWarning.threshold_days).order_by(
        CertWarning.threshold_days.desc())).scalars().all()
    assert thresholds == [21, 14, 7]
    assert check_certificates(db, NOW - timedelta(days=10)) == "0 certificate warning(s)"
