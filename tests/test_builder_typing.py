"""mypy reads the builder's types: mistakes are caught before the code runs (a real mypy run)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

USAGE = """\
from ozml.builder import (
    Array, Delay, Dynamic, ForwardCall, Input, Inputs, Play, Response, Speak, UserInput,
)

fine = Response(
    Speak("Hello", language="en-US", party="all"),
    ForwardCall(destination="102"),
    UserInput(Inputs(Input(1, Delay(1.5))), timeout=Dynamic("$t"), repeat=True),
    Array("names", "Alice"),
)
xml: str = fine.to_xml("3pcc")
bad_literal = Speak("Hello", party="everyone")
bad_kind = Play("a.wav", repeat="yes")
missing = ForwardCall()
unknown_keyword = Speak("Hi", lang="en")
bad_nesting = Inputs(Speak("x"))
bad_child = Response(Input(1))
bad_number = Delay("soon")
hatch = Response(Speak("Hi").with_unknown_attribute("Emotion", "cheerful"))
templated = Response(Speak(Dynamic("Hi {{ name }}"), language=Dynamic("{{ lang }}")))
"""

EXPECTED = {
    (12, "arg-type"),  # party="everyone" is not one of the Literal values
    (13, "arg-type"),  # repeat is a bool
    (14, "call-arg"),  # Destination is mandatory
    (15, "call-arg"),  # no such parameter
    (16, "arg-type"),  # Inputs holds Input elements only
    (17, "arg-type"),  # Input is not a command
    (18, "arg-type"),  # Delay takes seconds as a number
}


@pytest.mark.slow
def test_mypy_catches_builder_mistakes(tmp_path: Path, repo_root: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(USAGE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(probe)],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(repo_root)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    found = {
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"^.*probe\.py:(\d+): error: .*\[([a-z-]+)\]$", done.stdout, re.M)
    }
    assert found == EXPECTED, done.stdout
    assert "Literal['caller', 'callee', 'all']" in done.stdout
