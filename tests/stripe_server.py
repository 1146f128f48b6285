"""localstripe for tests: a fake Stripe API on a free port, and signed webhooks built offline.

`localstripe_url` (session fixture) starts `localstripe --port N --from-scratch`, waits until it
answers and stops it at the end. `use_localstripe` points the app at it for one test.
Webhook events are built and signed here exactly as Stripe signs them (header
`t=<ts>,v1=<hmac_sha256(secret, "<ts>.<payload>")>`), so tests control every delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tcloud.points import payments


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _localstripe_command() -> list[str]:
    beside_python = Path(sys.executable).parent / "localstripe"
    found = str(beside_python) if beside_python.exists() else shutil.which("localstripe")
    if found is None:
        pytest.skip("localstripe is not installed (pip install localstripe)")
    return [found]


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("localstripe") / "localstripe.log"
    with log.open("wb") as out:
        process = subprocess.Popen([*_localstripe_command(), "--port", str(port),  # noqa: S603
                                    "--from-scratch"], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=1).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"localstripe did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def use_localstripe(app, localstripe_url, monkeypatch):
    monkeypatch.setitem(app.config, "TCLOUD_STRIPE_API_BASE", localstripe_url)
    monkeypatch.setitem(app.config, "TCLOUD_STRIPE_SECRET_KEY", "sk_test_tcloud_tests")
    monkeypatch.setitem(app.config, "TCLOUD_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    return localstripe_url


WEBHOOK_SECRET = "whsec_tcloud_tests"  # noqa: S105


def intent_event(event_type: str, intent_id: str, *, reference: str | None = None,
                 amount_ntd: int = 0, event_id: str | None = None) -> dict:
    status = {"payment_intent.succeeded": "succeeded",
              "payment_intent.payment_failed": "requires_payment_method",
              "payment_intent.canceled": "canceled"}[event_type]
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:20]}", "object": "event",
        "type": event_type, "created": int(time.time()), "api_version": "2024-06-20",
        "data": {"object": {
            "id": intent_id, "object": "payment_intent", "status": status,
            "amount": payments.to_minor_units(amount_ntd), "currency": payments.CURRENCY,
            "metadata": {"order_reference": reference} if reference else {}}},
    }


def signed(event: dict, secret: str = WEBHOOK_SECRET,
           timestamp: int | None = None) -> tuple[bytes, dict]:
    """(body, headers) of a webhook delivery signed the way Stripe signs it."""
    payload = json.dumps(event)
    stamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{stamp}.{payload}".encode(),
                         hashlib.sha256).hexdigest()
    return payload.encode(), {"Stripe-Signature": f"t={stamp},v1={signature}",
                              "Content-Type": "application/json"}
