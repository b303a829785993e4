"""Output formats of ``ozml check`` on hostile file names and document text.

Text for people (text, concise, statistics, GitHub annotations, JUnit's messages) shows control
characters, bidirectional controls and undecodable bytes as escapes, so a file name or a document
cannot move the cursor, recolour the terminal, reorder what is shown or start a new output line
(or a second GitHub workflow command). Machine formats keep names exact: JSON escapes them, SARIF
percent-encodes the bytes of the name in its URIs. Machine formats are complete or absent: an
error part-way through a run leaves standard output empty, never a truncated document.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ozml.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from ozml.positions import Source
from ozml.report import FORMATS, FileReport, Options, Summary, reporter, style
from ozml.report.excerpt import excerpt_lines

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"

FINDING = b"<Response><ForwardCall/></Response>\n"
#: A raw escape sequence, a line break and a bidirectional override in one file name.
HOSTILE = "esc\x1b[31mred\nnew\u202e.xml"
#: A name that is not valid UTF-8 (Python keeps the byte as a lone surrogate).
UNDECODABLE = b"bad\xff.xml"
#: Bytes no text output may carry raw.
RAW = [b"\x1b", b"\xe2\x80\xae", b"\xc2\x9b", b"\xed\xb3\xbf", b"\xff"]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env=env,
    )


def names_supported(tmp_path: Path) -> bool:
    try:
        (tmp_path / "probe\x1b\n").write_bytes(b"")
        with open(os.fsencode(tmp_path) + b"/probe\xff", "wb"):
            pass
    except (OSError, UnicodeError):
        return False
    (tmp_path / "probe\x1b\n").unlink()
    os.unlink(os.fsencode(tmp_path) + b"/probe\xff")
    return True


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder holding a file with an escape sequence and a line break in its name, and a file
    whose name is not valid UTF-8, each with one finding."""
    if not names_supported(tmp_path):
        pytest.skip("the file system refuses such names")
    root = tmp_path / "calls"
    root.mkdir()
    (root / HOSTILE).write_bytes(FINDING)
    with open(os.fsencode(root) + b"/" + UNDECODABLE, "wb") as handle:
        handle.write(FINDING)
    return tmp_path


def assert_no_raw_controls(out: bytes) -> None:
    for raw in RAW:
        assert raw not in out, (raw, out)


# --- text for people ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_text_formats_escape_file_names(hostile: Path, fmt: str) -> None:
    done = run(hostile, "--format", fmt, "calls")
    assert done.returncode == 1, done.stderr
    assert_no_raw_controls(done.stdout)
    lines = done.stdout.decode("utf-8").splitlines()
    heads = sorted(line for line in lines if "OZ201" in line)
    assert heads == [
        "calls/bad\\xff.xml:1:12: OZ201 ForwardCall needs Destination",
        "calls/esc\\x1b[31mred\\x0anew\\u202e.xml:1:12: OZ201 ForwardCall needs Destination",
    ]


def test_statistics_and_colour_stay_printable(hostile: Path) -> None:
    done = run(hostile, "--statistics", "calls")
    assert done.returncode == 1
    assert_no_raw_controls(done.stdout)


def test_messages_and_excerpts_quoting_the_document_are_escaped(tmp_path: Path) -> None:
    # OZ702 quotes the Var's name as written; the source line holds a C1 control (CSI) and a
    # right-to-left override, which the excerpt must not show raw either.
    (tmp_path / "v.xml").write_text(
        '<Response>\n  <Speak>\u202e\x9b[2J</Speak> <Var Id="x&#x202e;y&#x9b;">1</Var>\n'
        "</Response>\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "v.xml")
    assert done.returncode == 1, done.stderr
    assert_no_raw_controls(done.stdout)
    out = done.stdout.decode("utf-8")
    assert "OZ702 Var x\\u202ey\\x9b is defined but $x\\u202ey\\x9b is never used" in out
    # The excerpt still puts its caret under the start of the span (the Var's Id).
    (line, carets) = [row for row in out.splitlines() if row.startswith(("  2 |", "    |"))][:2]
    assert line.index("x&#x202e;") == carets.index("^")


def test_an_excerpt_of_a_broken_document_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "b.xml").write_bytes(b"<Response>\xc2\x9b[2J\xe2\x80\xae<Speak></Response>\n")
    done = run(tmp_path, "b.xml")
    assert done.returncode == 1, done.stderr
    assert b"OZ001" in done.stdout
    assert_no_raw_controls(done.stdout)


