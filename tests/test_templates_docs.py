"""docs/templates.md tells the truth: each block under a ``<!-- check: ... -->`` comment lints to
exactly what the comment says, is formatted keeping every template part (or refused, for parts
the tree cannot hold), each ``<!-- config -->`` block is a valid configuration, and the Python
blocks run. ``<!-- check templates=php,jinja: ... -->`` (``templates=`` alone: none) lints with
that setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ozml import templates
from ozml.config import load
from ozml.formatter import FormatError, format_text
from ozml.lint import LintSettings, lint

PAGE = Path(__file__).resolve().parent.parent / "docs" / "templates.md"
_BLOCK = re.compile(
    r"<!-- (check|config)(?: templates=([\w,]*))?(?:: (.*?))? -->\n```\w*\n(.*?)```", re.S
)
_PYTHON = re.compile(r"```python\n(.*?)```", re.S)


def blocks(kind: str) -> list[tuple[str | None, str, str]]:
    """(templates setting or None, expected findings, block) of each block of `kind`."""
    text = PAGE.read_text(encoding="utf-8")
    return [
        (m.group(2), m.group(3) or "", m.group(4))
        for m in _BLOCK.finditer(text)
        if m.group(1) == kind
    ]


def test_the_page_has_checked_examples() -> None:
    assert len(blocks("check")) >= 6
    assert len(blocks("config")) >= 2
    assert (PAGE.parent / "index.md").read_text(encoding="utf-8").count("templates.md") == 1


@pytest.mark.parametrize(("syntaxes", "expected", "block"), blocks("check"))
def test_each_example_lints_as_the_page_says(
    syntaxes: str | None, expected: str, block: str
) -> None:
    settings = LintSettings()
    if syntaxes is not None:
        settings = LintSettings(templates=templates.names(filter(None, syntaxes.split(","))))
    found = [f"{d.code} {d.line}:{d.column}" for d in lint(block, "example.php", settings)]
    assert found == ([] if expected == "clean" else expected.split(", "))
    parts = list(templates.find(block))
    if any(p.where in (templates.Where.TAG, templates.Where.OUTSIDE) for p in parts):
        refused = "a template part (inside a tag|outside the root element)"
        with pytest.raises(FormatError, match=refused):
            format_text(block)
        return
    out = format_text(block)
    for part in parts:
        assert block[part.start : part.end] in out


@pytest.mark.parametrize(("_", "__", "block"), blocks("config"))
def test_each_configuration_is_valid(tmp_path: Path, _: str, __: str, block: str) -> None:
    (tmp_path / "ozml.toml").write_text(block, encoding="utf-8")
    assert load(tmp_path / "ozml.toml") is not None


@pytest.mark.parametrize("code", _PYTHON.findall(PAGE.read_text(encoding="utf-8")))
def test_the_python_examples_run(code: str) -> None:
    exec(compile(code, str(PAGE), "exec"), {})
