from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Alias, AliasKind, Command, Context
from ozml.catalog.model import Basis, assumed
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_attribute
from ozml.lint.rule import Fixable, Rule
from ozml.lint.rules.duplicate_parameter import duplicated
from ozml.resolve import Resolved

#: Who writes a name, by the kind of its source key (spec §0): the Ozeki 10 pages, the older
#: pages, the vendor's samples on GitHub.
_WRITERS = {"hu": "an Ozeki 10 page", "oz": "an older Ozeki page", "gh": "a vendor sample"}


def writer(alias: Alias) -> str:
    """``an Ozeki 10 page``: where the vendor writes `alias` (its source key is cited)."""
    return _WRITERS.get(alias.source[:2], "the vendor")


def preference(alias: Alias, canonical: str) -> Basis:
    """Why ozml asks for `canonical` rather than `alias`, one of the vendor's other spellings
    of the parameter: an assumption (D2). Which spelling the PBX reads is UNKNOWN (spec §8)."""
    return assumed(
        "§8",
        alias.source,
        why=f"which spelling the PBX reads is UNKNOWN; ozml's preference for {canonical} is"
        " assumed (D2)",
    )


class MisspeltName(Rule):
    """A parameter name written as one of the vendor's other spellings.

    The vendor spells some parameters in more than one way: the Ozeki 10 pages write
    ``TranferredCallId``, ``TranferorParty`` and ``DelivaryReportURL`` where the older pages
    write ``TransferredCallId``, ``TransferorParty`` and ``DeliveryReportURL``, and a vendor
    sample writes ``enteredUrl`` for UserInput's ForwardToURL (spec §8). ozml accepts every
    spelling and asks for one (D2), but which one the PBX reads is UNKNOWN: the finding says
    the preference is assumed, and its fix (renaming the attribute) is unsafe, applied only
    with ``--unsafe-fixes``. ``ozml fmt`` keeps such a name as written.

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
    fixable = Fixable.UNSAFE

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
            found = self.report(
                ctx,
                f"{name} is {rec.name}'s {new} as {writer(pm.alias)} spells it",
                source.attribute_span(rec, name),
                suggestion=new,
                fix=rename_attribute(
                    source, rec, name, new, f"Rename {name} to {new}", safe=False
                ),
            )
            yield ctx.grounded(found, preference(pm.alias, new))
