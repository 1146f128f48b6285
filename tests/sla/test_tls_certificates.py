"""TLS certificate expiry read by a real probe of a local HTTPS server, and the 21/14/7-day
warnings that follow. The certificate is self-signed (openssl), so the probe is given a context
that trusts it; without one the system store refuses it, as it must in production."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tcloud.sla.burn import check_certificates
from tcloud.sla.models import CertWarning, ProbeTarget
from tcloud.sla.probe_round import run_probe_round
from tcloud.sla.probes import ProbeSpec, probe

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
VALID_DAYS = 20


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"ok healthy"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """A local HTTPS server with a certificate valid for VALID_DAYS from now."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", str(VALID_DAYS), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    end = subprocess.run(["openssl", "x509", "-enddate", "-noout", "-in", str(cert)],
                         check=True, capture_output=True, text=True).stdout
    not_after = datetime.fromtimestamp(
        ssl.cert_time_to_seconds(end.strip().removeprefix("notAfter=")), UTC)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    serving = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    serving.load_cert_chain(cert, key)
    server.socket = serving.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    trusting = ssl.create_default_context(cafile=str(cert))
    yield {"url": f"https://127.0.0.1:{server.server_address[1]}/health",
           "not_after": not_after, "context": trusting}
    server.shutdown()
    server.server_close()


def test_the_probe_reads_the_certificates_expiry(https_server):
    outcome = probe(ProbeSpec(solution_id=1, url=https_server["url"], timeout_seconds=5),
                    ssl_context=https_server["context"])
    assert outcome.ok, outcome.attempts[-1].detail
    assert outcome.cert_expires_at == https_server["not_after"]


def test_an_untrusted_certificate_is_a_failure_by_default(https_server):
    outcome = probe(ProbeSpec(solution_id=1, url=https_server["url"], timeout_seconds=5))
    assert outcome.confirmed_down
    assert outcome.attempts[0].detail.startswith("certificate not valid")


def test_warnings_at_21_14_and_7_days_from_a_probed_certificate(db, live_solution,
                                                                 https_server):
    solution_id = live_solution(https_server["url"])
    now = datetime.now(UTC)
    summary = run_probe_round(db, now, only_due=False, ssl_context=https_server["context"])
    assert summary["failing"] == 0
    target = db.execute(select(ProbeTarget).where(
        ProbeTarget.solution_id == solution_id)).scalar_one()
    expiry = https_server["not_after"]
    assert target.cert_expires_at == expiry

    def thresholds() -> list[int]:
        return sorted(db.execute(select(CertWarning.threshold_days).where(
            CertWarning.solution_id == solution_id)).scalars())

    assert check_certificates(db, expiry - timedelta(days=22)) == "0 certificate warning(s)"
    assert check_certificates(db, expiry - timedelta(days=20)) == "1 certificate warning(s)"
    assert thresholds() == [21]
    assert check_certificates(db, expiry - timedelta(days=15)) == "0 certificate warning(s)"
    check_certificates(db, expiry - timedelta(days=13, hours=23))
    assert thresholds() == [14, 21]
    check_certificates(db, expiry - timedelta(days=6))
    check_certificates(db, expiry - timedelta(days=5))  # the 7-day warning comes once
    assert thresholds() == [7, 14, 21]
