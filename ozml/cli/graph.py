"""`ozml graph PATH...`: the call flow of OzML documents as Mermaid, Graphviz DOT or SVG.

The arguments are parsed and the files read here; the graph is `ozml.flow`'s (docs/graph.md).
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ozml.cli.common import (
    add_config_options,
    add_reading_options,
    cannot_write,
    config_choice,
    error,
    nonempty,
    one_of,
    reading_options,
    warning,
)
from ozml.cli.exits import OK, USAGE

if TYPE_CHECKING:
    from ozml.config import Config, Resolver
    from ozml.diagnostics import Diagnostic
    from ozml.files import Found
    from ozml.flow.graph import Graph
    from ozml.lint.project import ProjectFindings
    from ozml.lint.settings import LintSettings
    from ozml.parser import ParseResult

HELP = "Draw the call flow of OzML scripts as a Mermaid, Graphviz DOT or SVG graph."

DESCRIPTION = """\
Draw the call flow of OzML documents: every command, the sequence, menu keys, timeouts and keys
that match no Input, transfer success and failure, loops, and the URLs the PBX requests. The
commands `ozml check` reports are drawn in the colour of the finding (unreachable commands
amber). Several documents are drawn side by side. Exit status: 0 drawn, 2 a file that cannot
be read or is not XML, a usage error, or output that cannot be written."""

FORMATS = ("mermaid", "dot", "svg")

#: What to say when --format svg finds no Graphviz.
NO_DOT = (
    "--format svg needs Graphviz's dot program on the PATH (install Graphviz, e.g."
    " `apt-get install graphviz`, or write DOT with --format dot)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    from ozml.cli.discovery import add_discovery_options

    parser.description = DESCRIPTION
    add_discovery_options(parser, verb="draw")
    group = parser.add_argument_group("graph")
    group.add_argument(
        "--format",
        "--output-format",
        dest="format",
        **one_of(FORMATS),
        default="mermaid",
        help="mermaid (a flowchart GitHub and GitLab draw), dot (Graphviz) or svg (drawn by"
        " Graphviz's dot) (default: mermaid)",
    )
    group.add_argument(
        "--collapse",
        action="store_true",
        help="fold each run of commands with one way in and one way out into one node",
    )
    group.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=nonempty,
        help="write the graph to FILE (replaced atomically) instead of standard output",
    )
    group.add_argument(
        "--context",
        **one_of(("extension", "3pcc", "routing", "any")),
        help="the kind of notification the documents answer (what the end of a script means,"
        " and the findings drawn); wins over the configuration and inline comments",
    )
    add_reading_options(group)
    add_config_options(parser)


def _resolver(args: argparse.Namespace) -> Resolver:
    from ozml.catalog import Context
    from ozml.config import Overrides, Resolver

    config_file, isolated = config_choice(args)
    max_bytes, templates = reading_options(args)
    overrides = Overrides(
        context=Context.parse(args.context) if args.context else None,
        max_bytes=max_bytes,
        templates=templates,
    )
    return Resolver(overrides, isolated=isolated, warn=warning, config_file=config_file)


class _File:
    """A file to draw: how it is shown, where it is, its settings and its parse."""

    def __init__(
        self, path: str, fspath: str | None, settings: LintSettings, result: ParseResult
    ) -> None:
        self.path = path
        self.fspath = fspath
        self.settings = settings
        self.result = result


def _read(item: Found, resolver: Resolver, args: argparse.Namespace) -> _File | str:
    """One file, parsed, or the error to report (``FILE:LINE:COL: message``)."""
    from ozml import files
    from ozml.parser import parse, too_large

    path = item.path
    if item.fspath is None and args.stdin_filename:
        path = args.stdin_filename
    settings = resolver.settings_for(path)
    try:
        data, size = files.read(item, settings.max_bytes)
    except files.ReadError as problem:
        return files.unreadable(path, problem)
    if size > settings.max_bytes:
        result = too_large(
            data, path, size, max_bytes=settings.max_bytes, exact=item.fspath is not None
        )
    else:
        result = parse(data, path, max_bytes=settings.max_bytes, templates=settings.templates)
    if result.document.root is None:
        first = result.problems[0]
        return f"{path}:{first.span.line}:{first.span.column}: {first.code} {first.message}"
    return _File(path, item.fspath, settings, result)


def run(args: argparse.Namespace) -> int:
    from ozml.cli.discovery import Discovery, show_files
    from ozml.config import ConfigError
    from ozml.files import Found

    try:
        resolver = _resolver(args)
        discovery = Discovery.configured(args, warning, resolver, verb="draw")
    except (ValueError, ConfigError) as problem:
        return error(str(problem))
    if args.show_files:
        try:
            return show_files(discovery, sys.stdout)
        except ConfigError as problem:
            return error(str(problem))
    read: list[_File] = []
    failed = 0
    try:
        for item in discovery:
            if not isinstance(item, Found):
                error(str(item))
                failed += 1
                continue
            found = _read(item, resolver, args)
            if isinstance(found, str):
                error(found)
                failed += 1
            else:
                read.append(found)
    except ConfigError as problem:
        return error(str(problem))
    if failed:
        return USAGE
    empty = discovery.empty_error()
    if empty is not None:
        return error(empty)
    if not read:
        return OK
    inputs = [f.fspath for f in read if f.fspath is not None]
    return _write(args, _graph(read, resolver, discovery.top), inputs)


def _graph(read: list[_File], resolver: Resolver, top: Config | None) -> Graph:
    """The graph of the files: joined as a project when the configuration maps URLs."""
    from ozml.flow.graph import Graph
    from ozml.flow.marks import document_flow

    if top is None or not top.urls:
        return Graph([document_flow(f.result, f.path, f.settings)[0] for f in read])
    from ozml.flow.project import join, mark_links
    from ozml.lint.project import check_project
    from ozml.project.urlmap import UrlMap

    url_map = UrlMap.from_config(top)
    assert url_map is not None
    folder = resolver.settings_for(top.root / "ozml.xml")
    found = check_project(
        url_map,
        top.entry_points,
        resolver.settings_for,
        also=[Path(f.fspath) for f in read if f.fspath is not None],
        root=top.root,
        syntaxes=folder.templates,
        max_bytes=folder.max_bytes,
    )
    project = found.project
    assert project is not None
    flows = []
    indexes: list[int | None] = []
    for f in read:
        document = project.document(f.fspath) if f.fspath is not None else None
        if document is None or not document.ok:
            flows.append(document_flow(f.result, f.path, f.settings)[0])
            indexes.append(None)
            continue
        assert document.result is not None
        flow, findings = document_flow(
            document.result, f.path, f.settings, functools.partial(_merged, found, document.path)
        )
        mark_links(flow, project, document.index, findings, found.for_path(document.path))
        flows.append(flow)
        indexes.append(document.index)
    return join(flows, indexes, project)


def _merged(found: ProjectFindings, path: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return found.merge(diagnostics, path)


def _write(args: argparse.Namespace, graph: Graph, inputs: list[str]) -> int:
    from ozml.flow import dot, mermaid
    from ozml.flow.collapse import collapse_graph

    if args.collapse:
        graph = collapse_graph(graph)
    data: bytes
    if args.format == "mermaid":
        data = mermaid.render(graph).encode("utf-8")
    else:
        text = dot.render(graph)
        data = text.encode("utf-8")
        if args.format == "svg":
            try:
                data = dot.svg(text)
            except dot.DotMissing:
                return error(NO_DOT)
            except dot.DotFailed as problem:
                return error(f"Graphviz's dot failed: {problem}")
    if args.output is None or args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return OK
    from ozml.atomic import write_atomic

    try:
        write_atomic(args.output, data, not_over=inputs)
    except OSError as problem:
        return cannot_write(args.output, problem)
    return OK
