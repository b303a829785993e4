"""Project graphs: the documents of an application joined by the requests the PBX makes.

When a configuration maps the application's URLs to files (``[urls]``, docs/project.md), the
project (`ozml.project.graph.Project`, built once by the project pass of the linter,
`ozml.lint.project.check_project`) says which document answers each URL a document sends the
PBX to. Drawn documents are then joined: the command (or a menu's key choice, for
ForwardToURL) leads straight to the start of the document that answers, the edge labelled with
the notification and the URL. A URL that no drawn document answers keeps its node; a dead link
(OZ811) and every other finding of the project rules are drawn in their colour on the URL node
or, for a finding about the whole document (unreachable-document, OZ812), on its start.

The flows are built from the project's own parse of each document, so that the project's links
and the flow's nodes are the same elements.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ozml.diagnostics import Diagnostic
from ozml.flow.graph import Crossing, Graph
from ozml.flow.model import DocumentFlow, Edge, shorten
from ozml.project.graph import Project


def mark_links(
    flow: DocumentFlow,
    project: Project,
    index: int,
    findings: Sequence[Diagnostic],
    project_findings: Sequence[Diagnostic],
) -> None:
    """Colour the URL nodes of the findings at a link's value, and the start node with the
    project findings that point at neither a command nor a link."""
    if not findings:
        return
    at: dict[tuple[int, int], list[Diagnostic]] = {}
    for finding in findings:
        at.setdefault((finding.span.line, finding.span.column), []).append(finding)
    placed: set[tuple[int, int]] = set()
    for node in flow.nodes:
        if node.element is not None and node.severity is not None:
            result = project.documents[index].result
            assert result is not None
            span = result.source.element_span(node.element)
            placed.add((span.line, span.column))
    marks: dict[str, list[Diagnostic]] = {}
    for edge in project.outgoing(index):
        node_id = flow.urls.get(edge.link.value)
        span = edge.link.span
        here = at.get((span.line, span.column))
        if node_id is not None and here:
            marks.setdefault(node_id, []).extend(here)
            placed.add((span.line, span.column))
    for finding in project_findings:
        if (finding.span.line, finding.span.column) not in placed:
            marks.setdefault(flow.start, []).append(finding)
    if not marks:
        return
    for i, node in enumerate(flow.nodes):
        here = marks.get(node.id)
        if here:
            worst = max(f.severity for f in here)
            if node.severity is not None:
                worst = max(worst, node.severity)
            codes = tuple(dict.fromkeys([*node.codes, *(f"{f.code} {f.name}" for f in here)]))
            flow.nodes[i] = attrs.evolve(node, severity=worst, codes=codes)


def join(flows: list[DocumentFlow], indexes: list[int | None], project: Project) -> Graph:
    """The graph of `flows` (`indexes`: each flow's document in `project`, or None), with
    each link that leads to drawn documents drawn as an edge to their start."""
    drawn = {index: position for position, index in enumerate(indexes) if index is not None}
    crossings: list[Crossing] = []
    for position, (flow, index) in enumerate(zip(flows, indexes, strict=True)):
        if index is None:
            continue
        # Each URL node's documents, in the order first met, each once (a dict for its
        # order: a link may lead to every document of a folder, and many links to one node).
        joined: dict[str, dict[int, None]] = {}
        kept: set[str] = set()
        for link in project.outgoing(index):
            node_id = flow.urls.get(link.link.value)
            if node_id is None or not link.targets:
                continue
            targets = [drawn[t] for t in link.targets if t in drawn]
            if len(targets) < len(link.targets):
                kept.add(node_id)  # some document answering it is not drawn
            joined.setdefault(node_id, {}).update(dict.fromkeys(targets))
        if not joined:
            continue
        kept |= {n.id for n in flow.nodes if n.severity is not None} & joined.keys()
        url_of = {node_id: url for url, node_id in flow.urls.items()}
        edges: list[Edge] = []
        for edge in flow.edges:
            leads = joined.get(edge.target)
            if not leads:
                edges.append(edge)
                continue
            url = shorten(url_of[edge.target], 60)
            label = f"{edge.label}: {url}" if edge.label else url
            for target in leads:
                crossings.append(Crossing(position, edge.source, target, label, edge.way))
            if edge.target in kept:
                edges.append(edge)
        dropped = {node_id for node_id, leads in joined.items() if leads} - kept
        flow.edges = edges
        flow.nodes = [n for n in flow.nodes if n.id not in dropped]
        flow.urls = {url: node_id for url, node_id in flow.urls.items() if node_id not in dropped}
    return Graph(flows, crossings)


__all__ = ["join", "mark_links"]
