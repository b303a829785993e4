"""Requests are checked against the catalog's HTTP view before anything is sent (issue 11, class 5).

The client, `ozml api` and `ozml run --live` refuse what the vendor states is wrong, with the
linter's codes and words, and warn of what ozml only assumes. Every test that could send talks to
a real HTTP server on loopback that records what reaches it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import ozml
from ozml.api import Client, Credentials, InvalidRequest, Problem, RequestWarning
from ozml.api.validate import validate_request
from ozml.api.wire import HTTP_COMMANDS, http_required, http_requirements
from ozml.catalog import Context
from ozml.catalog.model import assumed
from ozml.diagnostics import Severity
from ozml.lint import LintSettings

CREDS = {"OZML_USERNAME": "HTTP_User_1", "OZML_PASSWORD": "qwe123"}
OK_XML = (
    b'<?xml version="1.0"?><Response><Code>200</Code>'
    b"<Message>Command successfully executed</Message></Response>"
)


class Recorder:
    """A PBX on loopback that answers 200 to everything and records every request line."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                recorder.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(OK_XML)))
                self.end_headers()
                self.wfile.write(OK_XML)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def pbx() -> Iterator[Recorder]:
    recorder = Recorder()
    try:
        yield recorder
    finally:
        recorder.close()


def ozml_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        capture_output=True, text=True, timeout=60, env={**base, **CREDS}, cwd=cwd,
    )


def shown(problems: tuple[Problem, ...]) -> list[str]:
    return [str(p) for p in problems]


# -- what is checked -----------------------------------------------------------------------------

ASSUMED_CALL_API = (
    "warning OZ201 Call needs ApiExtension in an HTTP request; undocumented (spec §7.3"
    " [oz4571][hu7632][ghAR]): mandatory on the older HTTP page; the Ozeki 10 page omits it"
    " only when answering a call notification, which a bare request is not; the vendor's"
    " sample omits it"
)


