"""Running the rules over a document."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import attrs

from ozml.catalog import Command, Context, MatchKind, Usage
from ozml.diagnostics import Diagnostic
from ozml.gcpause import collector_paused
from ozml.lint import directives as _directives
from ozml.lint import noqa
from ozml.lint.context import LintContext
from ozml.lint.registry import PROJECT_CODES, RULES
from ozml.lint.rule import Rule
from ozml.lint.settings import LintSettings
from ozml.parser import ParseResult, parse
from ozml.resolve import Resolved

DEFAULT_SETTINGS = LintSettings()

Hook = Callable[[LintContext, Resolved], Iterator[Diagnostic]]


def active_rules(settings: LintSettings) -> list[Rule]:
    """The rules that run on one document with `settings`: the enabled ones of `RULES`, less
    the project rules, which read a whole application (`ozml.lint.project` runs them)."""
    return [rule() for rule in RULES if not rule.project_rule and settings.enabled(rule.code)]


class _Entry:
    """The element hooks for one catalog command (None: an unknown element) in one context.

    `plain_hooks` leave out the `names_only` rules: they serve an element written with the
    command's own name whose every attribute is one of the `plain` parameters, written with
    its own name (no alias, no other letter case). A plain parameter is used in documents in
    every context.
    """

    __slots__ = ("command", "hooks", "plain", "plain_hooks")

    def __init__(
        self, command: Command | None, context: Context, rules: list[tuple[int, Rule]]
    ) -> None:
        self.command = command
        chosen = [(i, rule) for i, rule in rules if rule.applies(command, context)]
        self.hooks: tuple[tuple[int, Hook], ...] = tuple((i, r.element) for i, r in chosen)
        self.plain_hooks: tuple[tuple[int, Hook], ...] = tuple(
            (i, r.element) for i, r in chosen if not r.names_only
        )
        self.plain: frozenset[int] = frozenset(
            id(param)
            for param in (command.params if command is not None else ())
            if Usage.OZML in param.usage and not param.only_in
        )


class _Plan:
    """How one list of rules runs in one context: the rules that read the whole document, and
    per catalog command the element hooks that apply to it (a table filled once per command)."""

    def __init__(self, rules: Sequence[Rule], context: Context) -> None:
        self.rules = tuple(rules)
        self.context = context
        self.whole = [
            (i, rule)
            for i, rule in enumerate(rules)
            if not rule.parser_rule and not rule.per_element
        ]
        self.each = [(i, rule) for i, rule in enumerate(rules) if rule.per_element]
        self._tables: dict[int, _Entry] = {}

    def entry(self, command: Command | None) -> _Entry:
        entry = self._tables.get(id(command))
        if entry is None or entry.command is not command:
            entry = self._tables[id(command)] = _Entry(command, self.context, self.each)
        return entry

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Every rule's findings, rule after rule, each in the order its own walk gives them."""
        found: list[list[Diagnostic]] = [[] for _ in self.rules]
        for i, rule in self.whole:
            found[i].extend(rule.check(ctx))
        if self.each:
            tables, entry = self._tables, self.entry
            exact = MatchKind.EXACT
            for rec in ctx.records:
                command = rec.command
                table = tables.get(id(command))
                if table is None or table.command is not command:
                    table = entry(command)
                hooks = table.hooks
                match = rec.match
                if match is not None and match.kind is exact:
                    plain = table.plain
                    for _, pm in rec.attributes:
                        if pm is None or pm.kind is not exact or id(pm.param) not in plain:
                            break
                    else:
                        hooks = table.plain_hooks
                for i, hook in hooks:
                    found[i].extend(hook(ctx, rec))
        for part in found:
            yield from part


#: Rule lists by the settings that choose them, and plans by rule list and context: built once,
#: not per document. Both stay small (a run has a few settings); they are emptied when they grow.
_ACTIVE: dict[tuple[object, ...], tuple[Rule, ...]] = {}
_PLANS: dict[tuple[int, Context], _Plan] = {}
_MAX_KEPT = 64


