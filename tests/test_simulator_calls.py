"""Simulated calls: ringing behaviours, the §5.2 states, and the notifications POSTed to a real
loopback application whose OzML answers run through the interpreter."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from ozml.api import ActiveCallsResult, Client, Credentials
from ozml.simulator import Simulator, SimulatorConfig, load_config
from ozml.simulator.config import ConfigError, default_config

CONFIG = """
[[extensions]]
number = "101"
type = "API extension"
[[extensions]]
number = "102"
keys = ["2", "1"]
[[extensions]]
number = "103"
answer = "busy"
[[extensions]]
number = "104"
answer = "no-answer"
[[extensions]]
number = "105"
answer = "ring"
[[extensions]]
number = "106"
answer-after = 0.3

[behaviour]
real-time = {real_time}
ring-time = 0.5
"""


class App:
    """A loopback web application: answers each path from `answers`, records every POST."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, bytes]] = {}
        self.posts: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        app = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
                with app.lock:
                    app.posts.append((self.path, form))
                status, body = app.answers.get(self.path, (200, b""))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, ozml: str, status: int = 200) -> str:
        self.answers[path] = (status, ozml.encode())
        return self.url + path

    def names(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(path, form["NotificationName"]) for path, form in self.posts]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def config(tmp_path: Path, real_time: bool = False) -> SimulatorConfig:
    path = tmp_path / "sim.toml"
    path.write_text(CONFIG.format(real_time=str(real_time).lower()), encoding="utf-8")
    return load_config(path)


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    with Simulator(config(tmp_path), port=0) as simulator:
        yield simulator


@pytest.fixture
def client(sim: Simulator) -> Iterator[Client]:
    with Client(sim.url, Credentials.of("admin", "abc123"), timeout=5) as found:
        yield found


def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)
    return found


def ended(sim: Simulator, destination: str) -> Any:
    return wait_for(lambda: next(
        (c for c in sim.board.history() if c.destination == destination), None
    ))


# -- the OzML an application answers ---------------------------------------------------------


def test_call_connected_runs_the_answer_then_finished_url(
    sim: Simulator, client: Client, app: App
) -> None:
    url = app.answer("/connected", "<Response><Speak>Hello</Speak><Hangup/></Response>")
    client.call(dialed="102", api_extension="101", url=url, caller_id="3000",
                finished_url=f"{app.url}/finished")
    call = ended(sim, "102")
    assert call.state.value == "Completed"
    assert call.events == ["Answered", "Speak Text='Hello'", "Completed"]
    wait_for(lambda: len(app.posts) == 2)
    (path, form), (finished_path, finished) = app.posts
    assert path == "/connected"
    # Exactly the fields of the table (ozml.callmodel.notifications.KINDS), name first.
    assert form == {
        "NotificationName": "CallConnected", "CallId": call.id, "Caller": "101", "Callee": "102",
    }
    assert finished_path == "/finished"
    # FinishedUrl's request has no documented name: the nearest documented one (assumed).
    assert list(finished) == [
        "NotificationName", "CallId", "Caller", "Callee", "CallState", "Duration",
    ]
    assert finished["NotificationName"] == "CallChanged"
    assert finished["CallState"] == "Completed"
    assert float(finished["Duration"]) >= 0
    [script] = sim.notifier.scripts
    assert script["Ending"] == "hangup"
    # Speak takes the assumed 0.4 s a word (virtual time: real-time = false).
    assert script["Trace"] == [
        '0s Speak Text="Hello" -> ok', "0.4s Hangup -> ok", "0.4s end -> hangup",
    ]
    [entry] = client.list_call_history(call_id=call.id).calls
    assert entry.state == "CallerHangUp"  # the API extension placed the call and hung up


def test_the_end_of_the_answer_hangs_up(sim: Simulator, client: Client, app: App) -> None:
    client.call(dialed="102", api_extension="101", url=app.answer("/c", "<Response/>"))
    assert ended(sim, "102").state.value == "Completed"


def test_user_input_takes_the_extensions_keys(sim: Simulator, client: Client, app: App) -> None:
    menu = """<Response>
      <UserInput Timeout="5" Repeat="true">
        <InitialCommands><Speak>Press 1</Speak></InitialCommands>
        <Inputs>
          <Input Key="1"><Speak>one</Speak></Input>
        </Inputs>
      </UserInput>
    </Response>"""
    client.call(dialed="102", api_extension="101", url=app.answer("/menu", menu))
    call = ended(sim, "102")
    # 102 presses 2 (no branch, the menu repeats), then 1.
    assert call.events == [
        "Answered", "Speak Text='Press 1'", "Speak Text='Press 1'", "Speak Text='one'",
        "Completed",
    ]


