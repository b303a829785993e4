"""A flow as a Mermaid flowchart, which GitHub and GitLab draw from a ```mermaid block.

Every label is a quoted string in which Mermaid's own entity codes stand for the characters
its grammar or its HTML labels would read (``#quot;`` for ``"``, ``#35;`` for ``#``, ``#lt;``
for ``<``, ...); lines are joined with ``<br/>``. Other characters, non-ASCII ones included,
are written as they are (the text is UTF-8). The output is built as a list of lines joined once.
"""

from __future__ import annotations

from ozml.diagnostics import Severity
from ozml.flow.graph import COLOURS, LEGEND_TITLE, Graph, label_lines
from ozml.flow.model import Node, Shape, Way

_ESCAPES = {
    ord('"'): "#quot;",
    ord("#"): "#35;",
    ord("&"): "#amp;",
    ord("<"): "#lt;",
    ord(">"): "#gt;",
    ord("`"): "#96;",
    ord("|"): "#124;",
    **dict.fromkeys(range(32), " "),
    0x7F: " ",
}

#: How each shape opens and closes its label.
_SHAPES: dict[Shape, tuple[str, str]] = {
    Shape.START: ('(["', '"])'),
    Shape.COMMAND: ('["', '"]'),
    Shape.STOP: ('(["', '"])'),
    Shape.KEYS: ('{"', '"}'),
    Shape.END: ('(["', '"])'),
    Shape.URL: ('[/"', '"/]'),
    Shape.GROUP: ('[["', '"]]'),
}

_ARROWS: dict[Way, str] = {Way.NOTIFY: "-.->", Way.JUMP: "==>"}


def escape(text: str) -> str:
    """`text` for a quoted Mermaid label."""
    return text.translate(_ESCAPES)


def label(lines: tuple[str, ...]) -> str:
    return "<br/>".join(escape(line) for line in lines)


def _node(node_id: str, node: Node) -> str:
    opening, closing = _SHAPES[node.shape]
    return f"{node_id}{opening}{label(label_lines(node))}{closing}"


def render(graph: Graph) -> str:
    """The Mermaid flowchart of `graph`, ending with a newline."""
    out: list[str] = ["flowchart TD"]
    marked: dict[Severity, list[str]] = {}
    for index, doc in enumerate(graph.documents):
        indent = "  "
        if graph.several:
            out.append(f'  subgraph d{index + 1}["{escape(doc.name)}"]')
            indent = "    "
        for node in doc.nodes:
            node_id = graph.qualified(index, node.id)
            out.append(indent + _node(node_id, node))
            if node.severity is not None:
                marked.setdefault(node.severity, []).append(node_id)
        if graph.several:
            out.append("  end")
    for index, doc in enumerate(graph.documents):
        for edge in doc.edges:
            arrow = _ARROWS.get(edge.way, "-->")
            source = graph.qualified(index, edge.source)
            target = graph.qualified(index, edge.target)
            if edge.label:
                out.append(f'  {source} {arrow}|"{escape(edge.label)}"| {target}')
            else:
                out.append(f"  {source} {arrow} {target}")
    for crossing in graph.crossings:
        arrow = _ARROWS.get(crossing.way, "-->")
        source = graph.qualified(crossing.source, crossing.node)
        target = graph.qualified(crossing.target, graph.documents[crossing.target].start)
        out.append(f'  {source} {arrow}|"{escape(crossing.label)}"| {target}')
    severities = graph.severities()
    if severities:
        out.append(f'  subgraph legend["{escape(LEGEND_TITLE)}"]')
        for severity in severities:
            out.append(f'    legend_{severity.label}["{severity.label}"]')
            marked.setdefault(severity, []).append(f"legend_{severity.label}")
        out.append("  end")
    for severity in sorted(marked, reverse=True):
        fill, stroke = COLOURS[severity]
        out.append(
            f"  classDef {severity.label} fill:{fill},stroke:{stroke},stroke-width:2px,color:#000"
        )
        out.append(f"  class {','.join(marked[severity])} {severity.label}")
    out.append("")
    return "\n".join(out)


__all__ = ["escape", "render"]
