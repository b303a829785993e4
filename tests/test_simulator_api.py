"""The simulator's HTTP API at the protocol level: raw requests, exact response XML, result codes.

Requests are made with urllib so that nothing of ozml's client is involved: this pins what any
client sees.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from simulator_support import calls_config, simulator

from ozml.simulator import Simulator

AUTH = "&Username=HTTP_User_1&Password=qwe123"
HEAD = (
    '<?xml version="1.0"?>\n'
    '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
)

CONFIG = calls_config(("Nt3uh", "100", "102", "Ringing"), ("Talk1", "100", "103", "InCall"))


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    with simulator(CONFIG, tmp_path) as running:
        yield running


def get(sim: Simulator, query: str, path: str = "/api") -> tuple[int, str, str]:
    with urllib.request.urlopen(f"{sim.url}{path}?{query}", timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


def answer(sim: Simulator, query: str) -> tuple[str, str]:
    status, content_type, body = get(sim, query)
    assert status == 200  # whatever the result code (spec §6.1)
    assert content_type == "application/xml; charset=utf-8"
    root = etree.fromstring(body.encode())
    return root.findtext("Code") or "", root.findtext("Message") or ""


def test_ok_is_the_documented_document(sim: Simulator) -> None:
    _, _, body = get(sim, "command=Hold&CallId=Talk1" + AUTH)
    assert body == (
        HEAD + "  <Code>200</Code>\n  <Message>Command successfully executed</Message>\n"
        "</Response>\n"
    )


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("command=ListActiveCalls", "304", "Authentication required"),
        ("command=ListActiveCalls&Username=HTTP_User_1&Password=wrong", "305",
         "Authentication failed, bad username or password"),
        ("command=ListActiveCalls&Username=nobody&Password=qwe123", "305",
         "Authentication failed, bad username or password"),
        ("command=ListActiveCalls&Username=admin&Password=qwe123", "305",
         "Authentication failed, bad username or password"),
        ("command=Frobnicate" + AUTH, "301", "Not implemented command: 'Frobnicate'"),
        ("command=Forward&CallId=Nt3uh&Destination=104" + AUTH, "301",
         "Not implemented command: 'Forward'"),
        (AUTH[1:], "301", "Not implemented command: ''"),
        ("command=ForwardCall&CallId=Nt3uh" + AUTH, "302",
         "Missing or invalid parameter 'Destination' for command 'ForwardCall'"),
        ("command=ForwardCall&Destination=104" + AUTH, "302",
         "Missing or invalid parameter 'CallId' for command 'ForwardCall'"),
        ("command=ForwardCall&CallId=&Destination=104" + AUTH, "302",
         "Missing or invalid parameter 'CallId' for command 'ForwardCall'"),
        # The client only warns of these (spec §7.1, §7.15: the Ozeki 10 page marks them
        # optional); a bare request has no notified call, and the simulator picks none.
        ("command=AttendedTransfer&TargetCallId=Talk1" + AUTH, "302",
         "Missing or invalid parameter 'TransferredCallId' for command 'AttendedTransfer'"),
        ("command=Speak&Text=hi" + AUTH, "302",
         "Missing or invalid parameter 'CallId' for command 'Speak'"),
        ("command=Play&CallId=Talk1&AudioFile=a.wav&Party=everyone" + AUTH, "302",
         "Missing or invalid parameter 'Party' for command 'Play'"),
        ("command=Call&Dialed=102&ApiExtension=101&RingTime=soon" + AUTH, "302",
         "Missing or invalid parameter 'RingTime' for command 'Call'"),
        ("command=ForwardCall&CallId=Nt3uh&Destination=999" + AUTH, "302",
         "Missing or invalid parameter 'Destination' for command 'ForwardCall'"),
        ("command=CallSetup&Caller=101&Callee=999" + AUTH, "302",
         "Missing or invalid parameter 'Callee' for command 'CallSetup'"),
        ("command=ListAddressbookContacts&AddressbookName=nope" + AUTH, "302",
         "Missing or invalid parameter 'AddressbookName' for command 'ListAddressbookContacts'"),
        # A repeated parameter: the client only warns (undocumented); the simulator refuses it.
        # The client's own check (ozml.api.validate): an unusable URL.
        ("command=ForwardCall&CallId=Nt3uh&Destination=104&destination=105" + AUTH, "302",
         "Missing or invalid parameter 'Destination' for command 'ForwardCall'"),
        ("command=Call&Dialed=102&ApiExtension=101&Url=htp://app/x.php" + AUTH, "302",
         "Missing or invalid parameter 'Url' for command 'Call'"),
        ("command=Hold&CallId=Nt3uh" + AUTH, "303", "Command 'Hold' cannot be used here"),
        ("command=Unhold&CallId=Talk1" + AUTH, "303", "Command 'Unhold' cannot be used here"),
        ("command=ForwardCall&CallId=Talk1&Destination=104" + AUTH, "303",
         "Command 'ForwardCall' cannot be used here"),
        ("command=Speak&CallId=Nt3uh&Text=hi" + AUTH, "303", "Command 'Speak' cannot be used here"),
        ("command=Call&Dialed=102&ApiExtension=102" + AUTH, "401",
         "API extension '102' unavailable, please check configuration or permissions"),
        ("command=Call&Dialed=102" + AUTH, "302",
         "Missing or invalid parameter 'ApiExtension' for command 'Call'"),
        ("command=Call&Dialed=999&ApiExtension=101" + AUTH, "402",
         "Call connect to '999' failed with result state 'NotFound'"),
        ("command=Hangup&CallId=g67th7" + AUTH, "601", "Call not found with ID 'g67th7'"),
        ("command=ListExtensionTypes" + AUTH, "301",
         "Not implemented command: 'ListExtensionTypes'"),
        ("command=ListActiveCalls&Username=HTTP_User_1&Password=qwe123%FF", "300",
         "Error occured during parsing message: "
         "'command=ListActiveCalls&Username=***&Password=***'"),
    ],
)
def test_result_codes(sim: Simulator, query: str, code: str, message: str) -> None:
    assert answer(sim, query) == (code, message)


def test_names_match_in_any_case_and_by_alias(sim: Simulator) -> None:
    # Gen-A's `Command=` and lower-case names [oz694][oz4804]; the Gen-B typo TranferorParty.
    assert answer(sim, "Command=forwardcall&callid=Nt3uh&destination=104" + AUTH)[0] == "200"
    call = sim.board.find("Nt3uh")
    assert call is not None
    assert call.destination == "104"
    query = "command=BlindTransfer&CallId=Talk1&TranferorParty=caller&Target=104" + AUTH
    assert answer(sim, query)[0] == "200"
    [transferred] = [c for c in sim.board.active() if c.origin == "BlindTransfer"]
    assert (transferred.source, transferred.destination) == ("103", "104")


def test_a_value_in_another_case_is_a_warning_and_taken_as_written_canonically(
    sim: Simulator,
) -> None:
    # OZ303 is a warning in the client's check: the request is answered, Caller read as caller.
    query = "command=BlindTransfer&CallId=Talk1&TransferorParty=Caller&Target=104" + AUTH
    assert answer(sim, query)[0] == "200"
    [transferred] = [c for c in sim.board.active() if c.origin == "BlindTransfer"]
    assert (transferred.source, transferred.destination) == ("103", "104")


def test_the_check_is_the_clients(sim: Simulator) -> None:
    from ozml.api.validate import validate_request

    pairs = [("CallId", "Talk1"), ("AudioFile", "a.wav"), ("Party", "everyone")]
    [problem] = validate_request("Play", pairs)
    query = "command=Play&" + "&".join(f"{k}={v}" for k, v in pairs) + AUTH
    assert answer(sim, query) == (
        "302", f"Missing or invalid parameter '{problem.param}' for command 'Play'"
    )


def test_unknown_parameters_are_ignored(sim: Simulator) -> None:
    assert answer(sim, "command=Hold&CallId=Talk1&Colour=blue" + AUTH) == (
        "200", "Command successfully executed",
    )


def test_post_form(sim: Simulator) -> None:
    body = ("command=Hangup&CallId=Talk1" + AUTH).encode()
    request = urllib.request.Request(f"{sim.url}/api", data=body)
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=10) as response:
        root = etree.fromstring(response.read())
    assert root.findtext("Code") == "200"
    assert sim.requests[-1]["method"] == "POST"
    talk = sim.board.find("Talk1")
    assert talk is not None
    assert talk.state.value == "Completed"


def test_values_are_escaped_in_the_xml(sim: Simulator) -> None:
    code, message = answer(sim, "command=%3Cx%26y%3E%01" + AUTH)
    assert (code, message) == ("301", "Not implemented command: '<x&y>\ufffd'")


def test_list_active_calls_xml(sim: Simulator) -> None:
    _, _, body = get(sim, "command=ListActiveCalls" + AUTH)
    root = etree.fromstring(body.encode())
    calls = root.findall("ActiveCalls/Call")
    assert [c.findtext("CallId") for c in calls] == ["Nt3uh", "Talk1"]
    assert [child.tag for child in calls[0]] == [
        "CallId", "Source", "CallerId", "Destination", "CallerDialed", "CalleeDialed",
        "StartTime", "RingDuration", "TalkDuration", "CallState",
    ]
    assert calls[0].findtext("CallState") == "Ringing"
    assert calls[1].findtext("CallState") == "InCall"
    assert calls[0].findtext("TalkDuration") == "0.000"


def test_list_extensions_xml(sim: Simulator) -> None:
    _, _, body = get(sim, "command=ListExtensions&Type=Phone" + AUTH)
    assert body == HEAD + (
        "  <Code>200</Code>\n  <Message>Command successfully executed</Message>\n"
        "  <Extensions>\n"
        + "".join(
            f"    <ExtensionSummary>\n      <Id>{n}@localhost</Id>\n      <Type>Phone</Type>\n"
            f"      <PhoneNumber>{n}</PhoneNumber>\n      <State>Connected</State>\n"
            "    </ExtensionSummary>\n"
            for n in (100, 102, 103, 104, 105)
        )
        + "  </Extensions>\n</Response>\n"
    )


def test_empty_lists(sim: Simulator) -> None:
    _, _, body = get(sim, "command=ListCallHistory" + AUTH)
    assert body.endswith("  <TotalRecords>0</TotalRecords>\n</Response>\n")


@pytest.mark.parametrize("page", ["0", "1", "9" * 5000, "inf", "-3", "1e3", "x"])
def test_a_page_number_of_any_length_or_form_is_answered(sim: Simulator, page: str) -> None:
    # A valid number of 5,000 digits reached int(), which refuses more than 4,300: a 500; and
    # so did "inf" or "x", which the client's check only warns about (the type is assumed).
    query = f"command=ListCallHistory&PageNumber={page}&RowsPerPage={page}" + AUTH
    code, _ = answer(sim, query)
    assert code == "200"


def test_other_paths_are_not_found(sim: Simulator) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(sim, "command=ListActiveCalls" + AUTH, path="/")
    assert caught.value.code == 404


def test_state_view_and_reset(sim: Simulator) -> None:
    answer(sim, "command=Hangup&CallId=Talk1" + AUTH)
    _, content_type, body = get(sim, "", path="/simulator/state")
    assert content_type == "application/json"
    state = json.loads(body)
    assert [c["CallId"] for c in state["calls"]] == ["Nt3uh"]
    assert [c["CallId"] for c in state["history"]] == ["Talk1"]
    assert state["requests"][-1]["query"] == "command=Hangup&CallId=Talk1" + AUTH
    reset = urllib.request.Request(f"{sim.url}/simulator/reset", data=b"")
    urllib.request.urlopen(reset, timeout=10).close()
    state = json.loads(get(sim, "", path="/simulator/state")[2])
    assert [c["CallId"] for c in state["calls"]] == ["Nt3uh", "Talk1"]
    assert state["history"] == []
    assert state["requests"] == []


def test_the_log_redacts_credentials(tmp_path: Path) -> None:
    lines: list[str] = []
    with Simulator(port=0, log=lines.append) as sim:
        answer(sim, "command=Hangup&CallId=zzz" + AUTH)
    assert lines == [
        "GET /api?command=Hangup&CallId=zzz&Username=***&Password=***"
        " -> 601 Call not found with ID 'zzz'"
    ]


def test_credentials_are_masked_in_any_spelling_and_refused_ones_are_not_kept(
    tmp_path: Path,
) -> None:
    """The log masks a credential under any spelling the log-in reads (``Pass%77ord``); the
    state keeps a query as received only when its credentials are a simulator user's: refused
    ones may be someone's real password (left in OZML_PASSWORD, say)."""
    lines: list[str] = []
    with Simulator(port=0, log=lines.append) as sim:
        answer(sim, "command=ListExtensions&Username=HTTP_User_1&Pass%77ord=qwe123")
        answer(sim, "command=ListExtensions&Username=realadmin&Password=MyRealPbxPass%21")
        answer(sim, "command=ListExtensions&User%6eame=realadmin&+Password=Real")
        state = json.loads(get(sim, "", path="/simulator/state")[2])
    assert "qwe123" not in "\n".join(lines)
    assert "Real" not in "\n".join(lines)
    kept = [request["query"] for request in state["requests"]]
    assert kept == [
        "command=ListExtensions&Username=HTTP_User_1&Pass%77ord=qwe123",
        "command=ListExtensions&Username=***&Password=***",
        "command=ListExtensions&User%6eame=***&+Password=***",
    ]


