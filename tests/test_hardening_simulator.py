"""Hardening of the simulator's HTTP server against hostile or broken clients.

Whatever arrives on a connection gets a well-formed HTTP answer or a cleanly closed connection:
never a traceback, never a worker thread held for ever, never a server that stops serving. The
server runs for real on a loopback port; clients are raw sockets.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml.api import Client, Credentials
from ozml.simulator import Simulator, load_config

STATUS_LINE = re.compile(rb"HTTP/1\.[01] [1-5][0-9][0-9] [^\r\n]*\r\n")
VALID = (
    b"GET /api?command=ListActiveCalls&Username=HTTP_User_1&Password=qwe123 HTTP/1.1\r\n"
    b"Host: x\r\n\r\n"
)


class Watched:
    """A simulator on a free port, with everything it logs and every traceback printed anywhere
    (standard error, or an uncaught exception in a thread) collected."""

    def __init__(self, connection_timeout: float = 1.0) -> None:
        self.lines: list[str] = []
        self.sim = Simulator(port=0, log=self.lines.append, connection_timeout=connection_timeout)
        self.port = self.sim.port

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)


@contextlib.contextmanager
def watched(connection_timeout: float = 1.0) -> Iterator[tuple[Watched, io.StringIO]]:
    errors = io.StringIO()
    hook = threading.excepthook
    threading.excepthook = lambda args: errors.write(f"Traceback: {args.exc_value!r}\n")
    server = Watched(connection_timeout)
    try:
        with contextlib.redirect_stderr(errors), server.sim:
            yield server, errors
    finally:
        threading.excepthook = hook


def exchange(server: Watched, data: bytes, *, half_close: bool = True) -> bytes:
    """Send `data`, (by default) say that nothing more comes, and read until the server closes."""
    with server.connect() as sock:
        with contextlib.suppress(OSError):
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        chunks = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        else:
            raise AssertionError("the server neither answered completely nor closed")
    return b"".join(chunks)


def answers(data: bytes, request: bytes = b"") -> list[int]:
    """The status codes of the HTTP answers in `data`, checking each is well-formed.

    The answer to a HEAD `request` (the simulator serves none: 501, and the connection ends) has
    its Content-Length but no body, unless the request was refused before its method was read.
    """
    codes = []
    rest = data
    if request.startswith(b"HEAD ") and STATUS_LINE.match(rest):
        head, sep, rest = rest.partition(b"\r\n\r\n")
        assert sep
        length = re.search(rb"(?i)\r\ncontent-length: *([0-9]+)", head)
        assert length
        assert len(rest) in (0, int(length.group(1)))
        return [int(head[9:12])]
    while rest:
        match = STATUS_LINE.match(rest)
        assert match, f"not an HTTP answer: {rest[:200]!r}"
        head, sep, rest = rest.partition(b"\r\n\r\n")
        assert sep, f"an answer without the end of its headers: {head[:200]!r}"
        codes.append(int(match.group()[9:12]))
        if codes[-1] < 200:
            continue  # an interim answer (100 Continue) has no body, nor Content-Length
        length = re.search(rb"(?i)\r\ncontent-length: *([0-9]+)", head)
        assert length, f"an answer without Content-Length: {head[:200]!r}"
        size = int(length.group(1))
        assert len(rest) >= size, "an answer shorter than its Content-Length"
        rest = rest[size:]
    return codes


def read_answer(sock: socket.socket) -> bytes:
    """One whole answer (headers and Content-Length bytes of body) from a kept-alive socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before the end of the headers: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?i)\r\ncontent-length: *([0-9]+)", head)
    assert length
    while len(body) < int(length.group(1)):
        chunk = sock.recv(65536)
        assert chunk, "closed before the end of the body"
        body += chunk
    return head + b"\r\n\r\n" + body


def still_serving(server: Watched) -> None:
    assert answers(exchange(server, VALID)) == [200]


def no_traceback(errors: io.StringIO, server: Watched) -> None:
    text = errors.getvalue() + "\n".join(server.lines)
    assert "Traceback" not in text
    assert "internal error" not in text


