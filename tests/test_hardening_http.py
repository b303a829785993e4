"""Hardening of the HTTP API client, `ozml api` and `ozml run --live` against hostile servers.

* Credentials a server echoes back (in the Message, any other field of the answer, the HTTP
  reason phrase, a header) never reach anything shown to people: results, errors, traces
  (text and JSON), standard error, log records of any logger (a real handler on the root
  logger at DEBUG), in any of the forms a URL or XML can spell them.
* `Credentials` never give the plaintext away: not by ``attrs.asdict``, repr, str, pickle or copy.
* ``--timeout`` is a deadline for the whole exchange: a server dripping its answer one byte at a
  time cannot hold a request longer than the timeout (and a small margin).
* A URL httpx refuses (an invalid port, too long) is a one-line usage error, never a traceback.
* Config files are read through `ozml.files.read_file`: regular files of bounded size only.

Everything runs against real servers on loopback sockets, and the CLI in real subprocesses.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus

import attrs
import pytest

from ozml.api import (
    ActiveCallsResult,
    ApiConnectionError,
    ApiSettings,
    ApiTimeout,
    BadApiUrl,
    Client,
    ConfigError,
    Credentials,
    HttpStatusError,
    MalformedResponse,
    ParseError,
    Secret,
    load_settings,
)
from ozml.api.client import Exchange
from ozml.api.fetcher import HttpFetcher
from ozml.interpreter.fetch import FetchError

USER = "HTTP_User_7"
PASSWORD = "p@ss w&rd/Ä+1;x"
CREDS = Credentials.of(USER, PASSWORD)
ENV = {"OZML_USERNAME": USER, "OZML_PASSWORD": PASSWORD}


def _lower_escapes(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "%" and i + 2 < len(text) + 1:
            out.append(text[i : i + 3].lower())
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def forms(secret: str) -> set[str]:
    """Every spelling of `secret` a server could echo: plain and URL-encoded in several ways."""
    found = {
        secret,
        quote(secret),
        quote(secret, safe=""),
        quote_plus(secret),
        quote_plus(secret, safe=":/@"),
    }
    found |= {_lower_escapes(f) for f in found}
    return found


#: Pieces of the secrets that appear in nothing but an echo of them.
TELLTALES = ("p@ss", "ss+w", "ss%20w", "ss w", "User_7")


def assert_clean(*texts: str) -> None:
    for text in texts:
        for form in (*forms(USER), *forms(PASSWORD), *TELLTALES):
            assert form not in text, f"{form!r} leaked in {text!r}"


def shown(error: BaseException) -> str:
    return (
        str(error) + repr(error) + repr(error.args)
        + "".join(traceback.format_exception(error))
    )


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def char_refs(text: str) -> str:
    return "".join(f"&#x{ord(c):X};" for c in text)


class EchoPbx:
    """A PBX that echoes the request back everywhere it can: `mode` says where."""

    def __init__(self) -> None:
        self.mode = "message"
        self.queries: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                query = self.path.partition("?")[2]
                fake.queries.append(query)
                body, status, reason = fake.answer(self.path, query)
                self.send_response(status, reason)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Echo", query)
                self.send_header("Set-Cookie", f"q={query}")
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, query: str) -> tuple[bytes, int, str | None]:
        lowered = _lower_escapes(query)
        plain = f"Username={USER}&Password={PASSWORD}"
        fields = (
            f"<Echo>{xml_escape(query)}</Echo>"
            f"<Lower>{xml_escape(lowered)}</Lower>"
            f"<Plain>{xml_escape(plain)}</Plain>"
            f"<Quoted>{xml_escape(quote(PASSWORD))}</Quoted>"
            f"<Refs>{char_refs(PASSWORD)}</Refs>"
            f"<Split>{xml_escape(PASSWORD[:4])}<![CDATA[{PASSWORD[4:]}]]></Split>"
            f"<User>{USER}</User>"
        )
        calls = (
            f"<ActiveCalls><Call><CallId>{xml_escape(PASSWORD)}</CallId>"
            f"<Source>{USER}</Source><Destination>{xml_escape(query)}</Destination>"
            "</Call></ActiveCalls>"
        )
        message = f"Error occured during parsing message: '{xml_escape(query)}'"
        if self.mode == "message":
            body = f"<Response><Code>200</Code><Message>{message}</Message>{fields}{calls}"
            return (body + "</Response>").encode(), 200, f"OK {path}"
        if self.mode == "code300":
            body = f"<Response><Code>300</Code><Message>{message}</Message>{fields}</Response>"
            return body.encode(), 200, None
        if self.mode == "reason":
            return b"nope", 500, f"Bad {path} {PASSWORD}"
        if self.mode == "malformed":
            return f"<html>{plain} {query}".encode(), 200, None
        if self.mode == "badcode":
            return f"<Response><Code>{char_refs(PASSWORD)}</Code></Response>".encode(), 200, None
        raise AssertionError(self.mode)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def echo() -> Iterator[EchoPbx]:
    fake = EchoPbx()
    yield fake
    fake.close()


@pytest.fixture
def root_log() -> Iterator[io.StringIO]:
    """A real handler on the root logger at DEBUG, as an application would configure it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def everything(value: object) -> str:
    """All a program could show of `value`: its repr, its str and its attrs fields as data."""
    parts = [repr(value), str(value)]
    if attrs.has(type(value)):
        parts.append(repr(attrs.asdict(value)))  # type: ignore[arg-type]
    return "\n".join(parts)


