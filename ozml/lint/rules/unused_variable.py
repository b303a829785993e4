from __future__ import annotations

from collections.abc import Iterator

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.variables import Analysis, Definition, VariableRule, analyse, definition_span


class UnusedVariable(VariableRule):
    """A Var or Array that the document never uses.

    A Var whose ``$name`` appears nowhere, or an Array that no ForEach reads, is dead weight at
    best; more often the use is misspelt (undefined-variable then reports it) or was removed by
    mistake. Not reported when the script may continue in another document that could use the
    name (a GoTo, or a UserInput with ForwardToURL), nor when a ForEach Source is only known at
    run time.

    Fails::

        <Response>
          <Var Id="greeting">Welcome</Var>
          <Speak>Hello</Speak>
        </Response>

    Passes::

        <Response>
          <Var Id="greeting">Welcome</Var>
          <Speak>$greeting</Speak>
        </Response>
    """

    code = "OZ702"
    name = "unused-variable"
    severity = Severity.WARNING
    needs = frozenset({"Var", "Array"})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        analysis = analyse(ctx)
        if analysis.continues_elsewhere or not (analysis.variables or analysis.arrays):
            return
        for first in _unused(analysis, analysis.variables):
            message = f"Var {first.name} is defined but ${first.name} is never used"
            yield self.report(ctx, message, definition_span(ctx, first))
        if analysis.dynamic_reads:
            return
        for first in _unused(analysis, analysis.arrays):
            message = f"Array {first.name} is defined but no ForEach reads it"
            yield self.report(ctx, message, definition_span(ctx, first))


def _unused(analysis: Analysis, defined: dict[str, list[Definition]]) -> Iterator[Definition]:
    """The first definition of each name of `defined` (the Vars or the Arrays) that the
    document uses nowhere: neither among the names it uses (`Analysis.used_names`) nor among
    those its ForEach elements read (`Analysis.array_reads`)."""
    used, read = analysis.used_names, analysis.array_reads
    for lowered, definitions in defined.items():
        if lowered not in used and lowered not in read:
            yield definitions[0]
