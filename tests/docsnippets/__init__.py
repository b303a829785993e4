"""Sybil parsers that run the snippets of README.md and docs/*.md (the conventions are written
for authors in docs/contributing.md, "Writing docs").

* A ```python block runs in the page's namespace, in page order, with the working directory at
  the page's sandbox (a temporary copy of the repository's examples/, schema/, README.md and
  docs/*.md, plus the page's file blocks).
* A ```console block runs in a fresh sandbox of its own, in one bash process (so ``export`` and
  ``cd`` carry over within the block). Each ``$ `` line is a command; the lines up to the next
  ``$ `` are its expected output, standard output and standard error together, as a terminal
  shows them. Trailing whitespace and trailing blank lines are not compared. In an expected
  line, ``…`` stands for any text on that line; a line that is only ``…`` stands for any number
  of lines. The exit status is checked where the block shows it (``$ cmd; echo $?``).
* A ```sh block is never run: it is for what cannot run in the sandbox (installing, hooks,
  long benchmarks, commands on the reader's own files). It must be valid bash (``bash -n``).
* ``<!-- file: NAME -->`` before a fenced block writes that block to NAME in the sandbox of
  every later console and Python block of the page.
* ``<!-- skip: next "reason" -->`` (sybil's skip directive) marks the next block illustrative.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, FencedCodeBlockLexer
from sybil.parsers.markdown.skip import SkipParser

REPO = Path(__file__).resolve().parents[2]
#: What every sandbox holds, copied from the checkout.
SANDBOX_TREES = ("examples", "schema")
#: How long one console block may take, in seconds.
TIMEOUT = 60
ELLIPSIS = "…"
_FILES = "__docsnippets_files__"
_PYTHON_SANDBOX = "__docsnippets_python_sandbox__"


class SnippetFailure(AssertionError):
    """A snippet did not do what its page shows."""


def make_sandbox(namespace: dict[str, Any]) -> Path:
    """A new temporary directory holding a copy of what snippets may use, removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="ozml-docs-"))
    for tree in SANDBOX_TREES:
        shutil.copytree(REPO / tree, root / tree)
    shutil.copy2(REPO / "README.md", root / "README.md")
    (root / "docs").mkdir()
    for page in (REPO / "docs").glob("*.md"):
        shutil.copy2(page, root / "docs" / page.name)
    write_files(root, namespace)
    namespace.setdefault("__docsnippets_sandboxes__", []).append(root)
    return root


def write_files(root: Path, namespace: dict[str, Any]) -> None:
    files: dict[str, str] = namespace.get(_FILES, {})
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def remove_sandboxes(namespace: dict[str, Any]) -> None:
    for root in namespace.pop("__docsnippets_sandboxes__", []):
        shutil.rmtree(root, ignore_errors=True)


