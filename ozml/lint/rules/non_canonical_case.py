from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context, MatchKind, Param, messages, values
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

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

    @classmethod
    def reads_text(cls, command: Command | None) -> bool:
        return False  # names and attribute values only

    @classmethod
    def reads_value(cls, param: Param) -> bool:
        return values.has_canonical_case(param)

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        source = ctx.source
        match = rec.match
        if match is None:
            return
        element = rec.element
        if match.kind is MatchKind.CASE:
            old, new = element.tag, match.command.name
            yield self.report(
                ctx,
                f"{old} should be written {new}",
                source.element_span(element),
                suggestion=new,
                fix=rename_element(source, element, new, f"Rename {old} to {new}"),
            )
        twice: frozenset[str] | None = None
        for attr, pm in rec.attributes:
            if pm is None:
                continue
            if pm.kind is MatchKind.CASE:
                if twice is None:
                    twice = duplicated(rec)
                # A parameter given twice is duplicate-parameter's: renaming would repeat it.
                if pm.param.name not in twice:
                    new = pm.param.name
                    yield self.report(
                        ctx,
                        f"{attr.name} should be written {new}",
                        source.attribute_span(element, attr.name),
                        suggestion=new,
                        fix=rename_attribute(
                            source, element, attr.name, new, f"Rename {attr.name} to {new}"
                        ),
                    )
            fixed = values.case_fix(pm.param, attr.value)
            if fixed is not None:
                yield self.report(
                    ctx,
                    messages.value_case(rec.name, pm.param.name, attr.value, fixed),
                    source.attribute_span(element, attr.name, value=True),
                    suggestion=fixed,
                    fix=replace_value(source, element, attr.name, fixed, f"Write {fixed!r}"),
                )
