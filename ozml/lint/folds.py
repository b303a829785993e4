"""The fold of a whole-document rule that reads an analysis the rules share, not the records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from ozml.diagnostics import Diagnostic
from ozml.lint.context import LintContext
from ozml.lint.rule import Fold
from ozml.resolve import Resolved

#: What a rule that reads a shared analysis finds from it (`AnalysisFold`).
Findings = Callable[[LintContext], Iterable[Diagnostic]]


class Builder(Protocol):
    """Makes a shared analysis a run of records at a time (`AnalysisFold`)."""

    def take(self, records: Sequence[Resolved]) -> None:
        """The next run of records, in document order, each given once (`AnalysisFold` gives
        a run once, however many rules read the analysis) and none empty."""

    def done(self) -> object:
        """The analysis, once every record has been taken."""


class AnalysisFold(Fold):
    """The fold of a rule whose findings depend only on one of the analyses the rules share
    (`LintContext.shared`, under the function that makes it, `analysis`): `findings` (the
    rule's `check`) works them out from it at the end.

    While a document is linted as it is read (`LintContext.streaming`), the analysis is
    built by one `builder` (made by calling it with the context; shared too, under it, with
    the run it took last) from each run of records, once for all the rules that read it, and
    is the whole analysis when the first `finish` asks for it. Otherwise `findings` makes it
    from every record when it first asks for it, as the rule's `check` does without the
    fold."""

    __slots__ = ("analysis", "builder", "ctx", "findings")

    def __init__(
        self,
        ctx: LintContext,
        analysis: Callable[[LintContext], object],
        builder: Callable[[LintContext], Builder],
        findings: Findings,
    ) -> None:
        self.ctx = ctx
        self.analysis = analysis
        self.builder = builder
        self.findings = findings

    def take(self, records: Sequence[Resolved]) -> None:
        ctx = self.ctx
        if not ctx.streaming or not records:
            return
        shared = ctx.shared
        building = shared.get(self.builder)
        if building is None:
            building = shared[self.builder] = _Progress(self.builder(ctx))
        assert isinstance(building, _Progress)  # what was put there
        if records is not building.last:  # the first rule to give this run
            building.last = records
            building.builder.take(records)

    def finish(self) -> Iterable[Diagnostic]:
        ctx = self.ctx
        shared = ctx.shared
        if ctx.streaming and self.analysis not in shared:
            building = shared.get(self.builder)
            if building is not None:
                assert isinstance(building, _Progress)
                shared[self.analysis] = building.builder.done()
        return self.findings(ctx)


class _Progress:
    """A shared analysis being built (`AnalysisFold`): its builder, and the run it took last."""

    __slots__ = ("builder", "last")

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.last: Sequence[Resolved] | None = None


__all__ = ["AnalysisFold", "Builder", "Findings"]
