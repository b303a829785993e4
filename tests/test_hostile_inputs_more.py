"""More hostile input for the real `ozml` program (as tests/test_cli_hostile_inputs.py runs it).

The language server's framing (docs/language-server.md, "Robustness"): a header line without an
end, a `Content-Length` that is absurd, negative, not a number or missing. Each must end the
server with one `ozml: error:` line and exit 2 (docs/cli.md, "Exit codes"), promptly and without
growing: the process's timeout, not a timed assertion, is what a hang would fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: The `ozml` program of this environment (its console script), as a user runs it.
_SCRIPT = Path(sys.executable).with_name("ozml")
OZML = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "ozml"]

#: Long enough for a hang to fail the test, far longer than any of these runs takes.
TIMEOUT = 120


def ozml(
    cwd: Path, *args: str, stdin: int | bytes = subprocess.DEVNULL
) -> subprocess.CompletedProcess[bytes]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("OZML_", "FORCE_COLOR"))
    }
    if isinstance(stdin, bytes):
        return subprocess.run(
            [*OZML, *args], cwd=cwd, env=environment, capture_output=True, timeout=TIMEOUT,
            input=stdin,
        )
    return subprocess.run(
        [*OZML, *args], cwd=cwd, env=environment, capture_output=True, timeout=TIMEOUT,
        stdin=stdin,
    )


def well_behaved(done: subprocess.CompletedProcess[bytes]) -> str:
    """Standard error of a run that ended as docs/cli.md says a run ends, decoded."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1, 2), (done.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    assert "internal error" not in err, err[-2000:]
    return err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ozml: error: ")]


def message(body: dict[str, object], headers: bytes = b"") -> bytes:
    data = json.dumps(body).encode()
    return headers + b"Content-Length: %d\r\n\r\n" % len(data) + data


INITIALIZE = message(
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"processId": None, "rootUri": None, "capabilities": {}}}
)
SHUTDOWN = message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
EXIT = message({"jsonrpc": "2.0", "method": "exit"})


@pytest.fixture
def lsp_available() -> None:
    pytest.importorskip("pygls")


# -- the language server's header lines ----------------------------------------------------------


@pytest.mark.usefixtures("lsp_available")
def test_a_header_line_without_an_end(tmp_path: Path) -> None:
    """``ozml lsp < /dev/zero``: a header line is read up to 64 KiB, never whole."""
    done = ozml(tmp_path, "lsp", stdin=b"\0" * 4_000_000)
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [
        "ozml: error: standard input: at byte 0: a header line of more than 65,536 bytes:"
        " not a message of the Language Server Protocol"
    ]


@pytest.mark.usefixtures("lsp_available")
def test_an_endless_standard_input(tmp_path: Path) -> None:
    """The same from a source without an end: the server stops after 64 KiB of it."""
    with open("/dev/zero", "rb") as endless:
        done = ozml(tmp_path, "lsp", stdin=endless.fileno())
    well_behaved(done)
    assert done.returncode == 2
    assert b"a header line of more than 65,536 bytes" in done.stderr


#: Headers that leave the server no way to tell where the message ends, and what it says.
BAD_LENGTHS: dict[str, tuple[bytes, str]] = {
    "93 GB": (
        b"Content-Length: 99999999999\r\n\r\n{}",
        "at byte 0: Content-Length 99999999999 is larger than the 67,108,864-byte limit of a"
        " message",
    ),
    "5,000 digits": (
        b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n{}",
        "at byte 0: Content-Length 99999999999999999999... (5,000 characters) is larger than"
        " the 67,108,864-byte limit of a message",
    ),
    "negative": (
        b"Content-Length: -5\r\n\r\n{}", "at byte 0: Content-Length '-5' is not a number of bytes"
    ),
    "not a number": (
        b"Content-Length: abc\r\n\r\n{}",
        "at byte 0: Content-Length 'abc' is not a number of bytes",
    ),
    "empty": (
        b"Content-Length:\r\n\r\n{}", "at byte 0: Content-Length '' is not a number of bytes"
    ),
    "missing": (
        INITIALIZE + b'Content-Type: application/vscode-jsonrpc\r\n\r\n{"jsonrpc": "2.0"}',
        f"at byte {len(INITIALIZE):,}: a message without a Content-Length header",
    ),
    "no headers": (
        b'{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}\r\n\r\n',
        "at byte 0: a message without a Content-Length header",
    ),
}