def test_github_annotations_escape_names_and_never_start_a_second_command(
    tmp_path: Path,
) -> None:
    if not names_supported(tmp_path):
        pytest.skip("the file system refuses such names")
    evil = "x\n::error file=evil.xml::pwned\r\x1b[2K%0A.xml"
    (tmp_path / evil).write_bytes(FINDING)
    done = run(tmp_path, "--format", "github", evil)
    assert done.returncode == 1, done.stderr
    assert_no_raw_controls(done.stdout)
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2  # one annotation and the summary
    assert lines[0] == (
        "::error file=x%0A%3A%3Aerror file=evil.xml%3A%3Apwned%0D\\x1b[2K%250A.xml,"
        "line=1,col=12,endLine=1,endColumn=23,title=OZ201 missing-parameter"
        "::OZ201 ForwardCall needs Destination"
    )
    assert lines[1].startswith("Found 1 finding")


def test_github_escapes_text_of_unreadable_files_and_messages() -> None:
    out = io.StringIO()
    output = reporter("github", out, Options())
    output.file(FileReport("a\udcff\x1b.xml", error="bad\nthing"))
    message = "Var x\u202e\x9b\n::error::y 50%"
    found = Diagnostic("OZ702", "unused", Severity.ERROR, message, Span(1, 1, 1, 1))
    output.file(FileReport("b.xml", [found]))
    output.finish(Summary())
    lines = out.getvalue().splitlines()
    assert lines == [
        "::error file=a\\xff\\x1b.xml::bad%0Athing",
        "::error file=b.xml,line=1,col=1,endLine=1,endColumn=1,title=OZ702 unused"
        "::OZ702 Var x\\u202e\\x9b%0A::error::y 50%25",
    ]


# --- machine formats: exact names, complete output ---------------------------------------------


def test_json_keeps_names_exact(hostile: Path) -> None:
    done = run(hostile, "--format", "json", "calls")
    assert done.returncode == 1, done.stderr
    found = json.loads(done.stdout)
    assert sorted(item["path"] for item in found) == sorted(
        ["calls/" + os.fsdecode(UNDECODABLE), "calls/" + HOSTILE]
    )


