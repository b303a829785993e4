"""What the formatter keeps of a document's suppression comments (docs/formatter.md).

A ``noqa`` or ``disable-file`` comment suppresses findings; formatting must leave ``ozml check``
reporting what it reported before. Which findings a comment suppresses is the linter's one
choice (`ozml.lint.noqa.apply`, asked through `ozml.lint.linter.lint_result`'s ``taken``), and
this module reads it for the formatter:

- A name whose finding a comment suppresses (legacy-name, OZ301; non-canonical-case, OZ303:
  the findings whose fixes are the formatter's renames) is kept as written, as ``ozml check
  --fix`` keeps it: the fix of a suppressed finding is never applied, and renaming the name
  would leave the comment suppressing nothing (OZ901).
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from ozml.lint.linter import lint_result
from ozml.lint.rules.legacy_name import LegacyName
from ozml.lint.rules.non_canonical_case import NonCanonicalCase

if TYPE_CHECKING:
    from ozml.diagnostics import Diagnostic
    from ozml.lint.directives import Directive
    from ozml.lint.settings import LintSettings
    from ozml.nodes import Element
    from ozml.parser import ParseResult
    from ozml.positions import Source

#: The rules whose findings are the formatter's renames: each finding is a name (or a value)
#: the formatter writes canonically, at the start of the finding's span.
RENAMING = frozenset({LegacyName.code, NonCanonicalCase.code})


class Suppressed:
    """The findings a document's own comments suppress, each with the comment that does, and
    the names among them the formatter keeps as written (`keeps_tag`, `keeps_name`,
    `keeps_value`)."""

    __slots__ = ("_kept", "_starts", "source", "taken")

    def __init__(self, result: ParseResult, settings: LintSettings) -> None:
        taken: list[tuple[Diagnostic, Directive]] = []
        lint_result(result, settings, taken=taken)
        self.source: Source = result.source
        #: (finding, the comment that suppresses it), in the order the linter found them.
        self.taken = taken
        #: Where each suppressed name or value to keep begins in the text.
        self._kept = frozenset(d.span.start for d, _ in taken if d.code in RENAMING)
        #: The same, in order, to find those inside one start tag with a bisection.
        self._starts = sorted(self._kept)

    def keeps(self, element: Element) -> bool:
        """Whether a name or a value in the element's start tag is to be kept as written (most
        elements: no; asked before the questions below)."""
        if not self._starts:
            return False
        extent = self.source.extent(element)
        if extent is None:
            return False
        start, tag_end, _ = extent
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < tag_end

    def keeps_tag(self, element: Element) -> bool:
        """Whether the element's name is to be kept as written."""
        return self.source.element_span(element).start in self._kept

    def keeps_name(self, element: Element, name: str) -> bool:
        """Whether the name of the element's attribute `name` is to be kept as written."""
        return self.source.attribute_span(element, name).start in self._kept

    def keeps_value(self, element: Element, name: str) -> bool:
        """Whether the value of the element's attribute `name` is to be kept as written."""
        return self.source.attribute_span(element, name, value=True).start in self._kept


__all__ = ["RENAMING", "Suppressed"]
