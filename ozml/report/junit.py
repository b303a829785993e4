"""JUnit XML, the test-report format CI dashboards read (GitLab, Jenkins, Azure DevOps, ...).

Each checked file is a test case named after its path; a file with findings at or above the
failing severity (``--fail-on``) fails, with one line per finding in the failure's text, and a
file that could not be read is an error. Findings below the failing severity are listed in the
test case's ``system-out``. The totals go on the ``testsuites`` and ``testsuite`` elements, so
the test cases are kept (in a spool, `ozml.report.spool`) until the run ends; a run that stops
part-way prints nothing rather than half a report.

Test case names, messages and finding lines are for people: they go through `style.printable`
(control characters, bidirectional controls and undecodable bytes of file names as ``\\xNN``
escapes), which also keeps them within what XML 1.0 can hold.
"""

from __future__ import annotations

import re
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ozml.diagnostics import Diagnostic
from ozml.report import FileReport, Options, Summary, plural
from ozml.report.spool import Spool
from ozml.report.style import printable

#: Characters XML 1.0 cannot hold, even escaped.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Element text: `value` is made of lines already made printable."""
    return escape(_INVALID.sub("\ufffd", value))


def _attr(value: str) -> str:
    return quoteattr(_INVALID.sub("\ufffd", printable(value)))


def line(path: str, diagnostic: Diagnostic) -> str:
    return (
        f"{printable(path)}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code}"
        f" [{diagnostic.severity.label}] {printable(diagnostic.message)}"
    )


class Reporter:
    def __init__(self, stream: TextIO, options: Options) -> None:
        self.stream = stream
        self.options = options
        self.fail_on = options.fail_on
        self.cases = Spool()
        self.tests = self.failures = self.errors = 0

    def file(self, report: FileReport) -> None:
        self.tests += 1
        name = _attr(report.path)
        out = self.cases
        if report.error is not None:
            self.errors += 1
            out.write(
                f'    <testcase classname="ozml.check" name={name}>\n'
                f"      <error type=\"unreadable\" message={_attr(report.error)}/>\n"
                "    </testcase>\n"
            )
            return
        failing = [d for d in report.diagnostics if d.severity >= self.fail_on]
        other = [d for d in report.diagnostics if d.severity < self.fail_on]
        if not failing and not other:
            out.write(f'    <testcase classname="ozml.check" name={name}/>\n')
            return
        out.write(f'    <testcase classname="ozml.check" name={name}>\n')
        if failing:
            self.failures += 1
            codes = ", ".join(sorted({d.code for d in failing}))
            message = f"{plural(len(failing), 'finding')}: {codes}"
            body = "\n".join(line(report.path, d) for d in failing)
            out.write(
                f"      <failure type=\"ozml\" message={_attr(message)}>"
                f"{_text(body)}</failure>\n"
            )
        if other:
            body = "\n".join(line(report.path, d) for d in other)
            out.write(f"      <system-out>{_text(body)}</system-out>\n")
        out.write("    </testcase>\n")

    def finish(self, summary: Summary) -> None:
        counts = f'tests="{self.tests}" failures="{self.failures}" errors="{self.errors}"'
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="ozml" {counts}>\n'
            f'  <testsuite name="ozml check" {counts} skipped="0">\n'
        )
        self.cases.copy_to(self.stream, head=head, tail="  </testsuite>\n</testsuites>\n")
