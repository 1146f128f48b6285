"""A probe round over live solutions: due targets, raw rows, last state, outages handed on."""

from __future__ import annotations

import sys
import types
from datetime import timedelta

from sqlalchemy import select

from tcloud.clock import utcnow
from tcloud.sla.models import ProbeResult, ProbeTarget
from tcloud.sla.probe_round import probe_specs, run_probe_round


def test_a_round_probes_every_live_solution_and_records_attempts(db, live_solution,
                                                                  target_server):
    up = live_solution(target_server.url("/round/up"))
    down = live_solution(target_server.url("/round/down", status=500))
    summary = run_probe_round(db, utcnow(), concurrency=4)
    assert summary["probed"] == 2 and summary["failing"] == 1
    rows = db.exec(select(ProbeResult.solution_id, ProbeResult.attempt, ProbeResult.ok)
                   .order_by(ProbeResult.solution_id, ProbeResult.attempt)).all()
    assert [tuple(r) for r in rows] == [(up, 1, True), (down, 1, False), (down, 2, False)]
    target = db.exec(select(ProbeTarget).where(ProbeTarget.solution_id == down)).scalar_one()
    assert target.last_ok is False and target.down_since is not None
    assert "answered 500" in target.last_detail


def test_targets_are_probed_only_when_their_interval_has_passed(db, live_solution,
                                                                target_server):
    sid = live_solution(target_server.url("/round/interval"))
    now = utcnow()
    db.add(ProbeTarget(solution_id=sid, interval_seconds=300, last_probed_at=now))
    db.flush()
    assert probe_specs(db, now + timedelta(seconds=120)) == []
    [spec] = probe_specs(db, now + timedelta(seconds=300))
    assert spec.covers_minutes == 5
    assert probe_specs(db, now, only_due=False)


def test_a_confirmed_outage_opens_incidents_once(db, live_solution, target_server,
                                                 monkeypatch):
    opened = []
    fake = types.ModuleType("tcloud.sla.incidents")
    fake.open_outage_incidents = lambda session, *, solution_id, started_at: opened.append(
        (solution_id, started_at))
    monkeypatch.setitem(sys.modules, "tcloud.sla.incidents", fake)
    sid = live_solution(target_server.url("/round/outage", status=502))
    run_probe_round(db, utcnow())
    run_probe_round(db, utcnow(), only_due=False)  # still down: the same outage
    assert [solution_id for solution_id, _ in opened] == [sid]
    target_server.url("/round/outage")  # recovers
    run_probe_round(db, utcnow(), only_due=False)
    target_server.url("/round/outage", status=502)  # and fails again: a new outage
    run_probe_round(db, utcnow(), only_due=False)
    assert len(opened) == 2


def test_a_withdrawn_or_unlisted_solution_is_not_probed(db, live_solution, target_server):
    from tcloud.catalog.models import Solution

    sid = live_solution(target_server.url("/round/withdrawn"))
    solution = db.get(Solution, sid)
    solution.withdrawn_at = utcnow()
    db.add(solution)
    db.flush()
    assert probe_specs(db, utcnow()) == []