@pytest.mark.parametrize(
    ("command", "params", "expected"),
    [
        # The issue's own examples.
        ("ForwardCall", [("CallId", "Nt3uh")], ["error OZ201 ForwardCall needs Destination"]),
        ("Speak", [("CallId", "Nt3uh"), ("Text", "hi"), ("Party", "everyone")],
         ["error OZ202 Speak Party must be caller, callee or all, found 'everyone'"]),
        ("Play", [("CallId", "Nt3uh"), ("AudioFile", "hello.wav")],
         ["error OZ201 Play needs Party in an HTTP request"]),
        ("SendEmail", [("Recipient", "ann@example.com")],
         ["error OZ201 SendEmail needs ApiExtension in an HTTP request"]),
        # The call a command acts on: no notified call to default to over HTTP (D5). Both
        # generations make Hangup's mandatory: an error.
        ("Hangup", [], ["error OZ201 Hangup needs CallId in an HTTP request"]),
        # The Ozeki 10 page marks AttendedTransfer's optional (spec §7.1): assumed, a warning.
        ("AttendedTransfer", [("TargetCallId", "HL1bE")],
         ["warning OZ201 AttendedTransfer needs TransferredCallId in an HTTP request;"
          " undocumented (spec §7.1 [oz4576][hu7630]): mandatory on the older HTTP page"
          " [oz4576], optional on the Ozeki 10 page [hu7630]; assumed mandatory, as a bare"
          " request has no notified call to default to"]),
        # Types and allowed values, with a suggestion where one is close.
        ("Play", [("CallId", "a"), ("AudioFile", "a.wav"), ("Party", "all"), ("Repeat", "yes")],
         ["error OZ202 Play Repeat must be true or false, found 'yes'"]),
        ("SendDTMF", [("CallId", "a"), ("Party", "calee"), ("Keys", "12")],
         ["error OZ202 SendDTMF Party must be caller, callee or all, found 'calee';"
          " did you mean 'callee'?"]),
        ("Record", [("CallId", "a"), ("Format", "ogg")],
         ["error OZ202 Record Format must be mp3 or wav, found 'ogg'"]),
        ("Call", [("Dialed", "102"), ("ApiExtension", "101"), ("RingTime", "soon")],
         ["error OZ202 Call RingTime must be a whole number, found 'soon'"]),
        ("Call", [("Dialed", "102"), ("ApiExtension", "101"), ("Url", "htp://app/x.php")],
         ["error OZ804 Call Url 'htp://app/x.php' is not a usable URL: the PBX requests"
          " http:// and https:// URLs, not htp:"]),
        # Letter case of a value: a style warning, as in a document (D3).
        ("Speak", [("CallId", "a"), ("Text", "hi"), ("Party", "Caller")],
         ["warning OZ303 Speak Party value 'Caller' should be written 'caller'"]),
        # Names: unknown (a misspelling is not also "missing"), repeated, OzML-only.
        ("ForwardCall", [("CallId", "a"), ("Destnation", "104")],
         ["error OZ103 ForwardCall has no parameter Destnation; did you mean Destination?"]),
        # Two names for one parameter: that the PBX takes them as one is assumed (a warning).
        ("ForwardCall", [("CallId", "a"), ("Destination", "1"), ("destination", "2")],
         ["warning OZ107 ForwardCall Destination is given twice, as Destination and as"
          " destination; undocumented (spec §1): whether names are case-insensitive is"
          " UNKNOWN; that both name one parameter is assumed (D3)"]),
        ("AttendedTransfer", [("TargetCallId", "t"), ("TransferredCallId", "a"),
                              ("TranferredCallId", "b")],
         ["warning OZ107 AttendedTransfer TransferredCallId is given twice, as"
          " TransferredCallId and as TranferredCallId; undocumented (spec §8 [hu7630]): the"
          " vendor's pages spell this parameter more than one way; that TranferredCallId names"
          " the same parameter is assumed (D2)"]),
        # Only a request can repeat a name as written; which value the PBX takes is not said.
        ("ForwardCall", [("CallId", "a"), ("CallId", "b"), ("Destination", "1")],
         ["warning OZ107 ForwardCall CallId is given twice, as CallId and as CallId;"
          " undocumented (spec §6.1): the vendor does not say which value of a parameter given"
          " twice the PBX uses"]),
        ("ListActiveCalls", [("Type", "x")],
         ["error OZ103 ListActiveCalls takes no parameters, found Type"]),
        # What ozml only assumes is a warning that says so and cites its source.
        ("Call", [("Dialed", "102")], [ASSUMED_CALL_API]),
        ("SendSms", [("Recipient", "+062554670"), ("Message", "hi")],
         ["warning OZ201 SendSms needs ApiExtension in an HTTP request; undocumented (spec"
          " §7.20 [oz4591][hu7649]): mandatory on the older HTTP page; the Ozeki 10 page does"
          " not list it"]),
        # Names in any case and by alias are the parameter; None is "not sent".
        ("BlindTransfer", [("callid", "a"), ("TranferorParty", "caller"), ("target", "104"),
                           ("FinishedUrl", None)], []),
        # Where the parameter table is incomplete (spec §7.5: the older request's General=),
        # an unknown name is a warning citing the spec; a did-you-mean still appears.
        ("ListCallHistory", [("General", "1")],
         ["warning OZ103 ListCallHistory has no parameter General; undocumented (spec §7.5"
          " [hu7634][oz4804]): the older request also carries General=, whose meaning is"
          " UNKNOWN"]),
        ("ListCallHistory", [("Soruce", "102")],
         ["warning OZ103 ListCallHistory has no parameter Soruce; did you mean Source?;"
          " undocumented (spec §7.5 [hu7634][oz4804]): the older request also carries General=,"
          " whose meaning is UNKNOWN"]),
        # ... and a mandatory parameter it resembles is still missing (an error).
        ("SendEmail", [("ApiExtension", "9994"), ("Recipent", "a@example.com")],
         ["error OZ201 SendEmail needs Recipient",
          "warning OZ103 SendEmail has no parameter Recipent; did you mean Recipient?;"
          " undocumented (spec §7.18 [oz4774][oz5556]): its OzML page and its Ozeki 10 page were"
          " not found; its parameters are those of the older HTTP page"]),
        # Undocumented commands (D6) and unknown ones are not checked.
        ("ListExtensionTypes", [("Anything", "x")], []),
        ("AddConfig", [("ExtensionId", "100")], []),
    ],
)
def test_problems(command: str, params: list[tuple[str, Any]], expected: list[str]) -> None:
    assert shown(validate_request(command, params)) == expected


