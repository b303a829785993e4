"""Linting one version of an open document, the way `ozml check` lints a file.

After the first lint of a document, later lints reuse what is unchanged (`ozml.lsp.incremental`),
with the same result as a full lint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ozml.gcpause import collector_paused
from ozml.lint import LintSettings, Rule, noqa, quick
from ozml.lint import directives as lint_directives
from ozml.lint.linter import active_rules
from ozml.lsp import incremental
from ozml.lsp.diagnostics import SOURCE, to_lsp
from ozml.lsp.documents import Analysis, OpenDocument
from ozml.lsp.settings import ProjectSettings, ServerOptions, lint_settings
from ozml.parser import bytes_of, parse
from ozml.positions import Source

if TYPE_CHECKING:
    from ozml.formatter import FormatOptions

logger = logging.getLogger(__name__)


class Linter:
    """Parses and lints document texts; settings and rule instances are kept per folder."""

    def __init__(
        self,
        options: Callable[[], ServerOptions],
        problem: Callable[[str], None],
        *,
        config_file: Path | None = None,
        isolated: bool = False,
        note: Callable[[str], None] | None = None,
    ) -> None:
        self._options = options
        self._project = ProjectSettings(problem, config_file=config_file, isolated=isolated)
        self._settings: dict[Path | None, tuple[LintSettings, list[Rule]]] = {}
        self._rules: dict[int, tuple[LintSettings, list[Rule]]] = {}
        #: Told once per document why it is not linted (`excluded`), for the editor's log.
        self._note = note
        self._noted: set[Path] = set()

    def invalidate(self) -> None:
        """Forget the settings read so far (the configuration or the editor's options changed)."""
        self._project.reload()
        self._settings = {}
        self._rules = {}
        self._noted = set()

    def largest_max_bytes(self, folders: Iterable[Path]) -> int:
        """The largest ``max-bytes`` the configurations of `folders` set (at least the
        default's): `ozml.lsp.settings.ProjectSettings.largest_max_bytes`."""
        return self._project.largest_max_bytes(folders)

    def forget(self, path: Path | None) -> None:
        """Drop what is kept for one file (its document was closed): the table would otherwise
        grow with every file ever opened. The folder's configuration stays read."""
        if path is not None:
            self._settings.pop(path, None)
            self._project.forget(path)

    def excluded(self, doc: OpenDocument) -> bool:
        """Whether the document's configuration leaves its file out (``exclude``), as ``ozml
        check`` and ``ozml fmt`` leave it out when it is named: it is then neither linted nor
        formatted, and the editor's log says so once."""
        path = doc.path
        by = self._project.excluded_by(path)
        if by is None:
            return False
        assert path is not None
        if self._note is not None and path not in self._noted:
            self._noted.add(path)
            self._note(f"ozml: {path} is left out by the exclude of {by}; not linted or formatted")
        return True

    @property
    def config_file(self) -> Path | None:
        """``ozml lsp --config FILE``'s file, if given."""
        return self._project.config_file

    def settings(self, path: Path | None) -> LintSettings:
        """The settings of a file from the configuration and the editor's options, before the
        document's own comments; `document_settings` is what a document is handled with."""
        return self._for(path)[0]

    def format_options(self, doc: OpenDocument) -> FormatOptions:
        """The ``[format]`` settings `ozml fmt` would format the document's file with."""
        return self._project.format_for(doc.path)

    def document_settings(self, doc: OpenDocument, text: str | None = None) -> LintSettings:
        """The settings `ozml check` would lint the document's `text` (its current text by
        default) with: those of its file, then its own ``<!-- ozml: context=... -->`` comment,
        applied by the linter's one function for it (`ozml.lint.noqa.inline_context`). Every
        feature that depends on the context (diagnostics, completion, hover) asks here."""
        return for_text(self.settings(doc.path), doc.text if text is None else text)

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
        """Lint `text`, the document's content at `version` (called on the lint thread).

        A failure of ozml itself is shown on the document as one diagnostic instead of leaving
        the editor without an answer.
        """
        try:
            # What the lint makes lives on with the analysis (`ozml.gcpause`): its findings
            # converted for the editor too, not only the tree and the lint (20,000 elements:
            # 1.21 times as long with the collector on).
            with collector_paused():
                return self._analyse(doc, text, version)
        except Exception as error:
            logger.exception("linting %s failed", doc.uri)
            message = (
                f"ozml could not lint this document: internal error {type(error).__name__}:"
                f" {error} (please report it; `ozml lsp --log-file` keeps the details)"
            )
            start = types.Position(0, 0)
            failed = types.Diagnostic(
                types.Range(start, start), message, types.DiagnosticSeverity.Error, source=SOURCE
            )
            return Analysis(version, None, [], [failed], text=text)

    def _analyse(self, doc: OpenDocument, text: str, version: int) -> Analysis:
        if self.excluded(doc):
            return Analysis(version, None, [], [], text=text)
        settings, rules = self._for(doc.path)
        effective = for_text(settings, text)
        last = doc.analysis
        if last is not None and not last.diagnostics and doc.memo is None:
            # It was clean, and no earlier lint is there to build on (its lint fell back to a
            # full one): most edits keep it clean, and the quick check proves that without
            # building the tree (when it cannot, it says so early and the lint follows). With
            # an earlier lint, the lint of what the edit touched costs less on a long document
            # (5,000 lines: about 10 ms against 12.5 for the quick check's whole text), and
            # leaves the tree for the other features.
            data = bytes_of(text)  # what `parse` reads
            if len(data) <= settings.max_bytes and quick.is_clean(data, effective.context):
                return Analysis(version, None, [], [], text=text)
        name = str(doc.path) if doc.path is not None else doc.uri
        with collector_paused():
            result = parse(
                text,
                name,
                max_bytes=settings.max_bytes,
                templates=settings.templates,
                previous=doc.parsed,
            )
            if result.ok:  # a document that does not read is no base for the next parse
                doc.parsed = result
            # Only the lint thread reads and writes the memo; any earlier lint is a valid base.
            found, doc.memo = incremental.lint(result, settings, rules, doc.memo)
        published = to_lsp(found, lambda: doc.index_of(text), self._options().rule_link)
        return Analysis(version, result, found, published, text=text)


def for_text(settings: LintSettings, text: str) -> LintSettings:
    """`settings` with the inline context comment of `text` applied, as the linter applies it
    (`ozml.lint.noqa.inline_context`, the one place that decides a document's context)."""
    source = Source(text)
    if not lint_directives.present(source):
        return settings
    return noqa.inline_context(settings, lint_directives.scan(source), source)
