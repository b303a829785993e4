"""Each file is worked on once, whatever names lead to it (docs/cli.md, "Which files").

A link beside the file it points to, another hard link, or a second PATH to a file already
found all name one file: `ozml check` reports it once and `ozml fmt` rewrites it once, under
the first name in discovery order. Every test runs the real `ozml` in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BAD = "<Response>\n  <ForwardCall/>\n</Response>\n"
UNFORMATTED = "<Response><Hangup></Hangup></Response>\n"
FORMATTED = '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Hangup/>\n</Response>\n'

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )


def concise(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if ": OZ" in line]


def test_a_link_beside_its_file_is_checked_once_under_the_first_name(tmp_path: Path) -> None:
    (tmp_path / "b.xml").write_text(BAD)
    os.symlink("b.xml", tmp_path / "a-link.xml")  # sorts first: its name is kept
    os.symlink("b.xml", tmp_path / "z-link.xml")
    done = ozml(tmp_path, "check", "--no-cache", "--format", "concise", ".")
    assert done.returncode == 1, done.stderr
    assert concise(done) == ["a-link.xml:2:4: OZ201 ForwardCall needs Destination"]
    assert "1 file checked" in done.stdout
    assert done.stderr == ""
    shown = ozml(tmp_path, "check", "--show-files")
    assert (shown.returncode, shown.stdout, shown.stderr) == (0, "a-link.xml\n", "")


def test_a_hard_link_and_a_second_path_to_a_file_are_one_file(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "b.xml").write_text(BAD)
    os.link(tmp_path / "calls" / "b.xml", tmp_path / "calls" / "c.xml")
    os.symlink("calls/c.xml", tmp_path / "named.xml")
    # The PATHs' order decides: the named link first, then nothing new in the folder (and no
    # "no matching files" warning for it: its files were found, under another name).
    done = ozml(tmp_path, "check", "--show-files", "named.xml", "calls", "./calls/b.xml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "named.xml\n", "")
    done = ozml(tmp_path, "check", "--show-files", "calls", "named.xml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "calls/b.xml\n", "")
    glob = ozml(tmp_path, "check", "--show-files", "calls/*.xml")
    assert (glob.returncode, glob.stdout, glob.stderr) == (0, "calls/b.xml\n", "")


def test_fmt_rewrites_a_linked_file_once_through_the_first_name(tmp_path: Path) -> None:
    (tmp_path / "b.xml").write_text(UNFORMATTED)
    os.symlink("b.xml", tmp_path / "a-link.xml")
    check = ozml(tmp_path, "fmt", "--check", ".")
    assert (check.returncode, check.stdout, check.stderr) == (
        1, "", "would reformat a-link.xml\n1 file would be reformatted, 0 files already formatted\n"
    )
    done = ozml(tmp_path, "fmt", "-v", ".")
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "", "a-link.xml: reformatted (default settings)\n"
        "1 file reformatted, 0 files already formatted\n"
    )
    # Written through the link, as fmt does for a link it is given: the link stays a link.
    assert os.readlink(tmp_path / "a-link.xml") == "b.xml"
    assert (tmp_path / "b.xml").read_text() == FORMATTED


def test_a_link_to_a_file_outside_the_walk_is_still_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "real" / "b.xml").write_text(BAD)
    os.symlink("../real/b.xml", tmp_path / "docs" / "out.xml")
    done = ozml(tmp_path, "check", "--show-files", "real", "docs")
    assert done.stdout == "real/b.xml\n"
    assert "docs/out.xml: not followed" in done.stderr