# -- echoed credentials ------------------------------------------------------------------------


def test_a_200_answer_echoing_the_query_is_scrubbed_where_it_is_shown(
    echo: EchoPbx, root_log: io.StringIO
) -> None:
    trace: list[Exchange] = []
    with Client(echo.url, CREDS, timeout=5, trace=trace.append) as client:
        result = client.list_active_calls()
        # The data is the PBX's, as it sent it: redacting it changed real data (an extension
        # numbered like the password) and broke answers (a password of 200 and <Code>200).
        assert result.fields["Plain"] == f"Username={USER}&Password={PASSWORD}"
        assert result.fields["Refs"] == PASSWORD
        assert result.fields["Split"] == PASSWORD
        assert result.calls[0].call_id == PASSWORD
        # A program that shows it redacts it with the client's redactor, in every spelling.
        assert client.redact(result.fields["Plain"]) == "Username=***&Password=***"
        assert client.redact(result.fields["User"]) == "***"
        assert_clean(client.redact(everything(result)))
    assert echo.queries[0].endswith(f"&Password={quote_plus(PASSWORD, safe=':/@')}")
    assert isinstance(result, ActiveCallsResult)
    # The message is text for people, where a PBX quotes the request: redacted.
    assert result.message.startswith("Error occured during parsing message: '")
    assert "Username=***&Password=***" in result.message
    assert_clean(result.message)
    assert "httpx" in root_log.getvalue()
    assert "httpcore" in root_log.getvalue()
    assert_clean(*(everything(e) for e in trace), root_log.getvalue())


@pytest.mark.parametrize("mode", ["code300", "reason", "malformed", "badcode"])
def test_errors_echoing_the_credentials_are_scrubbed(
    echo: EchoPbx, root_log: io.StringIO, mode: str
) -> None:
    echo.mode = mode
    trace: list[Exchange] = []
    expected = {
        "code300": ParseError,
        "reason": HttpStatusError,
        "malformed": MalformedResponse,
        "badcode": MalformedResponse,
    }[mode]
    with Client(echo.url, CREDS, timeout=5, trace=trace.append) as client, pytest.raises(
        expected
    ) as caught:
        client.hangup(call_id="a")
    assert_clean(shown(caught.value), *(everything(e) for e in trace), root_log.getvalue())
    if mode == "reason":
        assert str(caught.value) == (
            f"Hangup: {echo.url} answered HTTP 500 Bad /api?command=Hangup&CallId=a"
            "&Username=***&Password=*** ***"
            " (the API answers 200 with an XML result code)"
        )


