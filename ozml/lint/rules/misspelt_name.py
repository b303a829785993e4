from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Alias, AliasKind, ParamMatch
from ozml.catalog.model import Basis, assumed
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.names import NameRule, renamed
from ozml.lint.rule import Fixable
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


class MisspeltName(NameRule):
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

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        for name, pm in renamed(rec, _other_spelling):
            assert pm.alias is not None  # `_other_spelling`
            new = pm.param.name
            message = f"{name} is {rec.name}'s {new} as {writer(pm.alias)} spells it"
            found = self.attribute_rename(ctx, rec, name, new, message, safe=False)
            yield ctx.grounded(found, preference(pm.alias, new))


def _other_spelling(pm: ParamMatch) -> bool:
    """Whether the attribute is written as one of the vendor's other spellings (not a legacy
    name) of its parameter."""
    return pm.alias is not None and pm.alias.kind is not AliasKind.LEGACY
