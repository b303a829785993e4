from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog.values import variable_key
from ozml.catalog.variables import supplied_arrays
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.suggest import Budget, Pool
from ozml.lint.variables import VariableRule, analyse


class UndefinedArray(VariableRule):
    """A ForEach over an array that nothing defines.

    ForEach's Source names an array: one declared with Array earlier in the document, one the
    PBX provides (``voicemails`` in the vendor's voicemail examples, in extension scripts), or
    one listed in the configuration's ``known-variables``. Any other name loops over nothing;
    the finding suggests the closest array name. Names are compared ignoring letter case.

    Fails::

        <Response>
          <Array Id="news"><Item>Sunny</Item></Array>
          <ForEach Source="news"><Speak>$item</Speak></ForEach>
          <Speak>Once more:</Speak>
          <ForEach Source="nwes"><Speak>$item</Speak></ForEach>
        </Response>

    Passes::

        <Response>
          <Array Id="news"><Item>Sunny</Item></Array>
          <ForEach Source="news"><Speak>$item</Speak></ForEach>
          <Speak>Once more:</Speak>
          <ForEach Source="news"><Speak>$item</Speak></ForEach>
        </Response>
    """

    code = "OZ703"
    name = "undefined-array"
    severity = Severity.WARNING
    needs = frozenset({"ForEach"})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        analysis = analyse(ctx)
        if not analysis.loops or analysis.dynamic_arrays:
            return
        settings = ctx.settings
        known = {variable_key(n) for n in settings.known_variables}
        known |= supplied_arrays(settings.context) | analysis.undocumented_names
        pool: Pool | None = None  # did-you-mean, made once and only when needed
        for rec, source, attribute, order in analysis.loops:
            lowered = variable_key(source)
            definitions = analysis.arrays.get(lowered)
            if definitions:
                if not analysis.defined_before(definitions, order, rec):
                    line = ctx.source.element_span(definitions[0].rec).line
                    yield self.report(
                        ctx, f"ForEach reads Array {source} before it is defined on line {line}",
                        ctx.source.attribute_span(rec, attribute, value=True),
                    )
                continue
            if lowered in known:
                continue
            if pool is None:
                candidates = [d[0].name for d in analysis.arrays.values()] + sorted(known)
                pool = Pool(candidates, Budget(ctx.size))
            guess = pool.closest(source)
            message = f"ForEach Source {source!r} names no Array"
            if guess:
                message += f"; did you mean {guess!r}?"
            span = ctx.source.attribute_span(rec, attribute, value=True)
            yield self.report(ctx, message, span, suggestion=guess)