def ozml(*args: str, env: dict[str, str] | None = None,
         cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], capture_output=True, text=True,
        timeout=timeout, env={**base, **(env or {})}, cwd=cwd,
    )


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(
    "mode", ["message", "code300", "reason"]
)
def test_ozml_api_never_prints_echoed_credentials(echo: EchoPbx, mode: str, output: str) -> None:
    echo.mode = mode
    done = ozml("api", "ListActiveCalls", "--api-url", echo.url, "--format", output, env=ENV)
    assert done.returncode == {"message": 0, "code300": 1, "reason": 2}[mode], done.stderr
    assert echo.queries  # the request was made, with the credentials
    assert_clean(done.stdout, done.stderr)
    if mode == "message" and output == "json":
        found = json.loads(done.stdout)
        assert found["fields"]["Plain"] == "Username=***&Password=***"


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize("mode", ["message", "code300"])
def test_a_live_run_never_prints_echoed_credentials(
    echo: EchoPbx, tmp_path: Path, mode: str, output: str
) -> None:
    echo.mode = mode
    script = tmp_path / "script.xml"
    script.write_text("<Response><Speak>Hello</Speak></Response>", encoding="utf-8")
    done = ozml(
        "run", "--live", str(script), "--api-url", echo.url, "--call-id", "Live1",
        "--context", "extension", "--format", output, env=ENV, cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr
    assert len(echo.queries) >= 1
    assert "Error occured during parsing message" in done.stdout
    assert_clean(done.stdout, done.stderr)


def test_records_of_every_httpx_and_httpcore_logger_are_redacted(root_log: io.StringIO) -> None:
    with Client("http://127.0.0.1:9", CREDS) as client:
        logging.getLogger("httpx.sub")  # created after the client, before a request
        with pytest.raises(ApiConnectionError):
            client.hangup(call_id="a")
    for name in ("httpx", "httpcore", "httpcore.http11", "httpcore.connection", "httpx.sub"):
        logging.getLogger(name).debug(
            "GET %s %r", f"/api?Username={USER}&Password={quote_plus(PASSWORD)}",
            (b"HTTP/1.1", 200, PASSWORD.encode()),
        )
    text = root_log.getvalue()
    assert text.count("GET /api?Username=***&Password=*** (b'HTTP/1.1', 200, b'***')") == 5
    assert_clean(text)


# -- credentials hold no plaintext ---------------------------------------------------------------


def test_credentials_never_give_the_plaintext_away() -> None:
    settings = ApiSettings(credentials=CREDS)
    assert_clean(
        repr(CREDS), str(CREDS), repr(attrs.asdict(CREDS)), repr(attrs.astuple(CREDS)),
        repr(attrs.asdict(settings)), repr(settings),
    )
    for secret in (CREDS.username, CREDS.password):
        assert_clean(repr(secret), str(secret), f"{secret}", f"{secret!r:>30}")
        assert not hasattr(secret, "__dict__")
        assert copy.copy(secret) is secret
        assert copy.deepcopy(secret) is secret
        with pytest.raises(TypeError, match="not pickled"):
            pickle.dumps(secret)
    assert copy.deepcopy(CREDS) == CREDS
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(CREDS)
    assert CREDS.password.reveal() == PASSWORD
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")
    assert bool(Secret("")) is False


# -- the timeout is a deadline -------------------------------------------------------------------


class Dripper:
    """A raw-socket server that answers every request one byte at a time, every `pause` s.

    ``where="headers"`` drips the status line and headers; ``"body"`` sends the headers at once
    and drips a long body.
    """

    def __init__(self, where: str = "body", pause: float = 0.2) -> None:
        self.where = where
        self.pause = pause
        self.stop = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        body = b"<Response><Code>200</Code><Message>" + b"x" * 500 + b"</Message></Response>"
        head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
        with conn:
            try:
                conn.settimeout(0.1)
                with contextlib.suppress(TimeoutError):
                    conn.recv(65536)
                if self.where == "body":
                    conn.sendall(head)
                    slow = body
                else:
                    slow = head + body
                for byte in slow:
                    if self.stop.wait(self.pause):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(5)


@pytest.fixture(params=["headers", "body"])
def dripper(request: pytest.FixtureRequest) -> Iterator[Dripper]:
    server = Dripper(request.param)
    yield server
    server.close()


def timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def test_the_client_timeout_bounds_the_whole_exchange(dripper: Dripper) -> None:
    trace: list[Exchange] = []
    with Client(dripper.url, CREDS, timeout=1.0, trace=trace.append) as client:

        def send() -> None:
            with pytest.raises(ApiTimeout) as caught:
                client.forward_call(call_id="a", destination="104")
            assert str(caught.value) == (
                f"ForwardCall: no answer from {dripper.url} within 1 s;"
                " the PBX may still have run it, so it is not retried"
            )

        elapsed = timed(send)
    assert 1.0 <= elapsed < 1.6
    assert [e.error for e in trace] == ["timed out"]


def test_a_read_only_retry_stays_within_the_deadline(dripper: Dripper) -> None:
    with Client(dripper.url, CREDS, timeout=1.0) as client:

        def send() -> None:
            with pytest.raises(ApiTimeout):
                client.list_active_calls()

        elapsed = timed(send)
    assert elapsed < 1.6


def test_ozml_api_timeout_is_a_deadline(dripper: Dripper) -> None:
    started = time.monotonic()
    done = ozml("api", "Hangup", "CallId=a", "--api-url", dripper.url, "--timeout", "1", env=ENV)
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr == (
        f"ozml: error: Hangup: no answer from {dripper.url} within 1 s;"
        " the PBX may still have run it, so it is not retried\n"
    )
    assert elapsed < 1.0 + 8  # the interpreter's start-up, plus the deadline


def test_a_live_run_timeout_is_a_deadline(dripper: Dripper, tmp_path: Path) -> None:
    script = tmp_path / "script.xml"
    script.write_text("<Response><Speak>Hello</Speak></Response>", encoding="utf-8")
    started = time.monotonic()
    done = ozml(
        "run", "--live", str(script), "--api-url", dripper.url, "--call-id", "Live1",
        "--context", "extension", "--executor-option", "timeout=1", env=ENV, cwd=tmp_path,
    )
    elapsed = time.monotonic() - started
    assert done.returncode != 0
    assert "no answer from" in done.stdout + done.stderr
    assert elapsed < 1.0 + 8


def test_notifications_have_a_deadline(dripper: Dripper) -> None:
    fetcher = HttpFetcher(timeout=1.0, loopback_only=True)
    try:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(dripper.url + "/connected", {"NotificationName": "CallConnected"})
        elapsed = time.monotonic() - started
    finally:
        fetcher.close()
    assert str(caught.value) == f"{dripper.url}/connected: no answer within 1 s"
    assert 1.0 <= elapsed < 1.6


def test_an_oversized_notification_answer_is_not_read_whole() -> None:
    class Big(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return None

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(1 << 40))
            self.end_headers()
            try:
                chunk = b"<" * 65536
                for _ in range(64):  # 4 MiB: more than the limit, far less than announced
                    self.wfile.write(chunk)
            except OSError:
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Big)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetcher = HttpFetcher(timeout=5, loopback_only=True)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with pytest.raises(FetchError, match="larger than 1048576 bytes"):
            fetcher.fetch(url, {"NotificationName": "CallConnected"})
    finally:
        fetcher.close()
        server.shutdown()
        server.server_close()


