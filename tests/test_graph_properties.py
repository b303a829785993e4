"""Properties of the flow model and its drawings over documents the builder makes
(tests/strategies.py) and over texts holding any character.

- Every node of a builder document's flow is reached from the start, or from a command with no
  way in (none but from where it leads itself, as a Repeat menu's return), and such a command
  always follows another in its block (one after which no path goes on: a GoTo, whose fetched
  OzML runs instead, or a Request whose handlers all end the script).
  The commands after a GoTo, and those the linter reports unreachable, are never reached from
  the start.
- Graphviz's dot reads the DOT of any such graph without a warning, and Mermaid's parser reads
  the Mermaid; both read back every node's label exactly as the model holds it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import responses
from test_graph_render import expected_labels, mermaid_parse, mermaid_text, render_svg, svg_labels

from ozml import builder as b
from ozml.flow import dot, mermaid
from ozml.flow.graph import Graph
from ozml.flow.marks import document_flow
from ozml.flow.model import DocumentFlow, reachable
from ozml.nodes import Element
from ozml.parser import parse
from ozml.resolve import resolve_element


def cut_off(root: Element) -> set[int]:
    """The ids of the elements after a GoTo in the same block, and of everything inside them."""
    dead: set[int] = set()
    stack = [root]
    while stack:
        element = stack.pop()
        jumped = False
        for child in element.elements:
            if jumped:
                dead.update(id(e) for e in child.iter())
            elif resolve_element(child).name == "GoTo":
                jumped = True
            stack.append(child)
    return dead


def flow_of(xml: str, name: str) -> DocumentFlow:
    result = parse(xml, name)
    root = result.document.root
    assert root is not None, result.problems
    flow = document_flow(result, name)[0]
    first = {id(child) for e in root.iter() for child in [next(e.elements, None)] if child}
    live = reachable(flow)
    # A command with no way in: no edge reaches it but from where it leads itself (a Repeat
    # menu after a Hangup returns to itself, yet nothing else leads there). Every such group
    # holds a command that follows another in its block: the first of a block always has one.
    into: dict[str, set[str]] = {}
    for edge in flow.edges:
        into.setdefault(edge.target, set()).add(edge.source)
    by_id = {n.id: n for n in flow.nodes}
    orphans = []
    for n in flow.nodes:
        ahead = reachable(flow, [n.id])
        if n.element is None or n.id in live or not into.get(n.id, set()) <= ahead:
            continue
        orphans.append(n.id)
        group = [by_id[m] for m in ahead if n.id in reachable(flow, [m])]
        assert any(m.element is not None and id(m.element) not in first for m in group), xml
    assert live | reachable(flow, orphans) == {n.id for n in flow.nodes}, xml
    dead = cut_off(root)
    cut = {n.id for n in flow.nodes if n.element is not None and id(n.element) in dead}
    found = {n.id for n in flow.nodes if any(c.startswith("OZ402 ") for c in n.codes)}
    assert not live & (cut | found), xml
    return flow


def read_back(graph: Graph) -> None:
    svg, said = render_svg(dot.render(graph))
    assert said == ""
    nodes, _ = svg_labels(svg)
    assert {k: v for k, v in nodes.items() if not k.startswith("legend_")} == (
        expected_labels(graph)
    )
    (result,) = mermaid_parse([mermaid.render(graph)])
    assert result["ok"], result.get("error")
    vertices = result["vertices"]
    assert isinstance(vertices, dict)
    shown = {k: mermaid_text(v) for k, v in vertices.items() if not k.startswith("legend_")}
    assert shown == expected_labels(graph)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(responses(), min_size=1, max_size=6))
def test_builder_documents_draw_graphs_that_dot_and_mermaid_read(
    built: list[b.Response],
) -> None:
    flows = [flow_of(doc.to_xml(), f"doc{i}.xml") for i, doc in enumerate(built)]
    read_back(Graph(flows) if len(flows) > 1 else Graph(flows[:1]))


#: Any character XML allows in text, the ones DOT and Mermaid treat specially most often.
ANY_TEXT = st.text(
    st.sampled_from(list('"#<>&`|\\[]{}();:%\'-–—“”é日€\t\n ')) | st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")
    ),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip() != "")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANY_TEXT, min_size=1, max_size=8), ANY_TEXT)
def test_labels_of_any_text_read_back_exactly(texts: list[str], name: str) -> None:
    document = b.Response(*(b.Speak(text) for text in texts))
    flow = flow_of(document.to_xml(), name)
    read_back(Graph([flow, flow_of(document.to_xml(), name + "2")]))


@settings(max_examples=150, deadline=None)
@given(responses())
def test_every_node_of_a_builder_documents_flow_is_accounted_for(built: b.Response) -> None:
    """The reachability property alone (no drawing), over more documents."""
    flow_of(built.to_xml(), "doc.xml")
