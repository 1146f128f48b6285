"""The set-based roll-up (a batch of solutions per statement) writes exactly what the first,
one-solution-at-a-time version wrote, whatever the batch size.

The reference below is the original algorithm over in-memory rows (attempts in probed_at order
per minute, a covering round filling later minutes with setdefault, unknown minutes dropped,
known minutes overwriting a day's stored states), kept as the specification.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tcloud.clock import TAIPEI
from tcloud.sla import rollups
from tcloud.sla.availability import _EPOCH, day_minutes, epoch_minute
from tcloud.sla.minute_states import UNKNOWN, decode_states, minute_state
from tcloud.sla.models import MinuteDay, ProbeResult

# 14:30 UTC: the windows below cross Taipei midnight (16:00 UTC), so each touches two days.
T0 = datetime(2026, 11, 10, 14, 30, tzinfo=UTC)
SOLUTIONS = 9


def reference_states(rows, first, end):
    """solution → {minute: state}, the first version's minute_states_between over `rows`."""
    attempts = defaultdict(lambda: defaultdict(list))
    covers = defaultdict(dict)
    for solution_id, minute, ok, covers_minutes in rows:
        if first - 5 <= minute < end:
            attempts[solution_id][minute].append(ok)
            covers[solution_id][minute] = max(covers[solution_id].get(minute, 1), covers_minutes)
    result = {}
    for solution_id, by_minute in attempts.items():
        states = {minute: minute_state(tries) for minute, tries in by_minute.items()}
        for minute in sorted(states):
            for later in range(minute + 1, minute + covers[solution_id][minute]):
                if later not in by_minute:
                    states.setdefault(later, states[minute])
        known = {m: s for m, s in states.items() if first <= m < end and s != UNKNOWN}
        if known:
            result[solution_id] = known
    return result


def reference_fold(stored, states_by_solution):
    """Apply known minutes to stored (solution, day) → bytearray; how many rows changed."""
    changed = 0
    for solution_id, states in states_by_solution.items():
        by_day = defaultdict(dict)
        for minute, state in states.items():
            day = (_EPOCH + timedelta(minutes=minute)).astimezone(TAIPEI).date()
            by_day[day][minute - day_minutes(day)[0]] = state
        for day, changes in by_day.items():
            first, end = day_minutes(day)
            before = stored.get((solution_id, day))
            after = bytearray(before if before is not None else bytes(end - first))
            for index, state in changes.items():
                after[index] = state
            if before is None or after != before:
                changed += 1
            stored[(solution_id, day)] = after
    return changed


def random_rows(rng, solution_ids, start, minutes):
    """Raw results like real rounds: each solution's interval, some failures and retries, gaps,
    lone failures, and the odd overlapping round in the same minute."""
    rows = []  # (solution, probed_at, ok, covers) in insertion (id) order
    for solution_id in solution_ids:
        interval = rng.choice((1, 1, 2, 5))
        for minute in range(-6, minutes, interval):
            fate = rng.random()
            at = start + timedelta(minutes=minute, seconds=rng.randrange(50))
            if fate < 0.1:
                continue  # no round: unknown unless an earlier round covers it
            ok = fate > 0.3
            rows.append((solution_id, at, ok, interval))
            if not ok and fate > 0.15:  # the retry, a second later (a lone failure otherwise)
                rows.append((solution_id, at + timedelta(seconds=1), rng.random() < 0.5,
                             interval))
            if rng.random() < 0.05:  # a second round landing in the same minute
                rows.append((solution_id, at + timedelta(seconds=5), rng.random() < 0.7, 1))
            if rng.random() < 0.08:  # an off-beat round (the interval was changed) whose
                # cover overlaps the regular rounds'
                off = start + timedelta(minutes=minute + rng.randrange(1, 4), seconds=55)
                rows.append((solution_id, off, rng.random() < 0.6, rng.choice((2, 5))))
    rng.shuffle(rows)  # ids need not follow time
    return rows


