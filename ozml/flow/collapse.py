"""Folding straight sequences: a run of commands with one way in and one way out is one node.

Large projects draw hundreds of Speak, Play and Var commands that only follow each other; what a
reviewer looks for is where the flow branches. `collapse` keeps every branch, ending, URL and
coloured (found) command, and folds each maximal chain of plain commands joined by plain
sequence edges into a single node labelled with its commands. It is linear: degrees are counted
once, and each node is visited once.
"""

from __future__ import annotations

from collections.abc import Set

from ozml.flow.graph import Graph
from ozml.flow.model import DocumentFlow, Edge, Node, Shape, Way

#: How many command names a folded node lists before "…".
NAMED = 4


def collapse(flow: DocumentFlow, keep: Set[str] = frozenset()) -> DocumentFlow:
    """A copy of `flow` with each straight run of two or more commands folded into one node;
    the nodes in `keep` (those an edge to another document starts at) are never folded."""

    def _foldable(node: Node) -> bool:
        return (
            node.shape is Shape.COMMAND
            and node.plain
            and node.severity is None
            and node.id not in keep
        )

    by_id = {node.id: node for node in flow.nodes}
    ins: dict[str, int] = {}
    outs: dict[str, list[Edge]] = {}
    for edge in flow.edges:
        ins[edge.target] = ins.get(edge.target, 0) + 1
        outs.setdefault(edge.source, []).append(edge)

    def follower(node: Node) -> Node | None:
        """The command that `node` folds with: its only way out leads to it, its only way in."""
        out = outs.get(node.id, ())
        if len(out) != 1:
            return None
        edge = out[0]
        if edge.way is not Way.NEXT or edge.label:
            return None
        nxt = by_id[edge.target]
        if nxt.id == node.id or not _foldable(nxt) or ins.get(nxt.id, 0) != 1:
            return None
        return nxt

    folded_into: dict[str, str] = {}
    nodes: list[Node] = []
    for node in flow.nodes:
        if node.id in folded_into:
            continue
        run = [node]
        if _foldable(node):
            nxt = follower(node)
            while nxt is not None and nxt.id not in folded_into and nxt is not node:
                run.append(nxt)
                folded_into[nxt.id] = node.id
                nxt = follower(nxt)
        if len(run) == 1:
            nodes.append(node)
            continue
        names = [n.lines[0].split(" (line", 1)[0] for n in run]
        shown = ", ".join(names[:NAMED]) + (", …" if len(names) > NAMED else "")
        lines = (
            f"{len(run)} commands (lines {run[0].line}–{run[-1].line})",
            shown,
        )
        nodes.append(Node(node.id, Shape.GROUP, lines, node.line, node.element))
        folded_into[node.id] = node.id
        # The run's own edges vanish; its last node's ways out start at the folded node.
    edges: list[Edge] = []
    for edge in flow.edges:
        source = folded_into.get(edge.source, edge.source)
        target = folded_into.get(edge.target, edge.target)
        if source == target and edge.way is Way.NEXT and not edge.label:
            continue  # inside a run
        edges.append(Edge(source, target, edge.way, edge.label))
    return DocumentFlow(flow.name, flow.context, nodes, edges, flow.start, dict(flow.urls))


def collapse_graph(graph: Graph) -> Graph:
    """`graph` with every document collapsed, keeping the nodes its crossings start at."""
    starts: dict[int, set[str]] = {}
    for crossing in graph.crossings:
        starts.setdefault(crossing.source, set()).add(crossing.node)
    documents = [
        collapse(doc, starts.get(index, frozenset())) for index, doc in enumerate(graph.documents)
    ]
    return Graph(documents, list(graph.crossings))


__all__ = ["collapse", "collapse_graph"]
