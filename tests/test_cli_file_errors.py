"""A file that cannot be read, or written, is said in one wording by every command, exit 2
(docs/cli.md, "Exit codes"): ``ozml: error: PATH: REASON`` and ``ozml: error: PATH: not
written: REASON``, the reason in ozml's words (`ozml.files.unreadable`, `ozml.files.unwritable`)
and never the system's ("No such file or directory"). Every case runs the real `ozml`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = "<Response><Speak>Hello</Speak></Response>\n"


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OZML_", "FORCE_COLOR"))}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "a.xml").write_text(SCRIPT)
    (tmp_path / "folder.xml").mkdir()
    (tmp_path / "a.scenario.toml").write_text('script = "a.xml"\n')
    return tmp_path


def first_error(done: subprocess.CompletedProcess[str]) -> tuple[int, str]:
    assert "Traceback" not in done.stderr
    assert "No such file or directory" not in done.stderr + done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("ozml: error: ")]
    return done.returncode, errors[0] if errors else done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "missing.xml"],
        ["check", "--fix", "missing.xml"],
        ["fmt", "missing.xml"],
        ["fmt", "--check", "missing.xml"],
        ["graph", "missing.xml"],
        ["run", "missing.xml"],
        ["run", "a.xml", "--scenario", "missing.xml"],
        ["test", "missing.xml"],
        ["test", "missing.xml", "a.scenario.toml"],
        ["check", "--baseline", "a.xml", "--config", "missing.xml", "a.xml"],
    ],
    ids=" ".join,
)
def test_a_missing_file_is_said_alike_by_every_command(here: Path, args: list[str]) -> None:
    assert first_error(ozml(here, *args)) == (2, "ozml: error: missing.xml: no such file or folder")


@pytest.mark.parametrize(
    "command",
    [
        ["check", "a.xml"],
        ["fmt", "a.xml"],
        ["graph", "a.xml"],
        ["run", "a.xml"],
        ["test", "a.scenario.toml"],
        ["api", "ListExtensions"],
        ["lsp"],
        ["simulate"],
    ],
    ids=lambda command: command[0],
)
def test_a_missing_configuration_is_said_alike_by_every_command(
    here: Path, command: list[str]
) -> None:
    done = ozml(here, *command, "--config", "missing.toml")
    assert first_error(done) == (2, "ozml: error: missing.toml: no such file or folder")


@pytest.mark.parametrize(
    "args", [["run", "folder.xml"], ["run", "a.xml", "--scenario", "folder.xml"]], ids=" ".join
)
def test_a_folder_where_a_file_is_wanted(here: Path, args: list[str]) -> None:
    assert first_error(ozml(here, *args)) == (2, "ozml: error: folder.xml: is a folder")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize(
    "args",
    [["check", "pipe.xml"], ["fmt", "pipe.xml"], ["graph", "pipe.xml"], ["run", "pipe.xml"]],
    ids=" ".join,
)
def test_a_pipe_is_not_a_regular_file_for_every_command(here: Path, args: list[str]) -> None:
    os.mkfifo(here / "pipe.xml")
    assert first_error(ozml(here, *args)) == (2, "ozml: error: pipe.xml: not a regular file")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "a.xml", "-o", "{out}"],
        ["check", "a.xml", "--write-baseline", "{out}"],
        ["graph", "a.xml", "-o", "{out}"],
        ["schema", "-o", "{out}"],
        ["test", "a.scenario.toml", "-o", "{out}"],
        ["lsp", "--log-file", "{out}"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_file_that_cannot_be_written_is_said_alike(here: Path, args: list[str]) -> None:
    out = "no-such-folder/out.txt"
    done = ozml(here, *(arg.replace("{out}", out) for arg in args))
    assert first_error(done) == (2, f"ozml: error: {out}: not written: no such file or folder")