def test_goto_fetches_from_the_application(sim: Simulator, client: Client, app: App) -> None:
    app.answer("/next", "<Response><Speak>second</Speak></Response>")
    first = f"<Response><Speak>first</Speak><GoTo>{app.url}/next</GoTo></Response>"
    client.call(dialed="102", api_extension="101", url=app.answer("/first", first))
    call = ended(sim, "102")
    assert call.events == ["Answered", "Speak Text='first'", "Speak Text='second'", "Completed"]
    assert app.names() == [("/first", "CallConnected"), ("/next", "GoTo")]


def test_a_failed_blind_transfer_continues(sim: Simulator, client: Client, app: App) -> None:
    ozml = (
        "<Response><BlindTransfer>103</BlindTransfer>"
        "<Speak>Sorry, but blind transfer failed</Speak></Response>"
    )
    client.call(dialed="102", api_extension="101", url=app.answer("/t", ozml))
    call = ended(sim, "102")
    assert call.events == ["Answered", "Speak Text='Sorry, but blind transfer failed'", "Completed"]
    assert sim.notifier.scripts[0]["Trace"][0] == '0s BlindTransfer Target="103" -> busy'


def test_a_blind_transfer_moves_the_call(sim: Simulator, client: Client, app: App) -> None:
    ozml = "<Response><BlindTransfer>106</BlindTransfer><Speak>not reached</Speak></Response>"
    client.call(dialed="102", api_extension="101", url=app.answer("/t", ozml))
    call = ended(sim, "102")
    assert call.state.value == "Transferred"
    assert call.events == ["Answered", "BlindTransfer caller -> 106", "Transferred"]
    moved = wait_for(lambda: [c for c in sim.board.active() if c.origin == "BlindTransfer"])
    assert (moved[0].source, moved[0].destination) == ("102", "106")


def test_a_call_placed_from_ozml_connects_too(sim: Simulator, client: Client, app: App) -> None:
    second = app.answer("/second", "<Response><Speak>for 106</Speak></Response>")
    first = f'<Response><Call ApiExtension="101" Url="{second}">106</Call></Response>'
    client.call(dialed="102", api_extension="101", url=app.answer("/first", first))
    call = ended(sim, "106")
    assert call.events == ["Answered", "Speak Text='for 106'", "Completed"]


def test_response_ozml_runs_without_a_url(sim: Simulator, client: Client) -> None:
    client.call(dialed="102", api_extension="101",
                response_ozml="<Response><Speak>inline</Speak></Response>")
    assert ended(sim, "102").events == ["Answered", "Speak Text='inline'", "Completed"]


def test_no_url_leaves_the_call_up(sim: Simulator, client: Client) -> None:
    client.call(dialed="102", api_extension="101")
    calls = wait_for(lambda: [c for c in client.list_active_calls().calls
                              if c.call_state == "InCall"])
    assert calls[0].destination == "102"


# -- errors ------------------------------------------------------------------------------------


def test_busy_notifies_the_error_url(sim: Simulator, client: Client, app: App) -> None:
    client.call(dialed="103", api_extension="101", url=f"{app.url}/never",
                error_url=f"{app.url}/error")
    assert ended(sim, "103").state.value == "Busy"
    wait_for(lambda: app.posts)
    assert app.names() == [("/error", "Error")]
    assert app.posts[0][1]["CallState"] == "Busy"


def test_no_answer_gives_up_after_the_ring_time(tmp_path: Path, app: App) -> None:
    with Simulator(config(tmp_path, real_time=True), port=0) as sim, Client(
        sim.url, Credentials.of("admin", "abc123")
    ) as client:
        started = time.monotonic()
        client.call(dialed="104", api_extension="101", error_url=f"{app.url}/error")
        ringing = client.list_active_calls()
        assert isinstance(ringing, ActiveCallsResult)
        assert [c.call_state for c in ringing.calls] == ["Ringing"]
        call = ended(sim, "104")
        assert time.monotonic() - started >= 0.5
    assert call.state.value == "Busy"
    assert call.answered is None


def test_answer_after_keeps_it_ringing(tmp_path: Path) -> None:
    with Simulator(config(tmp_path, real_time=True), port=0) as sim, Client(
        sim.url, Credentials.of("admin", "abc123")
    ) as client:
        client.call(dialed="106", api_extension="101")
        assert [c.call_state for c in client.list_active_calls().calls] == ["Ringing"]
        wait_for(lambda: [c for c in sim.board.active() if c.state.value == "InCall"])


