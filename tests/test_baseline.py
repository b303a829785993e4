"""Baselines: findings recorded once stay accepted after lines move; new ones are reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from deadline import within
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.baseline import CONTEXT_CHARS, Baseline, BaselineError, BaselineWriter, fingerprint
from ozml.diagnostics import Diagnostic
from ozml.lint import lint_result
from ozml.parser import parse
from ozml.positions import Source

DOC = """\
<Response>
  <ForwardCall/>
  <Speak>Hello</Speak>
  <speak>Bye</speak>
</Response>
"""


def findings(text: str) -> tuple[list[Diagnostic], Source]:
    result = parse(text, "a.xml")
    return lint_result(result), result.source


def record(tmp_path: Path, files: dict[str, str]) -> Baseline:
    writer = BaselineWriter(tmp_path / "baseline.json")
    for name, text in files.items():
        found, source = findings(text)
        writer.add(str(tmp_path / name), found, source)
    writer.write()
    return Baseline.load(tmp_path / "baseline.json")


def new_codes(baseline: Baseline, path: Path, text: str) -> list[str]:
    found, source = findings(text)
    return [f"{d.line} {d.code}" for d in baseline.new(str(path), found, source)]


def test_nothing_is_new_right_after_writing(tmp_path: Path) -> None:
    baseline = record(tmp_path, {"a.xml": DOC})
    assert new_codes(baseline, tmp_path / "a.xml", DOC) == []
    assert baseline.fixed() == 0


def test_inserted_lines_and_reindentation_do_not_make_findings_new(tmp_path: Path) -> None:
    baseline = record(tmp_path, {"a.xml": DOC})
    moved = (
        "<!-- a new header comment -->\n\n"
        + DOC.replace("<Response>\n", "<Response>\n  <Speak>Welcome</Speak>\n\n")
        .replace("  <ForwardCall/>", "        <ForwardCall/>")
    )
    found, _ = findings(moved)
    assert [d.line for d in found] == [6, 8]  # the findings did move
    assert new_codes(baseline, tmp_path / "a.xml", moved) == []


def test_a_new_finding_is_reported_and_a_fixed_one_counted(tmp_path: Path) -> None:
    baseline = record(tmp_path, {"a.xml": DOC})
    changed = DOC.replace("<speak>Bye</speak>", "<Speak>Bye</Speak>\n  <Play/>")
    assert new_codes(baseline, tmp_path / "a.xml", changed) == ["5 OZ201"]
    assert baseline.fixed() == 1  # the non-canonical <speak> is gone


def test_a_third_copy_of_a_twice_accepted_line_is_new(tmp_path: Path) -> None:
    twice = "<Response>\n  <ForwardCall/>\n  <ForwardCall/>\n</Response>\n"
    baseline = record(tmp_path, {"a.xml": twice})
    stored = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [(e["code"], e["count"]) for e in stored] == [("OZ201", 2)]
    thrice = twice.replace("</Response>", "  <ForwardCall/>\n</Response>")
    assert new_codes(baseline, tmp_path / "a.xml", thrice) == ["4 OZ201"]


def test_findings_are_per_file(tmp_path: Path) -> None:
    baseline = record(tmp_path, {"a.xml": DOC})
    assert len(new_codes(baseline, tmp_path / "b.xml", DOC)) == 2


def test_paths_are_relative_to_the_baseline_file(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    record(tmp_path, {"calls/a.xml": DOC})
    stored = json.loads((tmp_path / "baseline.json").read_text())
    assert {e["path"] for e in stored["findings"]} == {"calls/a.xml"}
    assert stored["version"] == 1
    old = Path.cwd()
    os.chdir(tmp_path / "calls")
    try:
        baseline = Baseline.load("../baseline.json")
        assert new_codes(baseline, Path("a.xml"), DOC) == []
    finally:
        os.chdir(old)


def test_the_fingerprint_ignores_the_message() -> None:
    found, source = findings(DOC)
    first = found[0]
    reworded = Diagnostic(first.code, first.name, first.severity, "other words", first.span)
    assert fingerprint(reworded, source) == fingerprint(first, source)
    other_code = Diagnostic("OZ202", first.name, first.severity, first.message, first.span)
    assert fingerprint(other_code, source) != fingerprint(first, source)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a baseline file: Expecting value: line 1 column 1 (char 0)"),
        ('{"version": 7, "findings": []}', "baseline version 7 is not supported (expected 1);"
         " write it again with --write-baseline"),
        ('{"version": 1}', "not a baseline file: expected an object with version 1 and a list"
         " of findings, each with path, code and fingerprint"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError) as caught:
        Baseline.load(path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError) as caught:
        Baseline.load(tmp_path / "nope.json")
    assert str(caught.value) == (
        f"{tmp_path / 'nope.json'}: no such baseline file (write one with --write-baseline)"
    )


def _fingerprint_of_whole_lines(diagnostic: Diagnostic, source: Source) -> str:
    """The fingerprint as it was first written: the whole text of the finding's lines."""
    import hashlib
    import re

    space = re.compile(r"\s+")
    span = diagnostic.span
    lines = "\n".join(source.line_text(n) for n in range(span.line, span.end_line + 1))
    parts = [
        diagnostic.code,
        space.sub(" ", source.text[span.start : span.end]).strip(),
        space.sub(" ", lines).strip(),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


_BODIES = st.lists(
    st.sampled_from(
        [
            "<ForwardCall/>", "<speak>Bye</speak>", '<Speak Bogus="1">Hi</Speak>',
            '<Speak\n   Bogus="2">Hi</Speak>', "<Speek>x</Speek>", "  ", "\t", "<!-- x -->",
        ]
    ),
    max_size=12,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_BODIES, st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["", " ", "\n"]))
