"""Foundation figures: page render time in-process, and what a login costs (scrypt).

Run with `make bench`. Prints figures; asserts nothing. Uses a throw-away SQLite database.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tcloud import create_app, migrate
from tcloud.accounts.services import hash_password
from tcloud.demo import DEMO_PASSWORD


def timed(label: str, action, repeat: int) -> None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<40} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms"
          f"   ({repeat} runs, {1000 / statistics.mean(samples):7.1f}/s per core)")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        app = create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": url,
                          "WTF_CSRF_ENABLED": False})
        app.test_cli_runner().invoke(args=["tcloud", "seed-demo"])
        client = app.test_client()
        timed("GET / (home page, zh-TW)", lambda: client.get("/"), 300)
        timed("GET /register/business (form)", lambda: client.get("/register/business"), 300)
        timed("GET /api/v1/openapi.json", lambda: client.get("/api/v1/openapi.json"), 100)
        timed("scrypt password hash", lambda: hash_password(DEMO_PASSWORD), 20)

        def login_and_out() -> None:
            client.post("/login", data={"email": "business@demo.tcloud.tw",
                                        "password": DEMO_PASSWORD})
            client.post("/logout")

        timed("POST /login + POST /logout", login_and_out, 20)


if __name__ == "__main__":
    main()
