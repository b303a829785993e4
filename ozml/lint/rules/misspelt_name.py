from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import AliasKind, Command, Context
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_attribute
from ozml.lint.rule import Fixable, Rule
from ozml.lint.rules.duplicate_parameter import duplicated
from ozml.resolve import Resolved


class MisspeltName(Rule):
    """A vendor misspelling or variant of a parameter name.

    The vendor's own pages spell some parameters in more than one way: ``TranferredCallId`` and
    ``TranferorParty`` (Ozeki 10 pages), ``DelivaryReportURL``, and ``enteredUrl`` (a vendor sample)
    for ForwardToURL. ozml accepts them (D2) and asks for the canonical spelling; the fix
    renames the attribute.

    Fails::

        <Response>
          <AttendedTransfer TargetCallId="HL1bE" TranferredCallId="Nt3uh"/>
        </Response>

    Passes::

        <Response>
          <AttendedTransfer TargetCallId="HL1bE" TransferredCallId="Nt3uh"/>
        </Response>
    """

    code = "OZ302"
    name = "misspelt-name"
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
        if rec.match is None:
            return
        twice = duplicated(rec)
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is None or pm.alias is None or pm.alias.kind is AliasKind.LEGACY:
                continue
            if pm.param.name in twice:
                continue  # duplicate-parameter reports it; a rename would repeat the attribute
            new = pm.param.name
            kind = "misspelling" if pm.alias.kind is AliasKind.MISSPELLING else "variant"
            yield self.report(
                ctx,
                f"{name} is a vendor {kind} of {rec.name}'s {new}",
                source.attribute_span(rec, name),
                suggestion=new,
                fix=rename_attribute(
                    source, rec, name, new, f"Rename {name} to {new}"
                ),
            )
