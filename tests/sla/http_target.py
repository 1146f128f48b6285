"""A local HTTP server for probe tests: answers, fails, hangs and recovers on command.

Each path is its own target with a behaviour set by the test: status, body, delay, and a number
of failures to give before answering normally (to test the retry). Nothing reaches the internet.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Behaviour:
    status: int = 200
    body: str = "ok healthy"
    delay: float = 0.0
    fail_next: int = 0  # answer 503 this many times first
    hits: int = 0


class TargetServer:
    def __init__(self) -> None:
        self.behaviours: dict[str, Behaviour] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                behaviour = server.behaviour(self.path)
                with server._lock:
                    behaviour.hits += 1
                    failing = behaviour.fail_next > 0
                    if failing:
                        behaviour.fail_next -= 1
                if behaviour.delay:
                    time.sleep(behaviour.delay)
                status = 503 if failing else behaviour.status
                body = behaviour.body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the probe gave up (a time-out test)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def behaviour(self, path: str) -> Behaviour:
        with self._lock:
            return self.behaviours.setdefault(path, Behaviour())

    def url(self, path: str, **behaviour) -> str:
        """The URL of a target at `path`, behaving as given from now on."""
        with self._lock:
            self.behaviours[path] = Behaviour(**behaviour)
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def start(self) -> TargetServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
