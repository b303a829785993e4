"""ozml: the toolkit for OzML, the XML call-control language of the Ozeki Phone System.

Parse, lint, format, generate and run OzML documents::

    >>> import ozml
    >>> [d.code for d in ozml.check('<Response><ForwardCall/></Response>')]
    ['OZ201']
    >>> ozml.parse('<Response><Speak>Hi</Speak></Response>').document.root.tag
    'Response'

`ozml.check` is the in-process `ozml check` of one document; the linter itself is the
`ozml.lint` package (rules, settings, the registry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozml.lazy import loader

if TYPE_CHECKING:
    from ozml.diagnostics import Diagnostic, Severity
    from ozml.lint import LintSettings
    from ozml.nodes import Attribute, Comment, Document, Element, ProcessingInstruction, Text
    from ozml.parser import ParseResult, parse

__version__ = "0.1.0"

# The public names are loaded on first use (PEP 562): `ozml check` and the other commands
# import only the modules they need, which keeps their cold start short (DESIGN.md).
_HOMES = {
    "Diagnostic": "ozml.diagnostics",
    "Severity": "ozml.diagnostics",
    "LintSettings": "ozml.lint.settings",
    "Attribute": "ozml.nodes",
    "Comment": "ozml.nodes",
    "Document": "ozml.nodes",
    "Element": "ozml.nodes",
    "ProcessingInstruction": "ozml.nodes",
    "Text": "ozml.nodes",
    "ParseResult": "ozml.parser",
    "parse": "ozml.parser",
}


def check(
    data: bytes | str, path: str = "<string>", settings: LintSettings | None = None
) -> list[Diagnostic]:
    """Parse and lint one document (`ozml.lint.linter.lint`): every finding, in source order.

    Named after `ozml check` rather than `lint` so that it does not hide the `ozml.lint`
    package (``import ozml.lint.noqa`` keeps working).
    """
    from ozml.lint.linter import lint as run

    return run(data, path) if settings is None else run(data, path, settings)


__getattr__ = loader(__name__, _HOMES, globals())


__all__ = [
    "Attribute",
    "Comment",
    "Diagnostic",
    "Document",
    "Element",
    "LintSettings",
    "ParseResult",
    "ProcessingInstruction",
    "Severity",
    "Text",
    "__version__",
    "check",
    "parse",
]
