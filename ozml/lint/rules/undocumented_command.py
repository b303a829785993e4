from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule
from ozml.resolve import Resolved


class UndocumentedCommand(Rule):
    """A command whose vendor documentation could not be found.

    Beep, DeleteFile, WaitForMsg, Exit, ListExtensionTypes and ListAddressbookNames are named in
    the Ozeki 10 command list, but their pages are missing, so their parameters are unknown (D6).
    ozml accepts them and checks none of their attributes; this informational finding says so,
    so that nobody mistakes silence for approval.

    Fails::

        <Response>
          <Beep/>
        </Response>

    Passes::

        <Response>
          <Play>beep.wav</Play>
        </Response>
    """

    code = "OZ502"
    name = "undocumented-command"
    severity = Severity.INFO

    per_element = True
    reads = "shape"

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and not command.documented and command.in_ozml

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        cmd = rec.command
        assert cmd is not None  # `applies`
        yield self.report(
            ctx,
            f"{cmd.name} is undocumented: its parameters are not checked",
            ctx.source.element_span(rec),
        )
