"""One reading of white space: the dry run, its engine, the simulator, the graph and project
link analysis read "is this value given?" as the linter does (`ozml.xmlspace`). Only XML's white
space (space, tab, CR, LF) around a value is layout; a value of other white space alone (U+00A0
NO-BREAK SPACE) is given, as content, and where what a run does rests on that reading its trace
says so and that it is assumed (`ozml.catalog.values.OTHER_SPACE`), as the linter's warning
does."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from test_simulator_calls import CONFIG as CALLS_CONFIG
from test_simulator_calls import App, wait_for
from test_simulator_inbound import _config, _ended, _ring

from ozml import xmlspace
from ozml.callmodel.readings import read_given
from ozml.catalog import command, values
from ozml.flow.model import Way, build
from ozml.parser import parse
from ozml.project.links import attribute_url
from ozml.simulator import Simulator, load_config

NBSP = "\u00a0"
#: What a trace line says of a value it reads on `values.OTHER_SPACE`.
TAKEN = "white space other than XML's alone, is taken as a value, not as none (assumed, spec §1"


def _ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _trace(tmp_path: Path, document: str) -> list[dict[str, Any]]:
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    # --force: the linter refuses some of these values (an error where both readings refuse
    # them); the run still reads them.
    done = _ozml("run", "doc.xml", "--isolated", "--force", "--format", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _findings(tmp_path: Path, document: str) -> list[dict[str, Any]]:
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    done = _ozml("check", "doc.xml", "--isolated", "--format", "json", cwd=tmp_path)
    assert done.returncode in (0, 1, 2), done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def _said(events: list[dict[str, Any]], command: str) -> str:
    """Everything the trace says of `command`'s steps (and of notifications, `notify`)."""
    return " | ".join(f"{e['result']}: {e['detail']}" for e in events if e["command"] == command)


# Each: a document whose one value is U+00A0 alone, the parameter, the trace command whose line
# says what the run did with it, and what that line says (beside the OTHER_SPACE note).
CASES = [
    pytest.param(
        '<Response><Route Destination="&#160;"/></Response>',
        "Route", "Destination", "Route", "answered", id="route",
    ),
    pytest.param(
        '<Response><BlindTransfer Target="&#160;"/><Speak>failed</Speak></Response>',
        "BlindTransfer", "Target", "BlindTransfer", "transferred", id="blind-transfer",
    ),
    pytest.param(
        "<Response><BlindTransfer>&#160;</BlindTransfer><Speak>failed</Speak></Response>",
        "BlindTransfer", "Target", "BlindTransfer", "transferred", id="blind-transfer-text",
    ),
    pytest.param(
        '<Response><ForwardCall Destination="&#160;"/></Response>',
        "ForwardCall", "Destination", "ForwardCall", "transferred", id="forward-call",
    ),
    pytest.param(
        '<Response><Record Duration="5" FinishedUrl="&#160;"/></Response>',
        "Record", "FinishedUrl", "notify", "failed", id="record-finished-url",
    ),
    pytest.param(
        '<Response><GoTo Url="&#160;"/></Response>', "GoTo", "Url", "GoTo", "failed", id="goto",
    ),
    pytest.param(
        "<Response><GoTo>&#160;</GoTo></Response>", "GoTo", "Url", "GoTo", "failed",
        id="goto-text",
    ),
    pytest.param(
        '<Response><UserInput Timeout="1" ForwardToURL="&#160;"><Inputs><Input Key="1">'
        "<Speak>one</Speak></Input></Inputs></UserInput></Response>",
        "UserInput", "ForwardToURL", "UserInput", "menu", id="user-input-forward",
    ),
    pytest.param(
        '<Response><UserInput Timeout="1" BackKey="&#160;"><Inputs><Input Key="1">'
        "<Speak>one</Speak></Input></Inputs></UserInput></Response>",
        "UserInput", "BackKey", "UserInput", "menu", id="user-input-back-key",
    ),
    pytest.param(
        '<Response><Var Id="&#160;" Value="1"/></Response>', "Var", "Id", "Var", "ok", id="var",
    ),
    pytest.param(
        '<Response><Call Dialed="100" Url="&#160;"/></Response>',
        "Call", "Url", "notify", "failed", id="call-url",
    ),
    pytest.param(
        '<Response><SendSms Recipient="+3620555" DeliveryReportURL="&#160;">hi</SendSms>'
        "</Response>",
        "SendSms", "DeliveryReportURL", "notify", "sent", id="sms-report",
    ),
]


@pytest.mark.parametrize(("document", "command", "name", "step", "result"), CASES)
def test_the_dry_run_reads_a_no_break_space_as_the_linter_does(
    tmp_path: Path, document: str, command: str, name: str, step: str, result: str
) -> None:
    # The linter reads the value as given (content): it never calls it missing or empty.
    for finding in _findings(tmp_path, document):
        message = finding["message"]
        assert f"needs {name}" not in message, finding
        assert "non-empty" not in message, finding
    # The dry run acts on it as a value and says that this reading is assumed.
    said = _said(_trace(tmp_path, document), step)
    assert f"{result}: " in said, said
    assert f"{command} {name} of '\\xa0', {TAKEN}" in said, said


