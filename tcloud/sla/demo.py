"""Demo availability for `seed-demo`: 90 days of minute roll-ups, maintenance, local probes.

Simulated, deterministic (one seeded random generator) history for every demo solution, stored
exactly as the roll-up job would store it (DayRollup/encode_states, never hand-built bytes):
  - mostly up, with the odd one- or two-minute blip confirmed down;
  - short outages (5 to 40 minutes) on some solutions;
  - a handful of solutions with a bad month (the last two calendar months; two of them in both,
    so "breaches repeatedly" has something to show) falling well below their committed terms;
  - announced maintenance on a few solutions, the probes seeing them down during the window (the
    72-hour rule is applied when figures are read; one window was announced too late);
  - unknown minutes for everyone when "the platform was down" (never the vendors' fault).
Today is filled up to the seed's minute; the roll-up job carries on from there.

Live probing: the listed health URLs of demo solutions (https://status.*.example.tw) do not
exist, so the scheduler would record every demo solution down and open outage incidents. The
probe targets therefore point (ProbeTarget.probe_url, never the listing) at this app's own
/demo/health/<id> endpoint (demo_health.py): most every 5 minutes and always up, a few every
minute and going down for a few minutes every half hour, so live probing can be watched. Their
first round is due one interval after the seed, once the web server is listening.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlmodel import Session

from tcloud.accounts import services as accounts
from tcloud.accounts.models import User
from tcloud.catalog import browse
from tcloud.clock import TAIPEI, to_taipei, utcnow
from tcloud.sla.availability import day_minutes, epoch_minute, local_days
from tcloud.sla.minute_states import DOWN, UNKNOWN, UP, DayRollup
from tcloud.sla.models import MaintenanceWindow, MinuteDay, ProbeTarget

MARKER = "availability:history"
HOUSE_VENDOR = "vendor@demo.tcloud.tw"
HISTORY_DAYS = 90
SEED = 20261123
# "The platform was down": (days ago, local start minute of the day, minutes). All solutions
# get these minutes as unknown; together under 1% of any month, so no month lacks evidence.
PLATFORM_OUTAGES = ((71, 3 * 60 + 5, 38), (44, 14 * 60 + 20, 12), (17, 1 * 60 + 40, 95))
LIVE_FLAKY = 3  # demo solutions probed every minute that go down 4 minutes every 30
LIVE_STEADY = 3  # probed every minute, always up
DEFAULT_PROBE_BASE = "http://127.0.0.1:8000"


@dataclass
class Plan:
    """Per solution: local day → {minute index: state} to set over an all-up day."""

    events: dict[int, dict[date, dict[int, int]]] = field(default_factory=dict)
    windows: list[tuple[int, datetime, int, timedelta]] = field(default_factory=list)

    def mark(self, solution_id: int, day: date, start: int, minutes: int, state: int) -> None:
        changes = self.events.setdefault(solution_id, {}).setdefault(day, {})
        for index in range(max(0, start), min(1440, start + minutes)):
            changes[index] = state


def steps() -> list[tuple[str, Callable[[Session], None]]]:
    return [(MARKER, seed_availability)]


def is_done(db: Session, marker: str) -> bool:
    return db.execute(select(ProbeTarget.id).where(ProbeTarget.probe_url.is_not(None))
                      ).first() is not None


def probe_base() -> str:
    """Where `make run` serves the app (the seed runs before the server starts)."""
    return os.environ.get("TCLOUD_DEMO_PROBE_BASE", DEFAULT_PROBE_BASE).rstrip("/")


def seed_availability(db: Session, now: datetime | None = None) -> None:
    now = now or utcnow()
    solutions = browse.live_health_urls(db)
    if not solutions:
        return
    rng = random.Random(SEED)
    today = to_taipei(now).date()
    days = local_days(today - timedelta(days=HISTORY_DAYS - 1), today)
    plan = plan_history(rng, solutions, days, house_id=_house_organisation(db))
    write_rollups(db, plan, [row[0] for row in solutions], days, now)
    _announce_windows(db, plan, solutions)
    point_probes_at_demo_endpoints(db, [row[0] for row in solutions], now)


def plan_history(rng: random.Random, solutions: list, days: list[date],
                 house_id: int | None) -> Plan:
    """Decide every event; solutions are (id, url, committed %, vendor id, name) rows."""
    plan = Plan()
    ids = [row[0] for row in solutions]
    committed = {row[0]: float(row[2] or 99.5) for row in solutions}
    house = [row[0] for row in solutions if row[3] == house_id]
    others = [i for i in ids if i not in house]
    for solution_id in ids:
        for day in days:  # the odd blip: one or two minutes, roughly one day in twenty
            if rng.random() < 1 / 20:
                plan.mark(solution_id, day, rng.randrange(1440), rng.choice((1, 1, 2)), DOWN)
    for solution_id in rng.sample(ids, k=max(1, len(ids) // 5)):
        # Short outages that stay inside the month's error budget (these vendors kept their
        # terms): each at most a third of it, at least three minutes.
        budget = (100 - committed[solution_id]) / 100 * 30 * 1440
        for day in rng.sample(days[:-1], k=rng.randint(1, 2)):
            length = rng.randint(3, max(3, int(budget / 3)))
            plan.mark(solution_id, day, rng.randrange(1440 - length), length, DOWN)
    bad = (house[:2] + rng.sample(others, k=min(len(others), 4)))[:6]
    for rank, solution_id in enumerate(bad):
        months_back = (1, 2) if rank in (0, 3) else (1,)
        for back in months_back:
            _bad_month(plan, rng, solution_id, committed[solution_id], days, back)
    for solution_id in (house[2:4] + rng.sample(others, k=min(len(others), 6))):
        day = rng.choice(days[-60:-4])
        start = 2 * 60 + rng.choice((0, 30))  # 02:00 or 02:30, a quiet hour
        length = rng.choice((60, 90, 120))
        notice = timedelta(days=rng.randint(4, 8))
        plan.windows.append((solution_id, _at(day, start), length, notice))
        plan.mark(solution_id, day, start, length, DOWN)  # the probes saw it down
    if plan.windows:  # one vendor announced too late: those minutes count as down
        solution_id, starts_at, length, _notice = plan.windows[-1]
        plan.windows[-1] = (solution_id, starts_at, length, timedelta(hours=20))
    for days_ago, start, length in PLATFORM_OUTAGES:
        if days_ago < len(days):
            for solution_id in ids:
                plan.mark(solution_id, days[-1 - days_ago], start, length, UNKNOWN)
    return plan


def _bad_month(plan: Plan, rng: random.Random, solution_id: int, committed: float,
               days: list[date], months_back: int) -> None:
    """Down 2-4× the month's error budget, in two or three long outages."""
    last = days[-1]
    for _ in range(months_back):  # the last day of the month before, months_back times
        last = last.replace(day=1) - timedelta(days=1)
    month = [d for d in days if (d.year, d.month) == (last.year, last.month)]
    if len(month) < 10:
        return
    budget = (100 - committed) / 100 * len(month) * 1440
    down = int(max(90, budget * rng.uniform(2, 4)))
    parts = rng.randint(2, 3)
    for day in rng.sample(month, k=parts):
        length = min(1200, down // parts)
        plan.mark(solution_id, day, rng.randrange(0, 1440 - length), length, DOWN)


def _at(day: date, minute_of_day: int) -> datetime:
    local_midnight = datetime.combine(day, time(0), tzinfo=TAIPEI)
    return (local_midnight + timedelta(minutes=minute_of_day)).astimezone(UTC)


def write_rollups(db: Session, plan: Plan, solution_ids: list[int], days: list[date],
                  now: datetime) -> int:
    """One MinuteDay per solution per day, in multi-row inserts; rows already there are kept."""
    existing = set(db.execute(select(MinuteDay.solution_id, MinuteDay.day).where(
        MinuteDay.day >= days[0])).all())
    today, current = days[-1], epoch_minute(now)
    bounds = {day: day_minutes(day) for day in days}
    encoded_cache: dict[bytes, DayRollup] = {}  # most days are alike: encode each kind once
    rows = []
    for solution_id in solution_ids:
        events = plan.events.get(solution_id, {})
        for day in days:
            if (solution_id, day) in existing:
                continue
            first, end = bounds[day]
            states = bytearray([UP]) * (end - first)
            for index, state in events.get(day, {}).items():
                states[index] = state
            if day == today:  # the rest of today has not been measured yet
                states[max(0, current - first):] = bytes(end - max(first, current))
            key = bytes(states)
            rollup = encoded_cache.get(key)
            if rollup is None:
                rollup = encoded_cache[key] = DayRollup.from_states(day, key)
            counts = rollup.counts
            rows.append({"solution_id": solution_id, "day": day, "up": counts.up,
                         "down": counts.down, "maintenance": counts.maintenance,
                         "unknown": counts.unknown, "encoded": rollup.encoded,
                         "updated_at": now})
    table = MinuteDay.__table__  # Core insert: the ORM's bulk path costs seconds at 72,000
    for start in range(0, len(rows), 5000):
        db.execute(insert(table), rows[start:start + 5000])
    return len(rows)


def _announce_windows(db: Session, plan: Plan, solutions: list) -> None:
    """Stored as announcements made in the past (the service refuses past moments by design)."""
    vendor_of = {row[0]: row[3] for row in solutions}
    announcers = dict(db.execute(select(User.organisation_id, User.id).where(
        User.organisation_id.in_(set(vendor_of.values())), User.role == "vendor")
        .order_by(User.id.desc())).all())
    for solution_id, starts_at, length, notice in plan.windows:
        announcer = announcers.get(vendor_of[solution_id])
        if announcer is None:
            continue
        db.add(MaintenanceWindow(
            solution_id=solution_id, starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=length), announced_at=starts_at - notice,
            reason="資料庫版本升級與備份驗證（示範資料）", announced_by_id=announcer))
    db.flush()


def point_probes_at_demo_endpoints(db: Session, solution_ids: list[int], now: datetime) -> None:
    """Every demo solution probed at the local demo endpoint; a few every minute, some flaky."""
    base = probe_base()
    targets = {t.solution_id: t for t in db.execute(select(ProbeTarget)).scalars()}
    for position, solution_id in enumerate(solution_ids):
        live = position < LIVE_FLAKY + LIVE_STEADY
        url = f"{base}/demo/health/{solution_id}"
        if position < LIVE_FLAKY:
            url += "?down_every=30&down_for=4"
        target = targets.get(solution_id) or ProbeTarget(solution_id=solution_id)
        target.probe_url = url
        target.interval_seconds = 60 if live else 300
        # Due one interval from now: by then `make run` has the web server listening.
        target.last_probed_at = now
        target.last_ok, target.last_detail = True, "ok"
        target.updated_at = now
        db.add(target)
    db.flush()


def _house_organisation(db: Session) -> int | None:
    vendor = accounts.find_user_by_email(db, HOUSE_VENDOR)
    return vendor.organisation_id if vendor else None
