from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ALL, Command, Context
from ozml.catalog.contextual import outside
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.contexts import where
from ozml.lint.rule import Rule, Severities
from ozml.resolve import Resolved


class CommandNotInContext(Rule):
    """A command that the PBX does not run in the document's context.

    A document answers one kind of notification (D4): ``extension`` scripts answer the
    notifications of an API extension (IncomingCall, CallConnected, DtmfEntered, ...), ``3pcc``
    scripts answer CallChanged and RecordCompleted, ``routing`` scripts answer
    RoutingInterception. The vendor documents each command for some of these only:
    AttendedTransfer, ForwardCall, Hold, Unhold and SendDTMF are 3PCC commands, UserInput and the
    other menu and file commands are extension-control commands, and Route answers only
    RoutingInterception. The finding names the context and where it was set (``--context``, the
    configuration, or an inline ``<!-- ozml: context=... -->`` comment).

    Only reported when the context is concrete: in the default context ``any`` nothing is known
    about the notification. Commands whose context the vendor does not document (Gen-B-only
    commands such as CallSetup, Request, SendMsg) are never reported. Where the vendor's pages
    disagree (the 3PCC index lists Route, whose own page answers only RoutingInterception), the
    finding is a warning that says so.

    Fails::

        <!-- ozml: context=extension -->
        <Response>
          <Hold/>
        </Response>

    Passes::

        <!-- ozml: context=3pcc -->
        <Response>
          <Hold/>
        </Response>
    """

    code = "OZ601"
    name = "command-not-in-context"
    severity = Severity.ERROR
    context_rule = True

    per_element = True
    reads = "shape"

    @classmethod
    def severities(cls) -> Severities:
        return Severities.by_fact(
            ALL,
            lambda c: all(
                c.context_fact(context).stated
                for context in Context.concrete()
                if cls.applies(c, context)
            ),
            "the vendor's pages disagree about the command's contexts: {}",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and outside(command, context)

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        cmd = rec.command
        assert cmd is not None  # `applies`
        found = self.report(
            ctx,
            f"{cmd.name} is not valid {where(ctx.settings)};"
            f" use it in {Context.listed(cmd.contexts, ' or ')} scripts",
            ctx.source.element_span(rec),
        )
        yield ctx.grounded(found, cmd.context_fact(ctx.context))