def test_a_body_that_is_no_form_is_neither_read_nor_logged(tmp_path: Path) -> None:
    """A multipart body holds its fields in a form no redaction of a query finds: it is
    answered 300 (the simulator's choice), and neither the log nor the state shows it; a
    form body, with or without its Content-Type, is read as before."""
    lines: list[str] = []
    boundary = "b0und"
    multipart = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("command", "ListExtensions"), ("Username", "HTTP_User_1"),
                            ("Password", "qwe123"))
    ) + f"--{boundary}--\r\n"  # fmt: skip
    form = b"command=ListExtensions&Username=HTTP_User_1&Password=qwe123"
    with Simulator(port=0, log=lines.append) as sim:
        sent = [
            (multipart.encode(), f"multipart/form-data; boundary={boundary}"),
            (form, "application/x-www-form-urlencoded; charset=utf-8"),
            (form, None),
        ]
        codes = []
        for body, kind in sent:
            request = urllib.request.Request(f"{sim.url}/api", data=body, method="POST")
            if kind is not None:
                request.add_header("Content-Type", kind)
            else:
                request.remove_header("Content-type")
            with urllib.request.urlopen(request, timeout=10) as response:
                codes.append(etree.fromstring(response.read()).findtext("Code"))
        state = json.loads(get(sim, "", path="/simulator/state")[2])
    assert codes == ["300", "200", "200"]
    assert "qwe123" not in "\n".join(lines)
    assert "qwe123" not in json.dumps(state["requests"][0])
    assert "multipart/form-data, not a form" in lines[0]


def test_the_server_header_names_ozml_alone(sim: Simulator) -> None:
    from ozml import __version__

    with urllib.request.urlopen(f"{sim.url}/api?command=ListActiveCalls{AUTH}", timeout=10) as r:
        assert r.headers["Server"] == f"ozml-simulator/{__version__}"


@pytest.mark.parametrize(("ring_time", "read"), [("30", 30.0), ("-5", None), ("0", None)])
def test_a_calls_ring_time_is_read_as_the_dry_run_reads_it(
    sim: Simulator, ring_time: str, read: float | None
) -> None:
    """A negative RingTime is only a warning to the client (the vendor states no bound), so the
    simulator takes the request; it reads the value as the dry run does
    (`ozml.callmodel.timing.waited_seconds`): no wait of its own, the default ring time."""
    before = {c.id for c in sim.board.active()}
    query = f"command=Call&Dialed=102&ApiExtension=101&RingTime={ring_time}" + AUTH
    assert answer(sim, query)[0] == "200"
    [call] = [c for c in sim.board.active() if c.id not in before]
    assert call.ring_time == (sim.board.ring_time if read is None else read)
