"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

One line per finding, ``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE
name::message`` (``::warning`` for warnings, ``::notice`` for info), escaped as the runner
expects. GitHub shows them on the changed lines of the pull request and in the run's summary.
A plain summary line follows, which the runner only logs.

Every text (file name, message, the error of an unreadable file) is escaped by the
workflow-command rules: ``%``, carriage return and line feed as ``%25``, ``%0D`` and ``%0A``
(GitHub turns them back, so a file name is matched exactly and a message keeps its lines), and
also ``:`` and ``,`` in property values. Every other character `style.printable` escapes (other
control characters, bidirectional controls, undecodable bytes of a name) is written as a
``\\xNN`` escape, so no escape sequence reaches the log or the terminal. A file name can thus
neither end the annotation's line nor its ``file=`` property, and never starts a second
workflow command.
"""

from __future__ import annotations

import re
from typing import TextIO

from ozml.diagnostics import Diagnostic, Severity
from ozml.report import FileReport, Options, Summary, summary_line
from ozml.report.style import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


_BREAKS = re.compile("(\r|\n)")
_BREAK_ESCAPES = {"\r": "%0D", "\n": "%0A"}


def _data(text: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return "".join(
        _BREAK_ESCAPES.get(part) or printable(part).replace("%", "%25")
        for part in _BREAKS.split(text)
    )


def _property(text: str) -> str:
    """Escape a property value (``file=...``): also ``:`` and ``,``."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(path: str, diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    properties = [
        f"file={_property(path)}",
        f"line={span.line}",
        f"col={span.column}",
        f"endLine={span.end_line}",
        f"endColumn={span.end_column}",
        f"title={_property(f'{diagnostic.code} {diagnostic.name}')}",
    ]
    message = f"{diagnostic.code} {diagnostic.message}"
    return f"::{COMMANDS[diagnostic.severity]} {','.join(properties)}::{_data(message)}"


class Reporter:
    def __init__(self, stream: TextIO, options: Options) -> None:
        self.stream = stream
        self.options = options

    def file(self, report: FileReport) -> None:
        if report.error is not None:
            self.stream.write(
                f"::error file={_property(report.path)}::{_data(report.error)}\n"
            )
            return
        for diagnostic in report.diagnostics:
            self.stream.write(command(report.path, diagnostic) + "\n")

    def finish(self, summary: Summary) -> None:
        line = summary_line(summary)
        if line is not None and not self.options.quiet:
            self.stream.write(line + "\n")
