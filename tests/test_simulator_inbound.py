"""Inbound calls and every notification the simulator sends, against a real stdlib application
on loopback: IncomingCall, DtmfEntered, RecordCompleted, RoutingInterception (and Route),
CallChanged, SMSDeliveryReport, the alarm's ResultUrl, ErrorUrl and FinishedUrl; each form has
exactly the fields of its kind in ozml.callmodel.notifications.KINDS."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_simulator_calls import App, wait_for

from ozml.api import Client, Credentials
from ozml.callmodel import KINDS, NotificationNames
from ozml.callmodel.states import RESULT_STATES
from ozml.simulator import Simulator, load_config
from ozml.simulator.process import SimulatorProcess

#: The application's paths, and the notification kind each one receives.
PATHS = {
    "/incoming": "IncomingCall",
    "/entered": "DtmfEntered",
    "/recorded": "RecordCompleted",
    "/route": "RoutingInterception",
    "/3pcc": "CallChanged",
    "/connected": "CallConnected",
    "/goto": "GoTo",
    "/sms": "SMSDeliveryReport",
    "/alarm": "AlarmResult",
    "/error": "Error",
    "/finished": "Finished",
}

MENU = """<Response>
  <UserInput Timeout="5" ForwardToURL="{app}/entered">
    <InitialCommands><Speak>For sales press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><Speak>Sales</Speak></Input></Inputs>
  </UserInput>
</Response>"""

VOICEMAIL = """<Response>
  <Speak>Transferring you</Speak>
  <BlindTransfer>2000</BlindTransfer>
  <Speak>The line is busy, leave a message after the tone</Speak>
  <Record FinishDigits="#" Format="wav" FinishedUrl="{app}/recorded"/>
