from __future__ import annotations

from collections.abc import Iterator

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule


class TextNotAllowed(Rule):
    """Text inside an element that takes none.

    Only some commands take a parameter as element text (Speak's Text, Delay's Time, BlindTransfer's
    Target, Call's Dialed, ...; see ``ozml command NAME``). Text anywhere else, such as prose left
    inside ``Response`` or a value written as text for a command that wants an attribute, is
    ignored by the PBX.

    Fails::

        <Response>
          <ForwardCall>102</ForwardCall>
        </Response>

    Passes::

        <Response>
          <ForwardCall Destination="102"/>
        </Response>
    """

    code = "OZ105"
    name = "text-not-allowed"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for rec in ctx.records:
            cmd = rec.command
            if cmd is None or not cmd.documented or cmd.text_param is not None:
                continue
            if next(rec.element.texts, None) is None:
                continue
            span = ctx.source.text_span(rec.element)
            text = (rec.element.text or "").strip()
            shown = text if len(text) <= 30 else text[:27] + "..."
            if cmd.params:
                names = ", ".join(p.name for p in cmd.ozml_params)
                hint = f"; give the value as an attribute ({names})"
            else:
                hint = ""
            yield self.report(ctx, f"{cmd.name} takes no text, found {shown!r}{hint}", span)