# -- specific defects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (b"Content-Length: abc\r\n", 400),
        (b"Content-Length: -5\r\n", 400),
        (b"Content-Length: 1e3\r\n", 400),
        # A whole number all the same (the notification reader says the same): too large.
        (b"Content-Length: " + b"9" * 5000 + b"\r\n", 413),
        (b"Content-Length: " + b"0" * 5000 + b"1073741824\r\n", 413),
        (b"Content-Length: 3\r\nContent-Length: 4\r\n", 400),
        (b"Content-Length: 1073741824\r\n", 413),
        (b"Transfer-Encoding: chunked\r\n", 501),
    ],
)
@pytest.mark.parametrize("method", [b"POST", b"GET"])
def test_bad_content_lengths_get_an_answer(headers: bytes, status: int, method: bytes) -> None:
    with watched() as (server, errors):
        started = time.monotonic()
        data = exchange(server, method + b" /api HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\nabc")
        assert time.monotonic() - started < 0.9  # answered from the headers, not a time-out
        assert answers(data) == [status]
        assert b"Connection: close" in data
        still_serving(server)
        no_traceback(errors, server)


def test_an_oversized_body_is_refused_without_reading_it() -> None:
    with watched(connection_timeout=30) as (server, errors), server.connect() as sock:
        # Says 1 GiB is coming, sends none of it, and does not close: the answer must come
        # from the headers alone.
        sock.sendall(b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n")
        sock.settimeout(5)
        data = b""
        while chunk := sock.recv(65536):  # the answer, then the connection is closed
            data += chunk
        assert answers(data) == [413]
        no_traceback(errors, server)


def test_a_body_shorter_than_its_length_is_400() -> None:
    with watched() as (server, errors):
        data = exchange(server, b"POST /api HTTP/1.1\r\nContent-Length: 50\r\n\r\ncommand=")
        assert answers(data) == [400]
        no_traceback(errors, server)


@pytest.mark.parametrize(
    "target",
    [b"http://[::1/api", b"//[/api?x", b"/api?command=Hangup&CallId=%ff%fe", b"/\x1b[31mred"],
)
def test_odd_request_targets_get_an_answer(target: bytes) -> None:
    with watched() as (server, errors):
        codes = answers(exchange(server, b"GET " + target + b" HTTP/1.1\r\n\r\n"))
        assert len(codes) == 1
        assert codes[0] in (200, 400, 404)
        still_serving(server)
        no_traceback(errors, server)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a client that crashed would."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_a_client_that_disconnects_mid_request_leaves_no_traceback() -> None:
    with watched() as (server, errors):
        for _ in range(5):
            sock = server.connect()
            sock.sendall(b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ncommand")
            time.sleep(0.05)
            _reset(sock)
        time.sleep(0.3)
        still_serving(server)
        no_traceback(errors, server)


def test_a_client_that_disconnects_mid_answer_leaves_no_traceback() -> None:
    with watched() as (server, errors):
        for _ in range(5):
            sock = server.connect()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            sock.sendall(b"GET /simulator/state HTTP/1.1\r\nHost: x\r\n\r\n" * 300)
            time.sleep(0.1)
            _reset(sock)
        time.sleep(0.3)
        still_serving(server)
        no_traceback(errors, server)


def test_a_silent_client_is_disconnected_after_the_connection_timeout() -> None:
    with watched(connection_timeout=0.5) as (server, errors), server.connect() as sock:
        sock.settimeout(5)
        started = time.monotonic()
        assert sock.recv(100) == b""
        assert 0.4 < time.monotonic() - started < 2
        still_serving(server)
        no_traceback(errors, server)


def test_a_client_dripping_its_request_is_disconnected_at_the_deadline() -> None:
    with watched(connection_timeout=1.0) as (server, errors), server.connect() as sock:
        started = time.monotonic()
        closed = None
        with contextlib.suppress(OSError):
            for byte in VALID * 10:
                sock.sendall(bytes([byte]))
                time.sleep(0.05)  # well under the timeout between bytes
                if time.monotonic() - started > 5:
                    break
        sock.settimeout(5)
        with contextlib.suppress(OSError):
            while sock.recv(65536):
                pass
        closed = time.monotonic() - started
        assert closed < 2.5
        still_serving(server)
        no_traceback(errors, server)


def test_a_kept_alive_connection_gets_a_new_deadline_per_request() -> None:
    with watched(connection_timeout=1.0) as (server, errors), server.connect() as sock:
        for _ in range(4):  # 4 x 0.6 s on one connection: more than one timeout in all
            time.sleep(0.6)
            sock.sendall(VALID)
            sock.settimeout(5)
            assert answers(read_answer(sock)) == [200]
        no_traceback(errors, server)


# -- fuzzing -------------------------------------------------------------------------------------

_TOKEN = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=255), min_size=0, max_size=12
)
#: Text that keeps a request line or a header line in one piece (no spaces, CR or LF), mostly.
_WORD = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=255), max_size=12),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=255), max_size=12),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=255), max_size=12),
    _TOKEN,
)


