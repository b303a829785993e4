"""docs/cli.md and docs/lint.md: every link to a section (``page.md#anchor`` or ``#anchor``)
names a heading or an ``<a id>`` of its page, and the command-line reference lists every ruff
option a user would reach for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
LINK = re.compile(r"\]\(([^)\s]*?)#([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
ID = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link: its text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    found: set[str] = set(ID.findall(text))
    counts: dict[str, int] = {}
    for heading in HEADING.findall(text):
        base = slug(heading)
        n = counts.get(base, 0)
        counts[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def test_slug_is_githubs() -> None:
    assert slug("`ozml check [PATH...]`") == "ozml-check-path"
    assert slug("In CI and pre-commit") == "in-ci-and-pre-commit"
    assert slug("D1 Target: Ozeki 10") == "d1-target-ozeki-10"


@pytest.mark.parametrize("name", ["cli.md", "lint.md", "ci.md", "suppressions.md"])
def test_every_section_link_resolves(name: str) -> None:
    page = DOCS / name
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    broken = []
    for target, anchor in LINK.findall(text):
        if target.startswith(("http://", "https://")):
            continue
        other = page if not target else (page.parent / target)
        if not other.is_file():
            broken.append(f"{target}#{anchor}: no such page")
        elif anchor not in anchors(other):
            broken.append(f"{target or name}#{anchor}")
    assert broken == []


RUFF = [
    "--select", "--extend-select", "--ignore", "--fix", "--unsafe-fixes", "--show-fixes",
    "--diff", "--exit-zero", "--exit-non-zero-on-fix", "--output-format", "-o", "--config",
    "--isolated", "--show-files", "--show-settings", "--statistics", "--watch",
    "--respect-gitignore", "--no-respect-gitignore", "--force-exclude", "--extend-exclude",
    "--per-file-ignores", "--target-version", "--line-length", "--preview", "--cache-dir",
    "--no-cache", "-q", "-v", "-s", "--color", "ruff format", "ruff rule", "ruff version",
    "ruff linter", "ruff generate-shell-completion",
]


def test_the_ruff_table_has_a_row_for_each_option() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    table = text[text.index("## Coming from ruff") :]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| ")]
    missing = [
        option for option in RUFF if not any(f"`{option}" in row for row in rows)
    ]
    assert missing == []
