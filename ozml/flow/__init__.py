"""The call flow of OzML documents, as a graph, and its drawings (``ozml graph``).

`ozml.flow.control` says what each command does to the flow (one table, which the engine could
read too); `ozml.flow.model` builds the graph of a document; `ozml.flow.marks` colours it with
the linter's findings; `ozml.flow.collapse` folds straight runs; `ozml.flow.mermaid` and
`ozml.flow.dot` draw it. Nothing here imports the interpreter or the command line.

The names below are loaded on first use (PEP 562), so that importing the control table does
not load the linter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozml.lazy import loader

if TYPE_CHECKING:
    from ozml.flow.collapse import collapse
    from ozml.flow.graph import Crossing, Graph
    from ozml.flow.marks import document_flow
    from ozml.flow.model import DocumentFlow, Edge, Node, Shape, Way, build

_HOMES = {
    "collapse": "ozml.flow.collapse",
    "Graph": "ozml.flow.graph",
    "Crossing": "ozml.flow.graph",
    "document_flow": "ozml.flow.marks",
    "DocumentFlow": "ozml.flow.model",
    "Edge": "ozml.flow.model",
    "Node": "ozml.flow.model",
    "Shape": "ozml.flow.model",
    "Way": "ozml.flow.model",
    "build": "ozml.flow.model",
}


__getattr__ = loader(__name__, _HOMES, globals())


__all__ = [
    "Crossing",
    "DocumentFlow",
    "Edge",
    "Graph",
    "Node",
    "Shape",
    "Way",
    "build",
    "collapse",
    "document_flow",
]
