"""The formatter and suppression comments: after ``ozml fmt``, ``ozml check`` reports what it
reported before (docs/formatter.md, docs/suppressions.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import documents, untidy

from ozml.fixes import fix_source
from ozml.formatter import FormatError, format_text
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


# --- a noqa comment keeps covering what it covered -----------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "<Response><!-- ozml: noqa OZ201 --><ForwardCall/></Response>",
            "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n",
        ),
        (
            "<Response>\n<!-- ozml: noqa OZ201 -->\n<ForwardCall/> <ForwardCall/></Response>",
            "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n"
            "  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n",
        ),
        (
            "<Response><ForwardCall/> <ForwardCall/> <!-- ozml: noqa OZ201 --></Response>",
            "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n"
            "  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n",
        ),
        (
            "<Response><ForwardCall/> <!-- ozml: noqa OZ201 --> <ForwardCall/></Response>",
            "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n"
            "  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n",
        ),
        (
            # What `ozml check --add-noqa` writes for a document on one line: each element
            # gets the codes of its own findings.
            '<Response><ForwardCall/><Speak Party="x">Hi</Speak></Response>'
            " <!-- ozml: noqa OZ201,OZ202 -->",
            "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n"
            '  <Speak Party="x">Hi</Speak> <!-- ozml: noqa OZ202 -->\n</Response>\n',
        ),
        (
            # A comment that already covers its element stays where it is.
            "<Response>\n  <!-- ozml: noqa OZ201 -->\n  <ForwardCall/>\n</Response>\n",
            "<Response>\n  <!-- ozml: noqa OZ201 -->\n  <ForwardCall/>\n</Response>\n",
        ),
    ],
)
def test_a_noqa_comment_ends_up_on_the_line_of_what_it_suppresses(
    source: str, expected: str
) -> None:
    assert lint(source) == []
    formatted = format_text(source)
    assert formatted == HEAD + expected
    assert lint(formatted) == []
    assert format_text(formatted) == formatted


def test_fmt_after_add_noqa_leaves_a_one_line_file_clean(tmp_path: Path) -> None:
    source = '<Response><ForwardCall/><Speak Party="x">Hi</Speak></Response>\n'
    (tmp_path / "a.xml").write_text(source)
    added = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", "--add-noqa", "a.xml"],
        cwd=tmp_path, capture_output=True, timeout=120,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    formatted, status = fmt_then_check(tmp_path, (tmp_path / "a.xml").read_text())
    assert status == 0, formatted


#: Where a comment may go between markup: after a tag's ``>`` and before the next ``<``.
_BETWEEN = re.compile(r">(?=[ \t\r\n]*<)")


@st.composite
def with_noqa(draw: st.DrawFn) -> str:
    """An untidy document with ``noqa`` comments between its tags, each alone on its line,
    before or after content on its line, naming codes of the document's findings (or none)."""
    text = draw(documents().flatmap(untidy))
    codes = sorted({d.code for d in lint(text)} - RENAMES) or ["OZ201"]
    places = [m.end() for m in _BETWEEN.finditer(text)]
    chosen = draw(st.lists(st.sampled_from(places), max_size=3, unique=True)) if places else []
    for place in sorted(chosen, reverse=True):
        named = draw(st.lists(st.sampled_from(codes), max_size=2, unique=True))
        comment = f"<!-- ozml: noqa {','.join(named)} -->"
        before, after = draw(st.sampled_from([("", ""), (" ", ""), ("\n", "\n"), ("", "\n")]))
        text = text[:place] + before + comment + after + text[place:]
    return text


def _unplaced(text: str) -> list[tuple[str, str]]:
    """The findings of `text` but those of the formatter's renames, without the line numbers
    their messages name (formatting moves lines)."""
    return sorted(
        (code, re.sub(r"line \d+", "line N", message))
        for code, message in findings(text)
        if code not in RENAMES
    )


@settings(max_examples=100, deadline=None)
@given(with_noqa())
def test_formatting_never_changes_which_findings_a_file_reports(text: str) -> None:
    try:
        formatted = format_text(text)
    except FormatError as error:
        refused = str(error)
    else:
        refused = ""
    if refused:
        # Only where the comment cannot be moved to its element's line (docs/formatter.md).
        assert "would change what a noqa comment suppresses" in refused
        return
    # The formatter's renames fix the findings they are about (unless suppressed, kept).
    assert _unplaced(formatted) == _unplaced(text)
    assert format_text(formatted) == formatted
