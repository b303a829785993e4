from __future__ import annotations

from collections.abc import Iterator

from ozml import templates
from ozml.catalog import ChildPolicy
from ozml.diagnostics import Diagnostic, Severity
from ozml.flow import control
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule
from ozml.resolve import Resolved


def ends_script(rec: Resolved) -> bool:
    """Whether running this command ends the script (D9; `ozml.flow.control.ends_script`)."""
    command = rec.command
    if command is None or command.name not in control.ENDING:
        return False  # most commands go on, and need no parameter names
    return control.ends_script(
        command.name, {pm.param.name for pm in rec.matches if pm is not None}
    )


class UnreachableCommand(Rule):
    """Commands after Hangup, Exit or Reject never run.

    Hangup (of the current call), Exit and Reject end the script (D9), so whatever follows them
    in the same block is dead. A Hangup that names another call with CallId does not end the
    script. A BlindTransfer does not either: when the transfer fails, the next command runs.

    Fails::

        <Response>
          <Hangup/>
          <Speak>Goodbye</Speak>
        </Response>

    Passes::

        <Response>
          <Speak>Goodbye</Speak>
          <Hangup/>
        </Response>
    """

    code = "OZ402"
    name = "unreachable-command"
    severity = Severity.WARNING
    needs = control.ENDING

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        records = ctx.records
        # Nothing before the first command that ends its block is ever unreachable: start
        # there (most scripts end with their Hangup, so little is left to read).
        ending = control.ENDING
        for start in [i for i, rec in enumerate(records) if rec.name in ending]:
            if _ends_block(ctx, records[start]):
                break
        else:
            return
        # That command ends its block: what follows it there is reported.
        first = records[start]
        ended: dict[int, Resolved] = {id(first.parent): first}
        reported: set[int] = set()
        for rec in records[start + 1 :]:
            parent = rec.parent
            if parent is None or not _in_block(parent):
                continue
            key = id(parent)
            stop = ended.get(key)
            if stop is not None:
                if key not in reported:
                    reported.add(key)
                    yield self.report(
                        ctx,
                        f"{rec.name} is never run: the script ends at {stop.name}"
                        f" on line {ctx.source.element_span(stop).line}",
                        ctx.source.element_span(rec),
                    )
                continue
            if _ends_block(ctx, rec):
                ended[key] = rec


def _in_block(parent: Resolved) -> bool:
    """Whether the children of `parent` are commands that run one after the other."""
    command = parent.command
    return command is not None and command.children is ChildPolicy.COMMANDS


def _ends_block(ctx: LintContext, rec: Resolved) -> bool:
    """Whether `rec` is a command of a block (`_in_block`) whose run ends the script, so that
    what follows it in the block never runs."""
    parent = rec.parent
    if parent is None or not _in_block(parent) or not ends_script(rec):
        return False
    # A Hangup inside a control block of the template may not be written at all.
    return not (ctx.templated and templates.in_block(parent.element, rec.element))
