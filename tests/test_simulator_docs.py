"""docs/simulator.md runs: its configuration blocks load, its response XML is what the simulator
answers, its `ozml api` session and its inbound-call example (an application, a configuration
and `ozml simulate call`) print exactly what the page shows. (Its test example is run by
tests/test_api_settings.py.)"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ozml.simulator import load_config
from ozml.simulator.commands import Reply
from ozml.simulator.process import SimulatorProcess
from ozml.simulator.render import render

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "docs" / "simulator.md").read_text(encoding="utf-8")


def blocks(info: str) -> list[str]:
    """The fenced blocks whose info string is exactly `info`."""
    return re.findall(rf"```{re.escape(info)}\n(.*?)```", PAGE, re.S)


def test_the_page_has_the_blocks_tested_here() -> None:
    assert len(blocks("toml")) == 2
    assert len(blocks("xml")) == 1
    assert len(blocks('python title="ivr_app.py"')) == 1
    assert len(blocks("console")) == 3


@pytest.mark.parametrize("index", [0, 1])
def test_configuration_blocks_load(tmp_path: Path, index: int) -> None:
    path = tmp_path / "sim.toml"
    path.write_text(blocks("toml")[index], encoding="utf-8")
    config = load_config(path)
    assert config.extensions


def test_the_response_block_is_what_the_simulator_answers() -> None:
    [xml] = blocks("xml")
    assert render(Reply(200)).decode() == xml


def test_the_seed_session_runs() -> None:
    session = next(b for b in blocks("console") if "$ ozml api ForwardCall" in b)
    lines = session.splitlines()
    with SimulatorProcess() as sim:
        env = {
            **os.environ, "OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123",
            "OZML_API_URL": sim.url,
        }
        for number, line in enumerate(lines):
            if not line.startswith("$ ozml "):
                continue
            command = line[2:].split("  #", 1)[0]
            done = subprocess.run(
                [sys.executable, "-m", "ozml", *shlex.split(command)[1:]],
                capture_output=True, text=True, timeout=60, env=env,
            )
            assert done.stdout == lines[number + 1] + "\n", (command, done.stderr)
            # The first command's call rings 104, which answers on the simulator's threads.
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_inbound_example_runs(tmp_path: Path) -> None:
    port = _free_port()
    app_url = f"http://127.0.0.1:{port}"
    [app] = blocks('python title="ivr_app.py"')
    (tmp_path / "ivr_app.py").write_text(app.replace("8080", str(port)), encoding="utf-8")
    config = next(b for b in blocks("toml") if "incoming-url" in b and "[[users]]" not in b)
    (tmp_path / "ivr.toml").write_text(config.replace("8080", str(port)), encoding="utf-8")
    session = next(b for b in blocks("console") if "ozml simulate call" in b)
    command = next(line[2:] for line in session.splitlines() if "simulate call" in line)
    shown = session.split(command + "\n", 1)[1].replace("8080", str(port))
    application = subprocess.Popen(
        [sys.executable, str(tmp_path / "ivr_app.py")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 20
        while True:  # until the application listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the example application did not start"
                time.sleep(0.05)
        with SimulatorProcess(tmp_path / "ivr.toml") as sim:
            done = subprocess.run(
                [sys.executable, "-m", "ozml", *shlex.split(command)[1:], "--url", sim.url],
                capture_output=True, text=True, timeout=60,
            )
    finally:
        application.terminate()
        printed, _ = application.communicate(timeout=20)
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown
    assert printed.splitlines() == [
        "/incoming IncomingCall", "/entered DtmfEntered", "/recorded RecordCompleted",
    ]
    assert app_url in done.stdout
