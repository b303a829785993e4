"""ozml findings as LSP diagnostics: exact ranges, codes, and links to the rules' documentation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lsprotocol import types

from ozml.diagnostics import Diagnostic, Severity
from ozml.lsp.convert import LineIndex

SOURCE = "ozml"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

#: Editors draw these specially: unreachable commands faded, legacy names struck through.
_TAGS = {
    "unreachable-command": [types.DiagnosticTag.Unnecessary],
    "legacy-name": [types.DiagnosticTag.Deprecated],
}


def to_lsp(
    found: Sequence[Diagnostic],
    index: Callable[[], LineIndex],
    link: Callable[[str, str], str | None],
) -> list[types.Diagnostic]:
    """Convert findings (character offsets) to LSP diagnostics, with the line index of the text
    they are about (asked for only when there are findings)."""
    if not found:
        return []
    lines = index()
    converted = []
    for diag in found:
        href = link(diag.code, diag.name)
        converted.append(
            types.Diagnostic(
                range=lines.span_range(diag.span),
                message=diag.message,
                severity=_SEVERITY[diag.severity],
                code=diag.code,
                code_description=types.CodeDescription(href=href) if href else None,
                source=SOURCE,
                tags=_TAGS.get(diag.name),
                data={"name": diag.name, "fixable": diag.fix is not None},
            )
        )
    return converted
