"""``ozml check --write-baseline`` / ``--baseline`` end to end, including after lines move."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DOC = "<Response>\n  <ForwardCall/>\n  <speak>x</speak>\n</Response>\n"


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", "--format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_write_then_check_against_the_baseline(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "a.xml").write_text(DOC, encoding="utf-8")
    written = check(tmp_path, "--write-baseline", "ozml-baseline.json", "calls")
    assert written.returncode == 0
    assert written.stdout == ""
    assert written.stderr == "ozml: wrote 2 findings to the baseline ozml-baseline.json\n"
    stored = json.loads((tmp_path / "ozml-baseline.json").read_text(encoding="utf-8"))
    assert sorted((f["path"], f["code"]) for f in stored["findings"]) == [
        ("calls/a.xml", "OZ201"),
        ("calls/a.xml", "OZ303"),
    ]
    clean = check(tmp_path, "--baseline", "ozml-baseline.json", "calls")
    assert (clean.returncode, clean.stdout) == (0, "")

    # Lines inserted above, and a new problem below: only the new one is reported.
    moved = "<!-- header -->\n\n" + DOC.replace("</Response>", "  <Play/>\n</Response>")
    (tmp_path / "calls" / "a.xml").write_text(moved, encoding="utf-8")
    after = check(tmp_path, "--baseline", "ozml-baseline.json", "calls")
    assert after.returncode == 1
    assert after.stdout.splitlines()[0] == (
        "calls/a.xml:6:4: OZ201 Play needs AudioFile (as an attribute or as the element text)"
    )
    assert len(after.stdout.splitlines()) == 2  # the finding and the summary line


def test_the_baseline_applies_from_another_folder(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "a.xml").write_text(DOC, encoding="utf-8")
    check(tmp_path, "--write-baseline", "base.json", "calls")
    inside = check(tmp_path / "calls", "--baseline", "../base.json", "a.xml")
    assert (inside.returncode, inside.stdout) == (0, "")


def test_bad_baseline_files_and_combinations_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(DOC, encoding="utf-8")
    missing = check(tmp_path, "--baseline", "nope.json", "a.xml")
    assert missing.returncode == 2
    assert missing.stderr == (
        "ozml: error: nope.json: no such baseline file (write one with --write-baseline)\n"
    )
    both = check(tmp_path, "--baseline", "x.json", "--write-baseline", "y.json", "a.xml")
    assert both.returncode == 2
    assert both.stderr == (
        "ozml: error: --baseline and --write-baseline cannot be used together\n"
    )
