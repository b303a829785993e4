"""Client conformance: every HTTP command of the catalog, over real HTTP, against the simulator.

Each command's method is called once; the test pins the exact query string the simulator
received (order, spelling, encoding, credentials last) and the typed result it parsed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ozml.api import (
    ActiveCall,
    ActiveCallsResult,
    ApiResult,
    CallHistoryResult,
    Client,
    ContactsResult,
    Credentials,
    Extension,
    ExtensionsResult,
    NotImplementedCommand,
    SmsResult,
)
from ozml.api.wire import HTTP_COMMANDS
from ozml.simulator import Simulator, load_config

CREDS = "&Username=HTTP_User_1&Password=qwe123"

CONFIG = """
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
[[extensions]]
number = "105"
answer = "ring"

[[calls]]
id = "Ring1"
caller = "100"
callee = "105"
state = "Ringing"
[[calls]]
id = "Talk1"
caller = "100"
callee = "102"
[[calls]]
id = "Held1"
caller = "100"
callee = "103"
state = "Hold"
[[calls]]
id = "Talk2"
caller = "103"
callee = "104"

[[address-books]]
name = "address_book_1"
contacts = [
  { name = "John Doe", phone-number = "+36 20 555 6666", email = "email@address.com" },
  { name = "Ann Smith", phone-number = "101", email = "ann@example.com" },
]

