"""The HTTP executor: `ozml run --live` drives a call on the simulator over real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from ozml.api import Client, Credentials
from ozml.api.executor import HttpExecutor, from_settings
from ozml.catalog import COMMANDS, command
from ozml.interpreter.context import Call
from ozml.interpreter.executor import (
    ExecutorError,
    ExecutorSettings,
    Step,
    create_executor,
    executor_names,
)
from ozml.interpreter.program import ENGINE_COMMANDS
from ozml.nodes import Element
from ozml.simulator import Simulator, load_config

REPO = Path(__file__).resolve().parent.parent
CREDS = {"OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123"}
CONFIG = """
[[extensions]]
number = "100"
[[extensions]]
number = "101"
type = "API extension"
[[extensions]]
number = "102"
[[calls]]
id = "Live1"
caller = "100"
callee = "102"
[behaviour]
real-time = false
"""


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    path = tmp_path / "sim.toml"
    path.write_text(CONFIG, encoding="utf-8")
    with Simulator(load_config(path), port=0) as simulator:
        yield simulator


def run_live(
    sim_url: str, tmp_path: Path, ozml: str, *extra: str, call_id: str | None = "Live1"
) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.xml"
    script.write_text(ozml, encoding="utf-8")
    args = [sys.executable, "-m", "ozml", "run", "--live", str(script), "--api-url", sim_url,
            "--context", "extension"]
    if call_id is not None:
        args += ["--call-id", call_id]
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [*args, *extra], capture_output=True, text=True, timeout=60, env={**base, **CREDS},
        cwd=tmp_path,
    )


def queries(sim: Simulator) -> list[str]:
    return [str(r["query"]).removesuffix("&Username=HTTP_User_1&Password=qwe123")
            for r in sim.requests]


def test_registered_as_http() -> None:
    assert "http" in executor_names()
    with pytest.raises(ExecutorError, match="a live run needs --call-id"):
        create_executor("http", ExecutorSettings())


def test_every_command_is_sent_refused_or_the_engines() -> None:
    executor = HttpExecutor.__new__(HttpExecutor)
    sent = {c.name for c in COMMANDS if executor.handles(c.name)}
    assert sent == {c.name for c in COMMANDS if c.in_ozml and c.in_http}
    refused = {c.name for c in COMMANDS if c.name in HttpExecutor.refusals}
    assert refused == {"Reject", "Route", "MoveFile", "DeleteFile", "Beep", "WaitForMsg",
                       "SendMsg", "ReceiveAlarmNotification"}
    for name in refused:
        # That the HTTP API has no request for any of them is only assumed (spec §1.3, §9).
        basis = command(name).usage_fact
        assert not basis.stated
        assert executor.refusal(name) == (
            f"the HTTP API has no request for {name}; undocumented ({basis.citation()}):"
            f" {basis.why}"
        )
    http_only = {c.name for c in COMMANDS if not c.in_ozml}
    assert sent | refused | set(ENGINE_COMMANDS) | http_only == {c.name for c in COMMANDS}


def test_a_script_drives_the_live_call(sim: Simulator, tmp_path: Path) -> None:
    done = run_live(
        sim.url, tmp_path,
        "<Response><Speak>Hello &amp; welcome</Speak><Play Party=\"all\">hello.wav</Play>"
        '<Record Format="wav" FinishDigits="12#"/></Response>',
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert queries(sim) == [
        "command=Speak&Text=Hello+%26+welcome&CallId=Live1",
        "command=Play&AudioFile=hello.wav&Party=all&CallId=Live1",
        "command=Record&CallId=Live1&Format=wav&FinishDigits=12%23",
        "command=Hangup&CallId=Live1",  # the end of an extension script hangs up (D9)
    ]
    lines = done.stdout.splitlines()
    assert lines[1].endswith(
        f'Speak Text="Hello & welcome" -> ok ({sim.url}/api?command=Speak'
        "&Text=Hello+%26+welcome&CallId=Live1&Username=***&Password=***"
        " -> 200 Command successfully executed)"
    )
    assert "qwe123" not in done.stdout + done.stderr
    live = sim.board.find("Live1")
    assert live is not None
    assert live.events == [
        "Speak Text='Hello & welcome'", "Play AudioFile='hello.wav' Party='all'",
        "Record Format='wav' FinishDigits='12#'", "Completed",
    ]


def test_the_end_says_whether_the_live_call_was_hung_up(sim: Simulator, tmp_path: Path) -> None:
    """hangup-at-end=no leaves the call up, and a Hangup the PBX refuses hangs nothing up:
    the end line says so, where it said "the call is hung up (D9)"."""
    kept = run_live(sim.url, tmp_path, "<Response><Speak>Hi</Speak></Response>",
                    "--executor-option", "hangup-at-end=no")  # fmt: skip
    assert kept.returncode == 0, kept.stderr
    assert "end -> end-of-script (no more commands; not hung up: hangup-at-end=no" in kept.stdout
    assert "(D9)" not in kept.stdout
    live = sim.board.find("Live1")
    assert live is not None
    assert "Completed" not in live.events
    gone = run_live(sim.url, tmp_path, "<Response><Speak>Hi</Speak></Response>", call_id="Gone1")
    assert "not hung up: " in gone.stdout
    assert "601 Call not found" in gone.stdout
    done = run_live(sim.url, tmp_path, "<Response><Speak>Hi</Speak></Response>")
    assert "end -> end-of-script (no more commands; the call is hung up (D9))" in done.stdout


def test_a_failed_command_continues_and_shows_the_code(sim: Simulator, tmp_path: Path) -> None:
    done = run_live(
        sim.url, tmp_path,
        "<Response><BlindTransfer>999</BlindTransfer><Speak>failed</Speak></Response>",
        "--format", "json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    transfer = events[0]
    assert (transfer["command"], transfer["result"]) == ("BlindTransfer", "failed")
    assert transfer["detail"] == (
        f"{sim.url}/api?command=BlindTransfer&CallId=Live1&Target=999&Username=***"
        "&Password=*** -> 302 Missing or invalid parameter 'Target' for command 'BlindTransfer'"
    )
    assert events[1]["command"] == "Speak"
    assert events[1]["result"] == "ok"
    assert queries(sim)[-1] == "command=Hangup&CallId=Live1"


def test_commands_without_a_request_are_refused(sim: Simulator, tmp_path: Path) -> None:
    done = run_live(sim.url, tmp_path, '<Response><SendMsg ToConnection="c">hi</SendMsg>'
                    "</Response>", "--executor-option", "hangup-at-end=no")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SendMsg" in done.stdout
    assert "-> refused (the HTTP API has no request for SendMsg" in done.stdout
    assert sim.requests == type(sim.requests)()  # nothing sent, not even the final Hangup


def test_call_gets_the_configured_api_extension(sim: Simulator, tmp_path: Path) -> None:
    done = run_live(sim.url, tmp_path, "<Response><Call>102</Call></Response>",
                    "--executor-option", "api-extension=101",
                    "--executor-option", "hangup-at-end=no")
    assert done.returncode == 0, done.stdout + done.stderr
    assert queries(sim) == ["command=Call&Dialed=102&ApiExtension=101"]
    assert "-> placed" in done.stdout


def test_missing_call_id_exits_2(sim: Simulator, tmp_path: Path) -> None:
    done = run_live(sim.url, tmp_path, "<Response><Hangup/></Response>", call_id=None)
    assert done.returncode == 2
    assert "a live run needs --call-id" in done.stderr
    assert sim.requests == type(sim.requests)()


def test_unreachable_pbx_stops_the_run(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = run_live(f"http://127.0.0.1:{port}", tmp_path, "<Response><Hangup/></Response>")
    assert done.returncode == 2
    assert f"Hangup: cannot connect to http://127.0.0.1:{port}" in done.stderr
    assert "Hangup: Hangup:" not in done.stdout + done.stderr  # named once
    assert "qwe123" not in done.stdout + done.stderr


@pytest.mark.parametrize("extra", [("--var", "name=\udcff"), ("--call-id", "Live\udcff")])
def test_a_value_that_is_no_utf8_text_stops_the_run(
    sim: Simulator, tmp_path: Path, extra: tuple[str, str]
) -> None:
    """A byte that was not UTF-8 on the command line (read as a lone surrogate) cannot be sent:
    the run stops there, exit 2, and nothing reaches the PBX; the client says so before it adds
    the credentials, so that no frame of the error holds them."""
    args = extra if extra[0] == "--var" else ()
    call_id = extra[1] if extra[0] == "--call-id" else "Live1"
    done = run_live(sim.url, tmp_path, "<Response><Speak>Hi $name</Speak></Response>", *args,
                    call_id=call_id)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "not UTF-8 text" in done.stderr
    assert "internal error" not in done.stderr
    assert sim.requests == type(sim.requests)()
    client = Client(sim.url, credentials=Credentials.of("HTTP_User_1", "qwe123"))
    with pytest.raises(ValueError, match="Text: not UTF-8 text") as caught:
        client.speak(call_id="Live1", text="a\ud800b")
    frames = []
    tb = caught.tb
    while tb is not None:
        frames.append(repr(tb.tb_frame.f_locals))
        tb = tb.tb_next
    assert not any("qwe123" in frame for frame in frames)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("colour=blue", "unknown --executor-option 'colour' for the http executor"),
        ("timeout=never", "--executor-option timeout must be seconds, found 'never'"),
        ("hangup-at-end=perhaps", "--executor-option hangup-at-end must be yes or no"),
    ],
)
def test_bad_options_exit_2(sim: Simulator, tmp_path: Path, option: str, message: str) -> None:
    done = run_live(sim.url, tmp_path, "<Response><Hangup/></Response>",
                    "--executor-option", option)
    assert done.returncode == 2
    assert message in done.stderr


def test_request_sends_its_handlers_as_ozml(sim: Simulator) -> None:
    from ozml.interpreter.context import Position
    from ozml.parser import parse

    document = parse(
        '<Response><Request DialedAddress="102@localhost" ExtensionAddress="101">'
        "<OnSetup><Speak>connected</Speak></OnSetup></Request></Response>"
    ).document
    assert document.root is not None
    element = document.root.children[0]
    assert isinstance(element, Element)
    with Client(sim.url, Credentials.of("HTTP_User_1", "qwe123")) as client:
        executor = HttpExecutor(client, "Live1", hangup_at_end=False)
        outcome = executor.execute(Step(
            "Request", {"DialedAddress": "102@localhost", "ExtensionAddress": "101"},
            Call("Live1"), Position("t.xml", 1, 1), element,
        ))
    assert outcome.result == "placed"
    sent = dict(parse_qsl(str(sim.requests[-1]["query"])))
    assert sent["command"] == "Request"
    assert sent["RequestOzML"] == (
        '<Response>\n  <Request DialedAddress="102@localhost" ExtensionAddress="101">\n'
        "    <OnSetup>\n      <Speak>connected</Speak>\n    </OnSetup>\n  </Request>\n"
        "</Response>\n"
    )


def test_factory_reads_the_config_file(sim: Simulator, tmp_path: Path) -> None:
    config = tmp_path / "api.toml"
    config.write_text(f'[api]\nurl = "{sim.url}"\nusername = "admin"\npassword = "abc123"\n',
                      encoding="utf-8")
    executor = from_settings(ExecutorSettings(
        call=Call("Live1"), options={"config": str(config), "timeout": "5"},
    ))
    assert executor.client.settings.timeout == 5
    assert "abc123" not in repr(executor.client)
    executor.client.hold(call_id="Live1")
    assert sim.requests[-1]["query"] == (
        "command=Hold&CallId=Live1&Username=admin&Password=abc123"
    )
