"""Findings: what is wrong, where, how bad, and how to fix it."""

from __future__ import annotations

import attrs

from ozml.severity import UNCHECKED_DOCUMENT, Severity


@attrs.frozen
class Edit:
    """Replace the source text between two character offsets."""

    start: int
    end: int
    text: str


@attrs.frozen
class Fix:
    """A change that resolves a finding; `safe` fixes never change what a script does."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True


@attrs.frozen
class Span:
    """A range in the source: 1-based lines and columns, end exclusive, plus offsets."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int = attrs.field(default=0, eq=False)
    end: int = attrs.field(default=0, eq=False)


@attrs.frozen
class Diagnostic:
    """One finding of the parser or a lint rule."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    suggestion: str | None = None
    fix: Fix | None = None

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
