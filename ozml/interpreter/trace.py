"""Trace events, one per step the engine takes, and the sinks that write them.

An event says when (virtual time), where (document, line, column), what (the command, or one of
the engine's own events: `input`, `fetch`, `notify`, `end`), with which parameters after
substitution, and how it went (`result`, a short word that scenario tests compare, and `detail`,
free text for people). Three renderings of the same events:

* text (`TextSink`), for reading: ``   1.000 ivr.xml:7:6 BlindTransfer Target="102" -> failed``
* JSON lines (`JsonLinesSink`), one object per line, for tools (format in docs/dry-run.md)
* golden lines (`TraceEvent.golden`), the stable form scenario files expect:
  ``1s BlindTransfer Target="102" -> failed`` (no positions, so editing a script's layout does
  not break its tests)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol, TextIO, runtime_checkable

from ozml.interpreter.context import Position
from ozml.report.style import printable

#: The engine's own event names (commands are PascalCase, these are lower case).
INPUT = "input"
FETCH = "fetch"
NOTIFY = "notify"
END = "end"


def quote(value: str) -> str:
    """A parameter value as traces print it: double quotes, JSON escapes."""
    return json.dumps(value, ensure_ascii=False)


def first_named(names: Sequence[str], limit: int) -> str:
    """``A, B, C and 4 more``: the first `limit` of `names`, joined, then how many are left
    out. How the trace names a list: the attributes a command leaves out, the child elements
    it does not run, the files a URL map gives, the references a URL keeps as written."""
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def format_params(params: Mapping[str, str]) -> str:
    return " ".join(f"{name}={quote(value)}" for name, value in params.items())


def format_time(seconds: float) -> str:
    """Seconds as golden lines print them: `0s`, `1.5s` (six significant digits at most)."""
    return f"{round(seconds, 6):g}s"


class TraceEvent(NamedTuple):
    time: float
    call: str
    position: Position
    command: str
    params: Mapping[str, str]
    result: str
    detail: str = ""
    depth: int = 0
    #: When the step ended, for a step cut short (a prompt interrupted by a key, anything cut
    #: by the caller hanging up) or a recording; None for the others.
    end: float | None = None
    #: Where the OzML a fetch or a notification got came from, when a run has more than one
    #: place to take answers from (`ozml.interpreter.fetch.origin_note`): ``scenario``, or
    #: ``URL map: FILE``; empty otherwise (and in golden lines, which never show it).
    origin: str = ""

    @property
    def outcome(self) -> str:
        """The result, with the end time when the event has one: ``interrupted at 3s``."""
        if self.end is None:
            return self.result
        return f"{self.result} at {format_time(self.end)}"

    def golden(self) -> str:
        """The stable one-line form compared by scenario tests."""
        params = format_params(self.params)
        middle = f"{self.command} {params}" if params else self.command
        return f"{format_time(self.time)} {middle} -> {self.outcome}"

    def text(self) -> str:
        """The readable one-line form: time, position, nesting, command, result, detail."""
        params = format_params(self.params)
        middle = f"{self.command} {params}" if params else self.command
        line = f"{self.time:8.3f} {self.position} {'  ' * self.depth}{middle} -> {self.outcome}"
        detail = "; ".join(part for part in (self.origin_text, self.detail) if part)
        return f"{line} ({detail})" if detail else line

    @property
    def origin_text(self) -> str:
        """The origin as the text trace says it: ``answer from the URL map: FILE``."""
        return f"answer from the {self.origin}" if self.origin else ""

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "time": round(self.time, 6),
            "call": self.call,
            "source": self.position.source,
            "line": self.position.line,
            "column": self.position.column,
            "command": self.command,
            "params": dict(self.params),
            "result": self.result,
            "detail": self.detail,
            "depth": self.depth,
        }
        if self.end is not None:
            found["end"] = round(self.end, 6)
        if self.origin:
            found["origin"] = self.origin
        return found


@runtime_checkable
class TraceSink(Protocol):
    def emit(self, event: TraceEvent) -> None: ...


class NullSink:
    """Drops every event (benchmarks, runs that only want the result)."""

    def emit(self, event: TraceEvent) -> None:
        return None


class ListSink:
    """Keeps every event in memory, in order."""

    def __init__(self) -> None:
        self.events: list[TraceEvent] = []

    def emit(self, event: TraceEvent) -> None:
        self.events.append(event)


class TextSink:
    """Writes the readable form, with a header line whenever the call changes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.call: str | None = None

    def emit(self, event: TraceEvent) -> None:
        if event.call != self.call:
            self.stream.write(f"-- call {printable(event.call)} --\n")
            self.call = event.call
        # Values come from documents, scenarios and a PBX's answers: nothing in them may act
        # on the terminal (the JSON lines keep them exact).
        self.stream.write(printable(event.text(), keep_tabs=True) + "\n")


class JsonLinesSink:
    """Writes one JSON object per event and line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, event: TraceEvent) -> None:
        self.stream.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")


class TeeSink:
    """Hands every event to several sinks."""

    def __init__(self, *sinks: TraceSink) -> None:
        self.sinks = sinks

    def emit(self, event: TraceEvent) -> None:
        for sink in self.sinks:
            sink.emit(event)


__all__ = [
    "END",
    "FETCH",
    "INPUT",
    "NOTIFY",
    "JsonLinesSink",
    "ListSink",
    "NullSink",
    "TeeSink",
    "TextSink",
    "TraceEvent",
    "TraceSink",
    "first_named",
    "format_params",
    "format_time",
    "quote",
]