def _mostly(usual: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """Usual values three times in four (so that most requests reach the handlers), else odd
    ones or any short text."""
    common = st.sampled_from(usual)
    return st.one_of(common, common, common, st.one_of(st.sampled_from(odd), _TOKEN))


_METHOD = _mostly(["GET", "POST"], ["HEAD", "PUT", "", "get", "G ET", "OPTIONS"])
_PATH = _mostly(
    ["/api", "/api/", "/simulator/state", "/simulator/reset"],
    ["*", "/", "", "http://[::1/api", "//x/api", "/api#frag", "/%ff"],
)
_QUERY = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["command", "CallId", "Username", "Password", "Text"]), _WORD),
        st.one_of(st.sampled_from(["ListActiveCalls", "Hangup", "Call", "qwe123"]), _WORD),
    ),
    max_size=6,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
_VERSION = _mostly(["HTTP/1.1", "HTTP/1.0"], ["HTTP/2.0", "HTTP/9", "", "http/1.1"])
_HEADER = st.one_of(
    st.tuples(
        st.sampled_from(["Content-Length", "Transfer-Encoding", "Expect", "Connection", "Host"]),
        st.one_of(
            st.sampled_from(["0", "5", "64", "-1", "abc", " 7 ", "1e3", "9" * 30, "chunked",
                             "100-continue", "close", "keep-alive"]),
            _WORD,
        ),
    ),
    st.tuples(_WORD, _WORD),
)


_PLAIN_QUERY = st.lists(
    st.tuples(
        st.sampled_from(["command", "CallId", "Username", "Password", "Text", "Dialed"]),
        st.one_of(
            st.sampled_from(["ListActiveCalls", "Hangup", "Call", "qwe123", "HTTP_User_1"]),
            st.text(alphabet="abc%0123456789+&=;/", max_size=8),
        ),
    ),
    max_size=5,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))


@st.composite
def requests(draw: st.DrawFn, plain_line: bool = False) -> bytes:
    """A request with odd parts anywhere, or (`plain_line`) with a well-formed request line,
    so that the headers and the body reach the handlers."""
    if plain_line:
        method = draw(st.sampled_from(["GET", "POST"]))
        path = draw(st.sampled_from(["/api", "/api/", "/simulator/state", "/simulator/reset"]))
        query = draw(_PLAIN_QUERY)
        version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0"]))
    else:
        method, path, query, version = draw(_METHOD), draw(_PATH), draw(_QUERY), draw(_VERSION)
    target = path + ("?" + query if query else "")
    line = f"{method} {target} {version}".encode("latin-1")
    headers = b"".join(
        f"{name}: {value}\r\n".encode("latin-1") for name, value in draw(st.lists(_HEADER))
    )
    body = draw(st.one_of(st.binary(max_size=64), _QUERY.map(lambda q: q.encode("utf-8"))))
    ending = draw(st.sampled_from([b"\r\n", b"\n", b""]))
    return line + b"\r\n" + headers + ending + body


