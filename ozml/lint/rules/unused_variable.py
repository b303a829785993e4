from __future__ import annotations

from collections.abc import Iterator

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Fold, Rule
from ozml.lint.variables import analyse, fold_variables


class UnusedVariable(Rule):
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
    reads_variables = True
    needs = frozenset({"Var", "Array"})

    def fold(self, ctx: LintContext) -> Fold:
        return fold_variables(ctx, self.check)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """The findings, from `ozml.lint.variables`'s analysis of the whole document."""
        analysis = analyse(ctx)
        if analysis.continues_elsewhere or not (analysis.variables or analysis.arrays):
            return
        for lowered, definitions in analysis.variables.items():
            if lowered in analysis.used_names or lowered in analysis.array_reads:
                continue
            first = definitions[0]
            yield self.report(
                ctx,
                f"Var {first.name} is defined but ${first.name} is never used",
                ctx.source.attribute_span(first.rec, first.attribute, value=True),
            )
        if analysis.dynamic_reads:
            return
        for lowered, definitions in analysis.arrays.items():
            if lowered in analysis.array_reads or lowered in analysis.used_names:
                continue
            first = definitions[0]
            yield self.report(
                ctx,
                f"Array {first.name} is defined but no ForEach reads it",
                ctx.source.attribute_span(first.rec, first.attribute, value=True),
            )
