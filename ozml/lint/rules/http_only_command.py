from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ALL, Command, Context, ElementKind
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule, Severities
from ozml.resolve import Resolved


class HttpOnlyCommand(Rule):
    """An HTTP-API-only command inside an OzML document.

    Some commands exist only as HTTP API requests that your application sends to the PBX
    (ListActiveCalls, ListExtensions, ListCallHistory, ListAddressbookContacts, ReceiveMessage,
    SendMessage, ...): they return data to the caller of the API, so a document answering a
    notification cannot use them (D5). Call them with ``ozml api`` or the Python client instead.

    Fails::

        <Response>
          <ListActiveCalls/>
        </Response>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = "OZ501"
    name = "http-only-command"
    severity = Severity.ERROR

    per_element = True
    reads = "shape"

    @classmethod
    def severities(cls) -> Severities:
        return Severities.by_fact(
            (c for c in ALL if cls.applies(c, Context.ANY)),
            lambda c: c.usage_fact.stated,
            "the command's use in OzML is undocumented rather than excluded: {}",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and command.kind is ElementKind.COMMAND and not command.in_ozml

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        cmd = rec.command
        assert cmd is not None  # `applies`
        basis = cmd.usage_fact
        message = f"{cmd.name} is an HTTP API command and cannot be used in an OzML document"
        if not basis.stated:
            message = (
                f"{cmd.name} is documented only as an HTTP API command; in an OzML document it"
                f" is undocumented ({basis.citation()}): {basis.why}"
            )
        found = self.report(ctx, message, ctx.source.element_span(rec))
        yield ctx.grounded(found, basis)