def test_route_to_a_no_break_space_is_what_the_linter_warns_of(tmp_path: Path) -> None:
    """The example: ozml check warns that reading U+00A0 as content is assumed; ozml run routes
    the call on that reading (not rejecting it as for an empty Destination) and says so."""
    document = '<Response><Route Destination="&#160;"/></Response>'
    [finding] = _findings(tmp_path, document)
    assert finding["severity"] == "warning"
    assert values.OTHER_SPACE.citation() in finding["message"]
    events = _trace(tmp_path, document)
    [route] = [e for e in events if e["command"] == "Route"]
    assert route["result"] != "rejected"
    assert "assumed" in route["detail"]
    assert values.OTHER_SPACE.citation() in route["detail"]


def test_the_line_docs_show_is_the_line_a_run_prints(tmp_path: Path) -> None:
    """docs/dry-run.md shows the trace line of ``<Route Destination="&#160;"/>``."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "dry-run.md").read_text("utf-8")
    [shown] = [line for line in page.splitlines() if line.startswith("Route Destination=")]
    (tmp_path / "doc.xml").write_text(
        '<Response><Route Destination="&#160;"/></Response>', encoding="utf-8"
    )
    done = _ozml("run", "doc.xml", "--isolated", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert any(line.endswith(f" {shown}") for line in done.stdout.splitlines()), done.stdout


@pytest.mark.parametrize(
    ("document", "step", "result", "detail"),
    [
        ('<Response><Route Destination=" "/></Response>', "Route", "rejected",
         "an empty Destination rejects the caller (spec §7.29)"),
        ('<Response><GoTo Url="&#9;"/></Response>', "GoTo", "failed", "GoTo needs a Url"),
        ('<Response><Var Id=" " Value="1"/></Response>', "Var", "skipped", "Var needs Id"),
        ('<Response><SendSms Recipient="1" DeliveryReportURL=" ">hi</SendSms></Response>',
         "SendSms", "ok", "DeliveryReportURL is empty: no delivery report"),
    ],
)
def test_xml_white_space_alone_is_no_value_and_nothing_is_assumed(
    tmp_path: Path, document: str, step: str, result: str, detail: str
) -> None:
    said = _said(_trace(tmp_path, document), step)
    assert said.startswith(f"{result}: {detail}"), said
    assert TAKEN not in said


@pytest.mark.parametrize(
    ("written", "value", "assumed"),
    [
        (None, "", False),
        ("", "", False),
        (" \t\r\n", "", False),
        (NBSP, NBSP, True),
        (f" {NBSP}\n", NBSP, True),
        ("\u3000\u2003", "\u3000\u2003", True),
        (f"{NBSP}2000", f"{NBSP}2000", False),
        (" 2000\t", "2000", False),
    ],
)
def test_read_given_is_the_linters_reading(
    written: str | None, value: str, assumed: bool
) -> None:
    got, said = read_given("Route", "Destination", written)
    assert got == value
    assert (TAKEN in said) is assumed
    if written is not None:
        # The linter's reading of the same value: empty exactly when no value is given.
        assert xmlspace.is_blank(written) is (got == "")


def _flow_edges(document: str) -> list[tuple[str, str]]:
    parsed = parse(document.encode(), "doc.xml")
    flow = build(parsed.document.root, "doc.xml")
    return [(edge.way.value, edge.target) for edge in flow.edges]


@pytest.mark.parametrize(
    ("space", "fetched"), [(NBSP, True), (" ", False), ("", False)]
)
def test_the_graph_reads_a_menus_forward_url_as_the_dry_run_does(
    space: str, fetched: bool
) -> None:
    document = (
        f'<Response><UserInput ForwardToURL="{space}" BackKey="{space}"><Inputs>'
        '<Input Key="1"><Speak>one</Speak></Input></Inputs></UserInput></Response>'
    )
    ways = [way for way, _ in _flow_edges(document)]
    assert (Way.NOTIFY.value in ways or Way.JUMP.value in ways) is fetched
    assert (Way.BACK.value in ways) is fetched


@pytest.mark.parametrize(("written", "url"), [(NBSP, NBSP), (" ", None), (" /a ", "/a")])
def test_project_links_read_a_url_as_the_linter_does(written: str, url: str | None) -> None:
    assert attribute_url(command("Record").param("FinishedUrl"), written) == url


def test_the_sequence_diagram_draws_the_number_the_dry_run_rings(tmp_path: Path) -> None:
    """A Route to U+00A0 rings a number: the diagram draws it as one, named so that Mermaid
    (which trims white space around a name) shows it."""
    (tmp_path / "doc.xml").write_text(
        '<Response><Route Destination="&#160;"/></Response>', encoding="utf-8"
    )
    done = _ozml("run", "doc.xml", "--isolated", "--format", "mermaid", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    assert "participant N1 as \\u00a0" in lines, done.stdout
    assert "N1-->>PBX: t=0s answered" in lines, done.stdout


@pytest.mark.parametrize(
    ("destination", "events", "result"),
    [
        # XML white space alone: no Destination, the caller is rejected [oz4594].
        (" ", ["Route rejected the caller", "Busy"], "Rejected"),
        # U+00A0 alone: a Destination (as the dry run reads it), a number nobody has.
        ("&#160;", [f"Route -> {NBSP}", "Error"], "NotFound"),
    ],
)
def test_the_simulator_routes_as_the_dry_run_does(
    tmp_path: Path, app: App, destination: str, events: list[str], result: str
) -> None:
    app.answer("/route", f'<Response><Route Destination="{destination}"/></Response>')
    extra = f'[http-api]\nroute-interception-url = "{app.url}/route"\n'
    with Simulator(load_config(_config(tmp_path, app, extra)), port=0) as sim:
        _, placed = _ring(sim, "555", "102")
        call = wait_for(lambda: sim.board.find(placed["CallId"]))
        _ended(sim, call.id)
    assert call.events == events
    assert call.result is not None
    assert call.result.name == result


@pytest.mark.parametrize(("space", "sent"), [(" ", []), ("&#160;", [NBSP])])
def test_the_simulator_sends_record_completed_as_the_dry_run_does(
    tmp_path: Path, app: App, space: str, sent: list[str]
) -> None:
    """A Record's FinishedUrl of U+00A0 alone is requested (a URL no server answers, so the
    delivery fails); one of XML white space alone is none, and nothing is sent."""
    app.answer("/incoming", f'<Response><Record Duration="1" FinishedUrl="{space}"/></Response>')
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000")
        _ended(sim, placed["CallId"])
        urls = [s["url"] for s in list(sim.notifier.sent) if s["kind"] == "RecordCompleted"]
    assert urls == sent


@pytest.fixture
def app() -> Any:
    found = App()
    yield found
    found.close()


@pytest.mark.parametrize(("space", "sent"), [("+", []), ("%C2%A0", [NBSP])])
def test_the_simulators_http_api_reads_a_url_as_a_script_does(
    tmp_path: Path, app: App, space: str, sent: list[str]
) -> None:
    """A Call request's Url of XML white space alone is none (nothing is requested when the
    call is answered), one of U+00A0 alone is a URL (requested, and the delivery fails), as
    for a Call in a script: the HTTP API passed Url (and FinishedUrl, ResultUrl) through as
    given, and stripped ErrorUrl alone."""
    path = tmp_path / "sim.toml"
    path.write_text(CALLS_CONFIG.format(real_time="false"), encoding="utf-8")
    with Simulator(load_config(path), port=0) as sim:
        query = (f"command=Call&Dialed=102&ApiExtension=101&Url={space}"
                 "&Username=admin&Password=abc123")
        with urllib.request.urlopen(f"{sim.url}/api?{query}", timeout=10) as response:
            assert b"<Code>200</Code>" in response.read()
        [call] = wait_for(lambda: sim.board.active() or sim.board.history())
        if sent:
            wait_for(lambda: list(sim.notifier.sent))
        sim.board.hangup(call)
        urls = [s["url"] for s in list(sim.notifier.sent)]
    assert urls == sent


def test_a_key_with_a_no_break_space_is_not_the_key_the_caller_presses(tmp_path: Path) -> None:
    """`values.dtmf_key`, the linter's and the dry run's one comparison of keys, trimmed every
    Unicode space: ``Key="&#160;1"`` (invalid to the linter) matched the key 1 in a run and was
    the duplicate of ``Key="1"``."""
    document = (
        '<Response><UserInput Timeout="5"><Inputs><Input Key="&#160;1"><Speak>one</Speak>'
        '</Input><Input Key="1"><Speak>uno</Speak></Input></Inputs></UserInput></Response>'
    )
    assert values.dtmf_key(f"{NBSP}1") != values.dtmf_key("1")
    assert values.dtmf_key(" a\t") == "A"
    found = _findings(tmp_path, document)
    assert [f["code"] for f in found] == ["OZ202"]
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    done = _ozml("run", "doc.xml", "--isolated", "--force", "--dtmf", "1", "--format", "json",
                 cwd=tmp_path)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["params"]["Text"] for e in events if e["command"] == "Speak"] == ["uno"]


def test_the_simulator_reads_a_number_as_the_dry_run_does(tmp_path: Path, app: App) -> None:
    """A transfer's Target with XML white space around it is the number (as the linter and the
    dry run read it): the simulator rang " 102 ", a number nobody has."""
    app.answer("/incoming", '<Response><BlindTransfer Target=" 102 "/></Response>')
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000")
        call = wait_for(lambda: sim.board.find(placed["CallId"]))
        wait_for(lambda: any(c.destination == "102" for c in sim.board.active()))
        _ended(sim, call.id)
    assert not any(c.destination == " 102 " for c in sim.board.history())
