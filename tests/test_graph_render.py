"""The drawings are read by the real readers: Graphviz's dot renders every DOT graph without a
warning, and Mermaid's own parser (under node, tests/mermaid/) parses every Mermaid graph; the
labels they read back are the labels the model holds, whatever characters they contain.

Mermaid needs ``npm ci`` in tests/mermaid (``.ci/run`` does it); dot needs Graphviz (Debian's
graphviz package, which ``.ci/run`` installs). Outside CI a missing one skips its tests with the
command that installs it; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from ozml.flow.graph import Graph, label_lines
from ozml.flow.marks import document_flow
from ozml.flow.model import DocumentFlow
from ozml.parser import parse

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "data" / "graph"
MERMAID = REPO / "tests" / "mermaid"
SVG = "{http://www.w3.org/2000/svg}"


def _missing(what: str, install: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {install}")
    pytest.skip(f"{what} is not installed: {install}")


def need_dot() -> str:
    found = shutil.which("dot")
    if found is None:
        _missing("Graphviz's dot", "apt-get install graphviz")
    assert found is not None
    return found


def need_mermaid() -> None:
    if shutil.which("node") is None or not (MERMAID / "node_modules" / "mermaid").is_dir():
        _missing("mermaid", "cd tests/mermaid && npm ci")


def render_svg(dot_text: str) -> tuple[etree._Element, str]:
    """The SVG dot draws of `dot_text`, and what dot said on standard error."""
    done = subprocess.run(
        [need_dot(), "-Tsvg"], input=dot_text.encode(), capture_output=True, check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    return etree.fromstring(done.stdout), done.stderr.decode()


def svg_labels(svg: etree._Element) -> tuple[dict[str, list[str]], list[tuple[str, list[str]]]]:
    """Node id → its label's lines, and (edge title, label lines), as the SVG shows them."""
    nodes: dict[str, list[str]] = {}
    edges: list[tuple[str, list[str]]] = []
    for group in svg.iter(f"{SVG}g"):
        kind = group.get("class")
        if kind not in ("node", "edge"):
            continue
        title = group.findtext(f"{SVG}title") or ""
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        if kind == "node":
            nodes[title] = texts
        else:
            edges.append((title, texts))
    return nodes, edges


def mermaid_parse(texts: list[str]) -> list[dict[str, object]]:
    """What Mermaid's parser makes of each text (tests/mermaid/check.mjs)."""
    need_mermaid()
    done = subprocess.run(
        ["node", str(MERMAID / "check.mjs")],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, object]] = json.loads(done.stdout)
    assert len(results) == len(texts)
    return results


def mermaid_text(stored: str) -> list[str]:
    """A label's lines as Mermaid shows them: its database keeps entity codes encoded
    (``#quot;`` as ``ﬂ°quot¶ß``) and decodes them to HTML entities when it draws
    (mermaid's encodeEntities / decodeEntities), and the browser reads the HTML."""
    decoded = stored.replace("ﬂ°°", "&#").replace("ﬂ°", "&").replace("¶ß", ";")
    return [html.unescape(part) for part in re.split(r"<br\s*/?>", decoded)]


def flow_of(text: str, name: str = "t.xml") -> DocumentFlow:
    result = parse(text, name)
    assert result.document.root is not None
    return document_flow(result, name)[0]


def expected_labels(graph: Graph) -> dict[str, list[str]]:
    return {
        graph.qualified(i, node.id): list(label_lines(node))
        for i, doc in enumerate(graph.documents)
        for node in doc.nodes
    }


def golden_files(suffix: str) -> list[Path]:
    return sorted(GOLDEN.rglob(f"*{suffix}"))


#: A document whose texts hold every character either language treats specially.
TRICKY = """<Response>
  <Speak>a\\b "hi" &amp; &lt;b&gt; #1 `c` |p| {a} [b] (c); end of a long text</Speak>
  <Speak>Ünïcödé 日本語 — “quotes” ‘’ €</Speak>
  <Speak>#quot; &amp;amp; &lt;br/&gt; \\n %% click</Speak>
  <GoTo>http://app/x.php?a=1&amp;b="2"#frag</GoTo>
</Response>
"""


@pytest.mark.parametrize("path", golden_files(".dot"), ids=lambda p: p.stem)
def test_every_golden_dot_renders_to_svg_without_warnings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    svg, said = render_svg(text)
    assert said == ""
    nodes, _ = svg_labels(svg)
    ids = re.findall(r"^\s+(\w+) \[label=", text, re.M)
    assert sorted(nodes) == sorted(ids)


def test_dot_labels_read_back_exactly() -> None:
    flow = flow_of(TRICKY)
    graph = Graph([flow])
    from ozml.flow import dot

    svg, said = render_svg(dot.render(graph))
    assert said == ""
    nodes, edges = svg_labels(svg)
    assert nodes == expected_labels(graph)
    assert nodes["n1"][1] == 'a\\b "hi" & <b> #1 `c` |p| {a} [b] (c);…'
    assert nodes["n2"][1] == "Ünïcödé 日本語 — “quotes” ‘’ €"
    assert nodes["u1"] == ['http://app/x.php?a=1&b="2"#frag']
    assert ("n4->u1", ["GoTo"]) in edges


