"""``-`` (standard input) among other PATHs: the commands that rewrite files refuse it alike
(`ozml.cli.discovery.stdin_alone`), and those that only look take it. ``ozml fmt - a.xml``
printed standard input formatted and rewrote a.xml in the same run, where ``ozml check --fix
- a.xml`` refused. Every case runs the real `ozml`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MESSY = "<Response><speak>Hi</speak></Response>"
INPUT = "<Response><Hangup></Hangup></Response>\n"


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, input=INPUT, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "writer", "looking"),
    [
        (["fmt", "-", "a.xml"], "ozml fmt", "--check or --diff"),
        (["fmt", "a.xml", "-"], "ozml fmt", "--check or --diff"),
        (["fmt", "--stdin-filename", "x.xml", "-", "a.xml"], "ozml fmt", "--check or --diff"),
        (["check", "--fix", "-", "a.xml"], "--fix", "--diff"),
        (["check", "--fix", "--no-cache", "a.xml", "-"], "--fix", "--diff"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_run_that_rewrites_files_takes_standard_input_alone(
    tmp_path: Path, args: list[str], writer: str, looking: str
) -> None:
    (tmp_path / "a.xml").write_text(MESSY)
    done = ozml(tmp_path, *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ozml: error: {writer} prints the document of - (standard input) on standard output,"
        f" so - must be the only PATH (to only look, {looking} may mix them)\n"
    )
    assert (tmp_path / "a.xml").read_text() == MESSY  # nothing was rewritten


@pytest.mark.parametrize(
    "args",
    [["fmt", "--check", "-", "a.xml"], ["fmt", "--diff", "-", "a.xml"],
     ["check", "--diff", "--no-cache", "-", "a.xml"]],
    ids=" ".join,
)
def test_a_run_that_only_looks_takes_standard_input_among_paths(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "a.xml").write_text(MESSY)
    done = ozml(tmp_path, *args)
    assert done.returncode == 1, done.stderr
    assert "ozml: error" not in done.stderr
    assert (tmp_path / "a.xml").read_text() == MESSY


def test_standard_input_alone_is_still_formatted_and_fixed(tmp_path: Path) -> None:
    formatted = ozml(tmp_path, "fmt", "-")
    assert (formatted.returncode, formatted.stdout) == (
        0, '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Hangup/>\n</Response>\n'
    )
    fixed = ozml(tmp_path, "check", "--fix", "--no-cache", "-")
    assert (fixed.returncode, fixed.stdout) == (0, INPUT)
