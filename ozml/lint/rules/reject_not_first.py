from __future__ import annotations

from collections.abc import Sequence

from ozml.catalog import ElementKind
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Fold, Rule
from ozml.resolve import Resolved


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

    def fold(self, ctx: LintContext) -> Fold:
        return _Commands(self, ctx)


class _Commands(Fold):
    """Each Reject that is not the root's first command, reported as the records come."""

    __slots__ = ("ctx", "first", "found", "root", "rule")

    def __init__(self, rule: RejectNotFirst, ctx: LintContext) -> None:
        self.rule = rule
        self.ctx = ctx
        self.root: Resolved | None = None
        #: The number of the root's first command, once it has come.
        self.first: int | None = None
        self.found: list[Diagnostic] = []

    def take(self, records: Sequence[Resolved]) -> None:
        root = self.root
        if root is None:
            if not records:
                return
            root = self.root = records[0]
        if self.first is None:
            command = ElementKind.COMMAND
            for rec in records:
                if rec.parent is root and (rec.command is None or rec.command.kind is command):
                    self.first = rec.index
                    break
        first = self.first
        ctx = self.ctx
        for rec in [rec for rec in records if rec.name == "Reject" and rec is not root]:
            top = rec.parent is root
            # The first command of the root may be this Reject: it is then the one.
            if top and (first is None or rec.index <= first):
                continue
            where = "" if top else f" (it is inside {rec.parent.name if rec.parent else '?'})"
            self.found.append(
                self.rule.report(
                    ctx,
                    f"Reject must be the first command of the response{where}",
                    ctx.source.element_span(rec),
                )
            )

    def finish(self) -> list[Diagnostic]:
        return self.found
