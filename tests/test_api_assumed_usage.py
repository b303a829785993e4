"""`ozml api` refuses an OzML-only command only where the vendor states it is OzML only.

That SendMsg, UserInput, Delay and the rest of spec §1.3's list have no HTTP API request rests on
the layout of their Ozeki 10 pages ("Parameters" and an OzML example, no request parameters or
URL example), which the spec calls "an observation about page structure, not a statement from
the vendor"; GoTo, MoveFile and DeleteFile have no Ozeki 10 page at all (§9). So the catalog's
usage fact (`Command.usage_fact`) for each is assumed, and ``ozml api`` sends such a request
after a warning that says so, checked against the command's OzML parameters with every
finding a warning, as it does for the other facts it only assumes. The requests go, over real
HTTP on loopback, to a simulator process, which answers as it answers any command it does not
implement. ``ozml run --live`` still leaves such a command out, and its trace now says why
that is only assumed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.api.validate import validate_request
from ozml.catalog import COMMANDS, command
from ozml.diagnostics import Severity
from ozml.simulator.process import SimulatorProcess

CREDS = {"OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123"}
SUFFIX = "&Username=HTTP_User_1&Password=qwe123"

#: The commands spec §1.3 classifies as OzML only by the layout of their Ozeki 10 page.
BY_LAYOUT = [
    "Array", "Delay", "ForEach", "Reject", "Route", "SendMsg", "UserInput", "Var",
    "ReceiveAlarmNotification",
]  # fmt: skip
#: OzML commands without an Ozeki 10 page (spec §9): whether its HTTP API takes them is UNKNOWN.
NO_PAGE = ["GoTo", "MoveFile", "DeleteFile", "Beep", "WaitForMsg", "Exit"]


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorProcess]:
    with SimulatorProcess() as process:
        yield process


def ozml(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        capture_output=True, text=True, timeout=60, env={**base, **CREDS}, cwd=cwd,
    )  # fmt: skip


def test_no_ozml_only_command_is_stated_to_have_no_request() -> None:
    ozml_only = sorted(c.name for c in COMMANDS if c.in_ozml and not c.in_http)
    assert ozml_only == sorted(BY_LAYOUT + NO_PAGE)
    for name in BY_LAYOUT:
        basis = command(name).usage_fact
        assert not basis.stated, name
        assert (basis.spec, basis.sources) == ("§1.3", (command(name).source,)), name
        assert "observation about page structure" in basis.why, name
    for name in NO_PAGE:
        basis = command(name).usage_fact
        assert (basis.stated, basis.spec) == (False, "§9"), name


def test_sendmsg_is_sent_with_a_warning_that_says_it_is_assumed(sim: SimulatorProcess) -> None:
    sim.reset()
    done = ozml(
        "api", "SendMsg", "ToConnection=gmail_client_1@localhost", "Text=Hello world!",
        "--api-url", sim.url,
    )  # fmt: skip
    basis = command("SendMsg").usage_fact
    assert done.stderr.startswith(
        "ozml: warning: the HTTP API has no request for SendMsg; undocumented"
        f" ({basis.citation()}): {basis.why}; sending it anyway\n"
    )
    assert sim.state()["requests"][-1]["query"] == (
        "command=SendMsg&ToConnection=gmail_client_1@localhost&Text=Hello+world%21" + SUFFIX
    )
    # What the answer says is the server's: the simulator implements no SendMsg.
    assert done.returncode == 1
    assert "301 (NotImplementedCommand)" in done.stderr


def test_names_go_out_canonical_and_parameters_are_checked_as_warnings(
    sim: SimulatorProcess,
) -> None:
    sim.reset()
    done = ozml("api", "sendmsg", "text=hi", "--api-url", sim.url)
    lines = done.stderr.splitlines()
    assert lines[0].startswith("ozml: warning: the HTTP API has no request for SendMsg;")
    assert lines[1].startswith("ozml: warning: OZ201 SendMsg needs ToConnection; undocumented")
    assert sim.state()["requests"][-1]["query"] == "command=SendMsg&Text=hi" + SUFFIX


def test_url_only_shows_the_request_without_sending(sim: SimulatorProcess) -> None:
    sim.reset()
    done = ozml("api", "Delay", "Time=5", "--url-only", "--api-url", sim.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{sim.url}/api?command=Delay&Time=5&Username=***&Password=***\n"
    assert "the HTTP API has no request for Delay; undocumented (spec §1.3" in done.stderr
    assert sim.state()["requests"] == []


def test_a_stated_http_fact_is_still_refused() -> None:
    """Over the HTTP command's own table the vendor states what is mandatory: still an error."""
    done = ozml("api", "ForwardCall", "CallId=a")
    assert done.returncode == 2
    assert "ozml: error: OZ201 ForwardCall needs Destination" in done.stderr


def test_the_request_checks_of_an_assumed_request_are_warnings() -> None:
    problems = validate_request("SendMsg", [("Text", "hi"), ("Colour", "red")])
    assert [(p.code, p.severity, p.assumed) for p in problems] == [
        ("OZ201", Severity.WARNING, True),
        ("OZ103", Severity.WARNING, True),
    ]
    assert all("no HTTP request for SendMsg" in p.message for p in problems)


def test_a_live_run_says_leaving_out_sendmsg_rests_on_an_assumption(tmp_path: Path) -> None:
    with SimulatorProcess() as process:
        script = tmp_path / "script.xml"
        script.write_text(
            '<Response><SendMsg ToConnection="c">hi</SendMsg></Response>', encoding="utf-8"
        )
        done = ozml(
            "run", "--live", str(script), "--api-url", process.url, "--call-id", "Live1",
            "--context", "extension", "--executor-option", "hangup-at-end=no", cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        basis = command("SendMsg").usage_fact
        assert (
            f"-> refused (the HTTP API has no request for SendMsg; undocumented"
            f" ({basis.citation()}): {basis.why})"
        ) in done.stdout
        assert process.state()["requests"] == []
