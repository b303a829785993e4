"""Every console, Python and sh snippet of README.md and docs/*.md runs, through sybil (the
conventions: tests/docsnippets and docs/contributing.md, "Writing docs").

Each snippet is a test named after its page and line. The snippets of a page run in page order
whatever is selected: a snippet's test first runs the page's earlier snippets not yet run (their
failures are reported by their own tests).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unittest
from collections.abc import Iterator
from pathlib import Path

import pytest
from docsnippets import (
    ELLIPSIS,
    REPO,
    console_steps,
    documentation_sybil,
    output_matches,
    pages,
    remove_sandboxes,
    run_console,
)
from sybil import Document, Example

#: Pages with snippets that fail as written, not run until they are fixed: temporary, to keep
#: the suite green while a page's owner fixes it. Each entry is "docs/page.md": "the failing
#: blocks (line: why)"; remove it as soon as the page runs. Empty: every page runs.
PENDING: dict[str, str] = {}

SYBIL = documentation_sybil()
DOCUMENTS: dict[Path, Document] = {}
#: Pages sybil cannot read (a directive without its block): one failing test each, so that the
#: other pages' snippets still run.
UNREADABLE: dict[Path, str] = {}
for _page in pages():
    try:
        DOCUMENTS[_page] = SYBIL.parse(_page)
    except Exception as _error:
        UNREADABLE[_page] = f"{type(_error).__name__}: {_error}"
EXAMPLES: dict[Path, list[Example]] = {page: list(doc) for page, doc in DOCUMENTS.items()}
_DONE: dict[Path, list[BaseException | None]] = {}


def _params() -> list[object]:
    found = []
    for page, examples in EXAMPLES.items():
        name = page.relative_to(REPO).as_posix()
        for index, example in enumerate(examples):
            found.append(pytest.param(page, index, id=f"{name}:{example.line}"))
    return found


@pytest.fixture(scope="module", autouse=True)
def _sandboxes() -> Iterator[None]:
    yield
    for document in DOCUMENTS.values():
        remove_sandboxes(document.namespace)


@pytest.mark.parametrize(
    "page", UNREADABLE or [None], ids=lambda p: p.relative_to(REPO).as_posix() if p else "none"
)
def test_every_page_can_be_read(page: Path | None) -> None:
    if page is not None:
        pytest.fail(f"{page.relative_to(REPO)}: {UNREADABLE[page]}")


@pytest.mark.parametrize(("page", "index"), _params())
def test_snippet(page: Path, index: int) -> None:
    __tracebackhide__ = True
    name = page.relative_to(REPO).as_posix()
    if name in PENDING:
        pytest.skip(f"pending a fix of the page: {PENDING[name]}")
    done = _DONE.setdefault(page, [])
    while len(done) <= index:
        example = EXAMPLES[page][len(done)]
        try:
            example.evaluate()
        except BaseException as error:  # reported by the example's own test
            if isinstance(error, KeyboardInterrupt):
                raise
            done.append(error)
        else:
            done.append(None)
    outcome = done[index]
    if isinstance(outcome, unittest.SkipTest):
        pytest.skip(f"{name}:{EXAMPLES[page][index].line} is illustrative: {outcome}")
    if outcome is not None:
        raise outcome


# -- the conventions themselves ------------------------------------------------------------------


def test_every_skip_gives_a_reason_and_is_right_before_a_block_that_runs() -> None:
    bad = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"^<!--\s*skip:?\s*(.*?)\s*-->\n(.*)", text, re.M):
            if not re.fullmatch(r'next\s+"[^"]+"', match.group(1)):
                bad.append(f"{page.name}: {match.group(0)} (no reason)")
            elif not re.match(r"```(console|python)\b", match.group(2)):
                bad.append(f"{page.name}: {match.group(0)} (not before a console or python block)")
    assert bad == []


def test_pending_pages_exist() -> None:
    assert [name for name in PENDING if not (REPO / name).is_file()] == []


def test_console_steps_and_the_ellipsis() -> None:
    assert console_steps("$ a\none\n$ b\n") == [("a", ["one"]), ("b", [])]
    assert output_matches(["x", ELLIPSIS, "z"], ["x", "z"])
    assert output_matches(["x", ELLIPSIS, "z"], ["x", "1", "2", "z"])
    assert output_matches([f"rules (31): OZ001, {ELLIPSIS}"], ["rules (31): OZ001, OZ002"])
    assert not output_matches(["x", "z"], ["x", "y", "z"])
    assert not output_matches(["a ... b"], ["a 1 b"])  # three dots are literal


def test_a_console_block_runs_in_one_shell_with_stderr_and_the_exit_status(tmp_path: Path) -> None:
    block = (
        "$ export GREETING=hi\n"
        "$ echo $GREETING; echo oops >&2\n"
        "hi\n"
        "oops\n"
        "$ ozml check missing.xml; echo $?\n"
        "ozml: error: …\n"
        "2\n"
    )
    results = run_console(block, tmp_path)
    assert [output_matches(expected, printed) for _, expected, printed in results] == [True] * 3
    assert results[2][2][-1] == "2"


def test_file_blocks_are_written_into_the_sandbox(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- file: a/b.xml -->\n```xml\n<Response/>\n```\n\n"
        "```console\n$ cat a/b.xml; ls examples | head -n 1\n<Response/>\nalarm.xml\n```\n",
        encoding="utf-8",
    )
    document = documentation_sybil().parse(page)
    try:
        for example in document:
            example.evaluate()
    finally:
        remove_sandboxes(document.namespace)
    page.write_text("<!-- file: a.xml -->\nno block here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="is not right before a fenced block"):
        documentation_sybil().parse(page)


def test_the_pre_commit_rev_exists_in_this_repository() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of ozml")
    text = (REPO / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    revs = set(re.findall(r"^\s*rev:\s*(\S+)", text, re.M))
    assert revs, "docs/pre-commit.md pins no rev"
    for rev in revs:
        found = subprocess.run(
            ["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=REPO, capture_output=True
        )
        assert found.returncode == 0, f"rev {rev} is not a commit of this repository"
        # ...and it defines every hook the page's configuration uses.
        hooks = subprocess.run(
            ["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=REPO, capture_output=True,
            text=True, check=True,
        ).stdout
        defined = set(re.findall(r"^- id: (\S+)", hooks, re.M))
        used = set(re.findall(r"^\s*- id: (ozml-\S+)", text, re.M))
        assert used <= defined, f"rev {rev} has no hook {sorted(used - defined)}"