def test_fuzz_any_bytes_get_an_answer_or_a_clean_close() -> None:
    # One simulator for every example (that it keeps serving is part of what is tested), made
    # and watched inside the test so that nothing outlives it.
    with watched(connection_timeout=2.0) as (server, errors):

        @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(data=st.one_of(requests(plain_line=True), requests(), st.binary(max_size=300)))
        def check(data: bytes) -> None:
            for code in answers(exchange(server, data), data):
                assert 100 <= code < 600
            still_serving(server)
            no_traceback(errors, server)

        check()


# -- the command line ---------------------------------------------------------------------------


def test_simulate_refuses_config_files_that_are_not_regular(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path, reason in (("/dev/zero", "not a regular file"), (str(fifo), "not a regular file"),
                         (str(tmp_path), "is a folder")):
        done = subprocess.run(
            [sys.executable, "-m", "ozml", "simulate", "--port", "0", "--config", path],
            capture_output=True, text=True, timeout=30,
        )
        assert done.returncode == 2
        assert done.stderr == f"ozml: error: {path}: {reason}\n"


def test_simulate_logs_odd_requests_printably() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ozml", "simulate", "--port", "0", "--connection-timeout", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /api?command=\x1b[2J&Password=qwe123 HTTP/1.1\r\n\r\n")
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):
                pass
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert "\x1b" not in err
    assert "command=\\x1b[2J&Password=*** -> 305" in err
    assert "Traceback" not in err


# -- the value limit of scripts the simulator runs ----------------------------------------------

DOUBLING = "<Response><Var Id=\"a0\">xxxxxxxxxxxxxxxx</Var>" + "".join(
    f'<Var Id="a{i}">$a{i - 1}$a{i - 1}</Var>' for i in range(1, 27)
) + "<Speak>$a26</Speak></Response>"


def _run_doubling(sim: Simulator) -> dict[str, object]:
    with Client(sim.url, Credentials.of("admin", "abc123"), timeout=5) as client:
        client.call(dialed="102", api_extension="101", response_ozml=DOUBLING)
    deadline = time.monotonic() + 20
    while not sim.notifier.scripts:
        assert time.monotonic() < deadline, "the script did not end"
        time.sleep(0.02)
    return sim.notifier.scripts[0]


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "sim.toml"
    path.write_text(
        '[[users]]\nusername = "admin"\npassword = "abc123"\n'
        '[[extensions]]\nnumber = "101"\ntype = "API extension"\n'
        '[[extensions]]\nnumber = "102"\n'
        f"[behaviour]\nreal-time = false\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("extra", "stopped"),
    [
        ("", "a17"),  # the default limit, 1 MiB: a16 is 16 * 2**16 bytes, a17 twice that
        ("max-value-bytes = 1000\n", "a6"),  # 1,024 bytes
    ],
)
def test_scripts_the_simulator_runs_are_bounded(tmp_path: Path, extra: str, stopped: str) -> None:
    with Simulator(load_config(_config(tmp_path, extra)), port=0) as sim:
        script = _run_doubling(sim)
        [call] = sim.board.history()
    assert call.state.value == "Error"  # the call ends: its script cannot go on
    assert script["Ending"] == "value-limit"
    assert f'Var Id="{stopped}" Value="$a{int(stopped[1:]) - 1}' in script["Trace"][-2]  # type: ignore[index]


def test_simulate_max_value_bytes_option(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "simulate", "--port", "0", "--max-value-bytes", "0"],
        capture_output=True, text=True, timeout=30,
    )
    assert (done.returncode, done.stderr) == (
        2, "ozml: error: --max-value-bytes must be at least 1, found 0\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "ozml", "simulate", "--port", "0", "--quiet",
         "--config", str(_config(tmp_path)), "--max-value-bytes", "2000"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        with Client(url, Credentials.of("admin", "abc123"), timeout=5) as client:
            client.call(dialed="102", api_extension="101", response_ozml=DOUBLING)
            deadline = time.monotonic() + 20
            while True:
                with urllib.request.urlopen(url + "/simulator/state", timeout=5) as answer:
                    scripts = json.loads(answer.read())["scripts"]
                if scripts:
                    break
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert scripts[0]["Ending"] == "value-limit"
    assert scripts[0]["Trace"][-2] == '0s Var Id="a7" Value="$a6$a6" -> value-limit'
