"""The engine and the flow model agree on what each command does to the flow of a script.

The engine (`ozml.interpreter.program`) runs one path; the flow model (`ozml.flow.control`)
draws every path. Until the engine reads the control table itself, this test keeps the two
from drifting: every command the control table gives a way other than "next" is one the
engine handles with the matching kind, and the other way round.
"""

from __future__ import annotations

from ozml.flow.control import CONTROL, Control
from ozml.interpreter.program import ENGINE_COMMANDS, FLOW_STEPS, Kind

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
