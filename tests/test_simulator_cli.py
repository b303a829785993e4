"""`ozml simulate` as a real process: the URL line, logging, signals and its errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ozml", "simulate", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def finish(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[int, str, str]:
    process.send_signal(sig)
    out, err = process.communicate(timeout=20)
    return process.returncode, out, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_prints_its_url_logs_and_stops_on_a_signal(sig: int) -> None:
    process = start("--port", "0")
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    port = int(url.rsplit(":", 1)[1])
    assert port > 0
    query = "command=Hangup&CallId=x&Username=HTTP_User_1&Password=qwe123"
    with urllib.request.urlopen(f"{url}/api?{query}", timeout=10) as response:
        assert b"<Code>601</Code>" in response.read()
    code, out, err = finish(process, sig)
    assert code == 0
    assert out == ""
    assert err.splitlines() == [
        f"ozml simulator on {url} (API /api, state /simulator/state);"
        " users: HTTP_User_1, admin; Ctrl-C to stop",
        "GET /api?command=Hangup&CallId=x&Username=***&Password=***"
        " -> 601 Call not found with ID 'x'",
        "ozml simulator stopped",
    ]


def test_quiet_logs_nothing() -> None:
    process = start("--port", "0", "--quiet")
    assert process.stdout is not None
    process.stdout.readline()
    code, _, err = finish(process)
    assert (code, err) == (0, "")


def test_port_in_use_exits_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "ozml", "simulate", "--port", str(port)],
            capture_output=True, text=True, timeout=30,
        )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"ozml: error: cannot listen on 127.0.0.1:{port}: address already in use\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port must be 0-65535, found 70000"),
        (["--config", "missing.toml"], "missing.toml: no such file or folder"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "simulate", *args],
        capture_output=True, text=True, timeout=30, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr == f"ozml: error: {message}\n"


def test_bad_config_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "sim.toml"
    config.write_text("[[extensions]]\nnumber = '1'\nanswer = 'later'\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "simulate", "--config", str(config)],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"ozml: error: {config}:3:10: extensions[0]: answer must be one of answer, busy,"
        " no-answer, not-found, failed, ring, found 'later'\n"
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.3.4.5", True), ("localhost", True), ("::1", True),
     ("::ffff:127.0.0.1", True), ("::ffff:192.168.1.5", False),
     ("0.0.0.0", False), ("192.168.1.5", False), ("pbx.example.com", False)],
)
def test_which_hosts_are_warned_about(host: str, loopback: bool) -> None:
    # Checked without binding: listening beyond loopback would expose the test users.
    from ozml.cli.simulate import _is_loopback

    assert _is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("host", "listening"), [("127.1", "http://127.0.0.1:"), ("::1", "http://[::1]:")]
)
def test_a_loopback_address_in_any_spelling_listens_there_unwarned(
    host: str, listening: str
) -> None:
    """The warning judges the address bound (``127.1`` is 127.0.0.1), and an IPv6 address
    is listened on over IPv6 (``::1`` failed: address family not supported)."""
    if host == "::1" and not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    process = start("--host", host, "--port", "0")
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url:
        code, _, err = finish(process)
        if host == "::1" and "cannot listen" in err:
            pytest.skip(f"::1 cannot be listened on here: {err.strip()}")
        pytest.fail(err)
    assert url.startswith(listening), url
    query = "command=Hangup&CallId=x&Username=HTTP_User_1&Password=qwe123"
    with urllib.request.urlopen(f"{url}/api?{query}", timeout=10) as response:
        assert b"<Code>601</Code>" in response.read()
    code, _, err = finish(process)
    assert code == 0
    assert "warning" not in err


def test_isolated_is_the_built_in_configuration_and_excludes_config(tmp_path: Path) -> None:
    config = tmp_path / "sim.toml"
    config.write_text("[[extensions]]\nnumber = '1'\nanswer = 'later'\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "simulate", "--config", str(config), "--isolated"],
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith(
        "ozml: error: argument --isolated: not allowed with argument --config"
    )
    help_text = subprocess.run(
        [sys.executable, "-m", "ozml", "simulate", "--help"],
        capture_output=True, text=True, timeout=30,
    ).stdout
    assert "--config FILE | --isolated" in help_text
