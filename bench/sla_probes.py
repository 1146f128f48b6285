"""Availability figures at 800 solutions, on SQLite and PostgreSQL: probe round, roll-up, burn
rates, retention purge and the month-end read.

Run with `python -m bench.sla_probes [--db sqlite|postgresql]` (part of `make bench`). Prints
figures, asserts nothing timed. Each database is a throw-away one (a temporary SQLite file; on
PostgreSQL a new database beside `postgres`, dropped afterwards), seeded with `seed-demo`: ~800
live solutions with 90 days of simulated roll-ups.

1. One probe round over 800 targets on local HTTP servers (4 ports): most answer in 20-150 ms,
   10% slowly (1-3 s), 5% with 503, 5% hang past the 10 s time-out; default concurrency.
2. Roll-up of one full day of raw results (800 × 1,440 minutes, generated in bulk), and the
   per-minute job's roll-up of its last 15 minutes.
3. The burn-rate job over 800 solutions (6 hours of decoded minutes each).
4. The retention purge of that day of raw rows (one DELETE by time range).
5. Month-end read: monthly_availability of last month for all 800 solutions (day roll-ups).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import create_engine, delete, func, insert, select, update
from sqlmodel import Session

from bench.points import drop_postgres_database, postgres_database
from tcloud import create_app
from tcloud.catalog import browse
from tcloud.clock import utcnow
from tcloud.db import WRITE_OPTION, make_engine, transaction
from tcloud.sla import month_end
from tcloud.sla.availability import _EPOCH, epoch_minute
from tcloud.sla.burn import check_burn_rates
from tcloud.sla.measured import monthly_availability
from tcloud.sla.models import BurnAlert, ProbeResult, ProbeTarget
from tcloud.sla.rollups import purge_raw_results, roll_up

ROOT = Path(__file__).resolve().parent.parent
PORTS = 4
HANG_SECONDS = 15


class _Target(BaseHTTPRequestHandler):
    """/ok/<n>, /slow/<n>, /fail/<n>, /hang/<n>: latency and answer by kind."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        kind = self.path.split("/")[1]
        delay = {"ok": random.uniform(0.02, 0.15), "slow": random.uniform(1, 3),
                 "fail": random.uniform(0.02, 0.1), "hang": HANG_SECONDS}.get(kind, 0)
        time.sleep(delay)
        status = 503 if kind == "fail" else 200
        try:
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except OSError:
            pass  # the probe gave up on a hanging target long ago

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # 64 probes connect at once; the default backlog of 5 is not enough


