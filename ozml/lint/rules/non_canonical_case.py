from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import MatchKind, Param, ParamMatch, messages, values
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import replace_value
from ozml.lint.names import NameRule, renamed
from ozml.lint.rule import Fixable
from ozml.resolve import Resolved


class NonCanonicalCase(NameRule):
    """A known name or value written in another letter case.

    Vendor examples mix ``speak``, ``var``, ``array``, ``source=`` and ``timeout=`` with the
    PascalCase names of the command tables. ozml matches names ignoring case (D3) and asks for
    the canonical spelling, so that documents read the same everywhere; the fix rewrites the
    name (both tags of an element) or the value (``All`` to ``all``, ``True`` to ``true``).

    Fails::

        <Response>
          <speak>Hello</speak>
        </Response>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = "OZ303"
    name = "non-canonical-case"
    severity = Severity.WARNING
    fixable = Fixable.SAFE

    @classmethod
    def reads_attribute(cls, param: Param) -> bool:
        return values.has_canonical_case(param)

    def attribute(
        self, ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
    ) -> Iterator[Diagnostic]:
        name, value = rec.written[place]
        fixed = values.case_fix(pm.param, value)
        if fixed is not None:
            source = ctx.source
            yield self.report(
                ctx,
                messages.value_case(rec.name, pm.param.name, value, fixed),
                source.attribute_span(rec, name, value=True),
                suggestion=fixed,
                fix=replace_value(source, rec, name, fixed, f"Write {fixed!r}"),
            )

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        match = rec.match
        assert match is not None  # `applies`
        if match.kind is MatchKind.CASE:
            new = match.command.name
            yield self.element_rename(ctx, rec, new, f"{rec.tag} should be written {new}")
        for name, pm in renamed(rec, _other_case):
            new = pm.param.name
            yield self.attribute_rename(ctx, rec, name, new, f"{name} should be written {new}")


def _other_case(pm: ParamMatch) -> bool:
    """Whether the attribute is written as its parameter's name in another letter case."""
    return pm.kind is MatchKind.CASE