[behaviour]
real-time = false
seed = 7
"""


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    path = tmp_path / "sim.toml"
    path.write_text(CONFIG, encoding="utf-8")
    with Simulator(load_config(path), port=0) as simulator:
        yield simulator


@pytest.fixture
def client(sim: Simulator) -> Iterator[Client]:
    with Client(sim.url, Credentials.of("HTTP_User_1", "qwe123"), timeout=5) as found:
        yield found


def last_query(sim: Simulator) -> str:
    return str(sim.requests[-1]["query"])


Case = tuple[Callable[[Client], Any], str, Callable[[Any, Simulator], None]]


def plain(result: Any, sim: Simulator) -> None:
    assert type(result) is ApiResult
    assert (result.code, result.message) == (200, "Command successfully executed")


def state_of(call_id: str, expected: str) -> Callable[[Any, Simulator], None]:
    def check(result: Any, sim: Simulator) -> None:
        plain(result, sim)
        # Ringing moves on the simulator's own threads: give them a moment.
        deadline = time.monotonic() + 5
        while True:
            found = sim.board.find(call_id)
            assert found is not None
            if found.state.value == expected or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        assert found.state.value == expected

    return check


def active_calls(result: Any, sim: Simulator) -> None:
    assert isinstance(result, ActiveCallsResult)
    assert {c.call_id: c.call_state for c in result.calls} == {
        "Ring1": "Ringing", "Talk1": "InCall", "Held1": "Hold", "Talk2": "InCall",
    }
    ring = next(c for c in result.calls if c.call_id == "Ring1")
    assert ring == ActiveCall(
        call_id="Ring1",
        call_state="Ringing",
        source="100",
        caller_id="100",
        destination="105",
        caller_dialed="105",
        callee_dialed="105",
        start_time=ring.start_time,
        ring_duration=ring.ring_duration,
        talk_duration=0.0,
    )
    assert ring.ring_duration is not None
    assert ring.ring_duration >= 0


def extensions(result: Any, sim: Simulator) -> None:
    assert isinstance(result, ExtensionsResult)
    assert result.extensions == (
        Extension("101@localhost", "API extension", "101", "Connected"),
    )


def history(result: Any, sim: Simulator) -> None:
    assert isinstance(result, CallHistoryResult)
    assert result.total_records == 0  # nothing has ended yet
    assert result.calls == ()


def contacts(result: Any, sim: Simulator) -> None:
    assert isinstance(result, ContactsResult)
    assert result.total_records == 1
    [ann] = result.contacts
    assert (ann.name, ann.phone_number, ann.email) == ("Ann Smith", "101", "ann@example.com")


def sms(result: Any, sim: Simulator) -> None:
    assert isinstance(result, SmsResult)
    assert result.sms_id is not None
    assert str(uuid.UUID(result.sms_id)) == result.sms_id
    assert result.fields == {"SmsId": result.sms_id}
    assert sim.api.messages[-1]["SmsId"] == result.sms_id


def not_implemented(command: str) -> Callable[[Any, Simulator], None]:
    def check(result: Any, sim: Simulator) -> None:
        assert isinstance(result, NotImplementedCommand)
        assert (result.code, result.message) == (301, f"Not implemented command: '{command}'")

    return check


def placed(origin: str, destination: str) -> Callable[[Any, Simulator], None]:
    def check(result: Any, sim: Simulator) -> None:
        plain(result, sim)
        assert any(
            c.origin == origin and c.destination == destination
            for c in sim.board.active() + sim.board.history()
        )

    return check


def on_call(call_id: str, event: str) -> Callable[[Any, Simulator], None]:
    def check(result: Any, sim: Simulator) -> None:
        plain(result, sim)
        found = sim.board.find(call_id)
        assert found is not None
        assert found.events[-1] == event

    return check


def message(command: str) -> Callable[[Any, Simulator], None]:
    def check(result: Any, sim: Simulator) -> None:
        plain(result, sim)
        assert sim.api.messages[-1]["command"] == command

    return check


#: Command → (call, the query it must send without credentials, the check of its result).
CASES: dict[str, Case] = {
    "AttendedTransfer": (
        lambda c: c.attended_transfer(target_call_id="Talk2", transferred_call_id="Held1"),
        "command=AttendedTransfer&TransferredCallId=Held1&TargetCallId=Talk2",
        state_of("Held1", "Transferred"),
    ),
    "BlindTransfer": (
        lambda c: c.blind_transfer(call_id="Talk1", target="104", transferor_party="callee"),
        "command=BlindTransfer&CallId=Talk1&TransferorParty=callee&Target=104",
        state_of("Talk1", "Transferred"),
    ),
    "Call": (
        lambda c: c.call(dialed="104", api_extension="101", caller_display_name="John Smith",
                         ring_time=120),
        "command=Call&Dialed=104&ApiExtension=101&CallerDisplayName=John+Smith&RingTime=120",
        placed("Call", "104"),
    ),
    "ForwardCall": (
        lambda c: c.forward_call(call_id="Ring1", destination="104"),
        "command=ForwardCall&CallId=Ring1&Destination=104",
        state_of("Ring1", "InCall"),
    ),
    "ListCallHistory": (
        lambda c: c.list_call_history(direction="Internal", page_number=0, rows_per_page=20),
        "command=ListCallHistory&Direction=Internal&PageNumber=0&RowsPerPage=20",
        history,
    ),
    "Hangup": (
        lambda c: c.hangup(call_id="Talk1"),
        "command=Hangup&CallId=Talk1",
        state_of("Talk1", "Completed"),
    ),
    "Hold": (
        lambda c: c.hold(call_id="Talk1"),
        "command=Hold&CallId=Talk1",
        state_of("Talk1", "Hold"),
    ),
    "ListActiveCalls": (
        lambda c: c.list_active_calls(),
        "command=ListActiveCalls",
        active_calls,
    ),
    "ListExtensions": (
        lambda c: c.list_extensions(type="API extension"),
        "command=ListExtensions&Type=API+extension",
        extensions,
    ),
    "ListExtensionTypes": (
        lambda c: c.list_extension_types(),
        "command=ListExtensionTypes",
        not_implemented("ListExtensionTypes"),
    ),
    "Play": (
        lambda c: c.play(audio_file="hello.wav", party="all", call_id="Talk1", repeat=True),
        "command=Play&AudioFile=hello.wav&Party=all&CallId=Talk1&Repeat=true",
        on_call("Talk1", "Play AudioFile='hello.wav' Party='all' Repeat='true'"),
    ),
    "Record": (
        lambda c: c.record(call_id="Talk1", format="wav",
                           finished_url="http://127.0.0.1:1/done?a=1&b=2"),
        "command=Record&CallId=Talk1&Format=wav"
        "&FinishedUrl=http://127.0.0.1:1/done%3Fa%3D1%26b%3D2",
        on_call("Talk1", "Record Format='wav' FinishedUrl='http://127.0.0.1:1/done?a=1&b=2'"),
    ),
    "Request": (
        lambda c: c.request(dialed_address="102@localhost", extension_address="101"),
        "command=Request&DialedAddress=102@localhost&ExtensionAddress=101",
        placed("Request", "102"),
    ),
    "SendDTMF": (
        lambda c: c.send_dtmf(call_id="Talk1", party="caller", keys="01234#"),
        "command=SendDTMF&CallId=Talk1&Party=caller&Keys=01234%23",
        on_call("Talk1", "SendDTMF Party='caller' Keys='01234#'"),
    ),
    "Speak": (
        lambda c: c.speak(text="hello world", call_id="Talk1", language="en-US"),
        "command=Speak&Text=hello+world&CallId=Talk1&Language=en-US",
        on_call("Talk1", "Speak Text='hello world' Language='en-US'"),
    ),
    "Unhold": (
        lambda c: c.unhold(call_id="Held1"),
        "command=Unhold&CallId=Held1",
        state_of("Held1", "InCall"),
    ),
    "ReceiveMessage": (
        lambda c: c.receive_message(action="receivemessage", folder="inbox", limit=10),
        "command=ReceiveMessage&Action=receivemessage&Folder=inbox&Limit=10",
        message("ReceiveMessage"),
    ),
    "SendEmail": (
        lambda c: c.send_email(api_extension="101", recipient="ann@example.com",
                               subject="alarm test", message="Hello world"),
        "command=SendEmail&ApiExtension=101&Recipient=ann@example.com&Message=Hello+world"
        "&Subject=alarm+test",
        message("SendEmail"),
    ),
    "SendMessage": (
        lambda c: c.send_message(action="sendmessage", recipient="+36201112222",
                                 message_data="Hello World", message_type="SMS:TEXT"),
        "command=SendMessage&Action=sendmessage&Recipient=%2B36201112222"
        "&MessageType=SMS:TEXT&MessageData=Hello+World",
        message("SendMessage"),
    ),
    "SendSms": (
        lambda c: c.send_sms(api_extension="101", recipient="+062554670",
                             message="Hello! How are you?"),
        "command=SendSms&ApiExtension=101&Recipient=%2B062554670"
        "&Message=Hello%21+How+are+you%3F",
        sms,
    ),
    "SendAlarmNotification": (
        lambda c: c.send_alarm_notification(phone_number="101", account_number=1234,
                                            event_code=110, partition_number=10, zone_number=30),
        "command=SendAlarmNotification&PhoneNumber=101&AccountNumber=1234&EventCode=110"
        "&PartitionNumber=10&ZoneNumber=30",
        message("SendAlarmNotification"),
    ),
    "CallSetup": (
        lambda c: c.call_setup(caller="101", callee="103", error_url="http://127.0.0.1:1/e"),
        "command=CallSetup&Caller=101&Callee=103&ErrorUrl=http://127.0.0.1:1/e",
        placed("CallSetup", "103"),
    ),
    "ListAddressbookContacts": (
        lambda c: c.list_addressbook_contacts(addressbook_name="address_book_1", email="ANN@"),
        "command=ListAddressbookContacts&AddressbookName=address_book_1&Email=ANN@",
        contacts,
    ),
    "ListAddressbookNames": (
        lambda c: c.list_addressbook_names(),
        "command=ListAddressbookNames",
        not_implemented("ListAddressbookNames"),
    ),
}


def test_every_http_command_is_covered() -> None:
    assert set(CASES) == set(HTTP_COMMANDS)
    assert len(CASES) == 24


@pytest.mark.parametrize("command", list(CASES))
def test_command(command: str, sim: Simulator, client: Client) -> None:
    send, query, check = CASES[command]
    try:
        result = send(client)
    except NotImplementedCommand as error:
        result = error
    assert last_query(sim) == query + CREDS
    check(result, sim)


def test_history_after_calls_end(sim: Simulator, client: Client) -> None:
    client.hangup(call_id="Talk1")
    client.hangup(call_id="Talk2")
    found = client.list_call_history(source="100")
    assert found.total_records == 1
    [entry] = found.calls
    assert (entry.call_id, entry.state, entry.source, entry.destination) == (
        "Talk1", "CallerHangUp", "100", "102",  # the history shows result states [hu7634]
    )
    assert (entry.direction, entry.type, entry.dialed, entry.caller_id) == (
        "Internal", "Audio", "102", "100",
    )
    every = client.list_call_history()
    assert [c.call_id for c in every.calls] == ["Talk1", "Talk2"]
    page = client.list_call_history(page_number=1, rows_per_page=1)
    assert page.total_records == 2
    assert [c.call_id for c in page.calls] == ["Talk2"]
    assert client.list_call_history(state="Busy").total_records == 0


def test_send_accepts_any_spelling_sends_canonical(sim: Simulator, client: Client) -> None:
    client.send("forwardcall", [("callid", "Ring1"), ("DESTINATION", "104")])
    assert last_query(sim) == "command=ForwardCall&CallId=Ring1&Destination=104" + CREDS
    # One of the vendor's other spellings goes out as the vendor writes it: which one the PBX
    # reads is undocumented (D2, spec §8), so the client does not swap one for the other.
    client.send("BlindTransfer", [("CallId", "Talk1"), ("tranferorparty", "caller"),
                                  ("Target", "104")])
    assert last_query(sim) == (
        "command=BlindTransfer&CallId=Talk1&TranferorParty=caller&Target=104" + CREDS
    )
    # The keyword arguments send the canonical name.
    client.blind_transfer(call_id="Talk2", transferor_party="caller", target="104")
    assert last_query(sim) == (
        "command=BlindTransfer&CallId=Talk2&TransferorParty=caller&Target=104" + CREDS
    )


def test_configured_wire_names_rename_parameters(sim: Simulator) -> None:
    from ozml.api import ApiSettings

    settings = ApiSettings(
        url=sim.url,
        credentials=Credentials.of("HTTP_User_1", "qwe123"),
        wire_names={"AttendedTransfer.TransferredCallId": "TranferredCallId"},
    )
    with Client(settings=settings) as client:
        client.attended_transfer(transferred_call_id="Held1", target_call_id="Talk2")
    assert last_query(sim) == (
        "command=AttendedTransfer&TranferredCallId=Held1&TargetCallId=Talk2" + CREDS
    )
    held = sim.board.find("Held1")
    assert held is not None
    assert held.state.value == "Transferred"  # the simulator knows the alias too
    # A configured name is sent whatever spelling the request was written with.
    with Client(settings=settings) as client:
        assert "command=AttendedTransfer&TranferredCallId=a&" in client.url_for(
            "AttendedTransfer", [("transferredcallid", "a")]
        )
    chosen = ApiSettings(
        url=sim.url, wire_names={"BlindTransfer.TransferorParty": "TransferorParty"}
    )
    with Client(settings=chosen) as client:
        assert client.url_for(
            "BlindTransfer", [("CallId", "a"), ("TranferorParty", "caller")]
        ).endswith("command=BlindTransfer&CallId=a&TransferorParty=caller")


def test_values_cannot_inject_parameters(sim: Simulator, client: Client) -> None:
    hostile = "hi&Password=x&command=Hangup #1 100% + more=yes"
    client.speak(text=hostile, call_id="Talk1")
    assert last_query(sim) == (
        "command=Speak&Text=hi%26Password%3Dx%26command%3DHangup+%231+100%25+%2B+more%3Dyes"
        "&CallId=Talk1" + CREDS
    )
    talk = sim.board.find("Talk1")
    assert talk is not None
    assert talk.events[-1] == f"Speak Text={hostile!r}"
    assert talk.active


def test_unicode_values_round_trip(sim: Simulator, client: Client) -> None:
    client.speak(text="Árvíztűrő tükörfúrógép ☎", call_id="Talk1")
    assert last_query(sim).startswith("command=Speak&Text=%C3%81rv%C3%ADzt%C5%B1r%C5%91+")
    talk = sim.board.find("Talk1")
    assert talk is not None
    assert talk.events[-1] == "Speak Text='Árvíztűrő tükörfúrógép ☎'"


def test_url_for_redacts_credentials(sim: Simulator, client: Client) -> None:
    url = client.url_for("Hold", [("CallId", "Talk1")])
    assert url == f"{sim.url}/api?command=Hold&CallId=Talk1&Username=***&Password=***"
    assert sim.requests == type(sim.requests)()  # nothing was sent


def test_base_url_may_name_the_api_path(sim: Simulator) -> None:
    with Client(f"{sim.url}/api/", Credentials.of("HTTP_User_1", "qwe123")) as client:
        assert client.base_url == f"{sim.url}/api"
        assert client.list_active_calls().code == 200


@pytest.mark.parametrize(
    ("value", "kind"),
    [(b"hi", "bytes"), ([1, 2], "list"), (float("nan"), "float"), (1.5, "float"),
     (object(), "object")],
)
def test_a_value_of_another_type_is_a_type_error_not_its_repr(
    sim: Simulator, client: Client, value: object, kind: str
) -> None:
    # It was sent as Text=b%27hi%27, Text=%5B1%2C+2%5D, Text=nan...
    params: list[tuple[str, Any]] = [("CallId", "Talk1"), ("Text", value), ("Party", "all")]
    expected = f"Speak Text: {kind} is not a parameter value (send a str, an int or a bool)"
    for send in (
        lambda: client.send("Speak", params),
        lambda: client.url_for("Speak", params),
        lambda: client.speak(call_id="Talk1", text=value),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError) as caught:
            send()
        assert str(caught.value) == expected
    with Client(sim.url, Credentials.of("HTTP_User_1", "qwe123"), validate=False) as unchecked:
        with pytest.raises(TypeError, match=r"^Speak Text: "):
            unchecked.send("Speak", params)
        with pytest.raises(TypeError, match=r"^Nonesuch Text: "):
            unchecked.send("Nonesuch", [("Text", value)])
    assert sim.requests == type(sim.requests)()  # nothing was sent


def test_text_numbers_and_booleans_are_values(sim: Simulator, client: Client) -> None:
    client.send("Play", [("CallId", "Talk1"), ("AudioFile", "a.wav"), ("Party", "all"),
                         ("Repeat", True), ("Timeout", 3), ("Language", None)])
    assert last_query(sim) == (
        "command=Play&CallId=Talk1&AudioFile=a.wav&Party=all&Repeat=true&Timeout=3" + CREDS
    )