def start_servers() -> list[_Server]:
    servers = [_Server(("127.0.0.1", 0), _Target) for _ in range(PORTS)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers


def seed(url: str) -> float:
    env = {**os.environ, "TCLOUD_DATABASE_URL": url}
    start = time.perf_counter()
    for command in ("db-upgrade", "seed-demo"):
        subprocess.run([Path(sys.executable).parent / "flask", "--app", "wsgi", "tcloud",
                        command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def write_session(engine) -> Session:
    return Session(engine, expire_on_commit=False, execution_options={WRITE_OPTION: True})


def kind_of(position: int) -> str:
    slot = position % 20  # 1 in 20 hangs, 1 in 20 fails, 2 in 20 are slow
    return "hang" if slot == 0 else "fail" if slot == 1 else "slow" if slot in (2, 3) else "ok"


def bench_probe_round(engine, servers: list[_Server], ids: list[int]) -> None:
    from tcloud.sla.probe_round import run_probe_round

    with write_session(engine) as db, transaction(db):
        for position, solution_id in enumerate(ids):
            port = servers[position % len(servers)].server_address[1]
            db.execute(update(ProbeTarget).where(ProbeTarget.solution_id == solution_id)
                       .values(probe_url=f"http://127.0.0.1:{port}/{kind_of(position)}/"
                                         f"{solution_id}", last_probed_at=None,
                               interval_seconds=60))
    with write_session(engine) as db:
        before = db.execute(select(func.count()).select_from(ProbeResult)).scalar()
        start = time.perf_counter()
        with transaction(db):
            summary = run_probe_round(db, utcnow())
        elapsed = time.perf_counter() - start
        rows = db.execute(select(func.count()).select_from(ProbeResult)).scalar() - before
    print(f"  probe round: {summary['probed']} targets in {elapsed:.1f} s "
          f"({summary['failing']} failing, {summary['outages']} outages opened), "
          f"{rows} raw rows written")


def generate_raw_day(engine, ids: list[int], first_minute: int) -> float:
    """1,440 minutes of one attempt per solution (a few failed and retried), in bulk."""
    rng = random.Random(5)
    table = ProbeResult.__table__
    start = time.perf_counter()
    with write_session(engine) as db, transaction(db):
        rows = []
        for minute in range(first_minute, first_minute + 1440):
            probed_at = _EPOCH + timedelta(minutes=minute, seconds=7)
            for solution_id in ids:
                ok = rng.random() > 0.002
                rows.append({"solution_id": solution_id, "probed_at": probed_at,
                             "minute": minute, "attempt": 1, "ok": ok, "covers_minutes": 1,
                             "status_code": 200 if ok else 503, "latency_ms": 80,
                             "detail": None if ok else "answered 503, expected 200"})
                if not ok:
                    rows.append({**rows[-1], "attempt": 2})
            if len(rows) >= 20_000:
                db.execute(insert(table), rows)
                rows = []
        if rows:
            db.execute(insert(table), rows)
    return time.perf_counter() - start


def bench_rollup_and_purge(engine, ids: list[int]) -> None:
    now = utcnow()
    day_start = epoch_minute(now - timedelta(days=4)) // 1440 * 1440 - 480  # a Taipei midnight
    generated = generate_raw_day(engine, ids, day_start)
    with write_session(engine) as db:
        count = db.execute(select(func.count()).select_from(ProbeResult)).scalar()
    print(f"  raw rows generated: {count:,} in {generated:.1f} s")
    since = _EPOCH + timedelta(minutes=day_start)
    with write_session(engine) as db:
        start = time.perf_counter()
        with transaction(db):
            changed = roll_up(db, since=since, until=since + timedelta(days=1))
        print(f"  roll-up of 800 solutions × 1 day: {time.perf_counter() - start:.2f} s "
              f"({changed} day rows written)")
        start = time.perf_counter()
        with transaction(db):
            changed = roll_up(db, since=since + timedelta(hours=23, minutes=45),
                              until=since + timedelta(days=1))
        print(f"  roll-up of the last 15 minutes (the per-minute job): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms ({changed} day rows changed)")
        start = time.perf_counter()
        with transaction(db):
            summary = purge_raw_results(db, now)
        print(f"  retention purge of 1 day of raw rows: {time.perf_counter() - start:.2f} s "
              f"({summary})")


def bench_burn_and_month_end(engine, ids: list[int]) -> None:
    with write_session(engine) as db:
        for attempt in (1, 2):
            start = time.perf_counter()
            with transaction(db):
                summary = check_burn_rates(db, utcnow())
            alerts = db.execute(select(func.count()).select_from(BurnAlert)).scalar()
            print(f"  burn-rate job, run {attempt}: {(time.perf_counter() - start) * 1000:.0f} ms"
                  f" over {len(ids)} solutions ({summary}; {alerts} alert rows)")
        db.execute(delete(BurnAlert))
        year, month = month_end.previous_month(utcnow())
        start = time.perf_counter()
        figures = [monthly_availability(db, solution_id, year, month) for solution_id in ids]
        elapsed = time.perf_counter() - start
        below = sum(1 for f in figures if f.percent is not None and f.percent < 99.5)
        print(f"  month-end read {year}-{month:02d}: {len(figures)} solutions in "
              f"{elapsed * 1000:.0f} ms ({below} under 99.5%)")


def run(kind: str) -> None:
    print(f"\n== {kind} ==")
    folder = tempfile.TemporaryDirectory()
    url = (f"sqlite:///{Path(folder.name) / 'bench.db'}" if kind == "sqlite"
           else postgres_database())
    servers = start_servers()
    try:
        print(f"  seed-demo (catalogue, 90 days of roll-ups, ...): {seed(url):.1f} s")
        engine = make_engine(url) if kind == "sqlite" else create_engine(url, pool_size=8)
        os.environ["TCLOUD_DATABASE_URL"] = url
        with create_app().app_context():  # notifications and messages need an app
            with Session(engine) as db:
                ids = [row[0] for row in browse.live_health_urls(db)]
            bench_probe_round(engine, servers, ids)
            bench_rollup_and_purge(engine, ids)
            bench_burn_and_month_end(engine, ids)
        engine.dispose()
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        folder.cleanup()
        if kind != "sqlite":
            drop_postgres_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append")
    for kind in parser.parse_args().db or ("sqlite", "postgresql"):
        run(kind)


if __name__ == "__main__":
    main()