</Response>"""


def _config(tmp_path: Path, app: App, extra: str = "") -> Path:
    path = tmp_path / "sim.toml"
    path.write_text(
        '[[users]]\nusername = "admin"\npassword = "abc123"\n'
        '[[extensions]]\nnumber = "101"\ntype = "API extension"\n'
        f'[[extensions]]\nnumber = "1000"\ntype = "API extension"\n'
        f'incoming-url = "{app.url}/incoming"\n'
        '[[extensions]]\nnumber = "102"\n'
        '[[extensions]]\nnumber = "103"\nanswer = "busy"\n'
        '[[extensions]]\nnumber = "2000"\nanswer = "busy"\n'
        '[[extensions]]\nnumber = "2001"\nanswer = "no-answer"\n'
        '[behaviour]\nreal-time = false\nseed = 5\nring-time = 30\n' + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


def _ring(sim: Simulator, caller: str, callee: str, dtmf: str = "") -> tuple[int, Any]:
    data = f"from={caller}&to={callee}&dtmf={urllib.request.quote(dtmf)}".encode()
    request = urllib.request.Request(f"{sim.url}/_ozml/calls", data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _ended(sim: Simulator, call_id: str) -> Any:
    def settled() -> Any:
        call = sim.board.find(call_id)
        done = call is not None and not call.active and not sim.notifier.running(call_id)
        return call if done else None

    return wait_for(settled)


# -- the inbound IVR, end to end -----------------------------------------------------------------


def test_inbound_call_menu_wrong_key_transfer_busy_voicemail(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", MENU.format(app=app.url))
    app.answer("/entered", VOICEMAIL.format(app=app.url))
    extra = f'[http-api]\n3pcc-url = "{app.url}/3pcc"\n'
    with Simulator(load_config(_config(tmp_path, app, extra)), port=0) as sim:
        status, placed = _ring(sim, "555", "1000", "7@1s,#@8s")
        assert status == 200
        call = _ended(sim, placed["CallId"])
        wait_for(lambda: sum(1 for p, _ in app.posts if p == "/3pcc") == 4)
        with Client(sim.url, Credentials.of("admin", "abc123")) as client:
            [entry] = client.list_call_history(call_id=call.id).calls
            inbound = client.list_call_history(direction="Inbound", state="CalleeHungUp")
        [script] = sim.notifier.scripts
    posts = [(path, form) for path, form in app.posts if path != "/3pcc"]
    assert [(path, form["NotificationName"]) for path, form in posts] == [
        ("/incoming", "IncomingCall"),
        ("/entered", "DtmfEntered"),
        ("/recorded", "RecordCompleted"),
    ]
    assert posts[0][1] == {
        "NotificationName": "IncomingCall", "CallId": call.id, "Caller": "555", "Callee": "1000",
    }
    assert posts[1][1] == {"NotificationName": "DtmfEntered", "CallId": call.id, "DtmfDigits": "7"}
    assert posts[2][1]["RecordURL"] == f"{sim.url}/_ozml/recordings/{call.id}-1.wav"
    # Every state change of the 3PCC-subscribed call, in order.
    assert [f["CallState"] for p, f in app.posts if p == "/3pcc"] == [
        "Ringing", "Answered", "InCall", "Completed",
    ]
    assert call.events == [
        "Answered",
        "Speak Text='For sales press 1'",
        "Speak Text='Transferring you'",
        "Speak Text='The line is busy, leave a message after the tone'",
        "Record FinishDigits='#' Format='wav' FinishedUrl='" + app.url + "/recorded'",
        "Completed",
    ]
    assert (entry.state, entry.direction, entry.source, entry.destination) == (
        "CalleeHungUp", "Inbound", "555", "1000",
    )
    assert inbound.total_records == 1
    assert script["Source"] == f"{app.url}/incoming"
    # Virtual time: Speak takes 0.4 s a word; the wrong key (pressed at 1 s) cuts the prompt
    # short (barge-in, as in a dry run); the recording waits for the "#" pressed at 8 s, and
    # RecordCompleted's answer runs after the script.
    assert script["Trace"] == [
        f'0s UserInput Timeout="5" ForwardToURL="{app.url}/entered" -> menu',
        '0s Speak Text="For sales press 1" -> interrupted at 1s',
        '1s input Digits="7" -> no-match',
        f'1s fetch Url="{app.url}/entered" DtmfDigits="7" -> fetched',
        '1s Speak Text="Transferring you" -> ok',
        '1.8s BlindTransfer Target="2000" -> busy',
        '1.8s Speak Text="The line is busy, leave a message after the tone" -> ok',
        f'5.8s Record FinishDigits="#" Format="wav" FinishedUrl="{app.url}/recorded"'
        " -> finish-key at 8s",
        "8s end -> end-of-script",
        f'8s notify Url="{app.url}/recorded" NotificationName="RecordCompleted" -> fetched',
        "8s end -> end-of-script",
    ]


def test_reject_refuses_the_inbound_call(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", "<Response><Reject/></Response>")
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000")
        call = _ended(sim, placed["CallId"])
    assert (call.state.value, call.reason, call.answered) == ("Busy", "rejected", None)


def test_the_caller_hangs_up_when_its_keys_run_out(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", MENU.format(app=app.url))
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000", "")
        call = _ended(sim, placed["CallId"])
    assert (call.state.value, call.result.name if call.result else None) == (
        "Completed", "CallerHangUp",
    )


# -- routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "events", "state", "result"),
    [
        # No Route: the dial plan rings the dialled number.
        ("", ["Answered", "Completed"], "Completed", "CallerHangUp"),
        # The first destination is busy: the next Route is rung.
        (
            '<Response><Route Destination="2000" RingTime="5"/><Route>102</Route></Response>',
            ["Route -> 2000", "Route -> 102", "Answered", "Completed"],
            "Completed",
            "CallerHangUp",
        ),
        # An empty Destination rejects the caller [oz4594].
        ('<Response><Route Destination=""/></Response>', ["Route rejected the caller", "Busy"],
         "Busy", "Rejected"),
        # Nobody answers within Route's RingTime.
        ('<Response><Route Destination="2001" RingTime="7"/></Response>',
         ["Route -> 2001", "Busy"], "Busy", "NoAnswer"),
    ],
)
def test_routing_interception_decides_the_destination(
    tmp_path: Path, app: App, answer: str, events: list[str], state: str, result: str
) -> None:
    app.answer("/route", answer)
    extra = f'[http-api]\nroute-interception-url = "{app.url}/route"\n'
    with Simulator(load_config(_config(tmp_path, app, extra)), port=0) as sim:
        _, placed = _ring(sim, "555", "102")
        call = wait_for(lambda: sim.board.find(placed["CallId"]))
        if "Busy" not in events:
            wait_for(lambda: call.state.value == "InCall")
            sim.board.hangup(call, "caller")
        _ended(sim, call.id)
    [(path, form)] = app.posts
    assert path == "/route"
    assert form == {
        "NotificationName": "RoutingInterception", "CallerID": "555",
        "OriginalDialedNumber": "102", "LastDialedNumber": "102", "LastCalledExtension": "",
        "LastCallState": "Calling", "CallerExtension": "",
    }
    assert call.events == events
    assert (call.state.value, call.result.name if call.result else None) == (state, result)
    if "RingTime" in answer and "2001" in answer:
        assert call.ring_time == 7


# -- every notification: exactly the fields of its kind ------------------------------------------


def test_every_form_has_exactly_the_fields_of_its_kind(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", MENU.format(app=app.url))
    app.answer(
        "/entered",
        VOICEMAIL.format(app=app.url).replace(
            "<Response>",
            f'<Response><SendSms Recipient="+3620555" DeliveryReportURL="{app.url}/sms">'
            "hi</SendSms>"
            f'<SendAlarmNotification PhoneNumber="102" ResultUrl="{app.url}/alarm"'
            ' AccountNumber="1234" EventCode="110" PartitionNumber="1" ZoneNumber="1"/>',
        ),
    )
    app.answer("/connected", f"<Response><GoTo>{app.url}/goto</GoTo></Response>")
    app.answer("/goto", "<Response><Speak>bye</Speak></Response>")
    extra = (
        f'[http-api]\nroute-interception-url = "{app.url}/route"\n'
        f'3pcc-url = "{app.url}/3pcc"\n'
    )
    with Simulator(load_config(_config(tmp_path, app, extra)), port=0) as sim, Client(
        sim.url, Credentials.of("admin", "abc123")
    ) as client:
        _ring(sim, "555", "1000", "7@1s,#@8s")
        client.call(dialed="102", api_extension="101", url=f"{app.url}/connected",
                    finished_url=f"{app.url}/finished")
        client.call(dialed="103", api_extension="101", error_url=f"{app.url}/error")
        wanted = set(PATHS.values())
        wait_for(lambda: {PATHS[p] for p, _ in list(app.posts)} >= wanted, timeout=20)
        # The simulator records a delivery once the application has answered it: wait for
        # the record too, not only for the application to have seen the POST.
        wait_for(lambda: {s["kind"] for s in list(sim.notifier.sent)} >= wanted, timeout=20)
        sent = list(sim.notifier.sent)
    names = NotificationNames()
    for path, form in app.posts:
        kind = KINDS[PATHS[path]]
        assert list(form) == [f.name for f in kind.fields], (path, form)
        assert form["NotificationName"] == names.name(kind.key)
    # Nothing outside the table's names is ever sent (no CallError, no CallFinished).
    assert {form["NotificationName"] for _, form in app.posts} <= {k.name for k in KINDS.values()}
    # The state view marks what is assumed.
    by_kind = {s["kind"]: s for s in sent}
    assert by_kind["Error"]["assumed"] is True
    assert by_kind["RoutingInterception"]["assumed"] is False
    assert by_kind["IncomingCall"]["assumed_fields"] == ["CallId", "Caller", "Callee"]


def test_assumed_names_are_configurable(tmp_path: Path, app: App) -> None:
    extra = '[notifications]\nError = "CallFailed"\nFinished = "CallEnded"\n'
    with Simulator(load_config(_config(tmp_path, app, extra)), port=0) as sim, Client(
        sim.url, Credentials.of("admin", "abc123")
    ) as client:
        client.call(dialed="103", api_extension="101", error_url=f"{app.url}/error")
        wait_for(lambda: app.posts and sim.notifier.sent)  # recorded once answered
        [sent] = sim.notifier.sent
    assert app.names() == [("/error", "CallFailed")]
    assert sent["assumed"] is False  # named by the user: no longer ozml's assumption


# -- the control endpoint and the command line ---------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "callee", "dtmf", "error"),
    [
        ("", "1000", "", "from must be a number"),
        ("555", "a b", "", "to must be a number"),
        ("555", "1000", "1@soon", "dtmf: '1@soon': expected a time"),
        ("555", "1000", "1,2@3s", "dtmf: '1' has no time; write every entry as KEYS@TIME"),
        ("555", "1000", "xyz", 'dtmf: expected DTMF keys (0-9, *, #, A-D), "timeout" or'),
    ],
)
def test_control_endpoint_refuses_bad_requests(
    tmp_path: Path, app: App, caller: str, callee: str, dtmf: str, error: str
) -> None:
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        status, answer = _ring(sim, caller, callee, dtmf)
        assert status == 400
        assert answer["error"].startswith(error)
        assert sim.board.active() == []
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{sim.url}/_ozml/calls/nope", timeout=10)
        assert caught.value.code == 404


def test_simulate_call_command(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", MENU.format(app=app.url))
    app.answer("/entered", "<Response><Speak>Goodbye</Speak></Response>")
    with SimulatorProcess(_config(tmp_path, app)) as sim:
        done = subprocess.run(
            [sys.executable, "-m", "ozml", "simulate", "call", "--url", sim.url,
             "--from", "555", "--to", "1000", "--dtmf", "9", "--wait", "20"],
            capture_output=True, text=True, timeout=60,
        )
    assert done.returncode == 0, done.stderr
    call_id = done.stdout.split()[0]
    assert done.stdout.splitlines() == [
        f"{call_id} 555 -> 1000",
        f"{call_id} Completed (CalleeHungUp)",
        f"  {app.url}/incoming:",
        f'    0s UserInput Timeout="5" ForwardToURL="{app.url}/entered" -> menu',
        '    0s Speak Text="For sales press 1" -> ok',
        '    1.6s input Digits="9" -> no-match',
        f'    1.6s fetch Url="{app.url}/entered" DtmfDigits="9" -> fetched',
        '    1.6s Speak Text="Goodbye" -> ok',
        "    2s end -> end-of-script",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "555", "--to", "1000", "--url", "http://127.0.0.1:9"],
         "ozml: error: no simulator answered at http://127.0.0.1:9"),
        (["--from", "555", "--to", "1000", "--url", "ftp://x"],
         "ozml: error: --url must be an http:// URL, found 'ftp://x'"),
    ],
)
def test_simulate_call_usage_errors(args: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "simulate", "call", *args],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert "Traceback" not in done.stderr


def test_result_states_are_the_tables() -> None:
    # The history shows RESULT_STATES' names: the documented three are marked stated.
    stated = {r.name for r in RESULT_STATES.values() if r.stated}
    assert stated == {"CallerHangUp", "CalleeHungUp", "TransferCompleted"}


# -- the caller's timeline: the call model's, as in a dry run ------------------------------------


def test_hangup_at_a_time_cuts_the_prompt_playing_then(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", "<Response><Speak>one two three four five six seven eight</Speak>"
               "<Speak>never heard</Speak></Response>")
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000", "hangup@2s")
        call = _ended(sim, placed["CallId"])
        [script] = sim.notifier.scripts
    assert script["Trace"] == [
        '0s Speak Text="one two three four five six seven eight" -> caller-hangup at 2s',
        "2s end -> caller-hangup",
    ]
    assert (call.state.value, call.reason) == ("Completed", "caller-hangup")


def test_real_time_paces_the_prompts_with_the_wall_clock(tmp_path: Path, app: App) -> None:
    app.answer("/incoming", "<Response><Speak>one two</Speak><Hangup/></Response>")
    path = _config(tmp_path, app)
    path.write_text(path.read_text().replace("real-time = false", "real-time = true"))
    with Simulator(load_config(path), port=0) as sim:
        started = time.monotonic()
        _, placed = _ring(sim, "555", "1000")
        _ended(sim, placed["CallId"])
        took = time.monotonic() - started
        [script] = sim.notifier.scripts
    assert took >= 0.8  # two words at 0.4 s
    assert script["Trace"] == ['0s Speak Text="one two" -> ok', "0.8s Hangup -> ok",
                               "0.8s end -> hangup"]
