"""What a renderer draws: the flows of one or more documents, and the links between them.

One document is drawn on its own; several are drawn side by side, each in a box of its own
(a Mermaid subgraph, a Graphviz cluster) with its node ids prefixed (``d1_n3``) so that they
stay unique and stable. In a project (`links`), a URL one document sends the PBX to is joined
to the document the configuration maps it to, or drawn as a dead link when none answers it.
"""

from __future__ import annotations

import attrs

from ozml.diagnostics import Severity
from ozml.flow.model import DocumentFlow, Node


@attrs.frozen
class Link:
    """A URL node of document `source` (its index) answered by document `target` (None: by
    no document the project holds, a dead link of `severity`)."""

    source: int
    url: str
    target: int | None
    severity: Severity | None = None


@attrs.define
class Graph:
    documents: list[DocumentFlow]
    links: list[Link] = attrs.field(factory=list)

    @property
    def several(self) -> bool:
        return len(self.documents) > 1

    def qualified(self, index: int, local: str) -> str:
        """The id a renderer writes for node `local` of document `index`."""
        return f"d{index + 1}_{local}" if self.several else local

    def severities(self) -> list[Severity]:
        """The severities drawn anywhere, worst first (for the legend)."""
        found = {n.severity for doc in self.documents for n in doc.nodes if n.severity}
        found.update(link.severity for link in self.links if link.severity is not None)
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


__all__ = ["COLOURS", "LEGEND_TITLE", "Graph", "Link", "label_lines"]
