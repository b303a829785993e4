"""The simulator's HTTP server: the Ozeki 10 API on ``/api``, plus a state view for inspection.

* ``GET /api?command=NAME&...`` or ``POST /api`` (form-encoded): the API (spec §6.1). Always
  HTTP 200 with the response XML, whatever the result code, as the PBX does.
* ``GET /simulator/state``: the calls, the history, the requests received (exactly as
  received, credentials included: they are the simulator's own test users), the notifications
  sent and the scripts run, as JSON.
* ``POST /simulator/reset``: back to the configured start (users, extensions, initial calls).

Built on the standard library's ThreadingHTTPServer: one thread per connection, HTTP/1.1
keep-alive, a large listen backlog so that bursts of connections wait instead of failing.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

from ozml import __version__
from ozml.api.fetcher import HttpFetcher
from ozml.api.wire import redact_query
from ozml.simulator.commands import Api, Reply
from ozml.simulator.config import SimulatorConfig, default_config
from ozml.simulator.notify import Notifier
from ozml.simulator.render import render
from ozml.simulator.state import Scheduler, Switchboard

__all__ = ["Simulator"]

MAX_BODY_BYTES: Final = 1024 * 1024
MAX_FIELDS: Final = 500
KEPT_REQUESTS: Final = 10_000


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    simulator: Simulator


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = f"ozml-simulator/{__version__}"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        return None  # the simulator logs API requests itself, with credentials redacted

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(404, b"not found: the API is at /api\n", "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") == "/api":
            self._api("GET", parts.query)
        elif parts.path == "/simulator/state":
            body = json.dumps(self.server.simulator.state(), indent=1).encode("utf-8")
            self._send(200, body, "application/json")
        else:
            self._not_found()

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(413, b"request body too large\n", "text/plain; charset=utf-8")
            return
        body = self.rfile.read(length) if length > 0 else b""
        if parts.path.rstrip("/") == "/api":
            # Parameters may come in the query, the form body, or both [oz694].
            try:
                form = body.decode("utf-8")
            except UnicodeDecodeError:
                self._api("POST", parts.query, Reply(300, ("the form body is not UTF-8",)))
                return
            self._api("POST", "&".join(q for q in (parts.query, form) if q))
        elif parts.path == "/simulator/reset":
            self.server.simulator.reset()
            self._send(200, b'{"reset": true}\n', "application/json")
        else:
            self._not_found()

    def _api(self, method: str, query: str, reply: Reply | None = None) -> None:
        simulator = self.server.simulator
        if reply is None:
            try:
                pairs = parse_qsl(
                    query, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
                )
            except (UnicodeDecodeError, ValueError):
                reply = Reply(300, (redact_query(query)[:200],))
            else:
                reply = simulator.api.handle(pairs)
        simulator.received(method, query, reply)
        self._send(200, render(reply), "application/xml; charset=utf-8")


class Simulator:
    """A simulated PBX: switchboard, API, notifier and HTTP server, on loopback by default.

    ``with Simulator(config, port=0) as sim:`` starts it on a free port in a background thread
    (`url` says where); `serve_forever` runs it in the foreground instead.
    """

    def __init__(
        self,
        config: SimulatorConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 9509,
        *,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config or default_config()
        self.log = log or (lambda line: None)
        behaviour = self.config.behaviour
        self.fetcher = HttpFetcher(
            timeout=behaviour.notify_timeout, loopback_only=not behaviour.notify_remote
        )
        self._lock = threading.Lock()
        self.requests: deque[dict[str, object]] = deque(maxlen=KEPT_REQUESTS)
        self._build()
        self.server = _Server((host, port), _Handler)
        self.server.simulator = self
        self._thread: threading.Thread | None = None

    def _build(self) -> None:
        self.scheduler = Scheduler()
        self.board = Switchboard(self.config, self.scheduler)
        self.api = Api(self.board)
        self.notifier = Notifier(self.board, self.fetcher, log=self.log)

    @property
    def host(self) -> str:
        return str(self.server.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        host = self.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def received(self, method: str, query: str, reply: Reply) -> None:
        with self._lock:
            self.requests.append(
                {"method": method, "query": query, "code": reply.code, "message": reply.message}
            )
        self.log(f"{method} /api?{redact_query(query)} -> {reply.code} {reply.message}")

    def reset(self) -> None:
        """Back to the configured start: calls, history, logs."""
        with self._lock:
            old = self.scheduler
            self._build()
            self.requests.clear()
            self.fetcher.deliveries.clear()
        old.close()

    def state(self) -> dict[str, object]:
        """Everything observable, as JSON-ready data."""
        board = self.board
        now = board.now()
        with board.locked():
            calls = [c.snapshot(now) for c in board.active()]
            history = [c.snapshot(now) for c in board.history()]
        with self._lock:
            requests = list(self.requests)
        deliveries = [
            {"url": d.url, "form": dict(d.form), "status": d.status, "error": d.error}
            for d in list(self.fetcher.deliveries)
        ]
        return {
            "url": self.url,
            "calls": calls,
            "history": history,
            "requests": requests,
            "notifications": deliveries,
            "scripts": list(self.notifier.scripts),
            "messages": list(self.api.messages),
        }

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.05)

    def start(self) -> Simulator:
        """Serve in a background thread and return at once."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="ozml-simulator", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server.server_close()
        self.scheduler.close()
        self.fetcher.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
