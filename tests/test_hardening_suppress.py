"""A suppression never hides a document that was not checked, and ``--add-noqa`` never changes
a document's text.

OZ001 (not well-formed), OZ002 (DTD or entity) and OZ003 (too large) mean the document was not
checked: no noqa comment, disable-file, ``ignore``, ``select`` or severity hides them, and a
comment that names one of them is itself reported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

import ozml
from ozml.diagnostics import UNCHECKED_DOCUMENT, Severity
from ozml.lint import LintSettings, directives, noqa
from ozml.parser import parse

BROKEN = "<Response><Speak>hi</Speak"


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", "--format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def codes(text: str, settings: LintSettings | None = None) -> list[str]:
    return [d.code for d in ozml.check(text, "doc.xml", settings)]


# --- comments ------------------------------------------------------------------------------------

COMMENTS = {
    "noqa": "<Response><!-- ozml: noqa --><Speak>hi</Speak",
    "noqa OZ001": "<Response><!-- ozml: noqa OZ001 --><Speak>hi</Speak",
    "noqa by name": "<Response><!-- ozml: noqa not-well-formed --><Speak>hi</Speak",
    "noqa on the line before": "<Response>\n<!-- ozml: noqa -->\n<Speak>hi</Speak",
    "disable-file": "<!-- ozml: disable-file -->\n<Response><Speak>hi</Speak",
    "disable-file OZ001": "<!-- ozml: disable-file OZ001 -->\n<Response><Speak>hi</Speak",
}


@pytest.mark.parametrize("text", COMMENTS.values(), ids=COMMENTS.keys())
def test_a_comment_never_hides_a_document_that_is_not_xml(tmp_path: Path, text: str) -> None:
    (tmp_path / "bad.xml").write_text(text, encoding="utf-8")
    done = check(tmp_path, "bad.xml")
    assert done.returncode == 1, done.stdout
    assert "OZ001 not well-formed XML" in done.stdout
    assert "OZ001" in codes(text)


def test_a_comment_naming_oz001_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text(COMMENTS["noqa OZ001"], encoding="utf-8")
    done = check(tmp_path, "-q", "bad.xml")
    assert done.stdout.splitlines() == [
        "bad.xml:1:27: OZ903 OZ001 cannot be suppressed: a document that is not well-formed"
        " XML is never checked",
        "bad.xml:1:52: OZ001 not well-formed XML: expected '>'",
    ]


def test_a_blanket_comment_in_a_document_that_was_not_checked_is_not_called_unused() -> None:
    # Nothing was checked, so nothing can be said about what the comment suppresses.
    assert codes(COMMENTS["noqa"]) == ["OZ001"]
    assert codes(COMMENTS["disable-file"]) == ["OZ001"]


DTD = "a DOCTYPE or an entity reference always fails the check (ozml expands no entities)"


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("OZ002", DTD),
        ("OZ003", "a document over the size limit is never checked"),
        ("forbidden-dtd", DTD),
    ],
)
def test_every_unchecked_code_named_in_a_comment_is_reported(code: str, why: str) -> None:
    text = f"<Response><!-- ozml: noqa {code},OZ201 --><ForwardCall/></Response>"
    found = ozml.check(text)
    assert [(d.code, d.message) for d in found] == [
        ("OZ903", f"{code} cannot be suppressed: {why}")
    ]


def test_a_comment_still_suppresses_its_other_codes() -> None:
    text = "<Response><ForwardCall/><!-- ozml: disable-file OZ001, OZ201 --></Response>"
    assert codes(text) == ["OZ903"]


def test_a_doctype_is_reported_whatever_the_comments_say() -> None:
    text = (
        '<!DOCTYPE Response [<!ENTITY a "b">]>\n'
        "<!-- ozml: disable-file -->\n"
        "<Response><Speak>hi</Speak> <!-- ozml: noqa OZ002 --></Response>"
    )
    # The blanket disable-file suppresses nothing, and says so: the document was checked.
    assert sorted(set(codes(text))) == ["OZ002", "OZ901", "OZ903"]


def test_a_comment_is_never_added_for_an_unchecked_document(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text(BROKEN, encoding="utf-8")
    done = check(tmp_path, "--add-noqa", "bad.xml")
    assert done.returncode == 1
    assert (tmp_path / "bad.xml").read_text(encoding="utf-8") == BROKEN
    result = parse(BROKEN)
    found = ozml.check(BROKEN)
    added = noqa.add(result.source, directives.scan(result.source), found)
    assert (added.text, added.suppressed) == (BROKEN, 0)


def test_unchecked_codes_are_not_suppressible() -> None:
    assert UNCHECKED_DOCUMENT <= noqa.UNSUPPRESSIBLE


# --- settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["--ignore", "OZ001"],
        ["--ignore", "OZ0"],
        ["--ignore", "not-well-formed"],
        ["--select", "OZ2"],
        ["--select", "OZ201", "--ignore", "ALL"],
    ],
)
def test_the_command_line_never_switches_off_oz001(tmp_path: Path, options: list[str]) -> None:
    (tmp_path / "bad.xml").write_text(BROKEN, encoding="utf-8")
    done = check(tmp_path, *options, "bad.xml")
    assert done.returncode == 1
    assert done.stdout.startswith("bad.xml:1:27: OZ001 ")


def test_the_configuration_never_switches_off_oz001(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text(
        'ignore = ["OZ001", "OZ002", "OZ003"]\n'
        '[per-file-ignores]\n"*.xml" = ["ALL"]\n'
        '[severity]\nOZ001 = "info"\n',
        encoding="utf-8",
    )
    (tmp_path / "bad.xml").write_text(BROKEN, encoding="utf-8")
    done = check(tmp_path, "bad.xml")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("bad.xml:1:27: OZ001 ")


def test_settings_keep_unchecked_codes_on_and_errors() -> None:
    settings = LintSettings(select=["OZ2"], ignore=["OZ0", "ALL"], severities={})
    for code in sorted(UNCHECKED_DOCUMENT):
        assert settings.enabled(code)
    lowered = LintSettings(severities={"OZ001": Severity.INFO, "OZ002": Severity.WARNING})
    assert lowered.severity("OZ001", Severity.ERROR) is Severity.ERROR
    assert lowered.severity("OZ002", Severity.ERROR) is Severity.ERROR
    found = ozml.check(BROKEN, "doc.xml", lowered)
    assert [(d.code, d.severity) for d in found] == [("OZ001", Severity.ERROR)]
    small = LintSettings(max_bytes=20, ignore=["ALL"])
    too_large = ozml.check("<Response/>" * 10, "doc.xml", small)
    assert [d.code for d in too_large] == ["OZ003"]


# --- --add-noqa never changes the text ---------------------------------------------------------

MIXED = {
    "text then a child element": (
        '<Response>\n  <Speak Bogus="1">Hello\n    <Foo/> world</Speak>\n</Response>\n'
    ),
    "a child element then text": (
        "<Response>\n  <Speak>Hello\n    <Foo/>\n    world</Speak>\n</Response>\n"
    ),
    "a comment between texts": (
        '<Response>\n  <Speak Bogus="1">Hello <!--c-->\n  world</Speak>\n</Response>\n'
    ),
    "a finding on a line inside text": (
        "<Response>\n  <Speak>Hello\n    <Foo Bad='1'/>\n    world\n  </Speak>\n</Response>\n"
    ),
    "text at two levels": (
        "<Response>\n  <Foo>a\n    <Bar>b\n      <Baz/>\n    c</Bar>\n  d</Foo>\n</Response>\n"
    ),
    "the root holds text": "<Response>Hi\n  <ForwardCall/>\n  there</Response>\n",
}


def _texts(text: str) -> list[str]:
    """Each element's own text, exactly; white space alone between child elements is layout."""
    root = etree.fromstring(text.encode("utf-8"))
    found = []
    for el in root.iter(etree.Element):
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        found.append(own if own.strip() else "")
    return found


