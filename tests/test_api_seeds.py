"""The five seed pages, end to end over real HTTP against a simulator process.

Every seed page's URL example is reproduced exactly, byte for byte (parameter order, spelling,
values, credentials last), by `ozml api` and by the client's methods; every seed OzML example
runs against the simulator, both driven by `ozml run --live` and as the answer an application
gives to the simulator's CallConnected notification.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ozml.api import Client, Credentials
from ozml.simulator.process import SimulatorProcess

REPO = Path(__file__).resolve().parent.parent
SEED_FILES = {
    "ForwardCall": "000_7e1efc6b61ad5924.txt",
    "AttendedTransfer": "001_fb3cae56d1ef797a.txt",
    "Call": "002_d4fcc56718698779.txt",
    "BlindTransfer": "003_603ea5e86fe9fff6.txt",
    "CallSetup": "004_dbfc1748eed35524.txt",
}
#: The URL examples of the seed pages, as printed there (AttendedTransfer's page has none).
SEED_URLS = {
    "ForwardCall": "http://127.0.0.1:9509/api?command=ForwardCall&CallId=Nt3uh&Destination=104"
    "&Username=HTTP_User_1&Password=qwe123",
    "Call": "http://127.0.0.1:9509/api?command=Call&Dialed=102&ApiExtension=101"
    "&Url=http://yourapp.com/callconnected.php&ErrorUrl=http://yourapp.com/error.php"
    "&Username=HTTP_User_1&Password=qwe123",
    "BlindTransfer": "http://127.0.0.1:9509/api?command=BlindTransfer&CallId=Nt3uh"
    "&TransferorParty=caller&Target=104&Username=HTTP_User_1&Password=qwe123",
    "CallSetup": "http://127.0.0.1:9509/api?command=CallSetup&Caller=101&Callee=103"
    "&Username=HTTP_User_1&Password=qwe123",
}
SEED_RESPONSE = (
    '<?xml version="1.0"?>\n'
    '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
    "  <Code>200</Code>\n"
    "  <Message>Command successfully executed</Message>\n"
    "</Response>\n"
)
USER = {"OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123"}


def query_of(url: str) -> str:
    return url.split("?", 1)[1]


def cli_params(url: str) -> list[str]:
    """The Param=value words of a seed URL, between the command and the credentials."""
    words = query_of(url).split("&")
    return [w for w in words[1:] if not w.startswith(("Username=", "Password="))]


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorProcess]:
    with SimulatorProcess() as process:
        yield process
    assert process.returncode == 0  # SIGTERM stops it cleanly


@pytest.fixture
def fresh(sim: SimulatorProcess) -> SimulatorProcess:
    sim.reset()
    return sim


def run_ozml(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **USER, **(env or {})},
        cwd=REPO,
    )


def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def call_state(sim: SimulatorProcess, call_id: str) -> str | None:
    for call in sim.state()["calls"]:
        if call["CallId"] == call_id:
            return str(call["CallState"])
    return None


def connect_nt3uh(sim: SimulatorProcess) -> None:
    """The seeds' call Nt3uh starts ringing; forwarding it to 104, which answers, connects it."""
    with Client(sim.url, Credentials.of(**_creds())) as client:
        client.forward_call(call_id="Nt3uh", destination="104")
    wait_for(lambda: call_state(sim, "Nt3uh") == "InCall")


def _creds() -> dict[str, str]:
    return {"username": USER["OZML_USERNAME"], "password": USER["OZML_PASSWORD"]}


# -- the URL examples --------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(SEED_URLS))
def test_seed_url_is_the_pages_url(command: str, shared_dir: Path) -> None:
    text = (shared_dir / "seeds" / SEED_FILES[command]).read_text(encoding="utf-8")
    found = re.search(r"URL request\n(http://\S+)", text)
    assert found is not None
    assert found.group(1) == SEED_URLS[command]


def test_attended_transfer_page_has_no_url_example(shared_dir: Path) -> None:
    text = (shared_dir / "seeds" / SEED_FILES["AttendedTransfer"]).read_text(encoding="utf-8")
    assert re.search(r"URL request\n(http://\S+)", text) is None


