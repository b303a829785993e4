"""The default output: each finding with its source line and a caret line, then a summary.

::

    calls/forward.xml:3:4: OZ201 ForwardCall needs Destination
      3 |   <ForwardCall/>
        |    ^~~~~~~~~~~

    Found 1 finding (1 error) in 1 file; 4 files checked.

A clean run prints nothing. File names, messages and source lines are shown through
`style.printable` (the excerpt with ``?`` for each such character), so neither a file's name nor
its content can send escape sequences or line breaks to the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ozml.report import FileReport, Options, Summary, summary_line
from ozml.report.excerpt import excerpt_lines
from ozml.report.style import BLUE, BOLD, Painter, printable

if TYPE_CHECKING:
    from ozml.diagnostics import Diagnostic


def headline(path: str, diagnostic: Diagnostic, paint: Painter) -> str:
    """``path:line:col: CODE message``, the line editors and error parsers read."""
    where = paint(f"{printable(path)}:{diagnostic.line}:{diagnostic.column}:", BOLD)
    code = paint.severity(printable(diagnostic.code), diagnostic.severity)
    return f"{where} {code} {printable(diagnostic.message)}"


def write_statistics(stream: TextIO, summary: Summary, paint: Painter) -> None:
    rows = summary.statistics()
    if not rows:
        return
    names = [printable(row.name) for row in rows]
    count_width = max(len(str(row.count)) for row in rows)
    name_width = max(len(name) for name in names)
    for row, name in zip(rows, names, strict=True):
        code = paint.severity(printable(row.code), row.severity)
        stream.write(
            f"{row.count:>{count_width}}  {code}  {name:<{name_width}}  {row.severity.label}\n"
        )


class Reporter:
    def __init__(self, stream: TextIO, options: Options) -> None:
        self.stream = stream
        self.options = options
        self.paint = Painter(options.color)

    def file(self, report: FileReport) -> None:
        if self.options.statistics or not report.diagnostics:
            return
        write = self.stream.write
        paint = self.paint
        for diagnostic in report.diagnostics:
            write(headline(report.path, diagnostic, paint) + "\n")
            excerpt = excerpt_lines(report.source, diagnostic.span) if report.source else None
            if excerpt is not None:
                number, line, carets = excerpt
                gutter = " " * len(number)
                write(f"  {paint(number, BLUE)} {paint('|', BLUE)} {line}\n")
                write(
                    f"  {gutter} {paint('|', BLUE)} {paint.severity(carets, diagnostic.severity)}\n"
                )
            write("\n")

    def finish(self, summary: Summary) -> None:
        if self.options.statistics:
            write_statistics(self.stream, summary, self.paint)
        line = summary_line(summary)
        if line is not None and not self.options.quiet:
            self.stream.write(line + "\n")
