from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog.values import variable_key
from ozml.catalog.variables import RECEIVED, supplied_variables
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.suggest import Budget, Pool
from ozml.lint.variables import (
    VariableRule,
    analyse,
    inside,
    is_item,
    use_finding,
    use_span,
)

_RECEIVED = frozenset({"Received"})


class UndefinedVariable(VariableRule):
    """A ``$variable`` that nothing defines.

    A variable is defined by a Var with that Id earlier in the document (or anywhere in the same
    ForEach or UserInput, whose bodies run more than once), by the PBX (the alarm fields
    ``$account``, ``$eventcode``, ... inside ``<Received>``; the voicemail examples' ``$username``
    and ``$oldmessagepath`` in extension scripts), or by the configuration's
    ``known-variables``. Anything else is most likely a typo; the finding suggests the closest
    defined name. ``$item`` outside ForEach is reported by item-outside-foreach.

    Names are compared ignoring letter case. Values inside server-side template placeholders
    (``{{ $user }}``, ``<?php echo $x ?>``) are the template's, not OzML's, and are not checked.
    When a Var's Id is itself dynamic, any name may be defined and nothing is reported. Whether
    variables survive a GoTo into another document is not documented: list such names in
    ``known-variables``.

    Fails::

        <Response>
          <Var Id="name">Alice</Var>
          <Speak>Hello $name</Speak>
          <Speak>Goodbye $nmae</Speak>
        </Response>

    Passes::

        <Response>
          <Var Id="name">Alice</Var>
          <Speak>Hello $name</Speak>
          <Speak>Goodbye $name</Speak>
        </Response>
    """

    code = "OZ701"
    name = "undefined-variable"
    severity = Severity.WARNING
    #: Its findings are uses (`Analysis.uses`): none without a ``$``.
    needs_dollar = True

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        analysis = analyse(ctx)
        if not analysis.uses or analysis.dynamic_variables:
            return
        settings = ctx.settings
        # The names known without a definition, made when a use first needs them: most uses
        # are of a variable defined above.
        known: set[str] | None = None
        # Did-you-mean pools, made once (not per use) and only when a use needs one.
        pools: dict[bool, Pool] = {}
        budget: Budget | None = None
        for use in analysis.uses:
            lowered = variable_key(use.name)
            if is_item(use):
                continue
            definitions = analysis.variables.get(lowered) or analysis.arrays.get(lowered)
            if definitions and analysis.defined_before(definitions, use.order, use.rec):
                continue
            if known is None:
                known = {variable_key(n) for n in settings.known_variables}
                known |= supplied_variables(settings.context) | analysis.undocumented_names
            if lowered in known:
                continue
            if definitions:
                first = definitions[0]
                line = ctx.source.element_span(first.rec).line
                message = f"${use.name} is used before its {first.rec.name} on line {line}"
                yield use_finding(ctx, use, self.report(ctx, message, use_span(ctx, use)))
                continue
            in_received = inside(use.rec, _RECEIVED) is not None
            if lowered in RECEIVED:
                if in_received:
                    continue
                message = (
                    f"${use.name} is set only inside Received (of ReceiveAlarmNotification)"
                )
                yield use_finding(ctx, use, self.report(ctx, message, use_span(ctx, use)))
                continue
            pool = pools.get(in_received)
            if pool is None:
                if budget is None:
                    budget = Budget(ctx.size)
                candidates = [d[0].name for d in analysis.variables.values()]
                candidates += sorted(known)
                if in_received:
                    candidates += sorted(RECEIVED)
                pool = pools[in_received] = Pool(candidates, budget)
            guess = pool.closest(use.name)
            message = f"${use.name} is not defined"
            if guess:
                message += f"; did you mean ${guess}?"
            found = self.report(
                ctx, message, use_span(ctx, use), suggestion=f"${guess}" if guess else None
            )
            yield use_finding(ctx, use, found)
