"""Golden traces: every example script and every vendor seed example has scenarios with an
[expect] section, and `ozml test` passes on all of them (the real command, as CI runs it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ozml.interpreter.runner import load_program, run_scenario
from ozml.interpreter.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "examples" / "scenarios"


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.toml"))


def test_ozml_test_passes_on_every_example_scenario() -> None:
    files = scenario_files()
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "test", *map(str, files)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].split(" in ")[0] == f"{len(files)} passed"
    assert done.stderr == ""


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_every_scenario_pins_its_whole_trace(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.expect.end is not None
    assert scenario.expect.trace


def test_every_example_script_and_seed_has_a_scenario() -> None:
    scripts = {
        p.resolve()
        for p in [*(REPO / "examples").glob("*.xml"), *(REPO / "examples" / "seeds").glob("*.xml")]
    }
    covered = {load_scenario(p).script.resolve() for p in scenario_files()}  # type: ignore[union-attr]
    assert sorted(str(p.relative_to(REPO)) for p in scripts - covered) == []


def golden(name: str) -> tuple[str, list[str]]:
    scenario = load_scenario(SCENARIOS / name)
    assert scenario.script is not None
    _, program = load_program(scenario.script)
    done = run_scenario(scenario, program)
    return done.result.ending, [e.golden() for e in done.events]


def test_seed_blind_transfer_success_ends_after_the_transfer() -> None:
    ending, trace = golden("seed-blindtransfer-success.toml")
    assert ending == "transferred"
    # Ten words at 0.4 s each, then the one-second Delay.
    assert trace[-2:] == ['5s BlindTransfer Target="102" -> transferred', "5s end -> transferred"]


def test_seed_blind_transfer_failure_speaks_the_apology() -> None:
    ending, trace = golden("seed-blindtransfer-failure.toml")
    assert ending == "end-of-script"
    assert trace[-3:] == [
        '5s BlindTransfer Target="102" -> failed',
        '5s Speak Text="Sorry, but blind transfer failed to extension 102" -> ok',
        "8.2s end -> end-of-script",
    ]


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("seed-forwardcall.toml", '0s ForwardCall Destination="102" -> transferred'),
        ("seed-attendedtransfer.toml",
         '0s Speak Party="all" Text="The caller will be attended transfered to call ID HL1bE."'
         " -> ok"),
        ("seed-call.toml",
         '0s Call Url="http://yourdomain.com/ozml_example/call_connected.php" CallerId="3000"'
         ' Dialed="102" -> answered'),
        ("seed-callsetup.toml", '0s CallSetup Caller="101" Callee="102" -> answered'),
    ],
)
def test_the_other_seed_examples_dry_run(name: str, first: str) -> None:
    ending, trace = golden(name)
    assert ending == "end-of-script"
    assert trace[0] == first
