from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context, MatchKind, Param, ParamMatch, messages, values
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_attribute, rename_element, replace_value
from ozml.lint.rule import Fixable, Rule
from ozml.lint.rules.duplicate_parameter import duplicated
from ozml.resolve import Resolved


class NonCanonicalCase(Rule):
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

    per_element = True
    reads = "shape"  # the names; the values are judged one at a time (`attribute`)
    names_only = True  # `element` reads only how names are written

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

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
        source = ctx.source
        match = rec.match
        if match is None:
            return
        if match.kind is MatchKind.CASE:
            old, new = rec.tag, match.command.name
            yield self.report(
                ctx,
                f"{old} should be written {new}",
                source.element_span(rec),
                suggestion=new,
                fix=rename_element(source, rec, new, f"Rename {old} to {new}"),
            )
        twice: frozenset[str] | None = None
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is None or pm.kind is not MatchKind.CASE:
                continue
            if twice is None:
                twice = duplicated(rec)
            # A parameter given twice is duplicate-parameter's: renaming would repeat it.
            if pm.param.name not in twice:
                new = pm.param.name
                yield self.report(
                    ctx,
                    f"{name} should be written {new}",
                    source.attribute_span(rec, name),
                    suggestion=new,
                    fix=rename_attribute(
                        source, rec, name, new, f"Rename {name} to {new}"
                    ),
                )
