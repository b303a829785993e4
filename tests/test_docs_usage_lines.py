"""The usage lines the docs show are the ones ozml prints.

A ```text block of README.md or docs/*.md that starts with ``usage: ozml COMMAND`` is the usage
line of ``ozml COMMAND --help``, as the docs snippets run it (100 columns, so the wrapping is the
same): an option added to or removed from a command cannot leave its page behind.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: The width the docs' usage lines are wrapped at (the docs snippets' COLUMNS).
COLUMNS = "100"


def pages() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def usage_blocks() -> list[tuple[str, int, str]]:
    """(page, line, block) of every ```text block that starts with ``usage: ozml ``."""
    found = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"^```text\n(usage: ozml .*?)^```$", text, re.S | re.M):
            line = text.count("\n", 0, match.start()) + 1
            found.append((page.relative_to(REPO).as_posix(), line, match.group(1)))
    return found


def command_of(block: str) -> list[str]:
    """The subcommand words of a usage line: ``usage: ozml run [-h] ...`` → ["run"]."""
    words = block.split()[2:]
    command = []
    for word in words:
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        command.append(word)
    return command


def real_usage(command: list[str]) -> str:
    """What ``ozml COMMAND --help`` prints up to its first blank line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    env["COLUMNS"] = COLUMNS
    done = subprocess.run(
        [sys.executable, "-m", "ozml", *command, "--help"],
        capture_output=True, text=True, env=env, timeout=60, check=True,
    )
    return done.stdout.split("\n\n", 1)[0] + "\n"


BLOCKS = usage_blocks()


def test_the_dry_run_page_shows_the_usage_of_run_and_test() -> None:
    shown = {tuple(command_of(block)) for page, _, block in BLOCKS if page == "docs/dry-run.md"}
    assert {("run",), ("test",)} <= shown


@pytest.mark.parametrize(
    ("page", "line", "block"), BLOCKS, ids=[f"{page}:{line}" for page, line, _ in BLOCKS]
)
def test_a_usage_line_in_the_docs_is_what_ozml_prints(page: str, line: int, block: str) -> None:
    command = command_of(block)
    assert command, f"{page}:{line}: no command in {block.splitlines()[0]!r}"
    real = real_usage(command)
    assert block == real, (
        f"{page}:{line} shows another usage line than `ozml {' '.join(command)} --help`;"
        f" it prints:\n{real}"
    )
