"""Raw probe results into per-day minute roll-ups; unknown minutes; the retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tcloud.sla.availability import day_minutes, epoch_minute
from tcloud.sla.minute_states import DOWN, UNKNOWN, UP, decode_states
from tcloud.sla.models import MinuteDay, ProbeResult, SchedulerRun
from tcloud.sla.rollups import purge_raw_results, roll_up, roll_up_recent

# 2026-11-10 02:00 UTC = 10:00 in Taipei, well inside one local day.
T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
DAY = T0.date()


def result(db, solution_id, at, ok, attempt=1, covers=1):
    db.add(ProbeResult(solution_id=solution_id, probed_at=at, minute=epoch_minute(at),
                       attempt=attempt, ok=ok, covers_minutes=covers))


def states_of(db, solution_id):
    row = db.exec(select(MinuteDay).where(MinuteDay.solution_id == solution_id)).scalar_one()
    return row, decode_states(row.encoded)


def index(at):
    return epoch_minute(at) - day_minutes(DAY)[0]


def test_minutes_take_the_state_of_their_attempts(db, live_solution):
    sid = live_solution()
    result(db, sid, T0, True)                                   # up
    result(db, sid, T0 + timedelta(minutes=1, seconds=1), False)   # confirmed down
    result(db, sid, T0 + timedelta(minutes=1, seconds=2), False, attempt=2)
    result(db, sid, T0 + timedelta(minutes=2, seconds=1), False)   # retried fine: up
    result(db, sid, T0 + timedelta(minutes=2, seconds=2), True, attempt=2)
    result(db, sid, T0 + timedelta(minutes=3), False)           # lone failure: unknown
    db.flush()
    changed = roll_up(db, since=T0, until=T0 + timedelta(minutes=10))
    assert changed == 1
    row, states = states_of(db, sid)
    i = index(T0)
    assert list(states[i:i + 5]) == [UP, DOWN, UP, UNKNOWN, UNKNOWN]
    assert (row.up, row.down, row.maintenance) == (2, 1, 0)
    assert row.unknown == 1440 - 3
    assert row.day == DAY  # the Taipei day, not the UTC one


def test_a_longer_interval_speaks_for_the_minutes_until_the_next_round(db, live_solution):
    sid = live_solution()
    result(db, sid, T0, True, covers=5)
    result(db, sid, T0 + timedelta(minutes=5), False, covers=5)
    result(db, sid, T0 + timedelta(minutes=5, seconds=1), False, attempt=2, covers=5)
    db.flush()
    roll_up(db, since=T0, until=T0 + timedelta(minutes=10))
    _, states = states_of(db, sid)
    i = index(T0)
    assert list(states[i:i + 10]) == [UP] * 5 + [DOWN] * 5


def test_rolling_up_again_changes_nothing_and_never_forgets_a_known_minute(db, live_solution):
    sid = live_solution()
    result(db, sid, T0, True)
    db.flush()
    roll_up(db, since=T0, until=T0 + timedelta(minutes=5))
    assert roll_up(db, since=T0, until=T0 + timedelta(minutes=5)) == 0
    purge_raw_results(db, T0 + timedelta(days=30))
    roll_up(db, since=T0, until=T0 + timedelta(minutes=5))  # raw rows gone: still up
    row, states = states_of(db, sid)
    assert states[index(T0)] == UP and row.up == 1


def test_unfinished_minutes_and_unmeasured_solutions_are_not_rolled_up(db, live_solution):
    measured, silent = live_solution(), live_solution()
    result(db, measured, T0 + timedelta(minutes=4, seconds=30), True)
    db.flush()
    roll_up(db, since=T0, until=T0 + timedelta(minutes=4))  # minute 4 is still running
    assert db.exec(select(func.count()).select_from(MinuteDay)).scalar() == 0
    roll_up(db, since=T0, until=T0 + timedelta(minutes=5))
    assert db.exec(select(MinuteDay.solution_id)).scalars().all() == [measured]
    assert silent != measured


def test_a_day_across_midnight_in_taipei_gets_two_rows(db, live_solution):
    sid = live_solution()
    midnight = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)  # 00:00 on the 11th in Taipei
    result(db, sid, midnight - timedelta(minutes=1), True)
    result(db, sid, midnight, True)
    db.flush()
    roll_up(db, since=midnight - timedelta(minutes=5), until=midnight + timedelta(minutes=5))
    days = db.exec(select(MinuteDay.day).order_by(MinuteDay.day)).scalars().all()
    assert [d.isoformat() for d in days] == ["2026-11-10", "2026-11-11"]


def test_the_scheduled_roll_up_starts_a_little_before_its_last_success(db, live_solution):
    sid = live_solution()
    now = T0 + timedelta(hours=1)
    db.add(SchedulerRun(job_name="sla.rollup", last_succeeded_at=now - timedelta(minutes=10)))
    result(db, sid, now - timedelta(minutes=20), True)  # inside the 15-minute overlap
    result(db, sid, now - timedelta(minutes=40), True)  # before it: done by an earlier run
    db.flush()
    roll_up_recent(db, now)
    row, _ = states_of(db, sid)
    assert row.up == 1


def test_the_purge_deletes_only_rows_older_than_the_retention(db, live_solution, app):
    sid = live_solution()
    for days_ago in (1, 2, 4, 10):
        result(db, sid, T0 - timedelta(days=days_ago), True)
    db.flush()
    app.config["TCLOUD_SLA_PROBE_RETENTION_DAYS"] = 5
    try:
        with app.app_context():
            summary = purge_raw_results(db, T0)
    finally:
        del app.config["TCLOUD_SLA_PROBE_RETENTION_DAYS"]
    assert summary.startswith("1 raw probe result(s)")
    # Default retention, 3 days: at T0 + 2 days the rows 2 and 4 days before T0 go.
    assert purge_raw_results(db, T0 + timedelta(days=2)).startswith("2 raw probe result(s)")
    assert db.exec(select(func.count()).select_from(ProbeResult)).scalar() == 1
