"""How ``ozml test`` reports: text as it goes (pytest's style), JUnit XML and JSON at the end.

Text, the default::

    examples/scenarios/alarm-failed.toml .
    examples/scenarios/ivr-menu-sales.toml F
    ...

    FAILED examples/scenarios/ivr-menu-sales.toml (ivr-menu: sales, transfer succeeds)
        the trace differs (- expected, + actual):
        ...

    30 passed, 1 failed in 0.42s

One line per scenario file with one character per scenario (``.`` passed, ``F`` failed, ``E``
could not run, ``s`` skipped, ``U`` updated); with ``-v`` one line per scenario saying
``PASSED``, ``FAILED``, ``ERROR``, ``SKIPPED`` (with the reason) or ``UPDATED``, followed by its
trace; with ``-q`` only the failures and the summary. Failures and errors are detailed at the
end, then the summary line.

JSON (``--format json``) is one object (docs/dry-run.md, "Reports for CI")::

    {"version": 1,
     "summary": {"passed": 30, "failed": 1, "error": 0, "skipped": 0, "updated": 0,
                 "deselected": 0, "total": 31, "seconds": 0.42},
     "scenarios": [{"path": "...", "description": "...", "status": "failed", "seconds": 0.01,
                    "problems": ["..."], "end": "transferred", "trace": ["0s ... -> ok"]}]}

JUnit XML (``--format junit``): one ``testsuite`` named ``ozml test``, a ``testcase`` per
scenario (``classname`` its folder, ``name`` its file name and description, ``file`` its
path), with ``failure``, ``error`` or ``skipped`` and the trace in ``system-out``.

Everything a scenario file or a run supplies is shown through `style.printable` in text (no
escape sequence reaches a terminal) and stripped of what XML 1.0 cannot hold in JUnit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from ozml.report.style import BOLD, Painter, printable
from ozml.testing.outcome import ERROR, FAILED, PASSED, SKIPPED, UPDATED, Outcome

#: Progress characters and verbose words, per status.
CHARACTERS = {PASSED: ".", FAILED: "F", ERROR: "E", SKIPPED: "s", UPDATED: "U"}
WORDS = {PASSED: "PASSED", FAILED: "FAILED", ERROR: "ERROR", SKIPPED: "SKIPPED",
         UPDATED: "UPDATED"}
_GREEN, _RED, _YELLOW = "\x1b[32m", "\x1b[31m", "\x1b[33m"
COLORS = {PASSED: _GREEN, FAILED: _RED, ERROR: _RED, SKIPPED: _YELLOW, UPDATED: _YELLOW}
#: The JSON report's version: a change that could break a reader raises it.
JSON_VERSION = 1


class Totals:
    """Scenarios by status, the deselected ones, and the wall-clock time."""

    def __init__(self, outcomes: Sequence[Outcome], deselected: int, seconds: float) -> None:
        self.counts = dict.fromkeys(CHARACTERS, 0)
        for outcome in outcomes:
            self.counts[outcome.status] += 1
        self.deselected = deselected
        self.seconds = seconds

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        """``30 passed, 1 failed, 2 errors in 0.42s`` (pytest's words and order)."""
        words = [
            (PASSED, "passed"), (FAILED, "failed"), (ERROR, "error"), (SKIPPED, "skipped"),
            (UPDATED, "updated"),
        ]
        parts = []
        for status, word in words:
            count = self.counts[status]
            if count:
                plural = "s" if status == ERROR and count != 1 else ""
                parts.append(f"{count} {word}{plural}")
        if self.deselected:
            parts.append(f"{self.deselected} deselected")
        return f"{', '.join(parts) or 'no scenarios ran'} in {self.seconds:.2f}s"


def _indented(text: str) -> str:
    return "\n".join(f"    {printable(line, keep_tabs=True)}" for line in text.splitlines())


class TextReport:
    """Writes progress as scenarios run, then the details and the summary."""

    def __init__(self, stream: TextIO, verbosity: int = 0, color: bool = False) -> None:
        self.stream = stream
        self.verbosity = verbosity
        self.paint = Painter(color)

    def begin(self, outcome_path: str) -> None:
        """Before a scenario file runs (the progress line's start)."""
        if self.verbosity == 0:
            self.stream.write(f"{printable(outcome_path)} ")
            self.stream.flush()

    def end(self, outcome: Outcome) -> None:
        """After it ran."""
        paint = self.paint
        status = outcome.status
        if self.verbosity == 0:
            self.stream.write(paint(CHARACTERS[status], COLORS[status]) + "\n")
        elif self.verbosity > 0:
            word = paint(WORDS[status], COLORS[status])
            reason = f" ({printable(outcome.problems[0])})" if status == SKIPPED else ""
            if status == PASSED and outcome.scenario and outcome.scenario.expect.empty:
                reason = " (no [expect]: only checked that it ran)"
            self.stream.write(f"{printable(outcome.label)} {word}{reason}\n")
            if outcome.run is not None:
                for event in outcome.run.events:
                    self.stream.write(f"    {printable(event.text(), keep_tabs=True)}\n")
        self.stream.flush()

    def finish(
        self, outcomes: Sequence[Outcome], totals: Totals, notes: Sequence[str] = ()
    ) -> None:
        write = self.stream.write
        paint = self.paint
        shown = [o for o in outcomes if o.status in (FAILED, ERROR)]
        if shown and self.verbosity >= 0:
            write("\n")
        for outcome in shown:
            write(paint(f"{WORDS[outcome.status]} {printable(outcome.label)}", BOLD) + "\n")
            for problem in outcome.problems:
                write(_indented(problem) + "\n")
        for note in notes:
            write(printable(note) + "\n")
        worst = (
            FAILED if totals.counts[FAILED] or totals.counts[ERROR]
            else PASSED if totals.counts[PASSED] or totals.counts[UPDATED] else SKIPPED
        )
        if self.verbosity >= 0 or shown or notes:
            write("\n")
        write(paint(totals.line(), COLORS[worst]) + "\n")


def _golden(outcome: Outcome) -> list[str] | None:
    if outcome.run is None:
        return None
    return [event.golden() for event in outcome.run.events]


def json_report(outcomes: Sequence[Outcome], totals: Totals) -> dict[str, Any]:
    """The JSON report as a Python object (the module's docstring shows its shape)."""
    summary: dict[str, Any] = dict(totals.counts)
    summary.update(deselected=totals.deselected, total=totals.total,
                   seconds=round(totals.seconds, 3))
    return {
        "version": JSON_VERSION,
        "summary": summary,
        "scenarios": [
            {
                "path": outcome.path.as_posix(),
                "description": outcome.description,
                "status": outcome.status,
                "seconds": round(outcome.seconds, 3),
                "problems": list(outcome.problems),
                "end": None if outcome.run is None else outcome.run.result.ending,
                "trace": _golden(outcome),
            }
            for outcome in outcomes
        ],
    }


def write_json(stream: TextIO, outcomes: Sequence[Outcome], totals: Totals) -> None:
    # ASCII: a file name that is not UTF-8 (a lone surrogate here) stays valid JSON text.
    json.dump(json_report(outcomes, totals), stream, indent=2, ensure_ascii=True)
    stream.write("\n")


#: Characters XML 1.0 cannot hold, even escaped.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: str) -> str:
    return escape(_INVALID.sub("\ufffd", value))


def _xml_attr(value: str) -> str:
    return quoteattr(_INVALID.sub("\ufffd", value))


def write_junit(stream: TextIO, outcomes: Sequence[Outcome], totals: Totals) -> None:
    """The JUnit XML report (the module's docstring describes it)."""
    counts = totals.counts
    failures, errors = counts[FAILED], counts[ERROR]
    skipped = counts[SKIPPED]
    attributes = (
        f'name="ozml test" tests="{totals.total}" failures="{failures}" errors="{errors}"'
        f' skipped="{skipped}" time="{totals.seconds:.3f}"'
    )
    write = stream.write
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(f"<testsuites {attributes}>\n")
    write(f"  <testsuite {attributes}>\n")
    for outcome in outcomes:
        name = outcome.path.name + (f" ({outcome.description})" if outcome.description else "")
        folder = outcome.path.parent.as_posix()
        write(
            f"    <testcase classname={_xml_attr(folder)} name={_xml_attr(name)}"
            f" file={_xml_attr(outcome.path.as_posix())} time=\"{outcome.seconds:.3f}\""
        )
        golden = _golden(outcome)
        if outcome.status in (PASSED, UPDATED) and not golden:
            write("/>\n")
            continue
        write(">\n")
        text = "\n".join(outcome.problems)
        first = outcome.problems[0].splitlines()[0] if outcome.problems else ""
        if outcome.status == FAILED:
            write(f"      <failure message={_xml_attr(first)}>{_xml_text(text)}</failure>\n")
        elif outcome.status == ERROR:
            write(f"      <error message={_xml_attr(first)}>{_xml_text(text)}</error>\n")
        elif outcome.status == SKIPPED:
            write(f"      <skipped message={_xml_attr(first)}/>\n")
        if golden:
            write(f"      <system-out>{_xml_text(chr(10).join(golden))}</system-out>\n")
        write("    </testcase>\n")
    write("  </testsuite>\n")
    write("</testsuites>\n")


#: What Markdown could read as formatting in a heading or a paragraph, backslash-escaped.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~&])")


def _markdown(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", printable(text))


def write_mermaid(stream: TextIO, outcomes: Sequence[Outcome], totals: Totals) -> None:
    """The Markdown report: per scenario a heading (its path, description and status), then
    the run as a Mermaid sequence diagram in a ``mermaid`` block (GitHub renders it in pull
    requests, issues and Markdown files); why a scenario failed, in an indented block; why
    one did not run, in a paragraph. Nothing in it depends on the clock, so it can be kept as
    a golden file."""
    from ozml.interpreter.mermaid import render

    write = stream.write
    for index, outcome in enumerate(outcomes):
        if index:
            write("\n")
        write(f"## {_markdown(outcome.label)}: {outcome.status}\n\n")
        if outcome.run is not None:
            write("```mermaid\n" + render(outcome.run.events) + "```\n")
        if outcome.status == FAILED and outcome.problems:
            write("\n" if outcome.run is not None else "")
            for problem in outcome.problems:
                for line in problem.splitlines():
                    write(f"    {printable(line, keep_tabs=True)}\n".replace("    \n", "\n"))
        elif outcome.status in (ERROR, SKIPPED) and outcome.problems:
            write(_markdown(outcome.problems[0].replace("\n", " ")) + "\n")


__all__ = [
    "CHARACTERS",
    "JSON_VERSION",
    "WORDS",
    "TextReport",
    "Totals",
    "json_report",
    "write_json",
    "write_junit",
    "write_mermaid",
]
