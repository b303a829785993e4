"""Output formats of `ozml check`.

A format is a module under `ozml.report` with a `Reporter` class: built with the output stream
and the `Options`, it is given each file's `FileReport` in order (`file`) and the run's `Summary`
at the end (`finish`). Reporters write as they go, so output starts at once and memory stays
flat however many files are checked. New formats (SARIF, GitHub annotations, JUnit) are new
modules added to `FORMATS`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, TextIO

from ozml.severity import Severity

if TYPE_CHECKING:
    from ozml.diagnostics import Diagnostic
    from ozml.positions import Source

#: Format name → module, as offered by ``ozml check --format``.
FORMATS: dict[str, str] = {
    "text": "ozml.report.text",
    "concise": "ozml.report.concise",
    "json": "ozml.report.json",
    "sarif": "ozml.report.sarif",
    "github": "ozml.report.github",
    "junit": "ozml.report.junit",
}


class FileReport:
    """What checking one file found: findings in source order, or why it could not be read.

    `source` is kept only while the file's findings are shown (for excerpts and positions); a
    clean file carries none.
    """

    __slots__ = ("diagnostics", "error", "path", "seconds", "source")

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic] | None = None,
        source: Source | None = None,
        error: str | None = None,
    ) -> None:
        self.path = path
        self.diagnostics = diagnostics if diagnostics is not None else []
        self.source = source
        self.error = error
        #: How long reading and checking the file took (``ozml check -v`` shows it), if timed.
        self.seconds: float | None = None

    def __repr__(self) -> str:
        return f"FileReport({self.path!r}, {len(self.diagnostics)} findings, error={self.error!r})"


class CodeCount:
    """How often one rule fired, for ``--statistics``."""

    __slots__ = ("code", "count", "fixable", "name", "severity")

    def __init__(self, code: str, name: str, severity: Severity) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.count = 0
        self.fixable = 0


class Summary:
    """Totals over a run: files, findings by severity and by code, unreadable paths."""

    def __init__(self) -> None:
        self.files = 0
        self.files_with_findings = 0
        self.unreadable = 0
        self.by_severity: dict[Severity, int] = dict.fromkeys(Severity, 0)
        self.by_code: dict[str, CodeCount] = {}
        #: Findings whose fix ``--fix`` applies, and those only ``--unsafe-fixes`` applies.
        self.fixable_safe = 0
        self.fixable_unsafe = 0

    def add(self, report: FileReport) -> None:
        if report.error is not None:
            self.unreadable += 1
            return
        self.files += 1
        if not report.diagnostics:
            return
        self.files_with_findings += 1
        for diagnostic in report.diagnostics:
            self.by_severity[diagnostic.severity] += 1
            entry = self.by_code.get(diagnostic.code)
            if entry is None:
                entry = self.by_code[diagnostic.code] = CodeCount(
                    diagnostic.code, diagnostic.name, diagnostic.severity
                )
            entry.count += 1
            fix = diagnostic.fix
            if fix is not None:
                entry.fixable += 1
                if fix.edits:
                    if fix.safe:
                        self.fixable_safe += 1
                    else:
                        self.fixable_unsafe += 1

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def statistics(self) -> list[CodeCount]:
        """Codes by how often they fired, most frequent first, then by code."""
        return sorted(self.by_code.values(), key=lambda entry: (-entry.count, entry.code))

    def failing(self, fail_on: Severity) -> int:
        return sum(n for severity, n in self.by_severity.items() if severity >= fail_on)


class Options:
    """How to show a run: colour, quiet (findings only), statistics instead of findings, and
    the failing severity (formats that mark failures, such as JUnit, need it)."""

    __slots__ = ("color", "fail_on", "quiet", "statistics")

    def __init__(
        self,
        *,
        color: bool = False,
        quiet: bool = False,
        statistics: bool = False,
        fail_on: Severity = Severity.WARNING,
    ):
        self.color = color
        self.quiet = quiet
        self.statistics = statistics
        self.fail_on = fail_on


class Reporter(Protocol):
    def file(self, report: FileReport) -> None: ...

    def finish(self, summary: Summary) -> None: ...


class ReporterFactory(Protocol):
    def __call__(self, stream: TextIO, options: Options) -> Reporter: ...


def reporter(name: str, stream: TextIO, options: Options) -> Reporter:
    """The reporter of format `name` (a key of `FORMATS`)."""
    module = importlib.import_module(FORMATS[name])
    factory: ReporterFactory = module.Reporter
    return factory(stream, options)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def severity_counts(summary: Summary) -> str:
    """``2 errors, 1 warning``: the severities that occurred, worst first."""
    words = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
    parts = [
        plural(
            summary.by_severity[severity],
            words[severity],
            "info" if severity is Severity.INFO else None,
        )
        for severity in sorted(Severity, reverse=True)
        if summary.by_severity[severity]
    ]
    return ", ".join(parts)


def summary_line(summary: Summary) -> str | None:
    """The last line of the text formats when there are findings, e.g. ``Found 3 findings
    (2 errors, 1 warning) in 2 files; 5 files checked.``; None for a clean run, which prints
    nothing (unreadable paths are reported on standard error as they are met)."""
    if not summary.findings:
        return None
    checked = plural(summary.files, "file")
    line = (
        f"Found {plural(summary.findings, 'finding')} ({severity_counts(summary)})"
        f" in {plural(summary.files_with_findings, 'file')}; {checked} checked."
    )
    if summary.unreadable:
        line += f" {plural(summary.unreadable, 'path')} could not be read."
    return line


def closing_line(summary: Summary) -> str:
    """The line that ends a run on a terminal: ``All checks passed! 12 files checked.``, or
    the findings summary (`summary_line`)."""
    line = summary_line(summary)
    if line is not None:
        return line
    if summary.unreadable:
        return (
            f"No findings in {plural(summary.files, 'file')} checked;"
            f" {plural(summary.unreadable, 'path')} could not be read."
        )
    return f"All checks passed! {plural(summary.files, 'file')} checked."


def fix_hint(summary: Summary) -> str | None:
    """``[*] 2 fixable with the --fix option.`` (and how many more ``--unsafe-fixes`` would
    fix), or None when no finding has a fix."""
    safe, unsafe = summary.fixable_safe, summary.fixable_unsafe
    hidden = (
        f"{plural(unsafe, 'hidden fix', 'hidden fixes')} can be enabled with the"
        " --unsafe-fixes option"
    )
    if safe and unsafe:
        return f"[*] {safe} fixable with the --fix option ({hidden})."
    if safe:
        return f"[*] {safe} fixable with the --fix option."
    if unsafe:
        return f"No fixes available ({hidden})."
    return None


__all__ = [
    "FORMATS",
    "CodeCount",
    "FileReport",
    "Options",
    "Reporter",
    "Summary",
    "closing_line",
    "fix_hint",
    "reporter",
    "summary_line",
]
