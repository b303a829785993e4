"""The web examples (examples/web: the voice menu of ivr.py) tested end to end with
``ozml test --app``: each on its framework's real server on loopback (the standard library's
as users start it, Flask and Django under werkzeug, Starlette and plain ASGI under uvicorn),
driven by the scenarios of examples/scenarios/web, which pin whole traces with ``{app}`` for the
application's URL: every example gives the same trace.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ozml.cli import main
from ozml.interpreter.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent
WEB = REPO / "examples" / "web"
SCENARIOS = REPO / "examples" / "scenarios" / "web"
APPS = ["stdlib_app", "flask_app", "django_app", "starlette_app", "asgi_app"]


@pytest.fixture(autouse=True)
def _examples_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(WEB))


def serve_wsgi(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def serve_asgi(app: Any) -> Iterator[str]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve_stdlib() -> Iterator[str]:
    """The stdlib example started as users start it, on a free loopback port."""
    process = subprocess.Popen(
        [sys.executable, str(WEB / "stdlib_app.py"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Listening on http://127.0.0.1:"), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def app_url(request: pytest.FixtureRequest) -> Iterator[str]:
    name = request.param
    if name == "stdlib_app":
        yield from serve_stdlib()
        return
    example: Any = __import__(name)
    if name == "flask_app":
        yield from serve_wsgi(example.app)
    elif name == "django_app":
        yield from serve_wsgi(example.application)
    else:
        yield from serve_asgi(example.app)


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.toml"))


def test_the_web_scenarios_pin_whole_traces() -> None:
    names = [p.name for p in scenario_files()]
    assert "ivr-operator-voicemail.toml" in names
    assert len(names) >= 4
    for path in scenario_files():
        scenario = load_scenario(path)
        assert scenario.script is None  # the application answers the IncomingCall
        assert scenario.expect.end is not None, path
        assert scenario.expect.trace, path


def test_the_voicemail_scenario_is_the_whole_inbound_path() -> None:
    """IncomingCall -> menu -> a key it does not know -> DtmfEntered -> the application's
    answer -> BlindTransfer to a busy operator -> voicemail Record ending on # ->
    RecordCompleted to the application, whose answer says goodbye."""
    scenario = load_scenario(SCENARIOS / "ivr-operator-voicemail.toml")
    assert scenario.expect.trace is not None
    trace = [line.split(" ", 1)[1] for line in scenario.expect.trace]
    wanted = [
        'UserInput Repeat="true" Timeout="10" ForwardToURL="{app}/dtmf" -> menu',
        'input Digits="0" -> no-match',
        'fetch Url="{app}/dtmf" DtmfDigits="0" -> fetched',
        'BlindTransfer Target="100" -> busy',
        'Record FinishedUrl="{app}/recorded" Duration="120" FinishDigits="#" -> finish-key at 30s',
        'notify Url="{app}/recorded" NotificationName="RecordCompleted" -> fetched',
        'Speak Text="Thank you. Goodbye." -> ok',
    ]
    positions = [trace.index(line) for line in wanted]
    assert positions == sorted(positions)


@pytest.mark.parametrize("app_url", APPS, indirect=True)
def test_every_web_example_passes_the_web_scenarios(
    app_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    files = scenario_files()
    code = main(["test", "-v", *map(str, files), "--app", app_url])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    lines = out.splitlines()
    assert lines[0] == f"app: {app_url}"
    assert lines[-1].split(" in ")[0] == f"{len(files)} passed"
    assert sum(line.endswith(" PASSED") for line in lines) == len(files)
    # -v: the trace names where each step's OzML came from: the application's URLs.
    assert f"{app_url}dtmf:6:4 Record" in out


def test_ozml_test_app_on_the_command_line_as_ci_runs_it() -> None:
    for url in serve_stdlib():
        done = subprocess.run(
            [sys.executable, "-m", "ozml", "test", str(SCENARIOS), "--app", url],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stderr == ""
        assert done.stdout.splitlines()[-1].split(" in ")[0] == f"{len(scenario_files())} passed"
