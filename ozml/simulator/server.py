"""The simulator's HTTP server: the Ozeki 10 API on ``/api``, plus a state view for inspection.

* ``GET /api?command=NAME&...`` or ``POST /api`` (form-encoded): the API (spec §6.1). Always
  HTTP 200 with the response XML, whatever the result code, as the PBX does.
* ``GET /simulator/state``: the calls, the history, the requests received (exactly as
  received, credentials included: they are the simulator's own test users), the notifications
  sent and the scripts run, as JSON.
* ``POST /simulator/reset``: back to the configured start (users, extensions, initial calls).
* ``POST /_ozml/calls`` (form or query: ``from``, ``to``, ``dtmf``): an inbound call from
  outside to ``to``; answers JSON with its ``CallId``, or 503 with an ``error`` when
  ``max-calls`` calls are already in progress. ``GET /_ozml/calls/ID``: that call (in
  progress or ended) and the scripts run on it, as JSON.

Built on the standard library's ThreadingHTTPServer: one thread per connection, HTTP/1.1
keep-alive, a large listen backlog so that bursts of connections wait instead of failing.

Whatever arrives on a connection gets a well-formed HTTP answer or a closed connection, never a
traceback: a bad ``Content-Length`` is 400, a body over `MAX_BODY_BYTES` is 413 (refused from
its headers, never read), chunked bodies are 501, a client that goes away is forgotten without
a word. A connection has `connection_timeout` seconds (30 by default) to deliver each whole
request, counted from connecting or from the previous answer, however slowly it sends: a client
that sends nothing, or drips its request, cannot hold a worker thread.
"""

from __future__ import annotations

import io
import json
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

from ozml import __version__
from ozml.api.fetcher import HttpFetcher
from ozml.api.wire import redact_query
from ozml.callmodel.states import CallState
from ozml.callmodel.switchboard import SimCall, Switchboard, ThreadScheduler
from ozml.callmodel.timeline import CallerError, parse_caller
from ozml.interpreter.fetch import MapAnswers
from ozml.limits import unsigned
from ozml.notifications.forms import FORM_TYPE
from ozml.simulator.commands import Api, Reply
from ozml.simulator.config import SimulatorConfig, default_config
from ozml.simulator.notify import Notifier
from ozml.simulator.render import render

__all__ = ["Simulator", "refused_call"]

MAX_BODY_BYTES: Final = 1024 * 1024
MAX_FIELDS: Final = 500
KEPT_REQUESTS: Final = 10_000
#: Seconds a connection has to deliver each whole request (and to take each answer).
CONNECTION_TIMEOUT: Final = 30.0
#: A number the control endpoint accepts as caller or callee (`refused_call`).
_NUMBER = re.compile(r"[0-9A-Za-z+*#@._-]{1,64}")


def refused_call(
    caller: str, callee: str, dtmf: str, names: tuple[str, str, str] = ("from", "to", "dtmf")
) -> str | None:
    """Why the control endpoint refuses a call from `caller` to `callee` whose caller presses
    `dtmf`, naming them `names` (``ozml simulate call`` says ``--from``, ``--to``,
    ``--dtmf``), or None when it takes it: a number is 1 to 64 of ``0-9 A-Z a-z + * # @ . _
    -``, and the keys are what `parse_caller` reads."""
    for name, value in zip(names[:2], (caller, callee), strict=True):
        if not _NUMBER.fullmatch(value):
            return (
                f"{name} must be a number (1 to 64 of 0-9 A-Z a-z + * # @ . _ -),"
                f" found {value[:80]!r}"
            )
    try:
        parse_caller(dtmf)
    except CallerError as error:
        return f"{names[2]}: {error}"
    return None


#: Where the simulator's own control endpoint lives (not part of the PBX's API).
CONTROL: Final = "/_ozml/calls"


