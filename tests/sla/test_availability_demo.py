"""The demo's simulated availability: 90 days of roll-ups, maintenance, local probe targets."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, select

from tcloud.catalog import browse
from tcloud.sla import demo, demo_health
from tcloud.sla.availability import day_minutes, local_days
from tcloud.sla.measured import monthly_availability
from tcloud.sla.minute_states import UNKNOWN, decode_states
from tcloud.sla.models import MaintenanceWindow, MinuteDay, ProbeTarget
from tcloud.sla.probe_round import probe_specs

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Taipei


def _seeded(db, live_solution, count=8):
    ids = [live_solution() for _ in range(count)]
    demo.seed_availability(db, now=NOW)
    return ids


def test_ninety_days_of_consistent_roll_ups_for_every_solution(db, live_solution):
    ids = _seeded(db, live_solution)
    rows = list(db.execute(select(MinuteDay).where(MinuteDay.solution_id.in_(ids))).scalars())
    assert len(rows) == len(ids) * demo.HISTORY_DAYS
    for row in rows:
        first, end = day_minutes(row.day)
        states = decode_states(bytes(row.encoded))
        assert len(states) == end - first == row.up + row.down + row.maintenance + row.unknown
        assert states.count(1) == row.up and states.count(2) == row.down
    # Today is measured up to the seed's minute only: the rest is not known yet.
    today = [r for r in rows if r.day == datetime(2026, 11, 20).date()]
    assert all(r.unknown == 12 * 60 for r in today)


def test_the_platform_outages_are_unknown_for_everyone(db, live_solution):
    ids = _seeded(db, live_solution)
    days = local_days(datetime(2026, 8, 23).date(), datetime(2026, 11, 20).date())
    days_ago, start, length = demo.PLATFORM_OUTAGES[-1]
    day = days[-1 - days_ago]
    for row in db.execute(select(MinuteDay).where(MinuteDay.day == day,
                                                  MinuteDay.solution_id.in_(ids))).scalars():
        assert set(decode_states(bytes(row.encoded))[start:start + length]) == {UNKNOWN}


def test_some_solutions_fall_short_last_month_and_the_rest_keep_their_terms(db, live_solution):
    ids = _seeded(db, live_solution)
    committed = {row[0]: float(row[2]) for row in browse.live_health_urls(db, ids)}
    short = [i for i in ids
             if monthly_availability(db, i, 2026, 10).percent < committed[i]]
    assert 1 <= len(short) <= 4  # four bad months among others (no house vendor here)
    assert not any(monthly_availability(db, i, 2026, 10).lacking_evidence for i in ids)


def test_maintenance_is_announced_and_one_window_too_late(db, live_solution):
    ids = _seeded(db, live_solution)
    windows = list(db.execute(select(MaintenanceWindow).where(
        MaintenanceWindow.solution_id.in_(ids))).scalars())
    assert windows
    notices = sorted((w.starts_at - w.announced_at).total_seconds() / 3600 for w in windows)
    assert notices[0] < 72 <= notices[-1]


def test_probe_targets_point_at_the_local_demo_endpoint(db, live_solution, monkeypatch):
    monkeypatch.setenv("TCLOUD_DEMO_PROBE_BASE", "http://127.0.0.1:8123/")
    ids = _seeded(db, live_solution)
    assert demo.is_done(db, demo.MARKER)
    targets = {t.solution_id: t for t in db.execute(select(ProbeTarget)).scalars()}
    assert targets[ids[0]].probe_url == (
        f"http://127.0.0.1:8123/demo/health/{ids[0]}?down_every=30&down_for=4")
    assert targets[ids[-1]].probe_url == f"http://127.0.0.1:8123/demo/health/{ids[-1]}"
    assert targets[ids[-1]].interval_seconds == 300
    # Nothing is due at once (the web server is not listening yet), then the probes go there.
    assert probe_specs(db, NOW) == []
    urls = {s.solution_id: s.url for s in probe_specs(db, NOW, only_due=False)}
    assert urls[ids[-1]] == targets[ids[-1]].probe_url


def test_seeding_again_adds_nothing(db, live_solution):
    ids = _seeded(db, live_solution, count=3)
    before = db.execute(select(func.count()).select_from(MinuteDay)).scalar()
    days = local_days(datetime(2026, 8, 23).date(), datetime(2026, 11, 20).date())
    plan = demo.plan_history(random.Random(demo.SEED), browse.live_health_urls(db), days, None)
    assert demo.write_rollups(db, plan, ids, days, NOW) == 0
    assert db.execute(select(func.count()).select_from(MinuteDay)).scalar() == before


def test_the_plan_is_deterministic(db, live_solution):
    [live_solution() for _ in range(5)]
    days = local_days(datetime(2026, 8, 23).date(), datetime(2026, 11, 20).date())
    rows = browse.live_health_urls(db)
    first = demo.plan_history(random.Random(demo.SEED), rows, days, None)
    second = demo.plan_history(random.Random(demo.SEED), rows, days, None)
    assert first == second


def test_the_demo_health_endpoint_goes_down_on_schedule(client, monkeypatch):
    assert client.get("/demo/health/7").status_code == 200
    minute = 29_000_000  # (minute + 7) % 30 == 7 → up; pick one that is down
    down_minute = minute - ((minute + 7) % 30)
    monkeypatch.setattr(demo_health, "epoch_minute", lambda _now: down_minute)
    response = client.get("/demo/health/7?down_every=30&down_for=4")
    assert response.status_code == 503 and response.json["status"] == "down"
    monkeypatch.setattr(demo_health, "epoch_minute", lambda _now: down_minute + 4)
    assert client.get("/demo/health/7?down_every=30&down_for=4").status_code == 200
    assert client.get("/demo/health/7?down_every=oops&down_for=4").status_code == 200


def test_is_down_ignores_nonsense_schedules():
    assert not demo_health.is_down(1, 100, 0, 0)
    assert not demo_health.is_down(1, 100, 10, 10)
    assert not demo_health.is_down(1, 100, -5, 2)
