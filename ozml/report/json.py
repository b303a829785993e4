"""A JSON list of findings, one object per finding, for tools.

Each object has ``path``, ``line``, ``column``, ``end_line``, ``end_column`` (1-based, end
exclusive), ``code``, ``name``, ``severity`` (``error``, ``warning`` or ``info``), ``message``,
``suggestion`` (a did-you-mean name or value, or null), ``fixable`` and ``fix`` (null, or an
object with ``message``, ``safe`` and ``edits``: each edit replaces the text from ``start`` to
``end`` (line and column, and ``start_offset``/``end_offset`` in characters) with ``text``).
With ``--statistics`` the list holds one object per code instead: ``code``, ``name``,
``severity``, ``count``, ``fixable``.

Paths and messages are exact: JSON escapes what needs escaping (a control character as
``\\u001b``, an undecodable byte of a file name as the lone surrogate Python gives it, ``\\udcff``;
``os.fsencode`` turns such a path back into the file's bytes). The list is written one object
per line into a spool (`ozml.report.spool`), so memory stays flat, and reaches the output only
when the run ends: a run that stops part-way prints nothing rather than half a list.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ozml.diagnostics import Diagnostic, Fix
from ozml.report import FileReport, Options, Summary
from ozml.report.spool import Spool

if TYPE_CHECKING:
    from ozml.positions import Source


def _fix(fix: Fix | None, source: Source | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        item: dict[str, Any] = {}
        if source is not None:
            line, column = source.position(edit.start)
            end_line, end_column = source.position(edit.end)
            item.update(line=line, column=column, end_line=end_line, end_column=end_column)
        item.update(start_offset=edit.start, end_offset=edit.end, text=edit.text)
        edits.append(item)
    return {"message": fix.message, "safe": fix.safe, "edits": edits}


def finding(path: str, diagnostic: Diagnostic, source: Source | None) -> dict[str, Any]:
    span = diagnostic.span
    return {
        "path": path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
        "suggestion": diagnostic.suggestion,
        "fixable": diagnostic.fix is not None,
        "fix": _fix(diagnostic.fix, source),
    }


class Reporter:
    def __init__(self, stream: TextIO, options: Options) -> None:
        self.stream = stream
        self.options = options
        self.count = 0
        self.spool = Spool()

    def _item(self, item: dict[str, Any]) -> None:
        self.spool.write(("[\n" if self.count == 0 else ",\n") + json.dumps(item))
        self.count += 1

    def file(self, report: FileReport) -> None:
        if self.options.statistics:
            return
        for diagnostic in report.diagnostics:
            self._item(finding(report.path, diagnostic, report.source))

    def finish(self, summary: Summary) -> None:
        if self.options.statistics:
            for row in summary.statistics():
                self._item(
                    {
                        "code": row.code,
                        "name": row.name,
                        "severity": row.severity.label,
                        "count": row.count,
                        "fixable": row.fixable,
                    }
                )
        self.spool.write("[]\n" if self.count == 0 else "\n]\n")
        self.spool.copy_to(self.stream)
