"""A flow as Graphviz DOT, for `dot -Tsvg` (``ozml graph --format svg`` runs it).

Every id and label is a double-quoted DOT string: ``\\`` and ``"`` are escaped with a
backslash, ``&`` is written ``&amp;`` (Graphviz reads entities in labels), control characters
become spaces and lines are joined with ``\\n``. Non-ASCII text is written as it is (DOT's
default charset is UTF-8). The output is built as a list of lines joined once.
"""

from __future__ import annotations

import shutil
import subprocess

from ozml.diagnostics import Severity
from ozml.flow.graph import COLOURS, LEGEND_TITLE, Graph, label_lines
from ozml.flow.model import Node, Shape, Way

_ESCAPES = {
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("&"): "&amp;",
    **dict.fromkeys(range(32), " "),
    0x7F: " ",
}

#: Each shape's attributes: (shape, style, fill colour, more).
_SHAPES: dict[Shape, tuple[str, str, str, str]] = {
    Shape.START: ("oval", "filled", "#e8f5e9", ""),
    Shape.COMMAND: ("box", "rounded,filled", "#ffffff", ""),
    Shape.STOP: ("box", "filled", "#eeeeee", ""),
    Shape.KEYS: ("diamond", "filled", "#ffffff", ""),
    Shape.END: ("oval", "filled", "#eeeeee", ", peripheries=2"),
    Shape.URL: ("note", "filled", "#f3f0ff", ""),
    Shape.GROUP: ("box3d", "filled", "#ffffff", ""),
}

_STYLES: dict[Way, str] = {Way.NOTIFY: "style=dashed", Way.JUMP: "penwidth=2"}


def escape(text: str) -> str:
    """`text` inside a double-quoted DOT string."""
    return text.translate(_ESCAPES)


def quoted(text: str) -> str:
    return f'"{escape(text)}"'


def label(lines: tuple[str, ...]) -> str:
    return '"' + "\\n".join(escape(line) for line in lines) + '"'


def _colour(severity: Severity) -> str:
    fill, line = COLOURS[severity]
    return f'fillcolor="{fill}", color="{line}", penwidth=2'


def _node(node_id: str, node: Node) -> str:
    shape, style, fill, more = _SHAPES[node.shape]
    colour = f'fillcolor="{fill}"' if node.severity is None else _colour(node.severity)
    return (
        f'{node_id} [label={label(label_lines(node))}, shape={shape}, style="{style}",'
        f" {colour}{more}];"
    )


def render(graph: Graph) -> str:
    """The DOT digraph of `graph`, ending with a newline."""
    out: list[str] = [
        "digraph ozml {",
        "  graph [rankdir=TB];",
        "  node [fontsize=11];",
        "  edge [fontsize=10];",
    ]
    for index, doc in enumerate(graph.documents):
        indent = "  "
        if graph.several:
            out.append(f"  subgraph cluster_d{index + 1} {{")
            out.append(f"    label={quoted(doc.name)};")
            indent = "    "
        for node in doc.nodes:
            out.append(indent + _node(graph.qualified(index, node.id), node))
        if graph.several:
            out.append("  }")
    for index, doc in enumerate(graph.documents):
        for edge in doc.edges:
            attributes = []
            if edge.label:
                attributes.append(f"label={quoted(edge.label)}")
            style = _STYLES.get(edge.way)
            if style:
                attributes.append(style)
            tail = f" [{', '.join(attributes)}]" if attributes else ""
            source = graph.qualified(index, edge.source)
            out.append(f"  {source} -> {graph.qualified(index, edge.target)}{tail};")
    for crossing in graph.crossings:
        attributes = [f"label={quoted(crossing.label)}"]
        style = _STYLES.get(crossing.way)
        if style:
            attributes.append(style)
        source = graph.qualified(crossing.source, crossing.node)
        target = graph.qualified(crossing.target, graph.documents[crossing.target].start)
        out.append(f"  {source} -> {target} [{', '.join(attributes)}];")
    severities = graph.severities()
    if severities:
        out.append("  subgraph cluster_legend {")
        out.append(f"    label={quoted(LEGEND_TITLE)};")
        for severity in severities:
            out.append(
                f"    legend_{severity.label} [label={quoted(severity.label)},"
                f' shape=box, style="filled", {_colour(severity)}];'
            )
        out.append("  }")
    out.append("}")
    out.append("")
    return "\n".join(out)


class DotMissing(Exception):
    """Graphviz's dot program is not on the PATH."""


class DotFailed(Exception):
    """dot ran and failed; the message is what it said."""


def svg(dot_text: str, program: str = "dot", timeout: float = 120.0) -> bytes:
    """The SVG that Graphviz's `program` draws of `dot_text`."""
    found = shutil.which(program)
    if found is None:
        raise DotMissing(program)
    try:
        done = subprocess.run(
            [found, "-Tsvg"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DotFailed(str(error)) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DotFailed(said[0] if said else f"exit status {done.returncode}")
    return done.stdout


__all__ = ["DotFailed", "DotMissing", "escape", "render", "svg"]