@pytest.mark.usefixtures("lsp_available")
@pytest.mark.parametrize("case", BAD_LENGTHS, ids=str)
def test_a_content_length_that_cannot_frame_a_message(tmp_path: Path, case: str) -> None:
    data, said = BAD_LENGTHS[case]
    done = ozml(tmp_path, "lsp", stdin=data)
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [f"ozml: error: standard input: {said}"]


#: Headers the protocol allows, written as clients may: each session must end cleanly (exit 0).
GOOD_HEADERS: dict[str, bytes] = {
    "content-type first": message(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        headers=b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n",
    ) + SHUTDOWN + EXIT,
    "a blank line between messages": INITIALIZE + b"\r\n" + SHUTDOWN + EXIT,
    "header names in any case, leading zeros": INITIALIZE
    + SHUTDOWN.replace(b"Content-Length: ", b"content-length:   000")
    + EXIT,
}


@pytest.mark.usefixtures("lsp_available")
@pytest.mark.parametrize("case", GOOD_HEADERS, ids=str)
def test_headers_a_client_may_send(tmp_path: Path, case: str) -> None:
    done = ozml(tmp_path, "lsp", stdin=GOOD_HEADERS[case])
    err = well_behaved(done)
    assert done.returncode == 0, err[-2000:]
    assert errors(err) == []
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout  # shutdown was answered


# -- a closed standard input -------------------------------------------------------------------


def _closed_stdin(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`ozml ARGS` with file descriptor 0 closed, as ``ozml ARGS <&-`` runs it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    script = "import os, sys; os.close(0); os.execv(sys.argv[1], sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", script, *OZML, *args],
        cwd=folder, env=environment, capture_output=True, timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.usefixtures("lsp_available")
def test_the_language_server_on_a_closed_standard_input(tmp_path: Path) -> None:
    """``ozml lsp <&-`` is a problem of reading, not of standard output."""
    if OZML[0] == sys.executable:
        pytest.skip("needs the console script")
    done = _closed_stdin(tmp_path, "lsp")
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == ["ozml: error: standard input is closed"]


# -- ozml run - --------------------------------------------------------------------------------

GOOD = b"<Response>\n  <Speak>Hello</Speak>\n</Response>\n"


def test_run_does_not_read_standard_input(tmp_path: Path) -> None:
    """``ozml run -`` says that standard input is not read, not that a file `-` is missing."""
    done = ozml(tmp_path, "run", "-", stdin=GOOD)
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [
        "ozml: error: ozml run reads a script file; - (standard input) is not supported"
        " (./- names a file called -)"
    ]
    assert done.stdout == b""
    (tmp_path / "-").write_bytes(GOOD)  # a file called - runs by a path
    named = ozml(tmp_path, "run", "./-")
    assert well_behaved(named) == ""
    assert named.returncode == 0
    assert b"Hello" in named.stdout


# -- ozml simulate call ------------------------------------------------------------------------

BAD_CALLS: dict[str, tuple[list[str], str]] = {
    "empty numbers": (
        ["--from", "", "--to", ""],
        "--from must be a number (1 to 64 of 0-9 A-Z a-z + * # @ . _ -), found ''",
    ),
    "empty callee": (
        ["--from", "555", "--to", ""],
        "--to must be a number (1 to 64 of 0-9 A-Z a-z + * # @ . _ -), found ''",
    ),
    "a space": (
        ["--from", "555 1", "--to", "1000"],
        "--from must be a number (1 to 64 of 0-9 A-Z a-z + * # @ . _ -), found '555 1'",
    ),
    "keys": (["--from", "555", "--to", "1000", "--dtmf", "x"], "--dtmf: "),
}


@pytest.mark.parametrize("case", BAD_CALLS, ids=str)
def test_simulate_call_checks_its_arguments_before_connecting(tmp_path: Path, case: str) -> None:
    """A call the simulator would refuse is a usage error before any connection is made: a
    listening socket on loopback stands for the simulator and must get none."""
    import socket

    args, said = BAD_CALLS[case]
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        done = ozml(tmp_path, "simulate", "call", *args, "--url", f"http://127.0.0.1:{port}")
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection is waiting: none was made
    err = well_behaved(done)
    assert done.returncode == 2
    assert len(errors(err)) == 1
    assert errors(err)[0].startswith(f"ozml: error: {said}"), err
