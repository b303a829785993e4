from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context, messages
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule
from ozml.resolve import Resolved


def duplicated(rec: Resolved) -> frozenset[str]:
    """Canonical names of the parameters `rec` gives more than once, under different spellings.

    The naming rules leave such attributes to this rule: renaming one spelling to the canonical
    name would write the same attribute twice, which is not well-formed XML.
    """
    if len(rec.written) < 2:
        return frozenset()
    seen: set[str] = set()
    twice: set[str] = set()
    for pm in rec.matches:
        if pm is not None:
            name = pm.param.name
            (twice if name in seen else seen).add(name)
    return frozenset(twice)


class DuplicateParameter(Rule):
    """One parameter is given twice under different spellings.

    XML forbids an attribute twice, but not two spellings of one parameter: ``TranferredCallId``
    and ``TransferredCallId``, or ``Destination`` and ``destination``. Which one the PBX uses is
    not documented. Keep one.

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
    severity = Severity.ERROR

    per_element = True
    reads = "shape"
    names_only = True

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        if rec.command is None or len(rec.written) < 2:
            return
        seen: dict[str, str] = {}
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is None:
                continue
            first = seen.setdefault(pm.param.name, name)
            if first is name:
                continue
            yield self.report(
                ctx,
                messages.duplicate_parameter(rec.name, pm.param.name, first, name),
                ctx.source.attribute_span(rec, name),
            )
