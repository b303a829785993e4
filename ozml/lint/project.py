"""The project pass: the cross-document rules (OZ811-OZ815) over one configuration's project.

``ozml check`` runs it after the per-file pass when a checked file's configuration has a
``[urls]`` table (docs/project.md): the project is built once per configuration
(`ozml.project.graph.Project.build`: every document of the application parsed once, the
checked ones and the others the map names or the links lead to), the project rules run over it,
and their findings are merged into the reports of the checked files (`ProjectFindings.merge`),
as the file's own settings allow (select, ignore, per-file-ignores, severity) and its
``noqa`` comments leave them. Findings in documents that were not checked are not shown.

In a fetched document (one a link leads to) undefined-linked-variable (OZ814) takes over from
undefined-variable (OZ701) the variables the document uses without defining them anywhere:
OZ701's findings for those uses are dropped, and OZ814 reports the ones no document on a path
to it defines. The findings are not cached: they depend on the whole project.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import attrs

from ozml.diagnostics import Diagnostic, Severity, Span
from ozml.lint.context import LintContext
from ozml.lint.directives import Directive
from ozml.lint.rule import Rule
from ozml.lint.settings import LintSettings
from ozml.positions import Source
from ozml.project.graph import Document, Project, entry_documents, load_file
from ozml.project.urlmap import UrlMap

__all__ = [
    "ProjectContext",
    "ProjectFindings",
    "ProjectPass",
    "check_project",
    "project_documents",
    "project_rules",
]


class ProjectContext:
    """What a project rule may look at: the project, each document's settings and lint
    context, and how to make a finding."""

    def __init__(
        self,
        project: Project,
        settings_for: Callable[[Path], LintSettings],
        root: Path,
    ) -> None:
        self.project = project
        self._settings_for = settings_for
        #: The configuration's folder: paths in messages are relative to it.
        self.root = root
        self._settings: dict[int, LintSettings] = {}
        self._contexts: dict[int, LintContext] = {}
        #: Per document, the (line, column) of the OZ701 findings OZ814 takes over.
        self.handed_over: dict[int, set[tuple[int, int]]] = {}

    def settings(self, document: Document) -> LintSettings:
        """The document's settings, with its own inline context comment applied."""
        found = self._settings.get(document.index)
        if found is None:
            found = self._settings_for(document.path)
            result = document.result
            if result is not None:
                from ozml.lint import directives, noqa

                scanned = directives.scan(result.source)
                if scanned:
                    found = noqa.inline_context(found, scanned, result.source)
            self._settings[document.index] = found
        return found

    def lint_context(self, document: Document) -> LintContext:
        """The lint context of a document that was read (`Document.ok`), made once."""
        found = self._contexts.get(document.index)
        if found is None:
            assert document.result is not None
            found = self._contexts[document.index] = LintContext(
                document.result, self.settings(document)
            )
            # The project resolved the elements already.
            found.records = document.records
        return found

    def shown(self, path: str | os.PathLike[str]) -> str:
        """A path for messages: relative to the configuration's folder, with ``/``."""
        try:
            relative = os.path.relpath(path, self.root)
        except ValueError:  # another drive on Windows
            return os.fspath(path)
        return relative.replace(os.sep, "/")

    def finding(
        self,
        rule: Rule,
        document: Document,
        message: str,
        span: Span,
        *,
        severity: Severity | None = None,
    ) -> tuple[Path, Diagnostic]:
        """A finding of `rule` in `document`: its severity is `severity` (the rule's own by
        default) unless the document's configuration sets the rule's severity."""
        settings = self.settings(document)
        chosen = settings.severities.get(rule.code, severity or rule.severity)
        return document.path, Diagnostic(rule.code, rule.name, chosen, message, span)


def project_rules() -> tuple[type[Rule], ...]:
    """The project rules, in code order: those of the one registry that read a project."""
    from ozml.lint.registry import RULES

    return tuple(rule for rule in RULES if rule.project_rule)


@attrs.define
class ProjectFindings:
    """The project rules' findings, by document path (absolute, normalised)."""

    by_path: dict[str, list[Diagnostic]] = attrs.field(factory=dict)
    #: Per document path, where OZ701 findings are taken over by OZ814.
    handed_over: dict[str, set[tuple[int, int]]] = attrs.field(factory=dict)
    project: Project | None = None

    def for_path(self, path: str | os.PathLike[str]) -> list[Diagnostic]:
        return self.by_path.get(_key(path), [])

    def merge(self, diagnostics: Sequence[Diagnostic], path: str | os.PathLike[str]) -> list[
        Diagnostic
    ]:
        """A checked file's findings with the project's merged in, in source order: OZ701
        findings OZ814 took over are left out."""
        key = _key(path)
        handed = self.handed_over.get(key)
        added = self.by_path.get(key, [])
        if not handed and not added:
            return list(diagnostics)
        kept = [
            d
            for d in diagnostics
            if not (handed and d.code == "OZ701" and (d.span.line, d.span.column) in handed)
        ]
        kept.extend(added)
        kept.sort(key=Diagnostic.sort_key)
        return kept


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.path.abspath(path))


