"""Comparing a dry run's trace with what a scenario expects, and saying how it differs.

A scenario's `[expect]` section may pin how the first call ends (`end`), the whole trace as
golden lines (`trace`, compared line by line, shown as a unified diff when it differs), and
lines that must appear in this order with anything between them (`includes`).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ozml.interpreter.engine import RunResult
from ozml.interpreter.trace import TraceEvent
from ozml.linediff import unified_diff

#: How many lines of context a trace diff shows around each difference.
DIFF_CONTEXT = 3


@attrs.frozen
class Expectation:
    end: str | None = None
    trace: tuple[str, ...] | None = None
    includes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.end is None and self.trace is None and not self.includes


def golden(events: Sequence[TraceEvent]) -> list[str]:
    return [event.golden() for event in events]


def compare(
    expectation: Expectation, events: Sequence[TraceEvent], result: RunResult
) -> list[str]:
    """Every way the run differs from the expectation, as readable messages (empty: it matches)."""
    problems: list[str] = []
    actual = golden(events)
    if expectation.end is not None and result.ending != expectation.end:
        problems.append(
            f"the call ended with {result.ending!r}, expected {expectation.end!r}"
            + (f" ({result.detail})" if result.detail else "")
        )
    if expectation.trace is not None:
        expected = [line.strip() for line in expectation.trace]
        if expected != actual:
            diff = unified_diff(expected, actual, "expected", "actual", DIFF_CONTEXT, "")
            problems.append("the trace differs (- expected, + actual):\n" + "\n".join(diff))
    if expectation.includes:
        missing = _first_missing([line.strip() for line in expectation.includes], actual)
        if missing is not None:
            index, line = missing
            after = (
                f" after {expectation.includes[index - 1].strip()!r}" if index > 0 else ""
            )
            listing = "\n".join(f"  {line}" for line in actual)
            problems.append(
                f"the trace does not include {line!r}{after}; the actual trace is:\n{listing}"
            )
    return problems


def _first_missing(wanted: Sequence[str], actual: Sequence[str]) -> tuple[int, str] | None:
    """The first wanted line not found in order in `actual`, with its index."""
    position = 0
    for index, line in enumerate(wanted):
        try:
            position = actual.index(line, position) + 1
        except ValueError:
            return index, line
    return None


def toml_string(text: str) -> str:
    """A TOML string for `text`: a literal string when possible, which reads best."""
    if "'" not in text and not any(ch < " " or ch == "\x7f" for ch in text):
        return f"'{text}'"
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    escaped = "".join(ch if ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def expect_section(events: Sequence[TraceEvent], result: RunResult) -> str:
    """An `[expect]` section pinning this run, ready to paste into a scenario file."""
    lines = ["[expect]", f"end = {toml_string(result.ending)}", "trace = ["]
    lines.extend(f"    {toml_string(line)}," for line in golden(events))
    lines.append("]")
    return "\n".join(lines) + "\n"


__all__ = ["Expectation", "compare", "expect_section", "golden", "toml_string"]
