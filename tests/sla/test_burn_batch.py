"""The burn-rate job reads every solution's recent minutes in two queries: the same minutes the
one-solution-at-a-time reading (H4's original, kept below as the reference) gave."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tcloud.clock import to_taipei
from tcloud.sla import availability as rules
from tcloud.sla.burn import recent_states, recent_states_of
from tcloud.sla.minute_states import MAINTENANCE, DayRollup, decode_states
from tcloud.sla.models import MaintenanceWindow, MinuteDay

NOW = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 02:30 in Taipei: the window spans midnight


def reference(db, solution_id, now, minutes=360):
    end = rules.epoch_minute(now)
    first = end - minutes
    today = to_taipei(now).date()
    states = bytearray(minutes)
    for day in (today - timedelta(days=1), today):
        row = db.execute(select(MinuteDay).where(MinuteDay.solution_id == solution_id,
                                                 MinuteDay.day == day)).scalar()
        if row is None:
            continue
        day_first, day_end = rules.day_minutes(day)
        decoded = decode_states(bytes(row.encoded))
        for minute in range(max(first, day_first), min(end, day_end)):
            states[minute - first] = decoded[minute - day_first]
    for window in db.execute(select(MaintenanceWindow).where(
            MaintenanceWindow.solution_id == solution_id)).scalars():
        low = max(first, rules.epoch_minute(window.starts_at))
        high = min(end, rules.epoch_minute(window.ends_at, up=True))
        for minute in range(low, high):
            states[minute - first] = MAINTENANCE
    return bytes(states)


def test_many_at_once_equals_one_by_one(db, live_solution):
    rng = random.Random(7)
    vendor_ids = [live_solution() for _ in range(4)]
    today = to_taipei(NOW).date()
    for index, solution_id in enumerate(vendor_ids):
        for day in (today - timedelta(days=1), today):
            if index == 3 and day == today:
                continue  # no roll-up yet today: unknown
            first, end = rules.day_minutes(day)
            states = bytes(rng.choice((1, 1, 1, 2, 0)) for _ in range(end - first))
            rollup = DayRollup.from_states(day, states)
            c = rollup.counts
            db.add(MinuteDay(solution_id=solution_id, day=day, up=c.up, down=c.down,
                             maintenance=c.maintenance, unknown=c.unknown,
                             encoded=rollup.encoded))
    vendor_user = live_solution.vendor()
    db.add(MaintenanceWindow(solution_id=vendor_ids[1], starts_at=NOW - timedelta(hours=3),
                             ends_at=NOW - timedelta(hours=1, minutes=10),
                             announced_at=NOW - timedelta(days=5), reason="upgrade",
                             announced_by_id=vendor_user.id))
    db.flush()
    many = recent_states_of(db, vendor_ids + [999_999], NOW)
    for solution_id in vendor_ids:
        assert many[solution_id] == reference(db, solution_id, NOW)
        assert recent_states(db, solution_id, NOW) == list(reference(db, solution_id, NOW))
    assert many[999_999] == bytes(360)
    assert recent_states_of(db, [], NOW) == {}
