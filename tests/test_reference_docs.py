"""The documentation: generated examples that work, links that resolve, guides that tell the truth.

The reference pages are generated (`ozml.generate.docs`). The drift check that keeps the
checked-in copies equal to the generator's output, `python -m ozml.generate --check`, is run by
.ci/run, not by this suite (which compares only the schema, the builder module and the pages of
OZ811-OZ815 with their generator). Here: every OzML example on a command page lints clean in the
context it names, every HTTP example uses the catalog's names and valid values, every relative
link and anchor of the documentation resolves. (The sessions of getting-started.md run with every
other snippet, in tests/test_docs_snippets.py.)
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from ozml.catalog import ALL, COMMANDS, Command, MatchKind, lookup_param, values
from ozml.generate import docs
from ozml.lint import RULES, lint

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


@pytest.mark.parametrize("cmd", [c for c in ALL if c.in_ozml], ids=lambda c: c.name)
def test_command_page_example_lints_clean(cmd: Command) -> None:
    example = docs.ozml_example(cmd)
    found = lint(example, f"{cmd.name}.xml")
    expected = set() if cmd.documented else {"OZ502"}  # undocumented commands say so (D6)
    assert {d.code for d in found} == expected, [f"{d.code} {d.message}" for d in found]
    assert f"<{cmd.name}" in example


def test_examples_are_written_for_the_commands_context() -> None:
    assert docs.example_context(next(c for c in COMMANDS if c.name == "ForwardCall")) is not None
    assert "<!-- ozml: context=3pcc -->" in docs.ozml_example(
        next(c for c in COMMANDS if c.name == "BlindTransfer")
    )  # where TransferorParty may be used


@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c.in_http], ids=lambda c: c.name)
def test_command_page_http_example(cmd: Command) -> None:
    url = docs.http_example(cmd).strip()
    split = urllib.parse.urlsplit(url)
    assert f"{split.scheme}://{split.netloc}{split.path}" == docs.API_BASE
    query = urllib.parse.parse_qsl(split.query, strict_parsing=True)
    assert query[0] == ("command", cmd.name)
    assert query[-2:] == [("Username", "USER"), ("Password", "PASSWORD")]
    for name, value in query[1:-2]:
        found = lookup_param(cmd, name)
        assert found is not None, name
        assert found.kind is MatchKind.EXACT, name
        assert values.check(found.param, value) is None, f"{name}={value!r}"
    required = [p.name for p in cmd.http_params if p.required_in]
    assert set(required) <= {name for name, _ in query}


def test_every_rule_and_entry_has_a_page() -> None:
    pages = docs.outputs(REPO)
    assert {p.name for p in pages if p.parent == docs.RULES_DIR} == {
        "index.md",
        *(f"{r.code}.md" for r in RULES),
    }
    assert {p.name for p in pages if p.parent == docs.COMMANDS_DIR} == {
        "index.md",
        *(f"{c.name}.md" for c in ALL),
    }


def test_rule_pages_show_what_ozml_reports() -> None:
    page = docs.rule_page(next(r for r in RULES if r.code == "OZ201"))
    assert "example.xml:2:4: OZ201 ForwardCall needs Destination" in page
    assert "no: fix it by hand" in page
    assert "<!-- ozml: noqa OZ201 -->" in page


# -- links ---------------------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)\s]+)\)")


#: The pages these tests vouch for: the reference pages and the guides written with them.
GUIDES = (
    "index.md",
    "getting-started.md",
    "decisions.md",
    "lint.md",
    "security.md",
    "configuration.md",
    "formatter.md",
    "fixes.md",
    "interpreter.md",
    "contributing.md",
    "pre-commit.md",
    "schema.md",
    "contexts.md",
    "executors.md",
)


def _markdown_files() -> list[Path]:
    """Every page of the docs: the guides (`GUIDES` and every other page in docs/) and the
    generated references."""
    generated = [*(DOCS / "rules").glob("*.md"), *(DOCS / "commands").glob("*.md")]
    return sorted({*(DOCS / name for name in GUIDES), *DOCS.glob("*.md"), *generated})


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r'<a id="([^"]+)"></a>', text))
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-")
        found.add(slug)
    return found


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_links_resolve(page: Path) -> None:
    broken = []
    for target in _LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not checked offline
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        missing = not resolved.exists()
        if missing or (anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved)):
            broken.append(target)
    assert broken == []


def test_decisions_has_every_decision() -> None:
    anchors = _anchors(DOCS / "decisions.md")
    assert {f"d{n}" for n in range(1, 10)} <= anchors


def test_the_quick_start_has_exactly_the_two_commands() -> None:
    """One installs ozml and lints the shipped examples, one installs the test dependencies
    and runs the tests; .ci/run runs the same test command."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert [c.strip() for c in commands] == [
        "pip install . && ozml check examples --exclude examples/bad",
        'pip install -e ".[test]" && pytest',
    ]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]"' in ci
    assert ci.rstrip().splitlines()[-1] == "pytest"
