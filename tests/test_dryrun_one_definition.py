"""One model, one definition, in the dry run and the simulator: the simulator says where a URL
map's answer came from as the dry run does (`ozml.interpreter.fetch.map_origin`); timing reads
RingTime, Duration, Inactivity and Play's Timeout as the linter reads numbers
(`ozml.catalog.values`); Repeat is read as the linter reads a boolean; and the defaults the
engine falls back on are the catalog's, labelled with its basis. Real processes throughout
(``ozml run``, ``ozml simulate``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

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
