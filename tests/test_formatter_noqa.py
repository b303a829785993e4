"""The formatter and suppression comments: after ``ozml fmt``, ``ozml check`` reports what it
reported before (docs/formatter.md, docs/suppressions.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ozml.fixes import fix_source
from ozml.formatter import format_text
from ozml.lint import LintSettings, lint

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
#: The findings the formatter's renames are about.
RENAMES = {"OZ301", "OZ303"}
#: A legacy script that must keep its old names (docs/suppressions.md).
LEGACY = (
    '<!-- ozml: disable-file legacy-name -->\n<OzML>\n  <Forward Destination="102"/>\n</OzML>\n'
)


def findings(text: str, settings: LintSettings | None = None) -> list[tuple[str, str]]:
    """The findings of a document, without their places (formatting moves them)."""
    found = lint(text, settings=settings or LintSettings())
    return sorted((d.code, d.message) for d in found)


# --- names whose findings are suppressed are kept ------------------------------------------------


def test_a_file_that_suppresses_legacy_names_keeps_them() -> None:
    source = LEGACY
    assert findings(source) == []
    assert format_text(source) == HEAD + source


def test_a_noqa_comment_keeps_the_names_and_values_of_its_line_only() -> None:
    source = (
        "<Response>\n"
        '<speak party="All">x</speak> <!-- ozml: noqa OZ303 -->\n'
        '<speak party="All">y</speak>\n'
        "</Response>\n"
    )
    assert format_text(source) == HEAD + (
        "<Response>\n"
        '  <speak party="All">x</speak> <!-- ozml: noqa OZ303 -->\n'
        '  <Speak Party="all">y</Speak>\n'
        "</Response>\n"
    )


def test_a_suppressed_code_keeps_only_the_names_of_that_code() -> None:
    # OZ301 is suppressed, OZ303 is not: the legacy name stays, the letter case is fixed.
    source = '<Response><call Dialled="102" Url="http://x/"/> <!-- ozml: noqa OZ301 --></Response>'
    formatted = format_text(source)
    assert '  <Call Dialled="102" Url="http://x/"/> <!-- ozml: noqa OZ301 -->\n' in formatted
    assert findings(formatted) == []


@pytest.mark.parametrize(
    "source",
    [
        "<!-- ozml: disable-file legacy-name -->\n<OzML><Forward Destination='1'/></OzML>",
        "<Response><speak>x</speak> <!-- ozml: noqa OZ303 --></Response>",
        "<Response><speak party='All'>x</speak> <!-- ozml: noqa --></Response>",
        "<!-- ozml: disable-file OZ303 -->\n<OzML><speak party='All'>x</speak></OzML>",
        "<Response>\n<Play AudioFile='a.wav' repeat='True'/> <!-- ozml: noqa OZ303 -->\n"
        "<Play AudioFile='a.wav' repeat='True'/></Response>",
    ],
)
def test_the_formatter_renames_exactly_what_check_fix_renames(source: str) -> None:
    fixed = fix_source(source).text
    formatted = format_text(source)
    assert [f for f in findings(formatted) if f[0] in RENAMES] == [
        f for f in findings(fixed) if f[0] in RENAMES
    ]
    assert findings(formatted) == findings(fixed)


def test_the_settings_decide_what_is_suppressed() -> None:
    # With legacy-name switched off there is no finding to suppress: the name is renamed.
    source = "<Response><Forward Destination='1'/> <!-- ozml: noqa OZ301 --></Response>"
    assert "<Forward " in format_text(source)
    off = LintSettings(ignore=["OZ301"])
    assert "<ForwardCall " in format_text(source, settings=off)


def fmt_then_check(cwd: Path, text: str) -> tuple[str, int]:
    (cwd / "a.xml").write_text(text)
    run = [sys.executable, "-m", "ozml"]
    done = subprocess.run([*run, "fmt", "a.xml"], cwd=cwd, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    checked = subprocess.run(
        [*run, "check", "--no-cache", "a.xml"], cwd=cwd, capture_output=True, timeout=120
    )
    return (cwd / "a.xml").read_text(), checked.returncode


def test_fmt_keeps_a_file_that_suppresses_legacy_names_clean(tmp_path: Path) -> None:
    assert fmt_then_check(tmp_path, LEGACY) == (HEAD + LEGACY, 0)


def test_fmt_judges_suppressions_with_the_files_configuration(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text('ignore = ["legacy-name"]\n')
    source = '<Response>\n  <Forward Destination="102"/> <!-- ozml: noqa OZ301 -->\n</Response>\n'
    formatted, status = fmt_then_check(tmp_path, source)
    assert "<ForwardCall " in formatted
    assert status == 0
