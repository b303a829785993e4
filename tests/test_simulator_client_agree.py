"""The simulator's HTTP API and the client's own check (`ozml.api.validate`) read a request's
values one way: the simulator answers 302 for a parameter exactly where the check finds an error
in its value (docs/simulator.md, result codes). Asked over real HTTP, with raw queries."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from lxml import etree
from simulator_support import calls_config, simulator

from ozml.api.validate import validate_request
from ozml.api.wire import HTTP_COMMANDS, http_requirements, query_string
from ozml.catalog import Command, Param, Usage, ValueType
from ozml.simulator import Simulator

CONFIG = calls_config(
    ("Ring1", "100", "102", "Ringing"),
    ("Talk1", "100", "103", "InCall"),
    ("Held1", "101", "104", "Hold"),
)
CREDENTIALS = [("Username", "HTTP_User_1"), ("Password", "qwe123")]

#: A value of each parameter the simulator answers 200 to in the configuration above.
GOOD: dict[str, str] = {
    "AddressbookName": "address_book_1",
    "ApiExtension": "101",
    "Callee": "102",
    "Caller": "103",
    "Destination": "104",
    "Dialed": "102",
    "DialedAddress": "102",
    "PhoneNumber": "102",
    "Target": "104",
}
#: The call each command acts on, in a state that allows it.
CALLS = {"ForwardCall": "Ring1", "Unhold": "Held1", "AttendedTransfer": "Held1"}
#: Parameters whose value the simulator also looks up (docs/simulator.md): a call by its ID, a
#: configured extension by its number, an address book by its name. Their 302 for a value the
#: check passes is the simulator's, not a reading of the value.
LOOKED_UP = {
    "AddressbookName",
    "Callee",
    "Caller",
    "Destination",
    "DialedAddress",
    "Target",
}
#: Values whose reading the two could disagree on: empty, XML white space alone, and white
#: space XML does not have (a no-break space, an ideographic space).
BLANK = ["", " ", "\t", "\u00a0", "\u3000"]


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    with simulator(CONFIG, tmp_path_factory.mktemp("sim")) as running:
        yield running


def _good(cmd: Command, param: Param) -> str:
    if param.type is ValueType.CALL_ID:
        return "Talk1" if param.name == "TargetCallId" else CALLS.get(cmd.name, "Talk1")
    if param.name in GOOD:
        return GOOD[param.name]
    return param.values[0] if param.values else param.example or "x"


def _answer(sim: Simulator, command: str, params: list[tuple[str, str]]) -> tuple[str, str]:
    sim.reset()
    query = query_string(command, params, CREDENTIALS)
    with urllib.request.urlopen(f"{sim.url}/api?{query}", timeout=10) as response:
        root = etree.fromstring(response.read())
    return root.findtext("Code") or "", root.findtext("Message") or ""


def _cases() -> list[tuple[str, str]]:
    return [
        (name, param.name)
        for name, cmd in HTTP_COMMANDS.items()
        if cmd.documented
        for param in cmd.params
        if Usage.HTTP in param.usage
        and param.type is not ValueType.CALL_ID
        and param.name not in LOOKED_UP
    ]


@pytest.mark.parametrize(("command", "name"), _cases())
def test_the_simulator_refuses_a_value_where_the_clients_check_does(
    sim: Simulator, command: str, name: str
) -> None:
    cmd = HTTP_COMMANDS[command]
    required = {r.param.name for r in http_requirements(cmd)}
    base = [(p.name, _good(cmd, p)) for p in cmd.params if p.name in required]
    assert _answer(sim, command, base)[0] == "200", base
    refused = f"Missing or invalid parameter '{name}' for command '{command}'"
    for value in BLANK:
        params = [(key, given) for key, given in base if key != name] + [(name, value)]
        errors = [p for p in validate_request(command, params) if p.is_error]
        code, message = _answer(sim, command, params)
        assert (code == "302", message) == (bool(errors), refused if errors else message), (
            f"{command} {name}={value!r}: the check says {[str(e) for e in errors]},"
            f" the simulator {code} {message}"
        )
