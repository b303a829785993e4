"""Linting one version of an open document, the way `ozml check` lints a file.

After the first lint of a document, later lints reuse what is unchanged (`ozml.lsp.incremental`),
with the same result as a full lint.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ozml.lint import LintSettings, Rule
from ozml.lint.linter import active_rules
from ozml.lsp import incremental
from ozml.lsp.diagnostics import to_lsp
from ozml.lsp.documents import Analysis, OpenDocument
from ozml.lsp.settings import ProjectSettings, ServerOptions, lint_settings
from ozml.parser import parse


class Linter:
    """Parses and lints document texts; settings and rule instances are kept per folder."""

    def __init__(
        self, options: Callable[[], ServerOptions], problem: Callable[[str], None]
    ) -> None:
        self._options = options
        self._project = ProjectSettings(problem)
        self._settings: dict[Path | None, tuple[LintSettings, list[Rule]]] = {}
        self._rules: dict[int, tuple[LintSettings, list[Rule]]] = {}

    def invalidate(self) -> None:
        """Forget the settings read so far (the configuration or the editor's options changed)."""
        self._project.reload()
        self._settings = {}
        self._rules = {}

    def settings(self, path: Path | None) -> LintSettings:
        return self._for(path)[0]

    def _for(self, path: Path | None) -> tuple[LintSettings, list[Rule]]:
        cache = self._settings
        found = cache.get(path)
        if found is None:
            settings = lint_settings(self._project.for_file(path), self._options())
            # Files that share a settings object share the rule instances too.
            shared = self._rules.get(id(settings))
            if shared is None or shared[0] is not settings:
                shared = self._rules[id(settings)] = (settings, active_rules(settings))
            found = cache[path] = shared
        return found

    def analyse(self, doc: OpenDocument, text: str, version: int) -> Analysis:
        """Lint `text`, the document's content at `version` (called on the lint thread)."""
        settings, rules = self._for(doc.path)
        name = str(doc.path) if doc.path is not None else doc.uri
        result = parse(text, name, max_bytes=settings.max_bytes)
        # Only the lint thread reads and writes the memo; any earlier lint is a valid base.
        found, doc.memo = incremental.lint(result, settings, rules, doc.memo)
        published = to_lsp(found, text, doc.encoding, self._options().rule_link)
        return Analysis(version, result, found, published)