class ControlError(ValueError):
    """A control request that cannot be carried out; the message says why, `status` is the
    HTTP status it is answered with (400: a bad request; 503: too many calls now)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


#: Threads the scheduler may have beyond two per call (a call's script and its queue of
#: notifications): timers and other short tasks.
SPARE_THREADS: Final = 64

_TEXT = "text/plain; charset=utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    simulator: Simulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection's handler failed: never a traceback on the simulator's output."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return  # the client went away or stopped sending: nothing to report
        self.simulator.log(f"internal error on a connection: {type(error).__name__}: {error}")


class _Server6(_Server):
    """The server on an IPv6 address (``--host ::1``)."""

    address_family = socket.AF_INET6


def _server(host: str, port: int) -> _Server:
    """The HTTP server for `host`: IPv6 for an address written with colons, else IPv4 (a name
    is looked up as IPv4, as before)."""
    kind = _Server6 if ":" in host else _Server
    return kind((host, port), _Handler)


class _DeadlineReader(io.RawIOBase):
    """A connection's input, every read of which ends by `deadline` (time.monotonic()):
    the per-read socket timeout alone lets a client that drips bytes hold it for ever."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock
        self.deadline = time.monotonic() + CONNECTION_TIMEOUT

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request was not complete in time")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # A request line without a version (HTTP/0.9) or one that cannot be parsed is answered as
    # HTTP/1.0, with a status line and headers: HTTP/0.9's bare body is no answer to a client.
    default_request_version = "HTTP/1.0"
    server_version = f"ozml-simulator/{__version__}"
    sys_version = ""

    def version_string(self) -> str:
        """The Server header: ozml's name and version alone (the base class appends a space and
        the Python version)."""
        return self.server_version

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self._reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader, 65536)
        self._answered = False

    def handle_one_request(self) -> None:
        # The deadline of the next request: from the previous answer, or from connecting.
        self._reader.deadline = time.monotonic() + self.server.simulator.connection_timeout
        self._answered = False
        super().handle_one_request()

    def send_response(self, code: int, message: str | None = None) -> None:
        # Writing an answer gets its own time: the reads may have used up the request's.
        self.connection.settimeout(self.server.simulator.connection_timeout)
        self._answered = True
        super().send_response(code, message)

    def handle_expect_100(self) -> bool:
        if self._length() is None:
            return False
        return super().handle_expect_100()

    def log_message(self, format: str, *args: Any) -> None:
        return None  # the simulator logs API requests itself, with credentials redacted

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, status: int, reason: str) -> None:
        """An error answer, after which the connection is closed (what follows on it cannot
        be told apart from the rest of a bad request)."""
        self.close_connection = True
        self._send(status, f"{reason}\n".encode(), _TEXT)

    def _not_found(self) -> None:
        self._send(404, b"not found: the API is at /api\n", _TEXT)

    def _length(self) -> int | None:
        """The body's length from the headers; None when an error answer was sent."""
        if self.headers.get("Transfer-Encoding") is not None:
            self._refuse(501, "chunked request bodies are not supported: send Content-Length")
            return None
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return 0
        found = {v.strip() for v in values}
        length = unsigned(found.pop())
        if found or length is None:
            self._refuse(400, "bad Content-Length: expected one whole number of bytes")
            return None
        if length > MAX_BODY_BYTES:
            self._refuse(413, f"request body too large (the limit is {MAX_BODY_BYTES} bytes)")
            return None
        return length

    def _body(self) -> bytes | None:
        """The request's body (read only when within the limit); None when an error answer
        was sent or the client went away."""
        length = self._length()
        if length is None:
            return None
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            self._refuse(400, "the body is shorter than its Content-Length")
            return None
        return body

    def _guarded(self, handle: Callable[[], None]) -> None:
        """Runs one request's handler: a bug answers 500 and is logged in one line, a client
        that went away ends the connection quietly."""
        try:
            handle()
        except OSError:
            raise  # handled by the base class (time-outs) or _Server.handle_error
        except Exception as error:
            self.server.simulator.log(
                f"internal error answering {self.command}: {type(error).__name__}: {error}"
            )
            if not self._answered:
                self._refuse(500, "internal error in the simulator")
            else:
                self.close_connection = True

    def _target(self) -> tuple[str, str] | None:
        """The request's path and query; None when an error answer was sent."""
        try:
            parts = urlsplit(self.path)
        except ValueError:
            self._refuse(400, "bad request target")
            return None
        return parts.path, parts.query

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _get(self) -> None:
        # A GET has no body; one sent anyway is read (within the limit) and ignored, so that
        # the connection stays in step.
        if self._body() is None:
            return
        target = self._target()
        if target is None:
            return
        path, query = target
        if path.rstrip("/") == "/api":
            self._api("GET", query)
        elif path == "/simulator/state":
            body = json.dumps(self.server.simulator.state(), indent=1).encode("utf-8")
            self._send(200, body, "application/json")
        elif path.startswith(CONTROL + "/"):
            found = self.server.simulator.call_view(path[len(CONTROL) + 1 :])
            if found is None:
                self._json(404, {"error": f"no call with ID {path[len(CONTROL) + 1 :]!r}"})
            else:
                self._json(200, found)
        else:
            self._not_found()

    def _json(self, status: int, data: object) -> None:
        self._send(status, json.dumps(data, indent=1).encode("utf-8") + b"\n", "application/json")

    def _control(self, query: str, body: bytes) -> None:
        """POST /_ozml/calls: place an inbound call."""
        try:
            form = "&".join(q for q in (query, body.decode("utf-8")) if q)
            pairs = parse_qsl(
                form, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
            )
        except (UnicodeDecodeError, ValueError):
            self._json(400, {"error": "the form is not valid UTF-8 form encoding"})
            return
        params: dict[str, str] = {}
        for key, value in pairs:
            params.setdefault(key.lower(), value)
        try:
            call = self.server.simulator.ring(
                params.get("from", ""), params.get("to", ""), params.get("dtmf", "")
            )
        except ControlError as error:
            self._json(error.status, {"error": str(error)})
            return
        self._json(200, {"CallId": call.id, "CallState": call.state.value})

    def _post(self) -> None:
        body = self._body()
        if body is None:
            return
        target = self._target()
        if target is None:
            return
        path, query = target
        if path.rstrip("/") == "/api":
            # Parameters may come in the query, the form body, or both [oz694].
            kind = _media_type(self.headers.get("Content-Type"))
            if body and kind not in (None, FORM_TYPE):
                # Not read, nor logged: a multipart body holds its fields (a password among
                # them) in a form no redaction of a query finds.
                self._api("POST", query, Reply(300, (f"the body is {kind}, not a form",)))
                return
            try:
                form = body.decode("utf-8")
            except UnicodeDecodeError:
                self._api("POST", query, Reply(300, ("the form body is not UTF-8",)))
                return
            self._api("POST", "&".join(q for q in (query, form) if q))
        elif path == "/simulator/reset":
            self.server.simulator.reset()
            self._send(200, b'{"reset": true}\n', "application/json")
        elif path.rstrip("/") == CONTROL:
            self._control(query, body)
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


