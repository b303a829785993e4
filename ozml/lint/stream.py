"""Linting a large document as it is read, a run of records at a time.

The parser reads a large plain document piece by piece (`ozml.parser`), so that lxml never
holds all of it, and makes the linter's records as it reads (`ozml.resolve.StreamedRecords`).
Here each run of them is linted as it is made and then dropped (`ozml.parser.RecordSink`): the
element and attribute hooks run on it (`ozml.lint.linter.Plan.elements`), and each
whole-document rule reads it through its fold (`ozml.lint.rule.Fold`), which keeps only what
its findings need; the rules without a fold run at the end. The findings are those
`ozml.lint.linter.lint_result` gives; only the memory differs: a run's records, not the
document's.

Whatever a rule asks that is not held (the root's children, which are in every run, those of a
record whose run is gone, the whole list of records, the tree: `ozml.parser.NotHeld`) stops
it: the document is then linted whole, its records made again as `lint_result` makes them. So
does a document that may hold a comment or a processing instruction (a suppression comment,
or content a rule reads from the tree: `LintContext.templated`, `commented`), and one whose
root holds text of its own (known only at the end: until then its record says it has none).
A document in another encoding than UTF-8 has its records kept by the parser (a finding's
position may decode the text while it is read: `ozml.parser.parse`) and is linted whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from ozml.diagnostics import Diagnostic
from ozml.gcpause import collector_paused
from ozml.lint.context import LintContext
from ozml.lint.linter import CleanMemory, Found, Plan, add_findings, plan_for
from ozml.lint.rule import Fold, Rule
from ozml.lint.settings import LintSettings
from ozml.parser import NotHeld, ParseResult
from ozml.resolve import Resolved


class Stream:
    """Lints one document with `rules` and `settings` as the parser reads it (the parser's
    `RecordSink`); `finish` gives the findings, or None when the document must be linted
    whole (above)."""

    def __init__(self, settings: LintSettings, rules: Sequence[Rule]) -> None:
        self.settings = settings
        self.rules = rules
        self.ctx: LintContext | None = None
        #: Whether the document is to be linted whole: nothing more is read here.
        self.given_up = False
        self.found: Found = {}
        #: The folds of the whole-document rules that have one, and the other such rules
        #: (run at the end), each with its number among `rules`.
        self.folds: list[tuple[int, Fold]] = []
        self.rest: list[tuple[int, Rule]] = []
        #: The plan the rules run by, and its memory of clean elements for the document
        #: (`Plan.clean`): worked out with the first run.
        self.plan: Plan | None = None
        self.clean: CleanMemory | None = None

    def take(self, result: ParseResult, records: list[Resolved]) -> None:
        if self.given_up:
            return
        try:
            ctx, plan = self.ctx, self.plan
            if ctx is None or plan is None:
                ctx = LintContext(result, self.settings)
                if ctx.templated or ctx.commented:
                    self._give_up()
                    return
                ctx.stream()
                plan = self.plan = plan_for(self.rules, self.settings.context)
                self.clean = plan.clean(ctx)
                for i, rule in plan.whole:
                    fold = rule.fold(ctx)
                    if fold is None:
                        self.rest.append((i, rule))
                    else:
                        self.folds.append((i, fold))
                self.ctx = ctx
            ctx.take(records)
            for _, fold in self.folds:
                fold.take(records)
            if plan.each:
                plan.elements(ctx, records, self.found, self.clean)
        except NotHeld:
            self._give_up()

    def _give_up(self) -> None:
        self.given_up = True
        self._let_go()
        self.ctx = None
        self.plan = None
        self.clean = None
        self.found = {}
        self.folds = []
        self.rest = []

    def finish(self, result: ParseResult) -> list[Diagnostic] | None:
        """Every finding in the document `result` once the parser has read it (in source
        order, as `lint_result` gives them); None when it is to be linted whole: it was not
        read a run at a time (it is not large and plain, or not well-formed), or a rule asked
        for what was not held."""
        try:
            return self._findings(result)
        finally:
            self._let_go()

    def _let_go(self) -> None:
        """Leave the context to be freed by reference counting, once the stream is done with
        it: the builders of the analyses its folds share hold it (`ozml.lint.folds`), and it
        holds them (`LintContext.shared`). The cycle kept the document's source, its records
        and lxml's root (with the names of the thread it was read on) until Python's collector
        ran, which ozml lets run rarely (`ozml.gcpause`): without its collection after each
        run, ``ozml check --watch`` grew by 9 MiB a run on a 4 MB document."""
        if self.ctx is not None:
            self.ctx.shared.clear()

    def _findings(self, result: ParseResult) -> list[Diagnostic] | None:
        """`finish`, with the context still held."""
        ctx = self.ctx
        if ctx is None or self.given_up or ctx.result is not result or not result.ok:
            return None
        root = ctx.root
        if root is None or root.has_text:
            return None
        found = self.found
        try:
            with collector_paused():
                for i, fold in self.folds:
                    add_findings(found, i, fold.finish())
                for i, rule in self.rest:
                    add_findings(found, i, rule.check(ctx))
        except NotHeld:
            return None
        findings = [finding for i in sorted(found) for finding in found[i]]
        findings.sort(key=Diagnostic.sort_key)
        return findings


__all__ = ["Stream"]