@pytest.mark.parametrize("command", ["ForwardCall", "Call", "BlindTransfer", "CallSetup"])
def test_ozml_api_sends_exactly_the_seed_request(command: str, fresh: SimulatorProcess) -> None:
    if command == "BlindTransfer":
        connect_nt3uh(fresh)
    url = SEED_URLS[command]
    done = run_ozml("api", command, *cli_params(url), "--api-url", fresh.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "200 Command successfully executed\n"
    received = fresh.state()["requests"][-1]
    assert received["method"] == "GET"
    assert received["query"] == query_of(url)
    assert received["code"] == 200
    assert "qwe123" not in done.stdout + done.stderr


def test_client_methods_send_exactly_the_seed_requests(fresh: SimulatorProcess) -> None:
    # Keyword arguments in another order than the page: the catalog's order goes on the wire.
    with Client(fresh.url, Credentials.of(**_creds())) as client:
        client.forward_call(destination="104", call_id="Nt3uh")
        forward = fresh.state()["requests"][-1]["query"]
        wait_for(lambda: call_state(fresh, "Nt3uh") == "InCall")
        client.call(
            error_url="http://yourapp.com/error.php",
            url="http://yourapp.com/callconnected.php",
            api_extension="101",
            dialed="102",
        )
        call = fresh.state()["requests"][-1]["query"]
        client.blind_transfer(target="104", transferor_party="caller", call_id="Nt3uh")
        blind = fresh.state()["requests"][-1]["query"]
        client.call_setup(callee="103", caller="101")
        setup = fresh.state()["requests"][-1]["query"]
    assert forward == query_of(SEED_URLS["ForwardCall"])
    assert call == query_of(SEED_URLS["Call"])
    assert blind == query_of(SEED_URLS["BlindTransfer"])
    assert setup == query_of(SEED_URLS["CallSetup"])


def test_the_simulator_answers_with_the_seed_response(fresh: SimulatorProcess) -> None:
    import urllib.request

    url = fresh.url + "/api?" + query_of(SEED_URLS["ForwardCall"])
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/xml")
        body = response.read().decode("utf-8")
    assert body == SEED_RESPONSE
    # The page prints the same document on one line.
    assert " ".join(line.strip() for line in body.splitlines()) == (
        '<?xml version="1.0"?> <Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"> <Code>200</Code>'
        " <Message>Command successfully executed</Message> </Response>"
    )


# -- the OzML examples, driven live ------------------------------------------------------------


def live(sim: SimulatorProcess, seed: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_ozml(
        "run", "--live", f"examples/seeds/{seed}", "--api-url", sim.url, "--call-id", "Nt3uh",
        *extra,
    )


def requests_since(sim: SimulatorProcess, count: int) -> list[str]:
    return [r["query"] for r in sim.state()["requests"][count:]]


def test_forwardcall_example_runs_live(fresh: SimulatorProcess) -> None:
    done = live(fresh, "forwardcall.xml", "--context", "3pcc")
    assert done.returncode == 0, done.stdout + done.stderr
    assert requests_since(fresh, 0) == [
        "command=ForwardCall&CallId=Nt3uh&Destination=102&Username=HTTP_User_1&Password=qwe123"
    ]
    assert "ForwardCall" in done.stdout
    assert "-> transferred" in done.stdout
    assert "Password=***" in done.stdout
    assert "qwe123" not in done.stdout


def test_blindtransfer_example_runs_live(fresh: SimulatorProcess) -> None:
    connect_nt3uh(fresh)
    before = len(fresh.state()["requests"])
    started = time.monotonic()
    done = live(fresh, "blindtransfer.xml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - started >= 1.0  # Delay 1 really waits in a live run
    assert requests_since(fresh, before) == [
        "command=Speak&Text=You+will+be+blind+transfered+to+102+in+1+seconds.&CallId=Nt3uh"
        "&Username=HTTP_User_1&Password=qwe123",
        "command=BlindTransfer&CallId=Nt3uh&Target=102&Username=HTTP_User_1&Password=qwe123",
    ]
    assert "ended: transferred" in done.stdout
    history = {c["CallId"]: c for c in fresh.state()["history"]}
    assert history["Nt3uh"]["CallState"] == "Transferred"


def test_call_example_runs_live(fresh: SimulatorProcess) -> None:
    connect_nt3uh(fresh)
    before = len(fresh.state()["requests"])
    done = live(
        fresh, "call.xml", "--context", "extension", "--executor-option", "api-extension=101"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert requests_since(fresh, before) == [
        "command=Call&Dialed=102&ApiExtension=101&CallerId=3000"
        "&Url=http://yourdomain.com/ozml_example/call_connected.php"
        "&Username=HTTP_User_1&Password=qwe123",
        # The end of an extension script hangs up (D9).
        "command=Hangup&CallId=Nt3uh&Username=HTTP_User_1&Password=qwe123",
    ]
    assert call_state(fresh, "Nt3uh") is None


def test_callsetup_example_runs_live(fresh: SimulatorProcess) -> None:
    connect_nt3uh(fresh)
    before = len(fresh.state()["requests"])
    done = live(
        fresh, "callsetup.xml", "--context", "extension", "--executor-option", "hangup-at-end=no"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert requests_since(fresh, before) == [
        "command=CallSetup&Caller=101&Callee=102&Username=HTTP_User_1&Password=qwe123"
    ]
    assert call_state(fresh, "Nt3uh") == "InCall"  # hangup-at-end=no left it up
    assert any(c["Origin"] == "CallSetup" for c in fresh.state()["calls"])


def test_attendedtransfer_example_runs_live(tmp_path: Path) -> None:
    config = tmp_path / "sim.toml"
    config.write_text(
        '[[calls]]\nid = "Nt3uh"\ncaller = "100"\ncallee = "102"\nstate = "Hold"\n'
        '[[calls]]\nid = "HL1bE"\ncaller = "102"\ncallee = "104"\nstate = "InCall"\n',
        encoding="utf-8",
    )
    with SimulatorProcess(config) as sim:
        done = live(sim, "attendedtransfer.xml", "--context", "3pcc")
        state = sim.state()
    assert done.returncode == 0, done.stdout + done.stderr
    assert [r["query"] for r in state["requests"]] == [
        "command=Speak&Text=The+caller+will+be+attended+transfered+to+call+ID+HL1bE."
        "&Party=all&CallId=Nt3uh&Username=HTTP_User_1&Password=qwe123",
        "command=AttendedTransfer&TransferredCallId=Nt3uh&TargetCallId=HL1bE"
        "&TransferorParty=caller&Username=HTTP_User_1&Password=qwe123",
    ]
    assert {c["CallId"]: c["CallState"] for c in state["history"]} == {
        "Nt3uh": "Transferred",
        "HL1bE": "Transferred",
    }
    [joined] = state["calls"]
    assert (joined["Source"], joined["Destination"]) == ("100", "104")
    assert joined["CallState"] == "InCall"


# -- the OzML examples, as an application's answer to CallConnected -----------------------------


class App:
    """A loopback web application answering the simulator's notifications with one document."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.posts: list[tuple[str, str]] = []
        app = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                app.posts.append((self.path, self.rfile.read(length).decode("utf-8")))
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(app.answer)))
                self.end_headers()
                self.wfile.write(app.answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    ("seed", "expected_events"),
    [
        ("blindtransfer.xml", ["Speak Text='You will be blind transfered to 102 in 1 seconds.'",
                               "BlindTransfer caller -> 102", "Transferred"]),
        ("callsetup.xml", ["CallSetup -> call", "Completed"]),
        ("call.xml", ["Call -> call", "Completed"]),
    ],
)
def test_seed_example_runs_as_the_answer_to_call_connected(
    tmp_path: Path, seed: str, expected_events: list[str]
) -> None:
    config = tmp_path / "sim.toml"
    config.write_text("[behaviour]\nreal-time = false\n", encoding="utf-8")
    app = App((REPO / "examples" / "seeds" / seed).read_bytes())
    try:
        with SimulatorProcess(config) as sim, Client(
            sim.url, Credentials.of(**_creds())
        ) as client:
            client.call(dialed="103", api_extension="101", url=f"{app.url}/connected")
            script = wait_for(lambda: sim.state()["scripts"])
            history = wait_for(
                lambda: [c for c in sim.state()["history"] if c["Destination"] == "103"]
            )
    finally:
        app.close()
    path, form = app.posts[0]
    assert path == "/connected"
    assert form.startswith("NotificationName=CallConnected&CallId=")
    events = history[0]["Events"]
    assert events[0] == "Answered"
    for expected, found in zip(expected_events, events[1:], strict=True):
        assert found.startswith(expected)
    assert script[0]["Source"] == f"{app.url}/connected"
