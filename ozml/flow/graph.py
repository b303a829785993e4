"""What a renderer draws: the flows of one or more documents, and the links between them.

One document is drawn on its own; several are drawn side by side, each in a box of its own
(a Mermaid subgraph, a Graphviz cluster) with its node ids prefixed (``d1_n3``) so that they
stay unique and stable. In a project (`crossings`), a URL one document sends the PBX to is joined
to the document the configuration maps it to (`ozml.flow.project`).
"""

from __future__ import annotations

import attrs

from ozml.diagnostics import Severity
from ozml.flow.model import DocumentFlow, Node, Way


@attrs.frozen
class Crossing:
    """An edge from node `node` of document `source` (their positions in `Graph.documents`)
    to the start of document `target`: a request the PBX makes, answered by that document."""

    source: int
    node: str
    target: int
    label: str
    way: Way


@attrs.define
class Graph:
    documents: list[DocumentFlow]
    crossings: list[Crossing] = attrs.field(factory=list)

    @property
    def several(self) -> bool:
        return len(self.documents) > 1

    def qualified(self, index: int, local: str) -> str:
        """The id a renderer writes for node `local` of document `index`."""
        return f"d{index + 1}_{local}" if self.several else local

    def severities(self) -> list[Severity]:
        """The severities drawn anywhere, worst first (for the legend)."""
        found = {n.severity for doc in self.documents for n in doc.nodes if n.severity}
        return sorted(found, reverse=True)


def label_lines(node: Node) -> tuple[str, ...]:
    """A node's label, with the codes of its findings as a last line."""
    if node.severity is None:
        return node.lines
    return (*node.lines, f"{node.severity.label}: {', '.join(node.codes)}")


#: Fill and line colours per severity: the colours of `ozml check`'s own output (red, amber,
#: blue), light enough for black text.
COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("#fdecea", "#c62828"),
    Severity.WARNING: ("#fff4e0", "#e67700"),
    Severity.INFO: ("#e7f1fb", "#1864ab"),
}

LEGEND_TITLE = "findings of ozml check"


__all__ = ["COLOURS", "LEGEND_TITLE", "Crossing", "Graph", "label_lines"]