def test_sarif_percent_encodes_the_bytes_of_names(hostile: Path) -> None:
    done = run(hostile, "--format", "sarif", "calls")
    assert done.returncode == 1, done.stderr
    log = json.loads(done.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    uris = sorted(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
    )
    assert uris == ["calls/bad%FF.xml", "calls/esc%1B%5B31mred%0Anew%E2%80%AE.xml"]


def test_sarif_notification_for_an_unreadable_undecodable_name(hostile: Path) -> None:
    missing = os.fsdecode(b"calls/gone\xff\x1b.xml")
    done = run(hostile, "--format", "sarif", "calls", missing)
    assert done.returncode == 2, done.stderr
    log = json.loads(done.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    (note,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    location = note["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "calls/gone%FF%1B.xml"
    assert note["message"]["text"] == "calls/gone\\xff\\x1b.xml: no such file or folder"


def test_junit_on_undecodable_and_hostile_names(hostile: Path) -> None:
    done = run(hostile, "--format", "junit", "calls")
    assert done.returncode == 1, done.stderr
    root = etree.fromstring(done.stdout)
    names = sorted(case.get("name") for case in root.iter("testcase"))
    assert names == ["calls/bad\\xff.xml", "calls/esc\\x1b[31mred\\x0anew\\u202e.xml"]
    texts = [failure.text for failure in root.iter("failure")]
    assert all("\x1b" not in text and "\u202e" not in text for text in texts)


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_an_error_mid_run_leaves_no_truncated_document(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.xml").write_bytes(FINDING)
    (tmp_path / "b" / "y.xml").write_bytes(FINDING)
    (tmp_path / "b" / "ozml.toml").write_text("this is [not toml", encoding="utf-8")
    done = run(tmp_path, "--format", fmt, ".")
    assert done.returncode == 2
    assert done.stdout == b""
    assert b"ozml.toml" in done.stderr


# --- the reporters themselves: any str, complete or nothing ------------------------------------

#: Text of any kind: controls, lone surrogates, bidirectional controls, astral characters.
ANY_TEXT = st.text(
    st.characters(codec=None, categories=None, exclude_categories=()), max_size=12
) | st.sampled_from(["\udcff", "\ud800x", "\x1b[31m", "\n\r", "\u202e", "\x00", "%0A::"])


def reports() -> st.SearchStrategy[list[FileReport]]:
    small = st.integers(1, 9)
    span = st.builds(Span, small, small, small, small)
    fix = st.builds(
        Fix,
        ANY_TEXT,
        st.lists(st.builds(Edit, st.just(0), st.just(1), ANY_TEXT), max_size=2).map(tuple),
        st.booleans(),
    )
    diagnostic = st.builds(
        Diagnostic,
        st.sampled_from(["OZ001", "OZ201", "OZ999"]),
        ANY_TEXT,
        st.sampled_from(list(Severity)),
        ANY_TEXT,
        span,
        suggestion=st.none() | ANY_TEXT,
        fix=st.none() | fix,
    )
    report = st.builds(
        lambda path, found, text, error: FileReport(
            path,
            None if error is not None else sorted(found, key=Diagnostic.sort_key),
            Source(text, path) if text is not None and error is None else None,
            error,
        ),
        ANY_TEXT,
        st.lists(diagnostic, max_size=3),
        st.none() | ANY_TEXT,
        st.none() | ANY_TEXT,
    )
    return st.lists(report, max_size=4)


class Utf8Out(io.TextIOWrapper):
    """Standard output as the CLI has it: UTF-8 text over a byte buffer."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", errors="backslashreplace")

    def data(self) -> bytes:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(found=reports(), statistics=st.booleans())
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_reporter_takes_any_text(fmt: str, found: list[FileReport], statistics: bool) -> None:
    for stream_kind in ("bytes", "text"):
        stream: io.StringIO | Utf8Out = Utf8Out() if stream_kind == "bytes" else io.StringIO()
        options = Options(statistics=statistics)
        output = reporter(fmt, stream, options)
        summary = Summary()
        for report in found:
            summary.add(report)
            output.file(report)
        output.finish(summary)
        data = stream.data() if isinstance(stream, Utf8Out) else stream.getvalue().encode()
        text = data.decode("utf-8")  # whole characters, valid UTF-8
        if fmt in ("json", "sarif"):
            json.loads(text)
        elif fmt == "junit":
            etree.fromstring(data)
        else:
            for raw in ("\x1b", "\u202e", "\r", "\x9b", "\x00", "\udcff"):
                assert raw not in text
            if fmt == "github":
                lines = [line for line in text.split("\n") if line.startswith("::")]
                assert len(lines) == sum(
                    1 if r.error is not None else len(r.diagnostics) for r in found
                )


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_machine_formats_write_nothing_before_the_run_ends(fmt: str) -> None:
    out = io.StringIO()
    output = reporter(fmt, out, Options())
    finding = Diagnostic(
        "OZ201", "missing-parameter", Severity.ERROR, "ForwardCall needs it", Span(1, 1, 1, 2)
    )
    output.file(FileReport("a.xml", [finding]))
    assert out.getvalue() == ""  # an error now would leave standard output empty
    summary = Summary()
    output.finish(summary)
    assert out.getvalue()


#: Texts mostly of ASCII (printable or not), with any other character, lone surrogates included.
TEXTS = st.text(
    st.one_of(
        st.characters(max_codepoint=0x7F),
        st.characters(exclude_categories=()),
        st.sampled_from("\t\x1b\x9b\u202e\u2028\udcff"),
    )
)


@given(TEXTS)
def test_printable_escapes_exactly_what_its_pattern_names(text: str) -> None:
    """Printable ASCII is passed through without the pattern (`style._plain`); every other
    text is escaped by it: both ways give what the pattern alone gives."""
    pattern = style._UNPRINTABLE()
    assert style.printable(text) == pattern.sub(style._escape, text)
    kept = pattern.sub(lambda m: "\t" if m.group() == "\t" else style._escape(m), text)
    assert style.printable(text, keep_tabs=True) == kept
    assert style.printable_each(text, "?", keep_tabs=False) == pattern.sub("?", text)
    each = pattern.sub(lambda m: "\t" if m.group() == "\t" else "?", text)
    assert style.printable_each(text, "?") == each


def test_an_excerpt_shows_line_and_paragraph_separators_as_question_marks() -> None:
    source = Source("<Response>\n  <Speek>a\u2028b\u2029c\x1b</Speek>\n</Response>\n")
    span = source.span(source.text.index("Speek"), source.text.index("Speek") + 5)
    found = excerpt_lines(source, span)
    assert found is not None
    assert found[1] == "  <Speek>a?b?c?</Speek>"
