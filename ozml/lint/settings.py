"""What a lint run is told: the context, which rules, how severe."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ozml.catalog import Context
from ozml.files import DEFAULT_MAX_BYTES
from ozml.record import Record
from ozml.severity import UNCHECKED_DOCUMENT, Severity
from ozml.syntaxes import DEFAULT as DEFAULT_TEMPLATES

#: What the text of every directive comment begins with (``<!-- ozml: noqa -->``,
#: `ozml.lint.directives`): a document that does not hold it has none, and what reads
#: directives is not loaded for it (cold start, docs/performance.md).
DIRECTIVE_MARK = "ozml:"


def _codes(values: Iterable[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset(v.strip().upper() for v in values if v.strip())


def _matches(code: str, patterns: frozenset[str]) -> bool:
    """`OZ2` selects OZ201, OZ202, ...; `ALL` selects everything (ruff-style prefixes)."""
    return "ALL" in patterns or any(code.startswith(p) for p in patterns)


class LintSettings(Record):
    """The context, the rules and their severities, and the limits of one lint run. Rule codes
    are kept upper case and stripped, empty ones dropped; ``replace`` makes a changed copy."""

    context: Context
    #: Where the context came from, for messages ("--context", "ozml.toml", "inline comment").
    context_origin: str
    select: frozenset[str] | None
    extend_select: frozenset[str]
    ignore: frozenset[str]
    severities: Mapping[str, Severity]
    known_variables: frozenset[str]
    fail_on: Severity
    max_bytes: int
    #: The server-side template syntaxes whose parts are dynamic values (`ozml.templates`,
    #: docs/templates.md); processing instructions always are. Read when the document is
    #: parsed: ``parse(..., templates=settings.templates)``.
    templates: frozenset[str]
    #: The context was given explicitly (``ozml check --context``): an inline
    #: ``<!-- ozml: context=... -->`` comment does not override it (docs/contexts.md).
    context_locked: bool

    def __init__(
        self,
        context: Context = Context.ANY,
        context_origin: str = "the default",
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = frozenset(),
        ignore: Iterable[str] = frozenset(),
        severities: Mapping[str, Severity] | None = None,
        known_variables: frozenset[str] = frozenset(),
        fail_on: Severity = Severity.WARNING,
        max_bytes: int = DEFAULT_MAX_BYTES,
        templates: Iterable[str] = DEFAULT_TEMPLATES,
        context_locked: bool = False,
    ) -> None:
        select = _codes(select)
        extend_select = _codes(extend_select) or frozenset()
        ignore = _codes(ignore) or frozenset()
        severities = {} if severities is None else severities
        templates = frozenset(templates)
        self._assign(locals())

    def enabled(self, code: str) -> bool:
        """Whether findings of `code` are reported. Those of a document that was not checked
        (`UNCHECKED_DOCUMENT`: OZ001-OZ003) always are: no ignore or select hides them."""
        code = code.upper()
        if code in UNCHECKED_DOCUMENT:
            return True
        if self.ignore and _matches(code, self.ignore):
            # A more specific select beats a broader ignore (OZ201 in select, OZ2 ignored).
            chosen = (self.select or frozenset()) | self.extend_select
            return code in chosen
        if self.select is None:
            return True
        return _matches(code, self.select) or _matches(code, self.extend_select)

    def severity(self, code: str, default: Severity) -> Severity:
        """The severity of `code`'s findings; never lowered for a document that was not checked."""
        if code in UNCHECKED_DOCUMENT:
            return default
        return self.severities.get(code, default)
