"""A real server on a free local port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tcloud import create_app, migrate

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
# TCLOUD_E2E_SCREENSHOTS sends them elsewhere (e.g. /tmp/shots) to look at after a run.
SCREENSHOTS = Path(os.environ.get("TCLOUD_E2E_SCREENSHOTS")
                   or Path(__file__).parent / "screenshots")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The whole app, CSRF and all, on its own migrated SQLite file, with real commits."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder}/tcloud.db"
    migrate.upgrade(url)
    return create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": url,
                       "TCLOUD_INSTANCE_DIR": str(folder)})


@pytest.fixture(scope="session")
def live_url(live_app):
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_admin(live_app):
    """An administrator made the documented way, with `flask tcloud create-user`."""
    email, password = "e2e-admin@example.com", "e2e admin password"
    result = live_app.test_cli_runner().invoke(args=[
        "tcloud", "create-user", "--role", "admin", "--email", email, "--name", "審核員 林",
        "--password", password])
    assert result.exit_code == 0, result.output
    return email, password


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main button[type=submit]").click()
    assert page.url.endswith("/dashboard"), page.url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000  # a rendered page, not a blank one
        return path

    return take
