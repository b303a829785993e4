"""A second audit of "bad input never gets a traceback: a clear message with a position, a
documented exit code, and nothing lost", against the real `ozml` program.

Each test reproduces one defect the audit found and pins what happens now:
- a language-server message whose body is not JSON printed pygls' traceback on standard error
  (its own ``logger.exception``, shown by Python's last-resort handler), though ozml answers it
  with a ParseError and logs it in one line;
- a wrong value in the ``[api]`` table (``timeout = "soon"``, ``url = 9509``) was an error for
  ``ozml api`` only: every other command took the file, though docs/configuration.md says that
  each of them checks all of it, every table included;
- a Unix socket named as a document, a configuration or a scenario was "no such device or
  address" (the system's words for the failed open) for ``ozml run``, ``ozml test`` and
  ``--config``, where ``ozml check`` says "not a regular file", as docs/cli.md promises.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DOC = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


# --- the language server: a body that is not JSON ------------------------------------------


def test_a_message_that_is_not_json_is_answered_without_a_traceback(tmp_path: Path) -> None:
    pytest.importorskip("pygls")
    from lsp_support import Session

    session = Session(tmp_path)
    try:
        session.send_raw(b"this is not JSON")
        answer = session.wait(lambda m: "error" in m and m.get("id") is None)
        assert answer["error"]["code"] == -32700  # JSON-RPC's ParseError
        hover = session.request(
            "textDocument/hover",
            {"textDocument": {"uri": "file:///x.xml"}, "position": {"line": 0, "character": 0}},
        )
        assert "result" in hover  # the server goes on
        assert session.stop() == 0
    finally:
        session.kill()
    log = (tmp_path / "stderr.txt").read_bytes().decode("utf-8", "replace")
    assert "Traceback" not in log
    assert "handling a message failed: JSONDecodeError: Expecting value" in log


# --- the [api] table's values are checked by every command -----------------------------------

COMMANDS = [
    ["check", "a.xml"],
    ["fmt", "--check", "a.xml"],
    ["graph", "a.xml"],
    ["run", "a.xml"],
    ["test", "a.scenario.toml"],
    ["api", "ListExtensions", "--url-only"],
]

BAD_API_VALUES = [
    ('[api]\ntimeout = "soon"\n', "2:11: [api] timeout must be a number of seconds"),
    ("[api]\ntimeout = 0\n", "2:11: [api] timeout must be more than 0 and at most 86400 seconds"),
    ("[api]\nurl = 9509\n", "2:7: [api] url must be a string"),
    ("[api]\nurl = ''\n", "2:7: [api] url is empty: leave the key out for the default"),
    ("[api]\nurl = 'ftp://x y'\n", "2:7: [api] url is invalid: expected http://HOST:PORT"),
    ("[api]\nusername = 1\n", "2:12: [api] username must be a string"),
    ("[api]\npassword = [1]\n", "2:12: [api] password must be a string"),
    ("[api]\nwire-names = 3\n", '2:14: [api.wire-names] must map "Command.Param" to a string'),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.xml").write_text(DOC, encoding="utf-8")
    (tmp_path / "a.scenario.toml").write_text('script = "a.xml"\n', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("text", "message"), BAD_API_VALUES)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_wrong_api_value_is_the_same_error_for_every_command(
    project: Path, command: list[str], text: str, message: str
) -> None:
    (project / "ozml.toml").write_text(text, encoding="utf-8")
    done = ozml(project, *command)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith(f"ozml: error: ozml.toml:{message}"), done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_api_value_never_shows_the_password(project: Path) -> None:
    (project / "ozml.toml").write_text(
        '[api]\nusername = "alice"\npassword = "pw-1234"\ntimeout = "soon"\n', encoding="utf-8"
    )
    done = ozml(project, "check", "a.xml")
    assert done.returncode == 2
    assert "pw-1234" not in done.stderr + done.stdout
    assert "alice" not in done.stderr + done.stdout


# --- a socket is not a regular file, for every command ----------------------------------------


@pytest.fixture
def sock(project: Path) -> Iterator[Path]:
    path = project / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        yield path
    finally:
        server.close()


@pytest.mark.parametrize(
    "command",
    [
        ["check", "sock"],
        ["run", "sock"],
        ["graph", "sock"],
        ["check", "--config", "sock", "a.xml"],
        ["run", "--scenario", "sock", "a.xml"],
        ["api", "ListExtensions", "--url-only", "--config", "sock"],
    ],
    ids=" ".join,
)
def test_a_socket_is_not_a_regular_file(sock: Path, command: list[str]) -> None:
    done = ozml(sock.parent, *command)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "ozml: error: sock: not a regular file\n" in done.stderr, done.stderr


def test_a_socket_among_scenarios_is_not_a_regular_file(sock: Path) -> None:
    done = ozml(sock.parent, "test", "sock")
    assert done.returncode == 2
    assert "sock: not a regular file" in done.stdout, done.stdout
