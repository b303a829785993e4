from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import AliasKind, Command, lookup_param, messages
from ozml.catalog.model import Basis, assumed
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.names import NameRule
from ozml.resolve import Resolved

#: Two names that differ only in letter case: ozml reads names ignoring case (D3), which the
#: vendor does not state.
_CASE = assumed(
    "§1",
    why="whether names are case-insensitive is UNKNOWN; that both name one parameter is"
    " assumed (D3)",
)
#: The same name twice: only an HTTP request can say that (XML forbids it).
_REPEATED = assumed(
    "§6.1", why="the vendor does not say which value of a parameter given twice the PBX uses"
)


def collision(cmd: Command, first: str, second: str) -> Basis:
    """Why `first` and `second`, two names written for one parameter of `cmd`, are taken as
    the same parameter: never a fact the vendor states. Names in another letter case are one
    parameter only if the PBX ignores case (spec §1, UNKNOWN); a vendor's other spelling
    (``TranferredCallId``, ``Dialled``, ``enteredUrl``) only if the PBX reads it as that
    parameter, which no page says (spec §8)."""
    if first == second:
        return _REPEATED
    if first.lower() == second.lower():
        return _CASE
    aliases = [pm.alias for pm in (lookup_param(cmd, second), lookup_param(cmd, first))
               if pm is not None and pm.alias is not None]
    if not aliases:
        return _CASE  # not reached: two names of one parameter differ by an alias or by case
    alias = aliases[0]
    decision = "D1" if alias.kind is AliasKind.LEGACY else "D2"
    return assumed(
        "§8",
        alias.source,
        why=f"the vendor's pages spell this parameter more than one way; that {alias.name}"
        f" names the same parameter is assumed ({decision})",
    )


class DuplicateParameter(NameRule):
    """One parameter is given twice under different spellings.

    XML forbids an attribute twice, but not two spellings of one parameter: ``TranferredCallId``
    and ``TransferredCallId``, or ``Destination`` and ``destination``. ozml takes them as one
    parameter, which the vendor never says: whether the PBX ignores letter case is UNKNOWN
    (spec §1), and so is which of the vendor's spellings it reads (spec §8). So this is a
    warning whose message says the collision is assumed. If the PBX reads both, which one it
    uses is not documented either. Keep one.

    Fails::

        <Response>
          <AttendedTransfer TargetCallId="HL1bE" TransferredCallId="a1" TranferredCallId="b2"/>
        </Response>

    Passes::

        <Response>
          <AttendedTransfer TargetCallId="HL1bE" TransferredCallId="a1"/>
        </Response>
    """

    code = "OZ107"
    name = "duplicate-parameter"
    severity = Severity.WARNING

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        if len(rec.written) < 2:
            return
        cmd = rec.command
        assert cmd is not None  # `applies`
        seen: dict[str, str] = {}
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is None:
                continue
            first = seen.setdefault(pm.param.name, name)
            if first is name:
                continue
            found = self.report(
                ctx,
                messages.duplicate_parameter(rec.name, pm.param.name, first, name),
                ctx.source.attribute_span(rec, name),
            )
            yield ctx.grounded(found, collision(cmd, first, name))