def test_several_documents_are_clusters_with_their_own_ids() -> None:
    from ozml.flow import dot

    graph = Graph([flow_of(TRICKY, "a.xml"), flow_of("<Response><Hangup/></Response>", "b.xml")])
    svg, said = render_svg(dot.render(graph))
    assert said == ""
    nodes, _ = svg_labels(svg)
    assert nodes == expected_labels(graph)
    clusters = [
        g.findtext(f"{SVG}title") for g in svg.iter(f"{SVG}g") if g.get("class") == "cluster"
    ]
    assert clusters == ["cluster_d1", "cluster_d2"]


def test_every_golden_mermaid_graph_parses_with_mermaids_parser() -> None:
    paths = golden_files(".mmd")
    assert len(paths) >= 13
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for path, text, result in zip(paths, texts, mermaid_parse(texts), strict=True):
        assert result["ok"], (path, result.get("error"))
        assert result["type"] == "flowchart-v2"
        vertices = result["vertices"]
        assert isinstance(vertices, dict)
        assert sorted(vertices) == sorted(re.findall(r"^\s+(\w+)[\[\(\{]", text, re.M))
        edges = result["edges"]
        assert isinstance(edges, list)
        assert len(edges) == len(re.findall(r"^\s+\w+ (?:-->|-\.->|==>)", text, re.M))


def test_mermaid_labels_read_back_exactly() -> None:
    from ozml.flow import mermaid

    graph = Graph([flow_of(TRICKY, 'a "b" #c.xml'), flow_of("<Response/>", "d.xml")])
    (result,) = mermaid_parse([mermaid.render(graph)])
    assert result["ok"], result.get("error")
    vertices = result["vertices"]
    assert isinstance(vertices, dict)
    assert {k: mermaid_text(v) for k, v in vertices.items()} == expected_labels(graph)
    assert mermaid_text(vertices["d1_n3"])[1] == "#quot; &amp; <br/> \\n %% click"
    subgraphs = result["subgraphs"]
    assert isinstance(subgraphs, list)
    assert [(s[0], mermaid_text(s[1])) for s in subgraphs] == [
        ("d1", ['a "b" #c.xml']),
        ("d2", ["d.xml"]),
    ]


def test_the_mermaid_check_sees_what_escaping_prevents() -> None:
    """The check can fail: Mermaid drops unescaped quotes from a label, rejects a bare pipe in
    an edge label, and keeps what `escape` wrote."""
    from ozml.flow.mermaid import escape

    said, pipe = escape('say "hi"'), escape("a|b")
    raw, bare_pipe, escaped = mermaid_parse(
        [
            'flowchart TD\n  a["say "hi""]\n',
            "flowchart TD\n  a --> |a|b| c\n",
            f'flowchart TD\n  a["{said}"] -->|"{pipe}"| c\n',
        ]
    )
    assert raw["vertices"] == {"a": "say hi"}
    assert not bare_pipe["ok"]
    assert "Parse error" in str(bare_pipe["error"])
    vertices = escaped["vertices"]
    assert isinstance(vertices, dict)
    assert mermaid_text(vertices["a"]) == ['say "hi"']
    edges = escaped["edges"]
    assert isinstance(edges, list)
    assert [mermaid_text(e[2]) for e in edges] == [["a|b"]]


def test_findings_colour_nodes_and_the_legend_in_both_languages() -> None:
    from ozml.flow import dot, mermaid

    flow = flow_of("<Response>\n<Hangup/>\n<Speak>x</Speak>\n<Speak>y</Speak>\n</Response>")
    graph = Graph([flow])
    (result,) = mermaid_parse([mermaid.render(graph)])
    assert result["ok"], result.get("error")
    classes = result["classes"]
    assert isinstance(classes, dict)
    assert classes["warning"] == [
        "fill:#fff4e0", "stroke:#e67700", "stroke-width:2px", "color:#000",
    ]
    vertices = result["vertices"]
    assert isinstance(vertices, dict)
    assert mermaid_text(vertices["n2"]) == [
        "Speak (line 3)", "x", "warning: OZ402 unreachable-command",
    ]
    assert mermaid_text(vertices["n3"]) == ["Speak (line 4)", "y"]
    assert mermaid_text(vertices["legend_warning"]) == ["warning"]
    svg, said = render_svg(dot.render(graph))
    assert said == ""
    shapes = {
        g.findtext(f"{SVG}title"): g.find(f"{SVG}path") if g.find(f"{SVG}path") is not None
        else g.find(f"{SVG}polygon")
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "node"
    }
    assert shapes["n2"].get("fill") == "#fff4e0"
    assert shapes["n2"].get("stroke") == "#e67700"
    assert shapes["n3"].get("fill") == "#ffffff"
    assert shapes["legend_warning"].get("fill") == "#fff4e0"


def test_svg_format_is_drawn_by_dot(tmp_path: Path) -> None:
    need_dot()
    out = tmp_path / "ivr.svg"
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "graph", "examples/ivr-menu.xml", "--isolated",
         "--format", "svg", "-o", str(out)],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    nodes, _ = svg_labels(etree.fromstring(out.read_bytes()))
    assert nodes["k1"] == ["key?"]
    assert nodes["n6"] == ["BlindTransfer (line 21)", "2000"]


def test_svg_format_without_dot_is_an_error_naming_graphviz(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    env["PATH"] = str(tmp_path)  # no dot there
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "graph", "examples/ivr-menu.xml", "--format", "svg"],
        cwd=REPO, capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "ozml: error: --format svg needs Graphviz's dot program on the PATH (install"
        " Graphviz, e.g. `apt-get install graphviz`, or write DOT with --format dot)\n"
    )
