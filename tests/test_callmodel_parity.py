"""The dry run and the simulator are one call model: for the same planned outcome of ringing
(the outcome words), a Call and a BlindTransfer move their call through the same states and
send the same notification forms in both."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from test_simulator_calls import App, wait_for

from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.simulator.config import load_config
from ozml.simulator.server import Simulator

_FINAL = ("Busy", "Error", "Completed", "Transferred", "Cancelled")
WORDS = ("answer", "busy", "no-answer", "not-found", "failed")
#: What the dry run and the simulator each call the placed call; forms compare without it.
_IDS = ("CallId",)


def _dry(document: str, group: str, word: str) -> list[tuple[str, dict[str, str]]]:
    _, program = compile_source(document, "d.xml")
    scenario = parse_scenario(
        f'[call]\ncaller = "555"\ncallee = "1000"\n[outcomes]\n{group} = "{word}"\n'
        '[notifications]\n3pcc-url = "/3pcc"\n', Path("s.toml"),
    )
    done = run_scenario(scenario, program)
    return [(r.url, dict(r.form)) for r in done.requests]


def _simulated(tmp_path: Path, app: App, document: str, word: str) -> list[tuple[str, Any]]:
    target = "" if word == "not-found" else f'[[extensions]]\nnumber = "2000"\nanswer = "{word}"\n'
    path = tmp_path / "sim.toml"
    path.write_text(
        '[[users]]\nusername = "admin"\npassword = "abc123"\n'
        f'[[extensions]]\nnumber = "1000"\ntype = "API extension"\n'
        f'incoming-url = "{app.url}/incoming"\n' + target +
        '[behaviour]\nreal-time = false\nseed = 5\nring-time = 90\n'
        f'[http-api]\n3pcc-url = "{app.url}/3pcc"\n',
        encoding="utf-8",
    )
    app.answer("/incoming", document.replace("/err", f"{app.url}/err"))
    with Simulator(load_config(path), port=0) as sim:
        inbound = sim.ring("555", "1000")

        def settled() -> bool:
            if inbound.active or sim.notifier.running(inbound.id):
                return False
            # The call to 2000 (if any) has reached a state it keeps (the simulator's
            # answered callee talks until someone hangs up).
            target = [c for c in [*sim.board.active(), *sim.board.history()]
                      if c.destination == "2000"]
            return all(c.state.value in ("InCall", *_FINAL) for c in target)

        wait_for(settled)
        time.sleep(0.3)  # the last notifications of each call's queue
        sim.scheduler.close()
    return [(url.replace(app.url, ""), form) for url, form in app.posts]


def _states(posts: list[tuple[str, Any]], callee: str) -> list[str]:
    """The CallState of each CallChanged about the call to `callee`, in order."""
    return [f["CallState"] for url, f in posts if url == "/3pcc" and f.get("Callee") == callee]


def _others(posts: list[tuple[str, Any]]) -> list[tuple[str, dict[str, str]]]:
    return [
        (url, {k: v for k, v in f.items() if k not in _IDS})
        for url, f in posts if url not in ("/3pcc", "/incoming")
    ]


@pytest.fixture
def app() -> Any:
    found = App()
    yield found
    found.close()


@pytest.mark.parametrize("word", WORDS)
def test_a_call_moves_and_notifies_the_same_in_both(tmp_path: Path, app: App, word: str) -> None:
    document = '<Response><Call ApiExtension="1000" ErrorUrl="/err">2000</Call></Response>'
    dry = _dry(document, "call", word)
    simulated = _simulated(tmp_path, app, document, word)
    dry_states, sim_states = _states(dry, "2000"), _states(simulated, "2000")
    if word == "answer":
        # The simulator's callee talks until someone hangs up (no talk time is configured
        # there); the dry run's hangs up after its planned talk time (assumed 30 s).
        assert dry_states == ["Ringing", "Answered", "InCall", "Completed"]
        assert sim_states == dry_states[:3]
    else:
        assert sim_states == dry_states
    assert _others(simulated) == _others(dry)


@pytest.mark.parametrize("word", WORDS)
def test_a_blind_transfer_moves_the_same_in_both(tmp_path: Path, app: App, word: str) -> None:
    document = '<Response><BlindTransfer>2000</BlindTransfer><Speak>failed</Speak></Response>'
    dry = _dry(document, "transfer", word)
    simulated = _simulated(tmp_path, app, document, word)
    dry_states, sim_states = _states(dry, "2000"), _states(simulated, "2000")
    if word == "answer":
        # The simulator's callee talks until someone hangs up; the dry run's hangs up after
        # its planned talk time (assumed 30 s).
        assert dry_states == ["Ringing", "Answered", "InCall", "Completed"]
        assert sim_states == dry_states[:3]
    elif word == "no-answer":
        assert sim_states == dry_states == ["Ringing", "Busy"]
    else:
        # Busy, unknown or failing targets are refused before any call moves, in both.
        assert sim_states == dry_states == []
    assert _others(simulated) == _others(dry)
