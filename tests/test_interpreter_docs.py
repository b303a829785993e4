"""The interpreter's documentation runs: its Python examples and its console sessions produce
exactly the output the pages show."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


def blocks(page: str, language: str) -> list[tuple[str, str]]:
    """(block, the text following it) for every fenced block of `language` on the page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    pattern = re.compile(rf"```{language}\n(.*?)```(.*?)(?=```|\Z)", re.S)
    return [(m.group(1), m.group(2)) for m in pattern.finditer(text)]


def test_the_executor_example_prints_what_the_page_says(tmp_path: Path) -> None:
    (code, _), *_ = blocks("executors.md", "python")
    text = (DOCS / "executors.md").read_text(encoding="utf-8")
    shown = re.search(r"It prints:\n\n```text\n(.*?)```", text, re.S)
    assert shown is not None
    script = tmp_path / "console.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown.group(1)


def test_the_python_example_of_the_dry_run_page_runs() -> None:
    (code, _), *_ = blocks("dry-run.md", "python")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "transferred"
    assert lines[-1] == "11.6s end -> transferred"


def sessions() -> list[object]:
    """Console sessions of dry-run.md of one `$ ozml ...` command that runs in the checkout
    as it is (not on a file the page writes), with its output."""
    found = []
    for block, _ in blocks("dry-run.md", "console"):
        command, _, output = block.partition("\n")
        if (
            command.startswith("$ ozml ")
            and "\n$ " not in output
            and "everything.scenario.toml" not in command
        ):
            found.append(pytest.param(command[2:], output, id=command[2:]))
    return found


def matches(expected: str, actual: str) -> bool:
    """`actual` is what a console block shows: "…" in a line stands for any text on it (a
    time), a line that is only "…" for any number of lines."""
    pattern = "\n".join(
        "(?:.*\n)*?.*" if line == "\u2026" else ".*".join(map(re.escape, line.split("\u2026")))
        for line in expected.rstrip("\n").split("\n")
    )
    return re.fullmatch(pattern, actual.rstrip("\n")) is not None


@pytest.mark.parametrize(("command", "output"), sessions())
def test_console_sessions_of_the_dry_run_page(command: str, output: str) -> None:
    args = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "ozml", *args], capture_output=True, text=True, timeout=60,
        cwd=REPO,
    )
    assert matches(output, done.stdout), (done.stdout, done.stderr)


def test_the_package_docstring_example_runs() -> None:
    import doctest

    import ozml.interpreter

    failures, tried = doctest.testmod(ozml.interpreter, optionflags=doctest.ELLIPSIS)
    assert (failures, tried > 0) == (0, True)


def test_every_exported_name_exists() -> None:
    import ozml.interpreter

    assert [n for n in ozml.interpreter.__all__ if not hasattr(ozml.interpreter, n)] == []


def toml_snippets() -> list[object]:
    """The page's scenarios (not the pytest configuration it shows), each with where the page
    puts it (``<!-- file: NAME -->``), else as a scenario in examples/scenarios."""
    page = (DOCS / "dry-run.md").read_text(encoding="utf-8")
    found = []
    for n, match in enumerate(re.finditer(r"(?:<!-- file: (\S+) -->\n)?```toml\n(.*?)```", page,
                                          re.S)):
        name, block = match.groups()
        if "[tool.pytest" in block:
            continue
        path = REPO / (name or "examples/scenarios/snippet.toml")
        found.append(pytest.param(block, path, id=f"toml-{n}"))
    return found


@pytest.mark.parametrize(("snippet", "path"), toml_snippets())
def test_every_scenario_snippet_of_the_dry_run_page_is_a_valid_scenario(
    snippet: str, path: Path
) -> None:
    from ozml.interpreter.scenario import parse_scenario

    scenario = parse_scenario(snippet, path)
    assert scenario.path == path
