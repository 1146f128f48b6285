"""HTTP health probes: one GET per target, a failure retried once at once, bounded concurrency.

No database here (probe_round.py reads targets and records outcomes). Each attempt is bounded by
its time-out as a whole (connect plus every read share one deadline), so a hanging target costs
only its time-out (twice: the retry), and a thread pool keeps hung targets from delaying others.
Plain http.client rather than a client library: redirects are not followed (a health URL that
redirects is reported by its status, which the vendor can set as expected) and the TLS
certificate's expiry is read from the same connection the check used.
"""

from __future__ import annotations

import http.client
import ssl
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

MAX_BODY_BYTES = 64 * 1024  # enough for a keyword on a health page; never download a site
USER_AGENT = "TCloud-SLA-probe/1.0 (+https://tcloud.example/sla)"


@dataclass(frozen=True)
class ProbeSpec:
    solution_id: int
    url: str
    timeout_seconds: float = 10
    expected_status: int = 200
    keyword: str | None = None
    covers_minutes: int = 1


@dataclass(frozen=True)
class Attempt:
    started_at: datetime
    ok: bool
    status_code: int | None
    latency_ms: int
    detail: str  # "ok" or why it failed, in plain words for vendors and logs
    cert_expires_at: datetime | None = None


@dataclass(frozen=True)
class ProbeOutcome:
    spec: ProbeSpec
    attempts: tuple[Attempt, ...]

    @property
    def ok(self) -> bool:
        return self.attempts[-1].ok

    @property
    def confirmed_down(self) -> bool:
        """The check failed and its immediate retry failed too."""
        return len(self.attempts) >= 2 and not any(a.ok for a in self.attempts[-2:])

    @property
    def cert_expires_at(self) -> datetime | None:
        return next((a.cert_expires_at for a in self.attempts if a.cert_expires_at), None)


class _Failed(Exception):
    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail, self.status = detail, status


def check_once(spec: ProbeSpec, *, ssl_context: ssl.SSLContext | None = None) -> Attempt:
    """One GET of the health URL, judged by status and keyword, within the time-out."""
    started_at = datetime.now(UTC)
    start = time.monotonic()
    deadline = start + spec.timeout_seconds
    status, cert_expiry = None, None
    try:
        status, cert_expiry = _fetch_and_judge(spec, deadline, ssl_context)
        ok, detail = True, "ok"
    except _Failed as failure:
        ok, detail, status = False, failure.detail, failure.status
    except TimeoutError:
        ok, detail = False, "timed out"
    except ssl.SSLCertVerificationError as err:
        ok, detail = False, f"certificate not valid: {err.verify_message}"[:200]
    except (OSError, http.client.HTTPException) as err:
        ok, detail = False, f"connection failed: {type(err).__name__}: {err}"[:200]
    latency = int((time.monotonic() - start) * 1000)
    return Attempt(started_at, ok, status, latency, detail, cert_expiry)


def _fetch_and_judge(spec: ProbeSpec, deadline: float,
                     ssl_context: ssl.SSLContext | None) -> tuple[int, datetime | None]:
    parts = urlsplit(spec.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Failed("not an http(s) URL")
    timeout = max(0.05, deadline - time.monotonic())
    if parts.scheme == "https":
        context = ssl_context or ssl.create_default_context()
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                                 context=context)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"User-Agent": USER_AGENT,
                                                 "Accept": "*/*", "Connection": "close"})
        # Read the certificate before getresponse(): with "Connection: close" the connection
        # hands its socket to the response and forgets it.
        cert_expiry = _cert_expiry(connection.sock)
        response = connection.getresponse()
        body = _read_within(response, deadline) if spec.keyword else b""
        if response.status != spec.expected_status:
            raise _Failed(f"answered {response.status}, expected {spec.expected_status}",
                          response.status)
        if spec.keyword and spec.keyword.encode() not in body:
            raise _Failed(f"keyword “{spec.keyword}” not found", response.status)
        return response.status, cert_expiry
    finally:
        connection.close()


def _read_within(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """Up to MAX_BODY_BYTES, giving up at the deadline (a trickling body is a time-out)."""
    body = bytearray()
    while len(body) < MAX_BODY_BYTES:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        raw_socket = getattr(getattr(response.fp, "raw", None), "_sock", None)
        if raw_socket is not None:
            raw_socket.settimeout(remaining)  # each read bounded by what is left
        chunk = response.read1(8192)
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _cert_expiry(sock) -> datetime | None:
    if not isinstance(sock, ssl.SSLSocket):
        return None
    cert = sock.getpeercert()
    if not cert or "notAfter" not in cert:
        return None
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), UTC)


def probe(spec: ProbeSpec, *, ssl_context: ssl.SSLContext | None = None) -> ProbeOutcome:
    """Check; if it failed, retry at once, so that only a confirmed failure makes a minute down."""
    first = check_once(spec, ssl_context=ssl_context)
    if first.ok:
        return ProbeOutcome(spec, (first,))
    return ProbeOutcome(spec, (first, check_once(spec, ssl_context=ssl_context)))


def probe_all(specs: Sequence[ProbeSpec], *, concurrency: int = 64,
              ssl_context: ssl.SSLContext | None = None) -> list[ProbeOutcome]:
    """Probe every target, at most `concurrency` at once; outcomes in the order given."""
    if not specs:
        return []
    workers = max(1, min(concurrency, len(specs)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="probe") as pool:
        return list(pool.map(lambda spec: probe(spec, ssl_context=ssl_context), specs))
