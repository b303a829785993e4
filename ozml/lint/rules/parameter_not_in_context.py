from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context
from ozml.catalog.contextual import ignored, outside
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.contexts import where
from ozml.lint.rule import Rule
from ozml.resolve import Resolved


class ParameterNotInContext(Rule):
    """A parameter that the PBX ignores in the document's context.

    Some parameters are honoured in one context only: BlindTransfer's CallId, TransferorParty and
    FinishedUrl, and the CallId and Party of Speak and Play, are used only under third-party call
    control, and Record's Duration, Inactivity and FinishDigits only under extension control
    [oz4617][oz4692][oz4690][oz4776]. Every such fact comes from one table in the catalog
    (``ozml.catalog.contextual``). Elsewhere the PBX ignores them, so the script does
    not do what it says. Only reported when the context is concrete (not ``any``), and not for a
    command that is itself invalid in the context (command-not-in-context reports that).

    Fails::

        <!-- ozml: context=extension -->
        <Response>
          <BlindTransfer TransferorParty="caller">102</BlindTransfer>
        </Response>

    Passes::

        <!-- ozml: context=3pcc -->
        <Response>
          <BlindTransfer TransferorParty="caller">102</BlindTransfer>
        </Response>
    """

    code = "OZ602"
    name = "parameter-not-in-context"
    severity = Severity.WARNING
    context_rule = True

    per_element = True
    reads = "shape"
    names_only = True

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return (
            context is not Context.ANY
            and command is not None
            and command.context_known
            and not outside(command, context)
        )

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        context = ctx.context
        cmd = rec.command
        assert cmd is not None  # `applies`
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is None or not ignored(cmd, pm.param, context):
                continue
            found = self.report(
                ctx,
                f"{cmd.name} {pm.param.name} is ignored {where(ctx.settings)};"
                f" it is used only in {Context.listed(pm.param.only_in, ' or ')} scripts",
                ctx.source.attribute_span(rec, name),
            )
            yield ctx.grounded(found, pm.param.only)
