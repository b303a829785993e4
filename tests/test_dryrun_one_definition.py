"""One model, one definition, in the dry run and the simulator: the simulator says where a URL
map's answer came from as the dry run does (`ozml.interpreter.fetch.map_origin`); timing reads
RingTime, Duration, Inactivity and Play's Timeout as the linter reads numbers
(`ozml.catalog.values`); Repeat is read as the linter reads a boolean; and the defaults the
engine falls back on are the catalog's, labelled with its basis. Real processes throughout
(``ozml run``, ``ozml simulate``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_simulator_calls import App

from ozml.catalog import command
from ozml.simulator.process import SimulatorProcess


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=cwd, capture_output=True, text=True,
        encoding="utf-8", env=env, timeout=120, check=False,
    )


def free_url() -> str:
    """A loopback URL nothing listens on (the application the map stands in for)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_the_simulator_marks_a_guessed_map_answer_assumed(tmp_path: Path) -> None:
    """A URL keeping an undefined ``$box`` matches one file: the simulator's state view says,
    as the dry run's trace does, that the answer is a guess (assumed)."""
    own = free_url()
    (tmp_path / "app" / "boxes").mkdir(parents=True)
    (tmp_path / "app" / "boxes" / "a.xml").write_text(
        "<Response><Speak>A</Speak><Hangup/></Response>", encoding="utf-8"
    )
    (tmp_path / "app" / "incoming.xml").write_text(
        f'<Response><GoTo Url="{own}/box?name=$box"/></Response>', encoding="utf-8"
    )
    config = tmp_path / "sim.toml"
    config.write_text(
        '[[extensions]]\nnumber = "1000"\ntype = "API extension"\n'
        f'incoming-url = "{own}/incoming.php"\n'
        "[behaviour]\nreal-time = false\nseed = 1\n"
        f'[urls]\n"{own}/box?name={{box}}" = "app/boxes/{{box}}.xml"\n'
        f'"{own}/{{page}}.php" = "app/{{page}}.xml"\n',
        encoding="utf-8",
    )
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--wait", "20", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        sent = sim.state()["notifications"]
    files = (tmp_path / "app").as_posix()
    assert [(n["kind"], n["error"], n.get("answered_by")) for n in sent] == [
        ("IncomingCall", None, f"URL map: {files}/incoming.xml"),
        ("GoTo", None,
         f"URL map: {files}/boxes/a.xml (a guess, assumed: the URL keeps $box as written,"
         " and this is the one file that matches)"),
    ]


def _run(tmp_path: Path, document: str, *args: str) -> list[dict[str, Any]]:
    """The dry run's trace of `document` (``ozml run --format json --force``)."""
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    done = ozml("run", "doc.xml", "--isolated", "--force", "--format", "json", *args,
                cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _details(events: list[dict[str, Any]], command: str) -> list[str]:
    return [e["detail"] for e in events if e["command"] == command]


@pytest.mark.parametrize(
    ("ring_time", "expected"),
    [
        # float() read "1e3" as 1000 s; the linter refuses it (a whole number).
        ("1e3", "Call RingTime must be a whole number, found '1e3'"),
        # float() read "-5" and dropped it silently; the linter warns (an assumed bound).
        ("-5", "Call RingTime of '-5': the vendor gives RingTime as a number and states no"
               " bound; that it is at least 0 is assumed"),
    ],
)
def test_ring_time_is_read_as_the_linter_reads_it(
    tmp_path: Path, ring_time: str, expected: str
) -> None:
    events = _run(tmp_path, f'<Response><Call Dialed="2000" RingTime="{ring_time}"/></Response>')
    (detail,) = _details(events, "Call")
    assert f"{expected}; it rings for ring_time = 90 s instead (assumed)" in detail


def test_record_and_play_numbers_are_read_as_the_linter_reads_them(tmp_path: Path) -> None:
    events = _run(
        tmp_path,
        '<Response><Play AudioFile="a.wav" Timeout="5s"/>'
        '<Record Duration="1e3" Inactivity="inf"/></Response>',
        "--dtmf", "hangup@20s",
    )
    (play,) = _details(events, "Play")
    assert "Play Timeout must be a whole number, found '5s'; the Play is not cut short" in play
    (record,) = _details(events, "Record")
    assert (
        "Record Duration must be a whole number, found '1e3'; the recording has no Duration"
        " limit (assumed); Record Inactivity must be a whole number, found 'inf'; silence does"
        " not end the recording (assumed)"
    ) in record


MENU = (
    '<Response><UserInput{}><InitialCommands><Speak>Hi</Speak></InitialCommands>'
    '<Inputs><Input Key="1"><Speak>one</Speak></Input></Inputs></UserInput></Response>'
)


@pytest.mark.parametrize(
    ("repeat", "menus", "note"),
    [
        # "yes" counted as false without a word; the linter refuses it.
        ("yes", 1, "UserInput Repeat must be true or false, found 'yes': taken as false, the"
                   " default (assumed)"),
        # "TRUE" counted as true without a word; the linter reports its letter case.
        ("TRUE", 2, "UserInput Repeat of 'TRUE' taken as true (letter case ignored, assumed)"),
        ("true", 2, ""),
    ],
)
def test_repeat_is_read_as_the_linter_reads_it(
    tmp_path: Path, repeat: str, menus: int, note: str
) -> None:
    events = _run(tmp_path, MENU.format(f' Repeat="{repeat}"'), "--dtmf", "timeout,1")
    shown = [(e["result"], e["detail"]) for e in events if e["command"] == "UserInput"]
    assert shown[0] == ("menu", note)
    assert len(shown) == menus


def test_menu_and_record_defaults_are_the_catalogs(tmp_path: Path) -> None:
    """What a menu without Timeout falls back on, and the Format of a Record without one (the
    RecordURL posted to a real application on loopback), are the catalog's defaults, the
    menu's labelled with its basis."""
    timeout = command("UserInput").param("Timeout")
    record_format = command("Record").param("Format")
    events = _run(tmp_path, MENU.format(""), "--dtmf", "timeout")
    (timed_out,) = [e["detail"] for e in events if e["result"] == "timeout"]
    assumed = "" if timeout.defaulted.stated else ", assumed"
    assert timed_out.startswith(
        f"Timeout not given ({timeout.default}, an assumed default): no wait{assumed};"
    )
    app = App()
    try:
        url = app.answer(
            "/incoming",
            f'<Response><Record Duration="2" FinishedUrl="{app.url}/done"/></Response>',
        )
        done = ozml("run", "--isolated", "--app", url, cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        with app.lock:
            forms = [form for path, form in app.posts if path == "/done"]
    finally:
        app.close()
    assert [form["RecordURL"].rsplit(".", 1)[1] for form in forms] == [record_format.default]
