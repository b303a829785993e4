"""`ozml api` as users run it: real subprocesses against a simulator process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.simulator.process import SimulatorProcess

CREDS = {"OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123"}


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorProcess]:
    with SimulatorProcess() as process:
        yield process


def ozml(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        capture_output=True, text=True, timeout=60, env={**base, **(env or {})}, cwd=cwd,
    )


def python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=cwd
    )


def test_ok_prints_the_answer(sim: SimulatorProcess) -> None:
    sim.reset()
    done = ozml("api", "ListExtensions", "Type=API extension", "--api-url", sim.url, env=CREDS)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "200 Command successfully executed\n"
        "ID             TYPE           PHONE_NUMBER  STATE\n"
        "101@localhost  API extension  101           Connected\n"
    )
    assert sim.state()["requests"][-1]["query"] == (
        "command=ListExtensions&Type=API+extension&Username=HTTP_User_1&Password=qwe123"
    )


def test_json(sim: SimulatorProcess) -> None:
    sim.reset()
    done = ozml("api", "ListActiveCalls", "--format", "json", "--api-url", sim.url, env=CREDS)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert (found["command"], found["code"]) == ("ListActiveCalls", 200)
    assert [(c["call_id"], c["call_state"]) for c in found["calls"]] == [("Nt3uh", "Ringing")]


def test_a_result_code_exits_1(sim: SimulatorProcess) -> None:
    done = ozml("api", "Hangup", "CallId=g67th7", "--api-url", sim.url, env=CREDS)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "ozml: error: Hangup: PBX answered 601 (CallNotFound): Call not found with ID 'g67th7'\n"
    )


def test_json_error(sim: SimulatorProcess) -> None:
    done = ozml("api", "Hold", "CallId=nope", "--format", "json", "--api-url", sim.url, env=CREDS)
    assert done.returncode == 1
    assert json.loads(done.stdout) == {
        "code": 601, "message": "Call not found with ID 'nope'", "name": "CallNotFound",
        "command": "Hold",
    }


def test_environment_url_and_missing_credentials(sim: SimulatorProcess) -> None:
    done = ozml("api", "ListActiveCalls", env={"OZML_API_URL": sim.url})
    assert done.returncode == 1
    assert done.stderr == (
        "ozml: warning: no credentials: set OZML_USERNAME and OZML_PASSWORD"
        " (sending without them)\n"
        "ozml: error: ListActiveCalls: PBX answered 304 (Authentication required):"
        " Authentication required\n"
    )


def test_wrong_password(sim: SimulatorProcess) -> None:
    env = {**CREDS, "OZML_PASSWORD": "guess"}
    done = ozml("api", "ListActiveCalls", "--api-url", sim.url, env=env)
    assert done.returncode == 1
    assert "305 (Authentication failed): Authentication failed, bad username or password" in (
        done.stderr
    )
    assert "guess" not in done.stderr


def test_config_file(sim: SimulatorProcess, tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text(
        f'[api]\nurl = "{sim.url}"\nusername = "admin"\npassword = "abc123"\ntimeout = 5\n',
        encoding="utf-8",
    )
    done = ozml("api", "ListExtensions", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sim.state()["requests"][-1]["query"] == (
        "command=ListExtensions&Username=admin&Password=abc123"
    )


def test_url_only_sends_nothing(sim: SimulatorProcess) -> None:
    sim.reset()
    done = ozml(
        "api", "ForwardCall", "CallId=Nt3uh", "Destination=104", "--url-only",
        "--api-url", sim.url, env=CREDS,
    )
    assert done.returncode == 0
    assert done.stdout == (
        f"{sim.url}/api?command=ForwardCall&CallId=Nt3uh&Destination=104"
        "&Username=***&Password=***\n"
    )
    assert sim.state()["requests"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Frobnicate"], "unknown API command 'Frobnicate' (`ozml commands` lists them;"
         " --unchecked sends it anyway)"),
        (["ForwardCal", "CallId=a"], "unknown API command 'ForwardCal' (did you mean"
         " 'ForwardCall'?) (`ozml commands` lists them; --unchecked sends it anyway)"),
        (["Forward", "CallId=a"], "Forward is the older name of ForwardCall; Ozeki 10 knows"
         " ForwardCall (D1)"),
        (["ForwardCall", "CallId=a", "Destnation=104"], "OZ103 ForwardCall has no"
         " parameter Destnation; did you mean Destination?\n"
         "ozml: error: not sent: 1 error (--no-validate sends it anyway)"),
        (["ForwardCall", "CallId"], "expected Param=value, found 'CallId'"),
        (["ListActiveCalls", "Password=qwe123"], "Password is not taken from the command line"
         " (other users could read it there): set OZML_USERNAME and OZML_PASSWORD, or [api]"
         " in ozml.toml"),
        (["ListActiveCalls", "--timeout", "0"],
         "--timeout must be more than 0 and at most 86400 seconds, found 0"),
        (["ListActiveCalls", "--timeout", "inf"],
         "--timeout must be more than 0 and at most 86400 seconds, found inf"),
        (["ListActiveCalls", "--timeout", "nan"],
         "--timeout must be more than 0 and at most 86400 seconds, found nan"),
        (["ListActiveCalls", "--api-url", "127.0.0.1:9509"],
         "invalid API URL '127.0.0.1:9509': expected http://HOST:PORT"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    done = ozml("api", *args, env=CREDS)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"ozml: error: {message}\n"


def test_unchecked_sends_unknown_names(sim: SimulatorProcess) -> None:
    done = ozml(
        "api", "AddConfig", "ExtensionId=100", "--unchecked", "--api-url", sim.url, env=CREDS
    )
    assert done.returncode == 1
    assert "301 (NotImplementedCommand): Not implemented command: 'AddConfig'" in done.stderr
    assert sim.state()["requests"][-1]["query"] == (
        "command=AddConfig&ExtensionId=100&Username=HTTP_User_1&Password=qwe123"
    )


def test_bad_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text("[api]\nport = 1\n", encoding="utf-8")
    done = ozml("api", "ListActiveCalls", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "ozml: error: ozml.toml:2:1: api.port: unknown key"
        " (allowed: url, username, password, timeout, wire-names)\n"
    )


def test_refused_connection_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = ozml("api", "Hangup", "CallId=a", "--api-url", f"http://127.0.0.1:{port}", env=CREDS)
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"ozml: error: Hangup: cannot connect to http://127.0.0.1:{port}: "
    )
    assert "qwe123" not in done.stderr


BLOCK_HTTPX = "import sys; sys.modules['httpx'] = None; "


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["api", "ListActiveCalls"],
         "ozml: error: the HTTP API client needs httpx: install ozml[http]"),
        (["simulate", "--port", "0"],
         "ozml: error: the simulator needs httpx: install ozml[http]"),
    ],
)
def test_without_httpx_exit_2(args: list[str], message: str) -> None:
    done = python(BLOCK_HTTPX + f"from ozml.cli import main; sys.exit(main({args!r}))")
    assert done.returncode == 2
    assert done.stderr == message + "\n"


def test_the_client_without_httpx_says_what_to_install() -> None:
    done = python(
        BLOCK_HTTPX + "from ozml.api import Client, HttpUnavailable\n"
        "try:\n    Client('http://127.0.0.1:9509')\n"
        "except HttpUnavailable as e:\n    print(e)\n"
    )
    assert done.stdout == "the HTTP API client needs httpx: install ozml[http]\n"


def test_import_ozml_and_check_do_not_load_httpx(tmp_path: Path) -> None:
    script = tmp_path / "a.xml"
    script.write_text("<Response><Hangup/></Response>", encoding="utf-8")
    done = python(
        "import sys\nimport ozml, ozml.api.errors, ozml.api.responses\n"
        "assert 'httpx' not in sys.modules, 'import'\n"
        "from ozml.cli import main\n"
        f"code = main(['check', {str(script)!r}])\n"
        "assert 'httpx' not in sys.modules, 'check'\n"
        "print(code)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("0")


def test_config_and_isolated_choose_the_api_table(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text(
        "[api]\nurl = 'http://near:9509'\nusername = 'near'\npassword = 'p1'\n"
    )
    other = tmp_path / "other.toml"
    other.write_text("[api]\nurl = 'http://other:9509'\nusername = 'other'\npassword = 'p2'\n")
    args = ("api", "Hangup", "CallId=a", "--url-only")
    done = ozml(*args, cwd=tmp_path)
    assert done.stdout == (
        "http://near:9509/api?command=Hangup&CallId=a&Username=***&Password=***\n"
    )
    done = ozml(*args, "--config", str(other), cwd=tmp_path)
    assert done.stdout.startswith("http://other:9509/api?command=Hangup")
    # --isolated: no file at all; the environment and the options only.
    done = ozml(*args, "--isolated", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (
        0, "http://127.0.0.1:9509/api?command=Hangup&CallId=a\n"
    )
    done = ozml(*args, "--isolated", "--api-url", "http://given:1", cwd=tmp_path, env=CREDS)
    assert done.stdout == "http://given:1/api?command=Hangup&CallId=a&Username=***&Password=***\n"
    done = ozml(*args, "--isolated", "--config", str(other), cwd=tmp_path)
    assert done.returncode == 2
    assert "ozml: error: argument --config: not allowed with argument --isolated" in done.stderr