def check_project(
    url_map: UrlMap,
    entry_points: Iterable[tuple[str, Iterable[str]]],
    settings_for: Callable[[Path], LintSettings],
    *,
    also: Iterable[Path] = (),
    root: Path | None = None,
    syntaxes: Iterable[str] | None = None,
    max_bytes: int | None = None,
    unmatched: Callable[[str, str], None] | None = None,
) -> ProjectFindings:
    """Build the project of `url_map` and run the project rules over it.

    `entry_points` is the ``[entry-points]`` table (notification → globs relative to the map's
    folder); `settings_for` gives each document's settings (the rules a document's findings
    may come from, their severity, its context); `also` are further documents (the checked
    files of the configuration) that belong to the project; `unmatched` is told of each entry
    point glob that matches no file.
    """
    folder = root or url_map.root
    entries = entry_documents(folder, entry_points, unmatched)
    project = Project.build(url_map, entries, load_file(syntaxes, max_bytes), also=also)
    context = ProjectContext(project, settings_for, folder)
    found: dict[str, list[Diagnostic]] = {}
    for rule_class in project_rules():
        rule = rule_class()
        for path, diagnostic in rule.check_project(context):
            document = project.document(path)
            if document is None or not context.settings(document).enabled(rule.code):
                continue
            found.setdefault(_key(path), []).append(diagnostic)
    for document in project:
        if document.result is not None:
            key = _key(document.path)
            kept = _suppressed(found.get(key, []), document, context.settings(document))
            if kept or key in found:
                found[key] = kept
    handed = {
        _key(project.documents[index].path): spans
        for index, spans in context.handed_over.items()
        if spans and context.settings(project.documents[index]).enabled("OZ814")
    }
    return ProjectFindings(found, handed, project)


class _Comment:
    """A suppression comment as the project pass reads it: the codes it names (none: every
    code), and those it suppressed."""

    __slots__ = ("codes", "used")

    def __init__(self, codes: set[str]) -> None:
        self.codes = codes
        self.used: set[str] = set()


def _suppressed(
    found: list[Diagnostic], document: Document, settings: LintSettings
) -> list[Diagnostic]:
    """The findings no ``noqa`` or ``disable-file`` comment of the document suppresses, and
    an unused-noqa finding (OZ901) for each project rule a comment names that suppressed
    nothing: the per-file pass leaves those to this one. The comments' other problems are
    the per-file pass's."""
    from ozml.lint import directives, noqa
    from ozml.lint.directives import Kind
    from ozml.lint.registry import PROJECT_CODES
    from ozml.lint.rules.unused_noqa import UnusedNoqa

    assert document.result is not None
    source = document.result.source
    if not directives.present(source):
        return found
    scanned = directives.scan(source)
    if not scanned:
        return found
    layout = noqa.Layout(source, scanned)
    #: Per comment naming codes: its project codes, those it suppressed, where it applies.
    named: list[tuple[Directive, set[str], set[str], str]] = []
    whole: list[_Comment] = []
    blanket_file = False
    lines: noqa.ByLine[_Comment] = noqa.ByLine()
    for directive in scanned:
        if directive.kind is Kind.INVALID or directive.problem is not None:
            continue
        codes = {c for ref in directive.codes if (c := noqa.code_of(ref.text)) is not None}
        if directive.codes and not codes:
            continue
        comment = _Comment(codes)
        if directive.kind is Kind.DISABLE_FILE:
            if not codes:
                blanket_file = True
                continue
            whole.append(comment)
            where = "in this file"
        elif directive.kind is Kind.NOQA:
            placed = layout.placement(directive)
            if placed is None:
                continue
            lines.add(layout.covered(*placed), comment)
            where = f"on line {placed[0]}"
        else:
            continue
        if codes & PROJECT_CODES:
            named.append((directive, codes & PROJECT_CODES, comment.used, where))
    if blanket_file:
        return []
    # The same choice as the per-file pass: file-wide comments first, then the line's.
    whole_file = noqa.Chooser(whole)
    kept = []
    for diagnostic in found:
        code = diagnostic.code
        chosen = whole_file.choose(code)
        if chosen is None:
            chosen = lines.choose(diagnostic.span.line, code)
        if chosen is None:
            kept.append(diagnostic)
        else:
            chosen.used.add(code)
    if settings.enabled(UnusedNoqa.code):
        severity = settings.severity(UnusedNoqa.code, UnusedNoqa.severity)
        for directive, codes, used, where in named:
            unused = sorted(c for c in codes - used if settings.enabled(c))
            if unused:
                listed = " or ".join(", ".join(unused).rsplit(", ", 1))
                kept.append(
                    Diagnostic(
                        UnusedNoqa.code,
                        UnusedNoqa.name,
                        severity,
                        f"unused suppression: no {listed} finding {where}",
                        source.span(directive.start, directive.end),
                    )
                )
    return kept