def test_each_problem_names_its_parameter_for_a_302() -> None:
    # The simulator answers "Missing or invalid parameter '{0}' for command '{1}'" from this.
    [missing, invalid] = validate_request(
        "SendDTMF", [("CallId", "a"), ("Party", "everyone")]
    )
    assert (missing.param, missing.name, missing.is_error) == ("Keys", "missing-parameter", True)
    assert (invalid.param, invalid.name, invalid.suggestion) == ("Party", "invalid-value", None)


def test_values_as_the_client_sends_them() -> None:
    assert validate_request("Play", [("CallId", "a"), ("AudioFile", "x.wav"), ("Party", "all"),
                                     ("Repeat", True), ("Timeout", 10)]) == ()
    assert shown(validate_request("Call", [("Dialed", 102), ("ApiExtension", 101),
                                           ("RingTime", -1)])) == [
        # No bound is stated: the request is sent, with a warning saying the bound is assumed.
        "warning OZ202 Call RingTime must be a whole number of at least 0, found '-1';"
        " undocumented (spec §7 [hu7632]): the vendor gives RingTime as a number and states no"
        " bound; that it is at least 0 is assumed"
    ]
    # A number of any length (str() refuses more than 4,300 digits).
    assert validate_request("Call", [("Dialed", 102), ("ApiExtension", 101),
                                     ("RingTime", 10**5000)]) == ()


@pytest.mark.parametrize(
    "query",
    [
        # The seed pages' URL requests [hu7633][hu7632][hu7631][hu7666], credentials left out.
        "command=ForwardCall&CallId=Nt3uh&Destination=104",
        "command=Call&Dialed=102&ApiExtension=101&Url=http://yourapp.com/callconnected.php"
        "&ErrorUrl=http://yourapp.com/error.php",
        "command=BlindTransfer&CallId=Nt3uh&TransferorParty=caller&Target=104",
        "command=CallSetup&Caller=101&Callee=103",
        # The spec's other URL examples (§6.1).
        "command=Hold&CallId=Nt3uh",
    ],
)
def test_the_vendors_examples_pass(query: str) -> None:
    pairs = [tuple(p.split("=", 1)) for p in query.split("&")]
    command = pairs[0][1]
    assert validate_request(command, pairs[1:]) == ()  # type: ignore[arg-type]


def test_every_command_with_its_required_examples_passes() -> None:
    for cmd in HTTP_COMMANDS.values():
        params = [(r.param.name, r.param.example or "x") for r in http_requirements(cmd)]
        assert validate_request(cmd, params) == (), cmd.name


def test_http_required_is_what_the_vendor_states() -> None:
    play = HTTP_COMMANDS["Play"]
    assert [p.name for p in http_required(play)] == ["AudioFile", "Party", "CallId"]
    call = HTTP_COMMANDS["Call"]
    assert [p.name for p in http_required(call)] == ["Dialed"]
    assert [(r.param.name, r.stated) for r in http_requirements(call)] == [
        ("Dialed", True), ("ApiExtension", False)
    ]


def test_a_value_against_an_assumed_type_is_a_warning() -> None:
    cmd = HTTP_COMMANDS["ListCallHistory"]
    page = cmd.param("PageNumber")
    untyped = page.replace(
        type_basis=assumed("§7.5", "hu7634", why="the vendor's table states no type")
    )
    changed = cmd.replace(params=tuple(
        untyped if p.name == "PageNumber" else p for p in cmd.params
    ))
    [problem] = validate_request(changed, [("PageNumber", "first")])
    assert str(problem) == (
        "warning OZ202 ListCallHistory PageNumber must be a whole number, found 'first';"
        " undocumented (spec §7.5 [hu7634]): the vendor's table states no type"
    )
    assert problem.assumed


# -- one wording: the linter says the same of the same mistake ----------------------------------


