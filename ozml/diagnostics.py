"""Findings: what is wrong, where, how bad, and how to fix it."""

from __future__ import annotations

import enum

import attrs


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that `>=` compares badness."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: info, warning, error)"
            ) from None


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

#: The findings that mean a document was not checked at all: not well-formed XML (OZ001), a
#: forbidden DTD or entity (OZ002), too large to read (OZ003). Nothing can hide them: not a noqa
#: comment, a disable-file directive, an ignore in the configuration or a baseline, so a broken
#: file always fails the run (docs/security.md).
UNCHECKED_DOCUMENT = frozenset({"OZ001", "OZ002", "OZ003"})
