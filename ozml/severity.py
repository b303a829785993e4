"""How bad a finding is, and the findings nothing can hide.

Apart from `ozml.diagnostics` (the findings themselves) so that the settings, the configuration
and ``ozml check`` on a clean file read them without loading the classes of findings (cold start,
docs/performance.md).
"""

from __future__ import annotations

import enum


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


#: The findings that mean a document was not checked at all: not well-formed XML (OZ001), a
#: forbidden DTD or entity (OZ002), too large to read (OZ003). Nothing can hide them: not a noqa
#: comment, a disable-file directive, an ignore in the configuration or a baseline, so a broken
#: file always fails the run (docs/security.md).
UNCHECKED_DOCUMENT = frozenset({"OZ001", "OZ002", "OZ003"})

__all__ = ["UNCHECKED_DOCUMENT", "Severity"]
