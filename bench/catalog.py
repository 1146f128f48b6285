"""Catalogue figures: requests per second under gunicorn with the full demo catalogue.

Builds a throw-away SQLite database, migrates it, loads the whole demo (200 vendors, ~800
solutions, timed), starts gunicorn (2 sync workers, production settings with a random
SECRET_KEY, as `make run` but without the access log) on a free port, and measures with wrk:
a bare route of the same app (/healthz), the list page, a search page and a solution page.
Prints each figure and its ratio to the bare route; the target is the list page at >= 0.5.

    python -m bench.catalog [--duration 8] [--rounds 3] [--connections 4] [--profile]
                            [--database sqlite:////path/seeded.db]

Each figure is the median of interleaved rounds; beside requests per second it prints the
workers' CPU time per request, whose ratio holds steady when other processes share the cores.
--profile also runs the list page in-process under cProfile and prints where the time goes.
--database measures an already seeded database instead of building one.
Without wrk (scripts/ensure-bench-tools.sh installs Debian's) a Python load generator with
threads is used instead and says so; its figures are lower than wrk's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from tcloud import migrate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_RATIO = 0.5


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    median_ms: float | None
    p99_ms: float | None
    errors: int
    cpu_seconds: float = 0.0  # used by the gunicorn workers during the run


@dataclass(frozen=True)
class Figure:
    label: str
    path: str
    runs: tuple[Run, ...]

    @property
    def per_second(self) -> float:
        return statistics.median(r.requests / r.seconds for r in self.runs)

    @property
    def cpu_ms(self) -> float:
        """Worker CPU per request: unlike requests per second, it does not drop when other
        processes share the cores, so its ratio is the steadier figure on a busy machine."""
        return statistics.median(r.cpu_seconds * 1000 / max(r.requests, 1) for r in self.runs)

    @property
    def median_ms(self) -> float | None:
        values = [r.median_ms for r in self.runs if r.median_ms is not None]
        return statistics.median(values) if values else None

    @property
    def p99_ms(self) -> float | None:
        values = [r.p99_ms for r in self.runs if r.p99_ms is not None]
        return statistics.median(values) if values else None

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(port: int, path: str) -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return 0


def seed(env: dict) -> float:
    start = time.perf_counter()
    for command in ("db-upgrade", "seed-demo"):
        subprocess.run([BIN / "flask", "--app", "wsgi", "tcloud", command], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def sample_solution(url: str) -> int:
    """A listed solution with reviews and several plans: a full solution page."""
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text(
            "SELECT s.id FROM solutions s JOIN solution_versions v ON v.solution_id = s.id "
            "AND v.state = 'live' WHERE s.rating_count >= 3 AND s.withdrawn_at IS NULL "
            "AND (SELECT count(*) FROM solution_plans p WHERE p.version_id = v.id) >= 2 "
            "ORDER BY s.id LIMIT 1")).scalar()
        counts = conn.execute(text(
            "SELECT (SELECT count(*) FROM organisations WHERE kind = 'vendor'), "
            "(SELECT count(*) FROM solution_versions WHERE state = 'live'), "
            "(SELECT count(*) FROM solution_reviews)")).one()
    engine.dispose()
    print(f"Demo data: {counts[0]} vendors, {counts[1]} live solutions, {counts[2]} reviews")
    return found


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [BIN / "gunicorn", "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while status_of(port, "/healthz") != 200:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit("gunicorn did not start (run it by hand to see why)")
        time.sleep(0.2)
    return server


_WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


_WRK_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m)")
_UNIT_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def run_wrk(port: int, path: str, duration: int, connections: int) -> Run:
    url = f"http://127.0.0.1:{port}{path}"
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         check=True, capture_output=True, text=True).stdout
    requests, amount, unit = _WRK_TOTAL.search(out).groups()
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _WRK_LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Run(int(requests), float(amount) * _UNIT_S[unit], latency.get("50"),
               latency.get("99"), int(errors.group(1)) if errors else 0)


def run_threads(port: int, path: str, duration: int, connections: int) -> tuple:
    """Fallback load generator: keep-alive connections in threads, for when wrk is missing."""
    timings: list[float] = []
    errors = [0]
    stop = time.monotonic() + duration

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            began = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            timings.append((time.perf_counter() - began) * 1000)
            if response.status >= 400:
                errors[0] += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    return Run(len(timings), float(duration), timings[len(timings) // 2],
               timings[int(len(timings) * 0.99)], errors[0])


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's workers (children of `master`), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == master:  # fields[1] is the parent pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure(server: subprocess.Popen, port: int, pages: list[tuple[str, str]], duration: int,
            connections: int, rounds: int) -> list[Figure]:
    """Each page `rounds` times, pages interleaved so that a busy spell hits them all alike."""
    load = run_wrk if shutil.which("wrk") else run_threads
    if load is run_threads:
        print("wrk not found: using a Python load generator (threads); expect lower figures.")
    runs: dict[str, list[Run]] = {}
    for label, path in pages:
        status = status_of(port, path)
        if status != 200:
            print(f"{label:<28} {path}: answered {status}, skipped")
            continue
        load(port, path, 2, connections)  # warm up: workers import, caches fill
        runs[path] = []
    for _ in range(rounds):
        for _label, path in pages:
            if path in runs:
                before = workers_cpu_seconds(server.pid)
                run = load(port, path, duration, connections)
                cpu = workers_cpu_seconds(server.pid) - before
                runs[path].append(Run(**{**run.__dict__, "cpu_seconds": cpu}))
    return [Figure(label, path, tuple(runs[path])) for label, path in pages if path in runs]


def _ms(value: float | None) -> str:
    return f"{value:8.1f}" if value is not None else "       -"


def report(figures: list[Figure]) -> None:
    base = figures[0] if figures and figures[0].path == "/healthz" else None
    print(f"\n{'page':<24} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs hello':>9} "
          f"{'CPU ms/req':>11} {'vs hello':>9}")
    for f in figures:
        ratio = f"{f.per_second / base.per_second:8.2f}x" if base else "       -"
        cpu_ratio = f"{base.cpu_ms / f.cpu_ms:8.2f}x" if base and f.cpu_ms else "       -"
        note = f"  ({f.errors} errors)" if f.errors else ""
        print(f"{f.label:<24} {f.per_second:8.1f} {_ms(f.median_ms)[1:]} {_ms(f.p99_ms)[1:]} "
              f"{ratio} {f.cpu_ms:11.2f} {cpu_ratio}{note}")
    listed = next((f for f in figures if f.path == "/solutions"), None)
    if base and listed:
        ratio = listed.per_second / base.per_second
        verdict = "meets" if ratio >= TARGET_RATIO else "is BELOW"
        print(f"\nList page at {ratio:.2f} of hello-world in requests per second "
              f"({base.cpu_ms / listed.cpu_ms:.2f} by worker CPU per request): {verdict} the "
              f"target of {TARGET_RATIO}.")


def profile_list_page(env: dict, requests: int = 200) -> None:
    """Where a list page's time goes, in-process (no server, no network)."""
    import cProfile
    import pstats

    os.environ.update(env)
    from tcloud import create_app

    client = create_app().test_client()
    for _ in range(20):
        client.get("/solutions")
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get("/solutions")
    profiler.disable()
    print(f"\nIn-process GET /solutions: {(time.perf_counter() - start) * 1000 / requests:.1f} ms "
          f"each (under cProfile, which roughly doubles it). Top by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"tcloud|jinja2|sqlalchemy", 35)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="medians of this many runs")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database", help="an already seeded database URL (skips the seed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tcloud-bench-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        env = {**os.environ, "TCLOUD_DATABASE_URL": url, "TCLOUD_INSTANCE_DIR": folder,
               "TCLOUD_ENV": "development"}
        if not args.database:
            migrate.upgrade(url)
            print(f"seed-demo (migrations + full demo data): {seed(env):.1f} s")
        solution_id = sample_solution(url)
        serve_env = {**env, "TCLOUD_ENV": "production", "TCLOUD_ALLOW_SQLITE": "1",
                     "SECRET_KEY": secrets.token_hex(32)}
        port = free_port()
        server = start_gunicorn(serve_env, port, args.workers)
        try:
            print(f"gunicorn: {args.workers} sync workers on port {port}; wrk: 1 thread, "
                  f"{args.connections} connections; {args.rounds} rounds of {args.duration} s "
                  f"per page (medians); load average {os.getloadavg()[0]:.1f}")
            figures = measure(server, port, [
                ("hello-world (/healthz)", "/healthz"),
                ("list page", "/solutions"),
                ("search 點餐", "/solutions?q=" + quote("點餐")),
                ("solution page", f"/solutions/{solution_id}"),
            ], args.duration, args.connections, args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(figures)
        if args.profile:
            profile_list_page(serve_env)


if __name__ == "__main__":
    main()
