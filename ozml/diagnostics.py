"""Findings: what is wrong, where, how bad, and how to fix it.

They are records (`ozml.record.Record`), not attrs classes: a run of ``ozml check`` with a
finding makes them, and one that makes no tree of nodes then never imports attrs (cold start,
docs/performance.md). Like the document model they are immutable and compare by value;
`replace` makes a changed copy.
"""

from __future__ import annotations

from ozml.record import Record
from ozml.severity import UNCHECKED_DOCUMENT, Severity


class Edit(Record):
    """Replace the source text between two character offsets."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        self._assign(locals())


class Fix(Record):
    """A change that resolves a finding; `safe` fixes never change what a script does."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool

    def __init__(self, message: str, edits: tuple[Edit, ...], safe: bool = True) -> None:
        self._assign(locals())


class Span(Record):
    """A range in the source: 1-based lines and columns, end exclusive, plus offsets (which
    equality leaves out: a span is where a finding is, however the text before it is kept)."""

    _UNCOMPARED = frozenset({"start", "end"})

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int

    def __init__(
        self,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        start: int = 0,
        end: int = 0,
    ) -> None:
        self._assign(locals())


class Diagnostic(Record):
    """One finding of the parser or a lint rule."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    suggestion: str | None
    fix: Fix | None

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        span: Span,
        suggestion: str | None = None,
        fix: Fix | None = None,
    ) -> None:
        self._assign(locals())

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[int, int, str]:
        return (self.span.line, self.span.column, self.code)


START = Span(1, 1, 1, 1, 0, 0)


__all__ = ["START", "UNCHECKED_DOCUMENT", "Diagnostic", "Edit", "Fix", "Severity", "Span"]