@pytest.mark.parametrize(
    ("document", "context", "command", "params"),
    [
        ("<ForwardCall CallId='a'/>", Context.THREE_PCC, "ForwardCall", [("CallId", "a")]),
        ("<Speak Party='everyone'>hi</Speak>", Context.THREE_PCC, "Speak",
         [("CallId", "a"), ("Party", "everyone"), ("Text", "hi")]),
        ("<SendDTMF Party='calee' Keys='1'/>", Context.THREE_PCC, "SendDTMF",
         [("CallId", "a"), ("Party", "calee"), ("Keys", "1")]),
        ("<Play Repeat='yes' Party='all'>a.wav</Play>", Context.THREE_PCC, "Play",
         [("CallId", "a"), ("Party", "all"), ("AudioFile", "a.wav"), ("Repeat", "yes")]),
        ("<Speak Party='Caller'>hi</Speak>", Context.THREE_PCC, "Speak",
         [("CallId", "a"), ("Party", "Caller"), ("Text", "hi")]),
        ("<Call Url='htp://app/x.php' ApiExtension='1'>102</Call>", Context.EXTENSION, "Call",
         [("Dialed", "102"), ("ApiExtension", "1"), ("Url", "htp://app/x.php")]),
        ("<ForwardCall Destination='1' destination='2' CallId='a'/>", Context.THREE_PCC,
         "ForwardCall", [("Destination", "1"), ("destination", "2"), ("CallId", "a")]),
        ("<ForwardCall Destnation='1' CallId='a'/>", Context.THREE_PCC, "ForwardCall",
         [("Destnation", "1"), ("CallId", "a")]),
        ("<SendEmail ApiExtension='1' Recipent='a@example.com'/>", Context.EXTENSION,
         "SendEmail", [("ApiExtension", "1"), ("Recipent", "a@example.com")]),
    ],
)
def test_the_linter_words_it_the_same(
    document: str, context: Context, command: str, params: list[tuple[str, str]]
) -> None:
    assert_same_words(document, context, command, params)


def assert_same_words(
    document: str, context: Context, command: str, params: list[tuple[str, str]]
) -> None:
    codes = {"OZ201", "OZ202", "OZ303", "OZ804", "OZ107", "OZ103"}
    found = ozml.check(f"<Response>{document}</Response>",
                       settings=LintSettings(context=context))
    linted = [(d.code, d.severity, d.message) for d in found if d.code in codes]
    validated = [(p.code, p.severity, p.message) for p in validate_request(command, params)]
    assert linted, document
    assert sorted(validated) == sorted(linted)


def test_an_assumed_type_is_cited_as_the_linter_cites_it() -> None:
    language = HTTP_COMMANDS["Speak"].param("Language")
    basis = getattr(language, "type_basis", None)
    if basis is None or basis.stated:
        pytest.skip("the catalog does not mark Speak Language's type as assumed")
    assert_same_words("<Speak Language='english!'>hi</Speak>", Context.EXTENSION, "Speak",
                      [("CallId", "a"), ("Language", "english!"), ("Text", "hi")])


# -- the client -------------------------------------------------------------------------------


def test_the_client_refuses_before_sending(pbx: Recorder) -> None:
    with Client(pbx.url, Credentials.of("HTTP_User_1", "qwe123")) as client:
        with pytest.raises(InvalidRequest) as caught:
            client.send("Speak", [("CallId", "a"), ("Text", "hi"), ("Party", "everyone")])
        with pytest.raises(InvalidRequest):
            client.play(audio_file="a.wav", party=None, call_id="a")  # type: ignore[arg-type]
        with pytest.raises(InvalidRequest, match="ForwardCall needs Destination"):
            client.send("forwardcall", [("CallId", "a")])
    assert str(caught.value) == (
        "error OZ202 Speak Party must be caller, callee or all, found 'everyone'"
    )
    assert caught.value.command == "Speak"
    assert isinstance(caught.value, ValueError)
    assert pbx.paths == []


def test_the_client_warns_of_assumptions_and_sends(pbx: Recorder) -> None:
    with Client(pbx.url) as client, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.call(dialed="102")
    assert [(w.category, str(w.message)) for w in caught] == [
        (RequestWarning, f"Call: {ASSUMED_CALL_API}")
    ]
    assert caught[0].filename == __file__  # points at the caller's line
    assert pbx.paths == ["/api?command=Call&Dialed=102"]