@pytest.mark.parametrize("text", MIXED.values(), ids=MIXED.keys())
def test_add_noqa_never_changes_the_text_of_an_element(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mixed.xml"
    path.write_text(text, encoding="utf-8")
    found = codes(text)
    assert found
    check(tmp_path, "--add-noqa", "mixed.xml")
    after = path.read_text(encoding="utf-8")
    assert _texts(after) == _texts(text)
    result = parse(text)
    added = noqa.add(result.source, directives.scan(result.source), ozml.check(text))
    assert _texts(added.text) == _texts(text)
    # What could be placed is suppressed; what could not is still reported.
    left = check(tmp_path, "-q", "mixed.xml")
    assert sorted(line.split()[1] for line in left.stdout.splitlines()) == sorted(
        d.code for d in added.unplaced
    )


def test_add_noqa_puts_the_comment_after_the_element_that_holds_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.xml"
    path.write_text(MIXED["text then a child element"], encoding="utf-8")
    done = check(tmp_path, "--add-noqa", "mixed.xml")
    assert done.returncode == 0, done.stdout
    assert path.read_text(encoding="utf-8") == (
        "<Response>\n"
        '  <!-- ozml: noqa OZ103 -->\n'
        '  <Speak Bogus="1">Hello\n'
        "    <Foo/> world</Speak> <!-- ozml: noqa OZ102 -->\n"
        "</Response>\n"
    )


def test_the_editor_offers_no_suppression_for_an_unchecked_document() -> None:
    from ozml.lsp.actions import suppression

    half_typed = "<Response>\n  <Speak>hi</Sp\n</Response>\n"
    result = parse(half_typed)
    found = ozml.check(half_typed)
    assert {d.code for d in found} == {"OZ001"}
    assert all(suppression(result.source, d) is None for d in found)
