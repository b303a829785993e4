"""One line per finding, ``path:line:col: CODE message``, for editors' error parsers.

The summary line at the end does not look like a finding, so parsers skip it; ``--quiet``
leaves it out.
"""

from __future__ import annotations

from typing import TextIO

from ozml.report import FileReport, Options, Summary, summary_line
from ozml.report.style import Painter
from ozml.report.text import headline, write_statistics


class Reporter:
    def __init__(self, stream: TextIO, options: Options) -> None:
        self.stream = stream
        self.options = options
        self.paint = Painter(options.color)

    def file(self, report: FileReport) -> None:
        if self.options.statistics:
            return
        for diagnostic in report.diagnostics:
            self.stream.write(headline(report.path, diagnostic, self.paint) + "\n")

    def finish(self, summary: Summary) -> None:
        if self.options.statistics:
            write_statistics(self.stream, summary, self.paint)
        line = summary_line(summary)
        if line is not None and not self.options.quiet:
            self.stream.write(line + "\n")
