from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ElementKind
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule


class RejectNotFirst(Rule):
    """Reject is not the first command of the response.

    Reject refuses an incoming call without answering it, so it only means something before
    anything else has happened: the vendor documents it as valid only as the first command (D9).
    Anywhere else the call has already been answered.

    Fails::

        <Response>
          <Speak>Sorry, we are closed.</Speak>
          <Reject/>
        </Response>

    Passes::

        <Response>
          <Reject/>
        </Response>
    """

    code = "OZ401"
    name = "reject-not-first"
    severity = Severity.ERROR
    needs = frozenset({"Reject"})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        records = ctx.records
        if not records:
            return
        root = records[0]
        first = True
        for rec in records[1:]:
            top = rec.parent is root
            if rec.name == "Reject" and not (top and first):
                where = "" if top else f" (it is inside {rec.parent.name if rec.parent else '?'})"
                yield self.report(
                    ctx,
                    f"Reject must be the first command of the response{where}",
                    ctx.source.element_span(rec),
                )
            if top and (rec.command is None or rec.command.kind is ElementKind.COMMAND):
                first = False