# -- URLs httpx refuses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:99999", "invalid API URL 'http://127.0.0.1:99999': port out of range"),
        ("http://127.0.0.1:abc", "invalid API URL 'http://127.0.0.1:abc': invalid port"),
        ("http://" + "a" * 70000 + ":9509", "invalid API URL: "),
        ("http://exa mple.com", "invalid API URL 'http://exa mple.com': "),
        # An A-label that decodes to nothing: httpx refused it at the first request only.
        ("http://xn--zz.invalid", "invalid API URL 'http://xn--zz.invalid': the host name is"
         " not a valid internationalised name (Invalid A-label)"),
    ],
)
def test_urls_httpx_refuses_are_usage_errors(url: str, reason: str) -> None:
    with pytest.raises(BadApiUrl) as caught:
        Client(url, CREDS)
    assert str(caught.value).startswith(reason)
    assert len(str(caught.value)) < 300
    done = ozml("api", "ListActiveCalls", "--api-url", url, env=ENV)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"ozml: error: {reason}")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_live_run_with_a_bad_url_is_a_usage_error(tmp_path: Path) -> None:
    script = tmp_path / "script.xml"
    script.write_text("<Response><Speak>Hello</Speak></Response>", encoding="utf-8")
    done = ozml(
        "run", "--live", str(script), "--api-url", "http://127.0.0.1:99999", "--call-id", "L1",
        "--context", "extension", env=ENV, cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert "port out of range" in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_request_too_long_for_a_url_is_a_usage_error(echo: EchoPbx) -> None:
    text = "a" * 70000
    with Client(echo.url, CREDS) as client, pytest.raises(BadApiUrl) as caught:
        client.speak(call_id="a", text=text)
    assert str(caught.value).startswith("Speak: the request cannot be sent: ")
    assert_clean(shown(caught.value))
    done = ozml("api", "Speak", "CallId=a", f"Text={text}", "--api-url", echo.url, env=ENV)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("ozml: error: Speak: the request cannot be sent: ")
    assert done.stderr.count("\n") == 1
    assert echo.queries == []


# -- config files are read with limits -----------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: Path("/dev/zero"), "not a regular file"),
        (lambda p: p, "is a folder; --config takes a file"),  # as for ozml check --config
        (lambda p: p / "missing.toml", "no such file or folder"),
    ],
)
def test_api_config_files_are_read_with_limits(
    tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_settings(config=path, environ={})
    assert str(caught.value) == f"{path}: {reason}"
    done = ozml("api", "ListActiveCalls", "--config", str(path), env=ENV, timeout=30)
    assert done.returncode == 2
    assert done.stderr == f"ozml: error: {path}: {reason}\n"


def test_a_huge_api_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ozml.toml"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    with pytest.raises(ConfigError, match="larger than the 10,485,760-byte limit"):
        load_settings(config=path, environ={})
    with pytest.raises(ConfigError, match="larger than the 10,485,760-byte limit"):
        load_settings(environ={}, cwd=tmp_path)  # found by the lookup, not named


def test_a_fifo_as_api_config_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "fifo.toml"
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_settings(config=path, environ={})


def test_a_config_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ozml.toml"
    path.write_bytes(b"[api]\nurl = '\xff'\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config=path, environ={})
    assert str(caught.value) == f"{path}:2:8: not UTF-8 text (byte 0xFF)"