def _media_type(header: str | None) -> str | None:
    """The media type a Content-Type header names (lower case, parameters apart); None for
    none given (a body without one is read as a form)."""
    if header is None:
        return None
    return header.partition(";")[0].strip().lower() or None


#: The answers to a request whose credentials were not (or could not be) found among the
#: simulator's users: a query it could not read (300), none given (304), wrong ones (305).
_REFUSED = frozenset({300, 304, 305})


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
        connection_timeout: float = CONNECTION_TIMEOUT,
    ) -> None:
        self.config = config or default_config()
        self.log = log or (lambda line: None)
        #: Seconds a connection has to deliver each whole request, and to take each answer.
        self.connection_timeout = connection_timeout
        behaviour = self.config.behaviour
        self.fetcher = HttpFetcher(
            timeout=behaviour.notify_timeout, loopback_only=not behaviour.notify_remote
        )
        self._lock = threading.Lock()
        self.requests: deque[dict[str, object]] = deque(maxlen=KEPT_REQUESTS)
        self._build()
        self.server = _server(host, port)
        self.server.simulator = self
        self._thread: threading.Thread | None = None

    def _build(self) -> None:
        config = self.config
        behaviour = config.behaviour
        # A call's script keeps a thread while it runs (its real-time waits sleep it): two a
        # call in progress (its script, its queue of notifications), and some to spare.
        self.scheduler = ThreadScheduler(
            2 * behaviour.max_calls + SPARE_THREADS, real_time=behaviour.real_time
        )
        self.board = Switchboard(
            config, self.scheduler, ring_time=behaviour.ring_time, seed=behaviour.seed
        )
        for initial in config.calls:
            self.board.add(
                SimCall(
                    initial.id, initial.caller, initial.callee, CallState(initial.state),
                    self.board.now(), origin="config",
                )
            )
        self.notifier = Notifier(
            self.board,
            self.fetcher,
            names=config.names,
            timing=config.timing,
            real_time=behaviour.real_time,
            max_value_bytes=behaviour.max_value_bytes,
            route_url=config.http_api.route_interception_url,
            call_changed_url=config.http_api.call_changed_url,
            recordings_url=lambda: self.url,
            log=self.log,
            notification_answers=behaviour.notification_answers,
            urlmap=None if config.urls is None else MapAnswers(config.urls, config.urls_label),
        )
        self.api = Api(self.board, config, self.notifier)

    def ring(self, caller: str, callee: str, dtmf: str = "") -> SimCall:
        """An inbound call from `caller` (any number, from outside) to `callee`, whose caller
        presses `dtmf` (docs/simulator.md); ControlError for a bad request."""
        refused = refused_call(caller, callee, dtmf)
        if refused is not None:
            raise ControlError(refused)
        limit = self.config.behaviour.max_calls
        with self.board.locked():
            if self.board.in_progress() >= limit:
                raise ControlError(
                    f"{limit} calls are in progress, the most this simulator takes at once"
                    " ([behaviour] max-calls): try again when one has ended",
                    503,
                )
            call = self.board.place(
                caller, callee, origin="Inbound", direction="Inbound", dialed=callee, dtmf=dtmf
            )
        self.log(f"inbound call {call.id} from {caller} to {callee}")
        return call

    def call_view(self, call_id: str) -> dict[str, object] | None:
        """One call (in progress or ended) and the scripts run on it, as JSON-ready data."""
        call = self.board.find(call_id)
        if call is None:
            return None
        with self.board.locked():
            found = call.snapshot(self.board.now())
        found["Scripts"] = [s for s in list(self.notifier.scripts) if s["CallId"] == call_id]
        found["Running"] = self.notifier.running(call_id)
        return found

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
        """Keep and log one API request. The kept query is as received when its credentials
        are those of one of the simulator's users (it answered past the log-in); credentials
        it refused, or a query it could not read, may be someone's real ones, and are kept
        masked, as every logged query is (`_REFUSED`)."""
        masked = redact_query(query)
        kept = masked if reply.code in _REFUSED else query
        with self._lock:
            self.requests.append(
                {"method": method, "query": kept, "code": reply.code, "message": reply.message}
            )
        self.log(f"{method} /api?{masked} -> {reply.code} {reply.message}")

    def reset(self) -> None:
        """Back to the configured start: calls, history, logs."""
        with self._lock:
            old, notifier = self.scheduler, self.notifier
            self._build()
            self.requests.clear()
            self.fetcher.deliveries.clear()
        notifier.stop.set()
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
        deliveries = list(self.notifier.sent)
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
        self.notifier.stop.set()
        self.scheduler.close()
        self.fetcher.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
