"""The linter's findings on a flow: the picture and `ozml check` agree because they are the same.

A node is coloured by the findings the linter reports at its command (the element's name in its
start tag, where every element finding points): unreachable commands (OZ402,
unreachable-command) and any other finding on a command, in the colour of the worst severity.
There is no second definition of "unreachable" here: the model draws the commands after a
Hangup without a way in, and the linter says which one is dead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from ozml.diagnostics import Diagnostic
from ozml.flow.model import DocumentFlow, build
from ozml.lint import directives as _directives
from ozml.lint import noqa
from ozml.lint.linter import lint_result
from ozml.lint.settings import LintSettings
from ozml.parser import ParseResult


def effective(result: ParseResult, settings: LintSettings) -> LintSettings:
    """The settings with the document's own ``<!-- ozml: context=... -->`` applied, as the
    linter applies it (unless ``--context`` locks the context)."""
    found = _directives.scan(result.source)
    return noqa.inline_context(settings, found, result.source) if found else settings


def mark(flow: DocumentFlow, result: ParseResult, findings: Sequence[Diagnostic]) -> None:
    """Give each command node the severity of the worst finding at its element, and the codes
    and names of them all (``OZ402 unreachable-command``)."""
    if not findings:
        return
    at: dict[tuple[int, int], list[Diagnostic]] = {}
    for finding in findings:
        at.setdefault((finding.span.line, finding.span.column), []).append(finding)
    source = result.source
    nodes = flow.nodes
    for i, node in enumerate(nodes):
        if node.element is None:
            continue
        span = source.element_span(node.element)
        here = at.get((span.line, span.column))
        if here:
            worst = max(f.severity for f in here)
            codes = tuple(dict.fromkeys(f"{f.code} {f.name}" for f in here))
            nodes[i] = attrs.evolve(node, severity=worst, codes=codes)


def document_flow(
    result: ParseResult,
    name: str,
    settings: LintSettings | None = None,
    merge: Callable[[list[Diagnostic]], list[Diagnostic]] | None = None,
) -> tuple[DocumentFlow, list[Diagnostic]]:
    """The flow of a parsed document, coloured by its findings; and the findings.

    `merge` adds the findings of a project pass to the document's own (as
    `ozml.lint.project.ProjectFindings.merge` does for ``ozml check``)."""
    settings = effective(result, settings or LintSettings())
    flow = build(result.document.root, name, settings.context)
    findings = lint_result(result, settings)
    if merge is not None:
        findings = merge(findings)
    mark(flow, result, findings)
    return flow, findings


__all__ = ["document_flow", "effective", "mark"]
