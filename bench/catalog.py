"""Catalogue figures: requests per second under gunicorn with the full demo catalogue.

Builds a throw-away SQLite database, migrates it, loads the whole demo (200 vendors, ~800
solutions, timed), starts gunicorn (2 sync workers, production settings with a random
SECRET_KEY, as `make run` but without the access log) on a free port, and measures with wrk:
a bare route of the same app (/healthz), the list page, a search page and a solution page.
Prints each figure and its ratio to the bare route; the target is the list page at >= 0.5.

    python -m bench.catalog [--duration 10] [--connections 4] [--profile]

--profile also runs the list page in-process under cProfile and prints where the time goes.
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
class Figure:
    label: str
    path: str
    per_second: float
    median_ms: float | None
    p99_ms: float | None
    errors: int


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


def run_wrk(port: int, path: str, duration: int, connections: int) -> tuple:
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run(["wrk", "-t1", f"-c{connections}", "-d2s", url], check=True,
                   capture_output=True)  # warm up: workers import, caches fill
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         check=True, capture_output=True, text=True).stdout
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _WRK_LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return per_second, latency.get("50"), latency.get("99"), int(errors.group(1)) if errors else 0


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
    return (len(timings) / duration, timings[len(timings) // 2],
            timings[int(len(timings) * 0.99)], errors[0])


def measure(port: int, pages: list[tuple[str, str]], duration: int,
            connections: int) -> list[Figure]:
    load = run_wrk if shutil.which("wrk") else run_threads
    if load is run_threads:
        print("wrk not found: using a Python load generator (threads); expect lower figures.")
    figures = []
    for label, path in pages:
        status = status_of(port, path)
        if status != 200:
            print(f"{label:<28} {path}: answered {status}, skipped")
            continue
        figures.append(Figure(label, path, *load(port, path, duration, connections)))
    return figures


def _ms(value: float | None) -> str:
    return f"{value:8.1f}" if value is not None else "       -"


def report(figures: list[Figure]) -> None:
    base = figures[0].per_second if figures and figures[0].path == "/healthz" else None
    print(f"\n{'page':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs hello':>9}")
    for f in figures:
        ratio = f"{f.per_second / base:8.2f}x" if base else "       -"
        note = f"  ({f.errors} errors)" if f.errors else ""
        print(f"{f.label:<28} {f.per_second:9.1f} {_ms(f.median_ms)} {_ms(f.p99_ms)} {ratio}{note}")
    listed = next((f for f in figures if f.path == "/solutions"), None)
    if base and listed:
        ratio = listed.per_second / base
        verdict = "meets" if ratio >= TARGET_RATIO else "is BELOW"
        print(f"\nList page at {ratio:.2f} of hello-world: {verdict} the target of "
              f"{TARGET_RATIO}.")


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
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tcloud-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        env = {**os.environ, "TCLOUD_DATABASE_URL": url, "TCLOUD_INSTANCE_DIR": folder,
               "TCLOUD_ENV": "development"}
        migrate.upgrade(url)
        print(f"seed-demo (migrations + full demo data): {seed(env):.1f} s")
        solution_id = sample_solution(url)
        serve_env = {**env, "TCLOUD_ENV": "production", "TCLOUD_ALLOW_SQLITE": "1",
                     "SECRET_KEY": secrets.token_hex(32)}
        port = free_port()
        server = start_gunicorn(serve_env, port, args.workers)
        try:
            print(f"gunicorn: {args.workers} sync workers on port {port}; wrk: 1 thread, "
                  f"{args.connections} connections, {args.duration} s per page")
            figures = measure(port, [
                ("hello-world (/healthz)", "/healthz"),
                ("list page", "/solutions"),
                ("search 點餐", "/solutions?q=" + quote("點餐")),
                ("solution page", f"/solutions/{solution_id}"),
            ], args.duration, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(figures)
        if args.profile:
            profile_list_page(serve_env)


if __name__ == "__main__":
    main()
