"""docs/live-pbx.md runs: every console session against a simulator, the TOML block loads, and
the table of HTTP requirements is the one `ozml.api.wire` applies."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.api.credentials import load_settings
from ozml.api.wire import HTTP_COMMANDS, http_requirements
from ozml.catalog.contextual import HTTP_FACTS
from ozml.simulator.process import SimulatorProcess

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "docs" / "live-pbx.md").read_text(encoding="utf-8")
CREDS = {"OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123"}

#: A call in progress (InCall), for the sessions that act on one; the default simulator's
#: Nt3uh is still ringing (for ForwardCall).
IN_CALL = """
[[extensions]]
number = "100"
[[extensions]]
number = "101"
type = "API extension"
[[extensions]]
number = "102"
[[extensions]]
number = "103"
[[extensions]]
number = "104"
[[calls]]
id = "Nt3uh"
caller = "100"
callee = "104"
"""


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", PAGE, re.S)


def sessions() -> list[tuple[str, list[str]]]:
    """Each ``$ ozml ...`` command of the page's console blocks with the lines shown after it."""
    found: list[tuple[str, list[str]]] = []
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:].split("  #", 1)[0].strip(), []))
            elif found:
                found[-1][1].append(line)
    return [(command, shown) for command, shown in found if command.startswith("ozml ")]


def normal(line: str) -> str:
    """A line with what changes from run to run (times, ports, IDs) masked."""
    line = re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:9509", line)
    line = re.sub(r"^\s+\d+\.\d{3} ", "   T ", line)
    line = re.sub(r" at [\d.]+s after", " at Ts after", line)
    line = re.sub(r"SmsId: \S+", "SmsId: ID", line)
    line = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "DATE", line)
    if "DATE" in line:  # a table row: its durations and column widths vary
        line = re.sub(r"\b\d+(\.\d+)?\b(?=\s|$)", "N", line)
    return " ".join(line.split()) if "DATE" in line or "CALL_ID" in line else line


@pytest.fixture(scope="module")
def sims(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SimulatorProcess]]:
    config = tmp_path_factory.mktemp("sim") / "in-call.toml"
    config.write_text(IN_CALL, encoding="utf-8")
    with SimulatorProcess() as ringing, SimulatorProcess(config) as in_call:
        yield {"ringing": ringing, "in-call": in_call}


SESSIONS = sessions()


def test_the_page_has_its_sessions() -> None:
    commands = [c for c, _ in SESSIONS]
    assert "ozml api ForwardCall CallId=Nt3uh" in commands
    assert "ozml api Speak CallId=Nt3uh Text=hello Party=everyone" in commands
    assert any(c.startswith("ozml run --live") for c in commands)


@pytest.mark.parametrize(("command", "shown"), SESSIONS, ids=[c for c, _ in SESSIONS])
def test_each_session_prints_what_the_page_shows(
    sims: dict[str, SimulatorProcess], command: str, shown: list[str]
) -> None:
    # A transfer or a live run acts on an answered call; ForwardCall on a ringing one.
    acts_on_a_call = any(word in command for word in ("--live", "BlindTransfer")) or (
        "InCall" in "\n".join(shown)
    )
    sim = sims["in-call" if acts_on_a_call else "ringing"]
    sim.reset()
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    done = subprocess.run(
        [sys.executable, "-m", "ozml", *shlex.split(command)[1:]],
        capture_output=True, text=True, timeout=60, cwd=REPO,
        env={**base, **CREDS, "OZML_API_URL": sim.url},
    )
    printed = done.stderr.splitlines() + done.stdout.splitlines()
    if not shown:
        assert done.returncode == 0, done.stderr
        return
    assert [normal(line) for line in printed] == [normal(line) for line in shown]
    refused = any(line.startswith("ozml: error: not sent") for line in shown)
    assert done.returncode == (2 if refused else 0)
    assert "qwe123" not in done.stdout + done.stderr


def test_the_configuration_block_loads(tmp_path: Path) -> None:
    [toml] = blocks("toml")
    (tmp_path / "ozml.toml").write_text(toml, encoding="utf-8")
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.url == "http://192.168.1.10:9509"
    assert settings.timeout == 10
    assert dict(settings.wire_names) == {
        "AttendedTransfer.TransferredCallId": "TranferredCallId"
    }


def test_the_requirements_table_is_the_one_applied() -> None:
    section = PAGE.split("What an HTTP request must carry", 1)[1].split("**Stated or", 1)[0]
    rows = [r.strip("|").split("|") for r in section.splitlines() if r.startswith("| ")]
    listed = {(c.strip(), p.strip().strip("`"), s.strip()) for c, p, s, _ in rows[2:]}
    facts = {(f.command, f.param, "stated" if f.basis.stated else "assumed")
             for f in HTTP_FACTS if f.param not in ("CallId", "TransferredCallId")}
    call_rows = {r for r in listed if r[1].startswith("CallId")}
    assert listed - call_rows == facts
    # The CallId rows: each call-control command asks for its call over HTTP, stated where
    # both generations make it mandatory, assumed where the Ozeki 10 page marks it optional.
    call_ids = {
        (cmd.name, r.param.name, r.stated)
        for cmd in HTTP_COMMANDS.values() for r in http_requirements(cmd)
        if r.param.type.value == "call-id" and not r.param.required_in
    }
    assert {name for _, name, _ in call_ids} == {"CallId", "TransferredCallId"}
    shown = {
        (command.strip(), "stated" if stated == "stated" else "assumed")
        for commands, _, stated in call_rows for command in commands.split(",")
    }
    assert shown == {(c, "stated" if s else "assumed") for c, _, s in call_ids}