def environment() -> dict[str, str]:
    """The environment snippets run in: this interpreter's scripts (``ozml``) first on PATH, no
    colour, a fixed width, and none of the reader's OZML_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OZML_", "PYTEST_"))}
    scripts = str(Path(sys.executable).parent)
    env.update(PATH=f"{scripts}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1", COLUMNS="100")
    env.pop("FORCE_COLOR", None)
    return env


class _FencedParser:
    """Fenced blocks whose info string's first word is `language` (``python title="x.py"`` is a
    Python block too), evaluated by `evaluate`."""

    language = ""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(
            language=r".+", mapping={"language": "arguments", "source": "source"}
        )

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.lexer(document):
            info = str(region.lexemes["arguments"]).split()
            if info and info[0] == self.language:
                region.parsed = region.lexemes["source"]
                region.evaluator = self.evaluate
                yield region

    def evaluate(self, example: Example) -> str | None:
        raise NotImplementedError


class PythonParser(_FencedParser):
    language = "python"

    def __init__(self) -> None:
        super().__init__()
        self.python = PythonEvaluator()

    def evaluate(self, example: Example) -> str | None:
        namespace = example.namespace
        if _PYTHON_SANDBOX not in namespace:
            namespace[_PYTHON_SANDBOX] = make_sandbox(namespace)
        root: Path = namespace[_PYTHON_SANDBOX]
        write_files(root, namespace)
        namespace.setdefault("__name__", "docs_snippet")
        with working_directory(root):
            self.python(example)
        return None


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def console_steps(block: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$ `` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif not steps:
            raise SnippetFailure(f"a console block starts with output, not a command: {line!r}")
        else:
            steps[-1][1].append(line)
    return steps


def normal(lines: Iterable[str]) -> list[str]:
    """Lines without trailing whitespace, and without trailing blank lines."""
    found = [line.rstrip() for line in lines]
    while found and not found[-1]:
        found.pop()
    return found


def _line_matches(expected: str, actual: str) -> bool:
    if ELLIPSIS not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split(ELLIPSIS))
    return re.fullmatch(pattern, actual, re.S) is not None


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` is what `expected` shows, with the ellipsis convention."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == ELLIPSIS:
        return any(output_matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and _line_matches(head, actual[0]) and output_matches(rest, actual[1:])


def run_console(block: str, cwd: Path) -> list[tuple[str, list[str], list[str]]]:
    """Run a console block's commands in one bash; (command, expected, printed) of each."""
    steps = console_steps(block)
    marker = f"--- ozml docs snippet {uuid.uuid4().hex} ---"
    script = ["exec 2>&1", "trap 'kill $(jobs -p) 2>/dev/null' EXIT"]
    for command, _ in steps:
        script += [command, f"printf '\\n%s\\n' '{marker}'"]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", "\n".join(script) + "\n"],
        cwd=cwd, env=environment(), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True, timeout=TIMEOUT,
    )
    outputs = done.stdout.split(f"\n{marker}\n")
    results = []
    for n, (command, expected) in enumerate(steps):
        printed = outputs[n].splitlines() if n < len(outputs) - 1 else ["(the block stopped)"]
        results.append((command, normal(expected), normal(printed)))
    return results


class ConsoleParser(_FencedParser):
    language = "console"

    def evaluate(self, example: Example) -> str | None:
        root = make_sandbox(example.namespace)
        failures = []
        for command, expected, printed in run_console(str(example.parsed), root):
            if not output_matches(expected, printed):
                failures.append(
                    f"$ {command}\n--- the page shows:\n" + "\n".join(expected)
                    + "\n--- it printed:\n" + "\n".join(printed)
                )
        shutil.rmtree(root, ignore_errors=True)
        if failures:
            raise SnippetFailure("\n\n".join(failures))
        return None


class ShParser(_FencedParser):
    """A ```sh block is not run; it must still be valid bash."""

    language = "sh"

    def evaluate(self, example: Example) -> str | None:
        done = subprocess.run(
            ["bash", "-n"], input=str(example.parsed), capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0:
            raise SnippetFailure(f"not valid bash: {done.stderr}")
        return None


class FileParser:
    """``<!-- file: NAME -->`` and the fenced block right after it: the page's file NAME."""

    def __init__(self) -> None:
        self.directives = DirectiveInHTMLCommentLexer(directive="file", arguments=r"[^\s>]+")
        self.blocks = FencedCodeBlockLexer(language=r".+", mapping={"source": "source"})

    def __call__(self, document: Document) -> Iterable[Region]:
        fences = {region.start: region for region in self.blocks(document)}
        for directive in self.directives(document):
            start = document.text.index("-->", directive.start) + len("-->")
            while start < len(document.text) and document.text[start] == "\n":
                start += 1
            fence = fences.get(start)
            if fence is None:
                raise ValueError(
                    f"{document.path}: <!-- file: {directive.lexemes['arguments']} --> "
                    "is not right before a fenced block"
                )
            name = str(directive.lexemes["arguments"])
            source = str(fence.lexemes["source"])
            yield Region(directive.start, directive.end, (name, source), self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        name, source = example.parsed
        example.namespace.setdefault(_FILES, {})[name] = source
        return None


def documentation_sybil() -> Sybil:
    return Sybil(
        parsers=[SkipParser(), FileParser(), PythonParser(), ConsoleParser(), ShParser()],
        path=str(REPO),
    )


def pages() -> list[Path]:
    """README.md and docs/*.md."""
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
