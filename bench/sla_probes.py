"""Availability figures at 800 solutions, on SQLite and PostgreSQL: probe round, a month of raw
results rolled up day by day, the month-end read, burn rates and the retention purge.

Run with `python -m bench.sla_probes [--db sqlite|postgresql] [--days N]` (part of `make
bench`). Prints figures, asserts nothing timed (it does assert that the month-end figures match
the raw rows). Each database is a throw-away one (a temporary SQLite file; on PostgreSQL a new
database beside `postgres`, dropped afterwards, which frees the month's 4-5 GB), seeded with
`seed-demo`: ~800 live solutions with 90 days of simulated roll-ups.

1. One probe round over 800 targets on local HTTP servers (4 ports): most answer in 20-150 ms,
   10% slowly (1-3 s), 5% with 503, 5% hang past the 10 s time-out; default concurrency.
2. The previous Taipei calendar month, all its days (31 for October: 800 × 44,640 = 35.7 M raw
   rows; `--days N` keeps only its first N days for a quick run), generated inside the database
   by bench/sla_raw_month.py: retried failures, confirmed down minutes, outages on 1 solution
   in 20, unknown minutes. The demo's own roll-ups and maintenance windows for that month are
   deleted first, so every month-end figure comes from these raw rows. Generation time and the
   raw table's size are reported but are not a figure of the product. The run refuses to start
   the month when the disk lacks room for it.
3. The month rolled up by `roll_up` day by day, one transaction per day, as the scheduled job
   would have done over the month (total and per day); on the last day, the per-minute job's
   roll-up of its last 15 minutes with one new minute (800 day rows change) and again with
   nothing new.
4. Month-end read: monthly_availability of that month for all 800 solutions (day roll-ups),
   one call per solution, and one monthly_availability_of call (as month_end.py reads it);
   cross-checked against up and down minutes counted straight from the raw rows for a few
   solutions; then, for contrast, the same figures for all 800 from one SQL aggregate over the
   raw rows (capped at RAW_SCAN_LIMIT seconds), which must agree with the roll-ups everywhere.
5. The burn-rate job over 800 solutions (6 hours of decoded minutes each).
6. The retention purge as the nightly job sees it: one day of raw rows past the retention.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import create_engine, delete, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bench.points import drop_postgres_database, postgres_database
from bench.sla_raw_month import MonthPlan, generate_month, plan_month, raw_month_counts
from tcloud import create_app
from tcloud.catalog import browse
from tcloud.clock import utcnow
from tcloud.db import WRITE_OPTION, make_engine, transaction
from tcloud.sla import month_end
from tcloud.sla.availability import _EPOCH, day_minutes, month_days
from tcloud.sla.burn import check_burn_rates
from tcloud.sla.measured import monthly_availability, monthly_availability_of
from tcloud.sla.models import BurnAlert, MaintenanceWindow, MinuteDay, ProbeResult, ProbeTarget
from tcloud.sla.rollups import purge_raw_results, roll_up
from tcloud.sla.settings import retention_days

ROOT = Path(__file__).resolve().parent.parent
PORTS = 4
HANG_SECONDS = 15
BYTES_PER_RAW_ROW = 200  # measured: ~130 on PostgreSQL (table and indexes), ~150 on SQLite
SPARE_DISK_BYTES = 5 * 1024**3
RAW_SCAN_LIMIT = 120  # seconds


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


def month_plan(ids: list[int], days_limit: int | None) -> MonthPlan:
    year, month = month_end.previous_month(utcnow())
    return plan_month(ids, month_days(year, month)[:days_limit])


def forget_demo_month(engine, plan: MonthPlan) -> None:
    """The demo's simulated roll-ups and maintenance for the month would collide with (or
    overlay) the generated raw rows: the month's figures must come from those alone (with
    --days, the days not generated are unknown)."""
    days = month_days(plan.days[0].year, plan.days[0].month)
    start, end = (_EPOCH + timedelta(minutes=m)
                  for m in (day_minutes(days[0])[0], day_minutes(days[-1])[1]))
    with write_session(engine) as db, transaction(db):
        days = db.execute(delete(MinuteDay).where(MinuteDay.day.in_(days))).rowcount
        windows = db.execute(delete(MaintenanceWindow).where(
            MaintenanceWindow.starts_at < end, MaintenanceWindow.ends_at > start)).rowcount
    print(f"  the demo's {days:,} day roll-ups and {windows} maintenance windows of "
          f"{plan.days[0]:%Y-%m} deleted")


def free_bytes(engine, sqlite_folder: str) -> int:
    if engine.dialect.name == "sqlite":
        return shutil.disk_usage(sqlite_folder).free
    with engine.connect() as conn:
        folder = conn.execute(text("SHOW data_directory")).scalar()
    return shutil.disk_usage(folder if os.path.exists(folder) else "/").free


def disk_used(engine, sqlite_folder: str) -> str:
    if engine.dialect.name == "sqlite":
        size = sum(p.stat().st_size for p in Path(sqlite_folder).iterdir())
        return f"database file now {size / 1024**3:.1f} GB"
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_total_relation_size('probe_results')")).scalar()
    return f"probe_results now {size / 1024**3:.1f} GB with its indexes"


def bench_generate(engine, plan: MonthPlan, ids: list[int], sqlite_folder: str) -> bool:
    rows = len(ids) * (plan.end_minute - plan.first_minute)
    need, free = rows * BYTES_PER_RAW_ROW + SPARE_DISK_BYTES, free_bytes(engine, sqlite_folder)
    if free < need:
        print(f"  SKIPPED the month: ~{need / 1024**3:.0f} GB needed for {rows:,} raw rows, "
              f"{free / 1024**3:.0f} GB free (try --days N)")
        return False
    generated = generate_month(engine, plan, ids)
    start = time.perf_counter()
    if engine.dialect.name == "postgresql":  # as autovacuum would have, so plans are realistic
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE probe_results"))
    analyzed = time.perf_counter() - start
    with write_session(engine) as db:
        count = db.execute(select(func.count()).select_from(ProbeResult)).scalar()
    per_day = generated.seconds_per_day
    print(f"  raw rows generated for {len(plan.days)} days: {count:,} in {sum(per_day):.0f} s "
          f"({statistics.mean(per_day):.1f} s a day, {count / sum(per_day):,.0f} rows/s), "
          f"then {', '.join(generated.indexes)} rebuilt in {generated.index_seconds:.0f} s"
          + (f" and VACUUM ANALYZE {analyzed:.0f} s" if analyzed > 0.01 else "")
          + f"; {disk_used(engine, sqlite_folder)}")
    return True


def bench_month_rollup(engine, plan: MonthPlan) -> None:
    seconds, changed = [], 0
    for number, day in enumerate(plan.days, start=1):
        first, end = day_minutes(day)
        if number == len(plan.days):
            end -= 1  # its last minute is rolled up below, by the per-minute job
        start = time.perf_counter()
        with write_session(engine) as db, transaction(db):
            changed += roll_up(db, since=_EPOCH + timedelta(minutes=first),
                               until=_EPOCH + timedelta(minutes=end))
        seconds.append(time.perf_counter() - start)
    print(f"  roll-up of {len(plan.days)} days × 800 solutions, a day at a time: "
          f"{sum(seconds):.0f} s ({changed:,} day rows written); per day "
          f"{statistics.mean(seconds):.2f} s mean, {min(seconds):.2f}-{max(seconds):.2f} s")
    until = _EPOCH + timedelta(minutes=plan.end_minute)
    for what in ("one new minute", "nothing new"):
        with write_session(engine) as db:
            start = time.perf_counter()
            with transaction(db):
                changed = roll_up(db, since=until - timedelta(minutes=15), until=until)
            print(f"  per-minute job's roll-up of its last 15 minutes, {what}: "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms ({changed} day rows changed)")


def bench_month_end(engine, plan: MonthPlan, ids: list[int]) -> None:
    day = plan.days[0]
    with write_session(engine) as db:
        start = time.perf_counter()
        figures = {s: monthly_availability(db, s, day.year, day.month) for s in ids}
        one_by_one = time.perf_counter() - start
        start = time.perf_counter()
        together = monthly_availability_of(db, ids, day.year, day.month)
        at_once = time.perf_counter() - start
    assert together == figures
    percents = sorted(f.percent for f in figures.values() if f.percent is not None)
    below = sum(1 for p in percents if p < 99.5)
    print(f"  month-end read {day:%Y-%m} from day roll-ups, {len(figures)} solutions: "
          f"{one_by_one * 1000:.0f} ms one by one, "
          f"{at_once * 1000:.0f} ms in one call (as month_end.py reads); "
          f"{below} under 99.5%, lowest "
          f"{percents[0]:.3f}%, {sum(f.lacking_evidence for f in figures.values())} "
          f"lacking evidence")
    outages = sorted(plan.outages, key=lambda s: plan.outages[s][1] - plan.outages[s][0])
    sample = outages[:2] + outages[-2:] + [s for s in ids if s not in plan.outages][:3]
    with write_session(engine) as db:
        checked = raw_month_counts(db, plan, sample)
    for solution_id, (up, down) in checked.items():
        assert (figures[solution_id].up, figures[solution_id].down) == (up, down), solution_id
    print(f"  cross-check: {len(checked)} solutions' month-end up and down minutes equal a "
          f"count of their raw rows (e.g. {checked[sample[-4]][0]:,} up, "
          f"{checked[sample[-4]][1]:,} down: {figures[sample[-4]].percent:.3f}%)")
    raw = raw_scan(engine, plan)
    if raw is not None:
        counts, elapsed = raw
        wrong = [s for s in ids if counts.get(s, (0, 0)) != (figures[s].up, figures[s].down)]
        assert not wrong, f"roll-ups disagree with the raw rows for {wrong[:10]}"
        print(f"  for contrast, the same month from one SQL aggregate over the raw rows: "
              f"{elapsed:.1f} s (all {len(counts)} agree with the roll-ups)")


def raw_scan(engine, plan: MonthPlan) -> tuple[dict, float] | None:
    """raw_month_counts over all solutions, given up after RAW_SCAN_LIMIT seconds."""
    with write_session(engine) as db:
        start = time.perf_counter()
        connection = db.connection()
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = '{RAW_SCAN_LIMIT}s'")
        else:
            deadline = start + RAW_SCAN_LIMIT
            connection.connection.dbapi_connection.set_progress_handler(
                lambda: time.perf_counter() > deadline, 1_000_000)
        try:
            counts = raw_month_counts(db, plan)
        except OperationalError:
            print(f"  for contrast, the same month from one SQL aggregate over the raw rows: "
                  f"> {RAW_SCAN_LIMIT} s (stopped)")
            return None
        finally:
            if engine.dialect.name == "sqlite":
                connection.connection.dbapi_connection.set_progress_handler(None, 0)
        return counts, time.perf_counter() - start


def bench_burn(engine, ids: list[int]) -> None:
    with write_session(engine) as db:
        for attempt in (1, 2):
            start = time.perf_counter()
            with transaction(db):
                summary = check_burn_rates(db, utcnow())
            alerts = db.execute(select(func.count()).select_from(BurnAlert)).scalar()
            print(f"  burn-rate job, run {attempt}: {(time.perf_counter() - start) * 1000:.0f} ms"
                  f" over {len(ids)} solutions ({summary}; {alerts} alert rows)")
        with transaction(db):
            db.execute(delete(BurnAlert))


def bench_purge(engine, plan: MonthPlan) -> None:
    """The nightly purge on the night the month's first day passes the retention."""
    first_day_end = _EPOCH + timedelta(minutes=day_minutes(plan.days[0])[1])
    with write_session(engine) as db:
        start = time.perf_counter()
        with transaction(db):
            summary = purge_raw_results(db, first_day_end + timedelta(days=retention_days()))
        print(f"  retention purge of one day of raw rows: {time.perf_counter() - start:.2f} s "
              f"({summary})")


def run(kind: str, days_limit: int | None) -> None:
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
            plan = month_plan(ids, days_limit)
            forget_demo_month(engine, plan)
            if bench_generate(engine, plan, ids, folder.name):
                bench_month_rollup(engine, plan)
                bench_month_end(engine, plan, ids)
                bench_burn(engine, ids)
                bench_purge(engine, plan)
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
    parser.add_argument("--days", type=int, help="only the first N days of the month")
    args = parser.parse_args()
    for kind in args.db or ("sqlite", "postgresql"):
        run(kind, args.days)


if __name__ == "__main__":
    main()
