"""What a lint rule is: a small self-describing class with a code, a name and a check."""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ozml.diagnostics import Diagnostic, Fix, Severity, Span

if TYPE_CHECKING:
    from ozml.lint.context import LintContext


class Fixable(enum.Enum):
    """Whether a rule's findings can be fixed automatically, and how safely."""

    NO = "no"
    SAFE = "safe"  # applied by `ozml check --fix`
    UNSAFE = "unsafe"  # applied only with `--unsafe-fixes`
    SOMETIMES = "sometimes"  # safe when the right change is unambiguous


class Rule:
    """Base of every rule. The docstring is the rule's documentation page.

    A rule docstring has a summary line, an explanation, and two examples introduced by lines
    ``Fails::`` and ``Passes::`` (indented blocks); the test suite lints both.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    fixable: ClassVar[Fixable] = Fixable.NO
    #: Rules the parser reports; their `check` yields nothing.
    parser_rule: ClassVar[bool] = False
    #: Rules that hold only under a concrete context (issue: contexts) set this.
    context_rule: ClassVar[bool] = False

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        return iter(())

    def report(
        self,
        ctx: LintContext,
        message: str,
        span: Span,
        *,
        suggestion: str | None = None,
        fix: Fix | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            self.code,
            self.name,
            ctx.severity_of(self),
            message,
            span,
            suggestion=suggestion,
            fix=fix,
        )

    @classmethod
    def summary(cls) -> str:
        return (inspect.getdoc(cls) or "").strip().splitlines()[0]

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def examples(cls) -> tuple[str, str]:
        """The (failing, passing) examples from the docstring."""
        doc = cls.documentation()
        return _block(doc, "Fails::"), _block(doc, "Passes::")


def _block(doc: str, marker: str) -> str:
    match = re.search(re.escape(marker) + r"\n\n((?:(?:    .*)?\n)+)", doc + "\n")
    if match is None:
        return ""
    lines = match.group(1).rstrip().splitlines()
    return "\n".join(line[4:] for line in lines) + "\n"