class _Config(Protocol):
    """What the project pass reads of a configuration (`ozml.config.Config`)."""

    @property
    def path(self) -> Path: ...

    @property
    def root(self) -> Path: ...

    @property
    def urls(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def entry_points(self) -> tuple[tuple[str, tuple[str, ...]], ...]: ...

    @property
    def label(self) -> str: ...


def project_documents(config: _Config) -> list[str]:
    """The files a configuration's URL map and entry points name, without reading them (what
    ``ozml check --watch`` watches besides the checked files)."""
    url_map = UrlMap.from_config(config)
    if url_map is None:
        return []
    found = dict.fromkeys(str(p) for p in url_map.files())
    for paths in entry_documents(config.root, config.entry_points).values():
        found.update(dict.fromkeys(str(p) for p in paths))
    return list(found)


class ProjectPass:
    """The project pass of one ``ozml check`` run: a project per configuration with a
    ``[urls]`` table, built when a checked file of it is first reported, and its findings
    merged into each checked file's findings (`merge`).

    `config_of` gives a file's configuration; `settings_for` its settings (the run's, with the
    command line's options); `folder_settings` those of a folder (the template syntaxes and
    size limit the project's documents are read with). A file without a configuration, or
    whose configuration has no URL map, costs one lookup: ``ozml check`` stays per-file and as
    fast as before.
    """

    def __init__(
        self,
        config_of: Callable[[str], _Config | None],
        settings_for: Callable[[Path], LintSettings],
        folder_settings: Callable[[Path], LintSettings],
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self._warn = warn
        self._config_of = config_of
        self._settings_for = settings_for
        self._folder_settings = folder_settings
        self._found: dict[Path, ProjectFindings] = {}

    def findings(self, path: str) -> ProjectFindings | None:
        """The project findings of the configuration of the file at `path` (built on first
        use), or None when it has no URL map."""
        config = self._config_of(path)
        if config is None or not config.urls:
            return None
        found = self._found.get(config.path)
        if found is None:
            url_map = UrlMap.from_config(config)
            assert url_map is not None
            settings = self._folder_settings(config.root)
            warn, label = self._warn, config.label

            def unmatched(name: str, pattern: str) -> None:
                if warn is not None:
                    warn(f"{label}: entry-points {name}: {pattern!r} matches no file")

            found = self._found[config.path] = check_project(
                url_map,
                config.entry_points,
                self._settings_for,
                root=config.root,
                syntaxes=settings.templates,
                max_bytes=settings.max_bytes,
                unmatched=unmatched,
            )
        return found

    def merge(
        self, path: str, diagnostics: Sequence[Diagnostic], source: Source | None
    ) -> tuple[list[Diagnostic], Source | None]:
        """A checked file's findings with its project's merged in, and the source to show
        them with."""
        found = self.findings(path)
        if found is None:
            return list(diagnostics), source
        merged = found.merge(diagnostics, path)
        if merged and source is None and found.project is not None:
            document = found.project.document(path)
            if document is not None and document.result is not None:
                source = document.result.source
        return merged, source


# --- the example project of the project rules' documentation -----------------------------------

#: The configuration of the example project the project rules' examples run in: the example is
#: ``app/example.xml``, the IncomingCall entry point; `Rule.example_files` are beside it.
EXAMPLE_CONFIG = """\
[urls]
"http://ivr.example.com/{name}.php" = "app/{name}.xml"

[entry-points]
IncomingCall = ["app/example.xml"]
"""

#: Where the example document is, in the example project.
EXAMPLE_PATH = "app/example.xml"


def example_project(rule: type[Rule], text: str) -> dict[str, str]:
    """The files of the example project for one of `rule`'s examples: path → text."""
    return {"ozml.toml": EXAMPLE_CONFIG, **rule.example_files, EXAMPLE_PATH: text}


def example_findings(rule: type[Rule], text: str, folder: Path) -> list[tuple[str, Diagnostic]]:
    """`rule`'s findings in its example project written into the empty folder `folder`
    (the rule's docs page and the tests run it): (path relative to `folder`, finding), in
    path and source order."""
    from ozml.config import Resolver

    for name, content in example_project(rule, text).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    resolver = Resolver()
    config = resolver.config_in(folder)
    assert config is not None
    url_map = UrlMap.from_config(config)
    assert url_map is not None
    found = check_project(url_map, config.entry_points, resolver.settings_for, root=config.root)
    out: list[tuple[str, Diagnostic]] = []
    for path, diagnostics in found.by_path.items():
        shown = os.path.relpath(path, folder).replace(os.sep, "/")
        out.extend((shown, d) for d in diagnostics if d.code == rule.code)
    out.sort(key=lambda item: (item[0], item[1].sort_key()))
    return out
