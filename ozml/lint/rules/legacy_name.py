from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import AliasKind, ParamMatch
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.names import NameRule, renamed
from ozml.lint.rule import Fixable
from ozml.resolve import Resolved


class LegacyName(NameRule):
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

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        match = rec.match
        assert match is not None  # `applies`
        if match.alias is not None and match.alias.kind is AliasKind.LEGACY:
            new = match.command.name
            yield self.element_rename(ctx, rec, new, f"{rec.tag} is the legacy name of {new}")
        for name, pm in renamed(rec, _legacy):
            new = pm.param.name
            yield self.attribute_rename(
                ctx, rec, name, new, f"{name} is the legacy name of {match.command.name}'s {new}"
            )


def _legacy(pm: ParamMatch) -> bool:
    """Whether the attribute is written as a legacy name of its parameter."""
    return pm.alias is not None and pm.alias.kind is AliasKind.LEGACY
