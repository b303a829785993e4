from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog.values import variable_key
from ozml.catalog.variables import ITEM
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.variables import (
    VariableRule,
    analyse,
    inside,
    is_item,
    use_finding,
    use_span,
)

_FOREACH = frozenset({"ForEach"})


class ItemOutsideForeach(VariableRule):
    """``$item`` used outside a ForEach.

    ForEach binds the current array element to ``$item`` (and its properties, ``$item.date``)
    while its body runs [oz5404][hu7654]; elsewhere ``$item`` is not set. Usually the command
    was meant to be inside the loop. Not reported when the document defines its own Var named
    ``item`` or the configuration lists ``item`` in ``known-variables``.

    Fails::

        <Response>
          <Array Id="news"><Item>Sunny</Item></Array>
          <ForEach Source="news"/>
          <Speak>$item</Speak>
        </Response>

    Passes::

        <Response>
          <Array Id="news"><Item>Sunny</Item></Array>
          <ForEach Source="news">
            <Speak>$item</Speak>
          </ForEach>
        </Response>
    """

    code = "OZ704"
    name = "item-outside-foreach"
    severity = Severity.WARNING
    #: Its findings are uses (`Analysis.uses`): none without a ``$``.
    needs_dollar = True

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        analysis = analyse(ctx)
        if not analysis.uses or ITEM in analysis.variables:
            return
        if ITEM in {variable_key(n) for n in ctx.settings.known_variables}:
            return
        for use in analysis.uses:
            if is_item(use) and inside(use.rec, _FOREACH) is None:
                found = self.report(
                    ctx, f"{use.token} is set only inside ForEach", use_span(ctx, use)
                )
                yield use_finding(ctx, use, found)
