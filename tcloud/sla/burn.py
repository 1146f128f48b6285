"""Early warnings: error budgets burning fast (multi-window burn rates) and expiring certificates.

Burn rates come from the last 6 hours of rolled-up minute states (availability.burn_alert: 14.4×
over 1 h and 5 min pages, 6× over 6 h and 30 min opens a ticket). Announced maintenance minutes
are neither good nor bad. Each alert is one row, open until the burn stops; administrators are
notified when it opens, once (a partial unique index allows one open alert per solution and
kind, so a second run cannot notify twice). Certificate warnings come at 21, 14 and 7 days
before expiry, once per threshold per certificate, to the vendor and the administrators.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.catalog import browse
from tcloud.clock import to_taipei
from tcloud.notifications.services import notify_organisation, notify_role
from tcloud.sla import availability as rules
from tcloud.sla.maintenance import windows_between
from tcloud.sla.minute_states import MAINTENANCE, decode_states
from tcloud.sla.models import BurnAlert, CertWarning, MinuteDay, ProbeTarget

WINDOW_MINUTES = 360
CERT_THRESHOLDS_DAYS = (21, 14, 7)
ADMIN_LINK = "/admin/sla/availability"


def recent_states(session: Session, solution_id: int, now: datetime,
                  minutes: int = WINDOW_MINUTES) -> list[int]:
    """The last `minutes` finished minutes' states, oldest first, maintenance overlaid."""
    return list(recent_states_of(session, [solution_id], now, minutes)[solution_id])


def recent_states_of(session: Session, solution_ids: list[int], now: datetime,
                     minutes: int = WINDOW_MINUTES) -> dict[int, bytes]:
    """recent_states for many solutions in two queries (roll-ups, then maintenance windows).

    The job runs every minute over every listed solution: one query per solution cost ~0.5 s
    at 800 solutions (bench/sla_probes.py); slices of the decoded days replace per-minute loops.
    """
    end = rules.epoch_minute(now)
    first = end - minutes
    today = to_taipei(now).date()
    days = [today - timedelta(days=1), today]
    bounds = {day: rules.day_minutes(day) for day in days}
    if not solution_ids:
        return {}
    states = {solution_id: bytearray(minutes) for solution_id in solution_ids}
    for solution_id, day, encoded in session.execute(
            select(MinuteDay.solution_id, MinuteDay.day, MinuteDay.encoded).where(
                MinuteDay.solution_id.in_(solution_ids), MinuteDay.day.in_(days))):
        day_first, day_end = bounds[day]
        low, high = max(first, day_first), min(end, day_end)
        if low < high:
            decoded = decode_states(bytes(encoded))
            states[solution_id][low - first:high - first] = decoded[low - day_first:
                                                                    high - day_first]
    start_at = rules._EPOCH + timedelta(minutes=first)
    for window in windows_between(session, list(solution_ids), start_at, now):
        low = max(first, rules.epoch_minute(window.starts_at))
        high = min(end, rules.epoch_minute(window.ends_at, up=True))
        if low < high:
            states[window.solution_id][low - first:high - first] = bytes([MAINTENANCE]) * (
                high - low)
    return {solution_id: bytes(row) for solution_id, row in states.items()}


def check_burn_rates(session: Session, now: datetime) -> str:
    """Open alerts that start burning, resolve those that stopped; notify admins on opening."""
    opened = resolved = 0
    open_alerts: dict[int, list[BurnAlert]] = {}
    for alert in session.execute(select(BurnAlert).where(BurnAlert.resolved_at.is_(None))
                                 ).scalars():
        open_alerts.setdefault(alert.solution_id, []).append(alert)
    listed = browse.live_health_urls(session)
    recent = recent_states_of(session, [row[0] for row in listed], now)
    for solution_id, _url, target, _vendor, name in listed:
        states = recent[solution_id]
        kind = rules.burn_alert(states, target)
        current = open_alerts.get(solution_id, [])
        if kind is None:
            for alert in current:
                alert.resolved_at = now
                resolved += 1
            continue
        if any(alert.kind == kind for alert in current):
            continue
        rule = next(r for r in rules.BURN_RULES if r[0] == kind)
        long_rate = rules.burn_rate(states[-rule[2]:], target)
        short_rate = rules.burn_rate(states[-rule[3]:], target)
        session.add(BurnAlert(solution_id=solution_id, kind=kind, long_rate=float(long_rate),
                              short_rate=float(short_rate), target_percent=target,
                              opened_at=now))
        notify_role(session, ROLE_ADMIN, kind=f"sla.burn_{kind}", link=ADMIN_LINK,
                    values={"solution": name, "rate": f"{float(long_rate):.1f}",
                            "target": f"{target:g}"})
        opened += 1
    session.flush()
    return f"{opened} burn alert(s) opened, {resolved} resolved"


def check_certificates(session: Session, now: datetime) -> str:
    """Warn at 21, 14 and 7 days before a probed certificate expires (once per threshold)."""
    live = {row[0]: row for row in browse.live_health_urls(session)}
    warned = 0
    for target in session.execute(select(ProbeTarget).where(
            ProbeTarget.cert_expires_at.is_not(None))).scalars():
        row = live.get(target.solution_id)
        if row is None:
            continue
        days_left = (target.cert_expires_at - now) / timedelta(days=1)
        due = [t for t in CERT_THRESHOLDS_DAYS if days_left <= t]
        if not due:
            continue
        threshold = min(due)
        exists = session.execute(select(CertWarning.id).where(
            CertWarning.solution_id == target.solution_id,
            CertWarning.expires_at == target.cert_expires_at,
            CertWarning.threshold_days == threshold)).first()
        if exists:
            continue
        session.add(CertWarning(solution_id=target.solution_id,
                                expires_at=target.cert_expires_at,
                                threshold_days=threshold, warned_at=now))
        values = {"solution": row[4], "days": max(0, int(days_left)),
                  "date": to_taipei(target.cert_expires_at).strftime("%Y-%m-%d")}
        notify_organisation(session, row[3], kind="sla.cert_expiring", values=values,
                            link="/vendor/sla")
        notify_role(session, ROLE_ADMIN, kind="sla.cert_expiring", values=values,
                    link=ADMIN_LINK)
        warned += 1
    session.flush()
    return f"{warned} certificate warning(s)"