def _active(settings: LintSettings) -> tuple[Rule, ...]:
    key = (settings.select, settings.extend_select, settings.ignore)
    rules = _ACTIVE.get(key)
    if rules is None:
        if len(_ACTIVE) >= _MAX_KEPT:
            _ACTIVE.clear()
        rules = _ACTIVE[key] = tuple(active_rules(settings))
    return rules


def _plan(rules: Sequence[Rule], context: Context) -> _Plan:
    key = (id(rules), context)
    plan = _PLANS.get(key)
    chosen = tuple(rules)  # compared by identity: a list changed since is planned again
    if plan is None or plan.rules != chosen:
        if len(_PLANS) >= _MAX_KEPT:
            _PLANS.clear()
        plan = _PLANS[key] = _Plan(chosen, context)
    return plan


_PER_FILE: dict[int, tuple[LintSettings, LintSettings]] = {}


def _per_file(settings: LintSettings) -> LintSettings:
    """The settings suppressions are applied with: the project rules (OZ811-OZ815) left out,
    since this pass cannot know whether a comment naming one of them suppresses something
    (the project pass applies those comments itself: `ozml.lint.project`)."""
    known = _PER_FILE.get(id(settings))
    if known is None or known[0] is not settings:
        if len(_PER_FILE) >= _MAX_KEPT:
            _PER_FILE.clear()
        codes = PROJECT_CODES
        select = None if settings.select is None else settings.select - codes
        known = _PER_FILE[id(settings)] = (
            settings,
            attrs.evolve(
                settings,
                select=select,
                extend_select=settings.extend_select - codes,
                ignore=settings.ignore | codes,
            ),
        )
    return known[1]


def check_rules(ctx: LintContext, rules: Sequence[Rule]) -> list[Diagnostic]:
    """The findings of `rules` in `ctx` in the order of ``[d for rule in rules for d in
    rule.check(ctx)]`` (parser rules find nothing there), found in one pass over the tree."""
    return list(_plan(rules, ctx.context).run(ctx))


def lint_result(
    result: ParseResult,
    settings: LintSettings = DEFAULT_SETTINGS,
    rules: Sequence[Rule] | None = None,
    *,
    walk: bool = False,
) -> list[Diagnostic]:
    """Every finding for a parsed document, parser findings included, in source order.

    ``<!-- ozml: ... -->`` comments are honoured: an inline context applies unless the settings
    lock the context, and suppressed findings are left out (`ozml.lint.noqa`). The parser's
    findings OZ001-OZ003 are never left out: not by a comment, nor by the settings.

    The rules run in one pass over the tree (`_Plan`); `walk` runs each rule's own walk
    instead, which gives the same findings (the tests compare them).
    """
    found_directives = _directives.scan(result.source)
    if found_directives:
        settings = noqa.inline_context(settings, found_directives, result.source)
    chosen = _active(settings) if rules is None else rules
    found: list[Diagnostic] = []
    for problem in result.problems:
        if settings.enabled(problem.code):
            severity = settings.severity(problem.code, problem.severity)
            if severity is not problem.severity:
                problem = Diagnostic(
                    problem.code, problem.name, severity, problem.message, problem.span
                )
            found.append(problem)
    if result.document.root is not None:
        ctx = LintContext(result, settings)
        # The records the rules make live as long as the tree: nothing for the cyclic
        # collector to find while they are made (`ozml.gcpause`; a third of a 5 MB lint).
        with collector_paused():
            if walk:
                for rule in chosen:
                    if not rule.parser_rule:
                        found.extend(rule.check(ctx))
            else:
                found.extend(_plan(chosen, settings.context).run(ctx))
    if found_directives:
        checked = result.document.root is not None
        found = noqa.apply(
            found, found_directives, _per_file(settings), result.source, checked=checked
        )
    found.sort(key=Diagnostic.sort_key)
    return found


def lint(
    data: bytes | str,
    path: str = "<string>",
    settings: LintSettings = DEFAULT_SETTINGS,
) -> list[Diagnostic]:
    """Parse and lint one document."""
    parsed = parse(data, path, max_bytes=settings.max_bytes, templates=settings.templates)
    return lint_result(parsed, settings)