def test_an_unreachable_url_hangs_up_with_error(sim: Simulator, client: Client, app: App) -> None:
    app.answer("/broken", "", status=500)
    client.call(dialed="102", api_extension="101", url=f"{app.url}/broken",
                error_url=f"{app.url}/error")
    call = ended(sim, "102")
    assert call.state.value == "Error"
    wait_for(lambda: len(app.posts) == 2)
    assert app.names() == [("/broken", "CallConnected"), ("/error", "Error")]


def test_remote_hosts_are_not_notified_by_default(sim: Simulator, client: Client) -> None:
    client.call(dialed="102", api_extension="101", url="http://yourapp.com/callconnected.php")
    call = ended(sim, "102")
    assert call.state.value == "Error"
    delivery = sim.fetcher.deliveries[0]
    assert delivery.url == "http://yourapp.com/callconnected.php"
    assert delivery.error == "not sent: only loopback addresses are allowed"


# -- states ------------------------------------------------------------------------------------


def test_hold_unhold_hangup_cycle(sim: Simulator, client: Client) -> None:
    client.call(dialed="102", api_extension="101")
    [call] = wait_for(lambda: [c for c in sim.board.active() if c.state.value == "InCall"])
    client.hold(call_id=call.id)
    assert call.state.value == "Hold"
    client.unhold(call_id=call.id)
    assert call.state.value == "InCall"
    client.hangup(call_id=call.id)
    assert call.state.value == "Completed"
    assert call.events == ["Answered", "Hold", "Unhold", "Completed"]
    [entry] = client.list_call_history(call_id=call.id).calls
    assert entry.state == "CallerHangUp"  # a result state [hu7634], not the live Completed


def test_forward_a_ringing_call(sim: Simulator, client: Client) -> None:
    client.call(dialed="105", api_extension="101")
    [call] = sim.board.active()
    assert call.state.value == "Ringing"
    client.forward_call(call_id=call.id, destination="102")
    wait_for(lambda: call.state.value == "InCall")
    assert call.events == ["Forwarded 105 -> 102", "Answered"]


def test_call_ids_are_unique_and_reproducible(tmp_path: Path) -> None:
    path = tmp_path / "sim.toml"
    path.write_text("[behaviour]\nseed = 3\nreal-time = false\n", encoding="utf-8")

    def ids() -> list[str]:
        with Simulator(load_config(path), port=0) as sim:
            return [sim.board.new_id() for _ in range(50)]

    first = ids()
    assert first == ids()
    assert len(set(first)) == 50
    assert all(len(i) == 5 and i.isalnum() for i in first)


# -- configuration -----------------------------------------------------------------------------


def test_default_config_holds_the_vendors_examples() -> None:
    default = default_config()
    assert [(u.username, u.password) for u in default.users] == [
        ("HTTP_User_1", "qwe123"), ("admin", "abc123"),
    ]
    assert "qwe123" not in repr(default.users)
    api = default.extension("101")
    assert api is not None
    assert api.is_api
    assert [c.id for c in default.calls] == ["Nt3uh"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[users]]\nname = 'x'\n", ":2:1: users[0]: unknown key 'name' (expected one of:"
         " password, username)"),
        ("[[users]]\nusername = 'x'\n", ":1:1: users[0]: password is required"),
        ("[[extensions]]\nnumber = 1\nanswer = 'maybe'\n",
         ":3:10: extensions[0]: answer must be one of answer, busy, no-answer, not-found, failed,"
         " ring, found 'maybe'"),
        ("[[extensions]]\nnumber = 1\n[[extensions]]\nnumber = '1'\n",
         ":4:10: extensions[1]: extension 1 is defined twice"),
        ("[[calls]]\nid = 'a'\ncaller = '100'\ncallee = '999'\n",
         ":4:10: call a: 999 is not a configured extension"),
        ("[behaviour]\nring-time = -1\n",
         ":2:13: [behaviour]: ring-time must be a number of seconds"),
        ("[behaviour]\nreal-time = 'yes'\n",
         ":2:13: [behaviour]: real-time and notify-remote must be"),
        ("users = 3\n", ":1:9: top level: users must be an array of tables ([[users]])"),
        ("[colours]\n", ":1:2: top level: unknown key 'colours'"),
        ("this is not toml", ":1:6: not valid TOML: Expected '=' after a key in a key/value pair"),
    ],
)
def test_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}{message}")


def test_unreadable_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml: no such file or folder$"):
        load_config(tmp_path / "missing.toml")
