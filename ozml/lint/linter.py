"""Running the rules over a document."""

from __future__ import annotations

from collections.abc import Sequence

from ozml.diagnostics import Diagnostic
from ozml.lint import directives as _directives
from ozml.lint import noqa
from ozml.lint.context import LintContext
from ozml.lint.registry import RULES
from ozml.lint.rule import Rule
from ozml.lint.settings import LintSettings
from ozml.parser import ParseResult, parse

DEFAULT_SETTINGS = LintSettings()


def active_rules(settings: LintSettings) -> list[Rule]:
    return [rule() for rule in RULES if settings.enabled(rule.code)]


def lint_result(
    result: ParseResult,
    settings: LintSettings = DEFAULT_SETTINGS,
    rules: Sequence[Rule] | None = None,
) -> list[Diagnostic]:
    """Every finding for a parsed document, parser findings included, in source order.

    ``<!-- ozml: ... -->`` comments are honoured: an inline context applies unless the settings
    lock the context, and suppressed findings are left out (`ozml.lint.noqa`). The parser's
    findings OZ001-OZ003 are never left out: not by a comment, nor by the settings.
    """
    found_directives = _directives.scan(result.source)
    if found_directives:
        settings = noqa.inline_context(settings, found_directives, result.source)
    chosen = active_rules(settings) if rules is None else rules
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
        for rule in chosen:
            if not rule.parser_rule:
                found.extend(rule.check(ctx))
    if found_directives:
        checked = result.document.root is not None
        found = noqa.apply(found, found_directives, settings, result.source, checked=checked)
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
