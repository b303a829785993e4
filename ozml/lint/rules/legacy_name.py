from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import AliasKind, Command, Context
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_attribute, rename_element
from ozml.lint.rule import Fixable, Rule
from ozml.lint.rules.duplicate_parameter import duplicated
from ozml.resolve import Resolved


class LegacyName(Rule):
    """A name from the older (Ozeki Phone System XE) documentation.

    ozml targets Ozeki 10 (D1). Older names still work as aliases (``Forward`` is ForwardCall,
    ``Dialled`` is Dialed, the root ``OzML`` is Response, ``GetCallHistory`` is ListCallHistory)
    but should be replaced by the current ones; the fix renames them.

    Fails::

        <Response>
          <Forward Destination="102"/>
        </Response>

    Passes::

        <Response>
          <ForwardCall Destination="102"/>
        </Response>
    """

    code = "OZ301"
    name = "legacy-name"
    severity = Severity.WARNING
    fixable = Fixable.SAFE

    per_element = True
    reads = "shape"
    names_only = True

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        source = ctx.source
        match = rec.match
        if match is None:
            return
        if match.alias is not None and match.alias.kind is AliasKind.LEGACY:
            old, new = rec.tag, match.command.name
            yield self.report(
                ctx,
                f"{old} is the legacy name of {new}",
                source.element_span(rec),
                suggestion=new,
                fix=rename_element(source, rec, new, f"Rename {old} to {new}"),
            )
        twice = duplicated(rec)
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is None or pm.alias is None or pm.alias.kind is not AliasKind.LEGACY:
                continue
            if pm.param.name in twice:
                continue  # duplicate-parameter reports it; a rename would repeat the attribute
            new = pm.param.name
            yield self.report(
                ctx,
                f"{name} is the legacy name of {match.command.name}'s {new}",
                source.attribute_span(rec, name),
                suggestion=new,
                fix=rename_attribute(
                    source, rec, name, new, f"Rename {name} to {new}"
                ),
            )