def test_on_warning_and_validate_false(pbx: Recorder) -> None:
    seen: list[Problem] = []
    with Client(pbx.url, on_warning=seen.append) as client:
        client.send("SendSms", [("Recipient", "1"), ("Message", "m")])
    assert [p.code for p in seen] == ["OZ201"]
    with Client(pbx.url, validate=False) as client:
        client.send("ForwardCall", [("CallId", "a")])
        client.send("Speak", [("CallId", "a"), ("Text", "hi"), ("Party", "everyone")])
    assert pbx.paths[1:] == [
        "/api?command=ForwardCall&CallId=a",
        "/api?command=Speak&CallId=a&Text=hi&Party=everyone",
    ]


# -- ozml api -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["ForwardCall", "CallId=Nt3uh"],
         "ozml: error: OZ201 ForwardCall needs Destination\n"
         "ozml: error: not sent: 1 error (--no-validate sends it anyway)\n"),
        (["Speak", "CallId=Nt3uh", "Text=hi", "Party=everyone"],
         "ozml: error: OZ202 Speak Party must be caller, callee or all, found 'everyone'\n"
         "ozml: error: not sent: 1 error (--no-validate sends it anyway)\n"),
        (["Play", "CallId=Nt3uh", "AudioFile=a.wav", "Repeat=yes"],
         "ozml: error: OZ201 Play needs Party in an HTTP request\n"
         "ozml: error: OZ202 Play Repeat must be true or false, found 'yes'\n"
         "ozml: error: not sent: 2 errors (--no-validate sends it anyway)\n"),
        (["ForwardCall", "CallId=Nt3uh", "--url-only"],
         "ozml: error: OZ201 ForwardCall needs Destination\n"
         "ozml: error: not sent: 1 error (--no-validate sends it anyway)\n"),
    ],
)
def test_ozml_api_refuses_before_any_traffic(
    pbx: Recorder, args: list[str], stderr: str
) -> None:
    done = ozml_cli("api", *args, "--api-url", pbx.url)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", stderr)
    assert pbx.paths == []


def test_ozml_api_no_validate_sends_anyway(pbx: Recorder) -> None:
    done = ozml_cli("api", "ForwardCall", "CallId=Nt3uh", "--no-validate", "--api-url", pbx.url)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout == "200 Command successfully executed\n"
    assert pbx.paths == [
        "/api?command=ForwardCall&CallId=Nt3uh&Username=HTTP_User_1&Password=qwe123"
    ]


def test_ozml_api_warns_of_an_assumption_and_sends(pbx: Recorder) -> None:
    done = ozml_cli("api", "Call", "Dialed=102", "--api-url", pbx.url)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"ozml: warning: {ASSUMED_CALL_API.removeprefix('warning ')}\n"
    assert pbx.paths == ["/api?command=Call&Dialed=102&Username=HTTP_User_1&Password=qwe123"]


def test_ozml_api_warns_of_a_repeated_parameter_and_sends_it_as_given(pbx: Recorder) -> None:
    done = ozml_cli("api", "ForwardCall", "CallId=Nt3uh", "callid=Nt3uh", "Destination=104",
                    "--api-url", pbx.url)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "ozml: warning: OZ107 ForwardCall CallId is given twice, as CallId and as callid;"
        " undocumented (spec §1): whether names are case-insensitive is UNKNOWN; that both name"
        " one parameter is assumed (D3)\n"
    )
    assert pbx.paths == [
        "/api?command=ForwardCall&CallId=Nt3uh&CallId=Nt3uh&Destination=104"
        "&Username=HTTP_User_1&Password=qwe123"
    ]


def test_ozml_api_unchecked_lets_unknown_names_through(pbx: Recorder) -> None:
    done = ozml_cli("api", "ListActiveCalls", "Page=2", "--unchecked", "--api-url", pbx.url)
    assert done.returncode == 0, done.stderr
    assert pbx.paths == [
        "/api?command=ListActiveCalls&Page=2&Username=HTTP_User_1&Password=qwe123"
    ]