def test_fingerprints_of_ordinary_lines_are_as_ever(
    body: list[str], newline: str, between: str
) -> None:
    """Baselines written before `CONTEXT_CHARS` still match: on lines shorter than that, a
    fingerprint reads the whole lines, as it always did."""
    text = ("<Response>" + between.join(body) + "</Response>\n").replace("\n", newline)
    found, source = findings(text)
    for diagnostic in found:
        assert fingerprint(diagnostic, source) == _fingerprint_of_whole_lines(diagnostic, source)


def test_a_finding_on_a_long_line_reads_the_text_around_it() -> None:
    body = "".join(f'<Speak Bogus="{i}">Hi</Speak>' for i in range(2000))
    found, source = findings(f"<Response>{body}</Response>")
    assert len(source.text) > 4 * CONTEXT_CHARS
    prints = [fingerprint(d, source) for d in found]
    assert len(set(prints)) == len(prints)  # the text around each differs
    # A command added far from the last finding leaves its fingerprint as it was (reading the
    # whole line, it would change); one added beside it changes it.
    far, far_source = findings(f"<Response><Play>a.wav</Play>{body}</Response>")
    near, near_source = findings(f"<Response>{body}<Play>a.wav</Play></Response>")
    assert len(far) == len(near) == len(found)
    assert fingerprint(far[-1], far_source) == prints[-1]
    assert fingerprint(near[-1], near_source) != prints[-1]


def test_reported_case_a_baseline_of_many_findings_on_one_line() -> None:
    # Each finding's fingerprint read its whole line: a baseline (or a SARIF report) of 6,400
    # findings on one line of 187 KB took 44 s. A long line is now read around the finding.
    within(
        """
        from ozml.baseline import fingerprint
        from ozml.lint import lint_result
        from ozml.parser import parse

        n = 40_000
        body = "".join(f'<Speak Bogus="{i}">Hi</Speak>' for i in range(n))
        result = parse(f"<Response>{body}</Response>", "long.xml")
        found = lint_result(result)
        assert len({fingerprint(d, result.source) for d in found}) == n
        """,
        seconds=60.0,
    )
