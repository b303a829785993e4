from __future__ import annotations

from collections.abc import Sequence

from ozml import templates
from ozml.catalog import ChildPolicy, Context
from ozml.diagnostics import Diagnostic, Severity
from ozml.flow import control
from ozml.lint.context import LintContext
from ozml.lint.rule import Fold, Rule
from ozml.resolve import Resolved


def ends_script(rec: Resolved, context: Context) -> bool:
    """Whether running this command in a script of `context` ends the script (D9;
    `ozml.flow.control.ends_script`)."""
    command = rec.command
    if command is None or command.name not in control.ENDING:
        return False  # most commands go on, and need no parameter names
    return control.ends_script(
        command.name, {pm.param.name for pm in rec.matches if pm is not None}, context
    )


class UnreachableCommand(Rule):
    """Commands after Reject never run, nor, as ozml assumes, those after Hangup or Exit.

    Reject refuses the call, and the rest of the OzML does not run (spec §2,
    [oz4254][oz4691][hu7657]): whatever follows it in the same block is dead. That a Hangup of
    the current call or an Exit ends the script too is ozml's assumption (D9, D6), which the
    vendor never states: one of its responses holds several Hangups (spec §7.6), and Exit has
    no page (spec §7.36). After them the finding says the ending is assumed and cites the spec,
    in every context (in a 3pcc script too, where Hangup acts on the notified call). A Hangup
    that names another call with CallId is not taken to end the script, except in an extension
    script, where the PBX ignores its CallId ([oz4689]; parameter-not-in-context) and hangs up
    the current call. A BlindTransfer is not taken to end it either: when the transfer fails,
    the next command runs.

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

    def fold(self, ctx: LintContext) -> Fold:
        return _Blocks(self, ctx)


class _Blocks(Fold):
    """The first command after one that ends its block, in each block, reported as the
    records come."""

    __slots__ = ("ctx", "ended", "found", "reported", "rule")

    def __init__(self, rule: UnreachableCommand, ctx: LintContext) -> None:
        self.rule = rule
        self.ctx = ctx
        #: The command that ended each block so far, by the number of the block's element.
        self.ended: dict[int, Resolved] = {}
        #: The blocks already reported (by number): once each.
        self.reported: set[int] = set()
        self.found: list[Diagnostic] = []

    def take(self, records: Sequence[Resolved]) -> None:
        ctx, ended, reported = self.ctx, self.ended, self.reported
        at = 0
        if not ended:
            # Nothing before the first command that ends its block is ever unreachable: start
            # there (most scripts end with their Hangup, so little is left to read).
            ending = control.ENDING
            for at in [i for i, rec in enumerate(records) if rec.name in ending]:
                first = records[at]
                if _ends_block(ctx, first):
                    parent = first.parent
                    assert parent is not None  # a command of a block
                    ended[parent.index] = first
                    at += 1
                    break
            else:
                return
        source = ctx.source
        for rec in records[at:]:
            parent = rec.parent
            if parent is None or not _in_block(parent):
                continue
            key = parent.index
            stop = ended.get(key)
            if stop is not None:
                if key not in reported:
                    reported.add(key)
                    where = f" on line {source.element_span(stop).line}"
                    found = self.rule.report(
                        ctx,
                        control.never_runs(rec.name, stop.name, where),
                        source.element_span(rec),
                    )
                    self.found.append(ctx.grounded(found, control.ENDING_BASIS[stop.name]))
                continue
            if _ends_block(ctx, rec):
                ended[key] = rec

    def finish(self) -> list[Diagnostic]:
        return self.found


def _in_block(parent: Resolved) -> bool:
    """Whether the children of `parent` are commands that run one after the other."""
    command = parent.command
    return command is not None and command.children is ChildPolicy.COMMANDS


def _ends_block(ctx: LintContext, rec: Resolved) -> bool:
    """Whether `rec` is a command of a block (`_in_block`) whose run ends the script, so that
    what follows it in the block never runs."""
    parent = rec.parent
    if parent is None or not _in_block(parent) or not ends_script(rec, ctx.context):
        return False
    # A Hangup inside a control block of the template may not be written at all.
    return not (ctx.templated and templates.in_block(parent.element, rec.element))