def stored_days(db):
    rows = db.execute(select(MinuteDay.solution_id, MinuteDay.day, MinuteDay.encoded,
                             MinuteDay.up, MinuteDay.down, MinuteDay.unknown)).all()
    for _, _, encoded, up, down, unknown in rows:
        states = decode_states(bytes(encoded))
        assert (states.count(1), states.count(2), states.count(0)) == (up, down, unknown)
    return {(s, d): bytearray(decode_states(bytes(e))) for s, d, e, *_ in rows}


@pytest.mark.parametrize("seed", [1, 2])
def test_batches_of_any_size_roll_up_like_one_solution_at_a_time(db, live_solution,
                                                                 monkeypatch, seed):
    rng = random.Random(seed)
    ids = [live_solution() for _ in range(SOLUTIONS)]
    raw = random_rows(rng, ids, T0, minutes=150)
    for solution_id, at, ok, covers in raw:
        db.add(ProbeResult(solution_id=solution_id, probed_at=at, minute=epoch_minute(at),
                           attempt=1, ok=ok, covers_minutes=covers))
    db.flush()
    ordered = sorted(((s, at, ok, c) for s, at, ok, c in raw), key=lambda r: (r[0], r[1]))
    rows = [(s, epoch_minute(at), ok, c) for s, at, ok, c in ordered]
    # Two overlapping runs, like the scheduled job catching up: the second rewrites some
    # minutes the first wrote and adds new ones, across Taipei midnight.
    # Between them the raw rows before minute 90 are purged: the minutes 85-89 the second run
    # no longer sees must keep what the first one stored.
    windows = [(T0, T0 + timedelta(minutes=100)),
               (T0 + timedelta(minutes=85), T0 + timedelta(minutes=140))]
    purged_before = T0 + timedelta(minutes=90)
    expected, expected_changes = {}, []
    for run, (since, until) in enumerate(windows):
        kept = [r for r, (_, at, _, _) in zip(rows, ordered, strict=True)
                if run == 0 or at >= purged_before]
        states = reference_states(kept, epoch_minute(since), epoch_minute(until))
        expected_changes.append(reference_fold(expected, states))
    assert len({day for _, day in expected}) == 2

    results = []
    for batch_size in (1, 4, rollups.SOLUTIONS_PER_BATCH):
        monkeypatch.setattr(rollups, "SOLUTIONS_PER_BATCH", batch_size)
        monkeypatch.setattr(rollups, "STREAM_ROWS", 7)  # many fetches mid-stream
        db.execute(MinuteDay.__table__.delete())
        nested = db.begin_nested()  # the purge is undone for the next batch size
        changes = [rollups.roll_up(db, since=since, until=until) for since, until in windows[:1]]
        rollups.purge_raw_results(db, purged_before + timedelta(days=3))  # default retention
        changes += [rollups.roll_up(db, since=since, until=until) for since, until in windows[1:]]
        results.append((changes, stored_days(db)))
        nested.rollback()
    for changes, stored in results:
        assert stored == expected
        assert changes == expected_changes


def test_a_roll_up_after_the_rows_were_loaded_shows_the_new_states(db, live_solution):
    """Rows are written in bulk behind the ORM: day rows already loaded must not go stale."""
    sid = live_solution()
    db.add(ProbeResult(solution_id=sid, probed_at=T0, minute=epoch_minute(T0), attempt=1,
                       ok=True, covers_minutes=1))
    db.flush()
    rollups.roll_up(db, since=T0, until=T0 + timedelta(minutes=2))
    loaded = db.execute(select(MinuteDay)).scalar_one()
    assert loaded.up == 1
    later = T0 + timedelta(minutes=1)
    for attempt in (1, 2):
        db.add(ProbeResult(solution_id=sid, probed_at=later + timedelta(seconds=attempt),
                           minute=epoch_minute(later), attempt=attempt, ok=False,
                           covers_minutes=1))
    db.flush()
    assert rollups.roll_up(db, since=T0, until=T0 + timedelta(minutes=2)) == 1
    assert (loaded.up, loaded.down) == (1, 1)
    assert decode_states(loaded.encoded)[epoch_minute(later) - day_minutes(
        later.astimezone(TAIPEI).date())[0]] == 2
