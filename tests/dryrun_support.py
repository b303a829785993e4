"""Helpers of the dry-run tests: running a scenario with commands that take no time.

The control-flow tables (tests/test_interpreter_engine.py, tests/test_interpreter_menus.py) are
about what runs in which order; time, timed input and barge-in have their own tests
(tests/test_dryrun_time.py), so those tables run with Speak, Play and Beep taking no time unless
a case's own [timing] table says otherwise.
"""

from __future__ import annotations

import attrs

from ozml.callmodel.timing import DEFAULT_TIMING, Timing
from ozml.interpreter.scenario import Scenario

INSTANT = Timing(seconds_per_word=0.0, play_seconds=0.0, beep_seconds=0.0)


def instant(scenario: Scenario) -> Scenario:
    """`scenario` with commands taking no time (unless its [timing] table sets durations)."""
    if scenario.dry_run.durations != DEFAULT_TIMING:
        return scenario
    return attrs.evolve(scenario, dry_run=attrs.evolve(scenario.dry_run, durations=INSTANT))
