"""The engine and the flow model agree on what each command does to the flow of a script.

The engine (`ozml.interpreter.program`) runs one path; the flow model (`ozml.flow.control`)
draws every path. Until the engine reads the control table itself, this test keeps the two
from drifting: every command the control table gives a way other than "next" is one the
engine handles with the matching kind, and the other way round.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml.flow.control import CONTROL, Control
from ozml.flow.model import Way, build
from ozml.interpreter import compile_source, run_scenario
from ozml.interpreter.program import ENGINE_COMMANDS, FLOW_STEPS, Kind
from ozml.interpreter.scenario import parse_scenario
from ozml.parser import parse

#: The engine's kind for each way the control table knows.
MATCHING: dict[Control, set[Kind]] = {
    Control.ENDS: {Kind.EXIT, Kind.REJECT},
    Control.HANGUP: {Kind.HANGUP},
    Control.TRANSFER: {Kind.TRANSFER},
    Control.ROUTE: {Kind.ROUTE},
    Control.JUMP: {Kind.GOTO},
    Control.MENU: {Kind.USERINPUT},
    Control.LOOP: {Kind.FOREACH},
    Control.HANDLERS: {Kind.REQUEST},
    Control.ALARM: {Kind.ALARM},
}

#: Engine kinds that leave the flow alone: the next command runs.
NEXT_KINDS = {Kind.VAR, Kind.ARRAY, Kind.DELAY}


def test_every_way_of_the_control_table_is_the_engines() -> None:
    engine = {**ENGINE_COMMANDS, **FLOW_STEPS}
    for name, control in CONTROL.items():
        assert name in engine, f"{name}: {control.value} in the flow model, unknown to the engine"
        assert engine[name] in MATCHING[control], (name, control, engine[name])


def test_every_command_the_engine_steers_is_in_the_control_table() -> None:
    engine = {**ENGINE_COMMANDS, **FLOW_STEPS}
    steered = {name for name, kind in engine.items() if kind not in NEXT_KINDS}
    assert steered == set(CONTROL)
    assert set(MATCHING) == set(Control) - {Control.NEXT}


#: Values of a menu's Repeat: as written, in another letter case, with layout or another
#: space around it, not a true/false value, a reference left as written, and absent.
REPEATS = ["true", "false", "TRUE", "True", " true", "true ", "\u00a0true", "yes", "1", "$r", None]


@pytest.mark.parametrize("repeat", REPEATS)
def test_a_menu_repeats_in_the_graph_when_it_repeats_in_a_dry_run(repeat: str | None) -> None:
    """`ozml graph` draws a menu's timeout going back to the menu exactly when a dry run of
    the menu, where the caller presses nothing, plays it again: both read Repeat as the linter
    does (`ozml.callmodel.readings.read_flag`). The graph read it by lower-casing and Python's
    strip, so ``Repeat=" true"`` (or ``yes``...) repeated in one and not the other."""
    written = "" if repeat is None else f' Repeat="{repeat}"'
    document = (
        f'<Response><UserInput Timeout="1"{written}><InitialCommands><Speak>Press 1</Speak>'
        '</InitialCommands><Inputs><Input Key="1"><Hangup/></Input></Inputs></UserInput>'
        "<Hangup/></Response>"
    )
    parsed = parse(document)
    assert parsed.document is not None
    flow = build(parsed.document.root, "menu.xml")
    drawn = any(edge.way is Way.REPEAT for edge in flow.edges)
    _, program = compile_source(document, "menu.xml")
    scenario = parse_scenario('[input]\ndtmf = ["timeout", "timeout"]\n', Path("s.toml"))
    done = run_scenario(scenario, program)
    ran = any(event.result == "repeat" for event in done.events)
    assert drawn is ran, [event.golden() for event in done.events]