# -- ozml run --live ------------------------------------------------------------------------------


def run_live(pbx: Recorder, tmp_path: Path, script: str, *extra: str) -> Any:
    path = tmp_path / "script.xml"
    path.write_text(script, encoding="utf-8")
    return ozml_cli("run", "--live", str(path), "--api-url", pbx.url, "--call-id", "Live1",
                    "--context", "extension", "--executor-option", "hangup-at-end=no", *extra,
                    cwd=tmp_path)


def test_a_live_run_stops_before_an_invalid_request(pbx: Recorder, tmp_path: Path) -> None:
    done = run_live(pbx, tmp_path, "<Response><Speak>hi</Speak><Play>a.wav</Play>"
                                   "<Speak>never</Speak></Response>")
    assert done.returncode == 2
    assert done.stderr == (
        "ozml: error: Play: not sent: error OZ201 Play needs Party in an HTTP request"
        " (--no-validate sends it anyway)\n"
    )
    assert pbx.paths == [
        "/api?command=Speak&Text=hi&CallId=Live1&Username=HTTP_User_1&Password=qwe123"
    ]


def test_a_live_run_with_no_validate_sends_it(pbx: Recorder, tmp_path: Path) -> None:
    done = run_live(pbx, tmp_path, "<Response><Play>a.wav</Play></Response>", "--no-validate")
    assert done.returncode == 0, done.stderr
    assert pbx.paths == [
        "/api?command=Play&AudioFile=a.wav&CallId=Live1&Username=HTTP_User_1&Password=qwe123"
    ]


def test_a_live_run_warns_of_an_assumption(pbx: Recorder, tmp_path: Path) -> None:
    done = run_live(pbx, tmp_path, "<Response><Call>102</Call></Response>")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"ozml: warning: Call: {ASSUMED_CALL_API}\n"
    assert [p.split("&Username")[0] for p in pbx.paths] == ["/api?command=Call&Dialed=102"]


def test_a_live_run_sends_a_vendor_spelling_as_the_script_writes_it(
    pbx: Recorder, tmp_path: Path
) -> None:
    # Which of the vendor's spellings the PBX reads is undocumented (D2): not swapped.
    done = run_live(pbx, tmp_path, "<Response><SendSms Recipient='+3620' ApiExtension='9994'"
                    " delivaryreporturl='http://app.test/r.php'>Hi</SendSms></Response>")
    assert done.returncode == 0, done.stderr
    assert [p.split("&Username")[0] for p in pbx.paths] == [
        "/api?command=SendSms&ApiExtension=9994&Recipient=%2B3620&Message=Hi"
        "&DelivaryReportURL=http://app.test/r.php"
    ]


def test_no_validate_is_for_runs_that_send(tmp_path: Path) -> None:
    path = tmp_path / "script.xml"
    path.write_text("<Response><Hangup/></Response>", encoding="utf-8")
    done = ozml_cli("run", str(path), "--no-validate")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "ozml: error: --no-validate is for runs that send requests (--live)\n"


def test_severity_order() -> None:
    # Errors refuse, warnings do not: the one switch the callers read.
    assert Problem("OZ201", "missing-parameter", Severity.ERROR, "x").is_error
    assert not Problem("OZ201", "missing-parameter", Severity.WARNING, "x").is_error


def test_a_live_run_isolated_reads_no_api_table(pbx: Recorder, tmp_path: Path) -> None:
    """``ozml run --live --isolated`` reads no configuration for the client either: an [api]
    table that would stop the run is not read."""
    (tmp_path / "ozml.toml").write_text('[api]\ntimeout = "soon"\n', encoding="utf-8")
    script = "<Response><Speak>hi</Speak></Response>"
    refused = run_live(pbx, tmp_path, script)
    assert refused.returncode == 2
    assert refused.stderr.startswith("ozml: error: ")
    assert "timeout" in refused.stderr
    assert pbx.paths == []
    done = run_live(pbx, tmp_path, script, "--isolated")
    assert done.returncode == 0, done.stderr
    assert [p.split("&Username")[0] for p in pbx.paths] == [
        "/api?command=Speak&Text=hi&CallId=Live1"
    ]
