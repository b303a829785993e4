"""Project graphs: the documents a configuration's URL map joins, drawn with the requests
between them, and the project rules' findings (dead links, unreachable documents) in colour."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.diagnostics import Severity
from ozml.flow.collapse import collapse_graph
from ozml.flow.graph import Crossing, Graph
from ozml.flow.model import Way

CONFIG = """\
[urls]
"http://app/{name}.php" = "{name}.xml"

[entry-points]
IncomingCall = ["main.xml"]
"""

MAIN = """\
<Response>
  <UserInput ForwardToURL="http://app/menu.php">
    <Inputs><Input Key="1"><GoTo>http://app/gone.php</GoTo></Input></Inputs>
  </UserInput>
  <Speak>Bye</Speak>
  <Record FinishedUrl="http://app/saved.php"/>
  <Speak>Still here</Speak>
</Response>
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "ozml.toml").write_text(CONFIG)
    (tmp_path / "main.xml").write_text(MAIN)
    (tmp_path / "menu.xml").write_text("<Response><Speak>Menu</Speak></Response>\n")
    (tmp_path / "saved.xml").write_text("<Response><Hangup/></Response>\n")
    (tmp_path / "old.xml").write_text("<Response><Hangup/></Response>\n")
    return tmp_path


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=cwd, capture_output=True, text=True,
        env=env, check=False, timeout=120,
    )


def graph_of(shop: Path, *paths: str) -> Graph:
    import argparse

    from ozml.cli import graph as cli_graph
    from ozml.cli.discovery import Discovery

    parser = argparse.ArgumentParser()
    cli_graph.configure(parser)
    old = Path.cwd()
    os.chdir(shop)
    try:
        args = parser.parse_args(list(paths))
        resolver = cli_graph._resolver(args)
        discovery = Discovery.configured(args, lambda message: None, resolver, verb="draw")
        from ozml.files import Found

        read = []
        for item in discovery:
            assert isinstance(item, Found)
            found = cli_graph._read(item, resolver, args)
            assert not isinstance(found, str)
            read.append(found)
        return cli_graph._graph(read, resolver, discovery.top)
    finally:
        os.chdir(old)


def test_requests_between_drawn_documents_are_edges_to_their_start(shop: Path) -> None:
    graph = graph_of(shop, ".")
    names = [doc.name for doc in graph.documents]
    assert names == ["main.xml", "menu.xml", "old.xml", "saved.xml"]
    assert graph.crossings == [
        Crossing(0, "k1", 1, "no match: DtmfEntered: http://app/menu.php", Way.JUMP),
        Crossing(0, "n4", 3, "RecordCompleted: http://app/saved.php", Way.NOTIFY),
    ]
    main = graph.documents[0]
    assert sorted(main.urls) == ["http://app/gone.php"]
    marked = {n.id: (n.severity, n.codes) for n in main.nodes if n.severity}
    assert marked == {"u1": (Severity.ERROR, ("OZ811 dead-link",))}
    old = graph.documents[2]
    assert [(n.id, n.severity, n.codes) for n in old.nodes if n.severity] == [
        ("S", Severity.WARNING, ("OZ812 unreachable-document",)),
    ]


def test_links_to_documents_not_drawn_keep_their_url_nodes(shop: Path) -> None:
    graph = graph_of(shop, "main.xml", "saved.xml")
    assert graph.crossings == [
        Crossing(0, "n4", 1, "RecordCompleted: http://app/saved.php", Way.NOTIFY),
    ]
    main = graph.documents[0]
    assert sorted(main.urls) == ["http://app/gone.php", "http://app/menu.php"]
    assert [e.label for e in main.edges if e.target == main.urls["http://app/menu.php"]] == [
        "no match: DtmfEntered",
    ]


def test_collapse_keeps_the_commands_requests_start_at(shop: Path) -> None:
    graph = collapse_graph(graph_of(shop, "."))
    main = graph.documents[0]
    ids = [n.id for n in main.nodes]
    assert "n4" in ids  # the Record whose FinishedUrl another document answers
    assert [n.lines for n in main.nodes if n.id == "n4"] == [
        ("Record (line 6)", "FinishedUrl http://app/saved.php"),
    ]


def test_the_command_line_draws_the_project_and_dot_renders_it(shop: Path) -> None:
    done = ozml("graph", ".", "--format", "dot", "--collapse", cwd=shop)
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert '  d1_k1 -> d2_S [label="no match: DtmfEntered: http://app/menu.php",' \
        " penwidth=2];" in lines
    assert '  d1_n4 -> d4_S [label="RecordCompleted: http://app/saved.php", style=dashed];' \
        in lines
    assert any(
        line.startswith('    d1_u1 [label="http://app/gone.php\\nerror: OZ811 dead-link",')
        and 'fillcolor="#fdecea", color="#c62828"' in line
        for line in lines
    )
    from test_graph_render import render_svg

    _, said = render_svg(done.stdout)
    assert said == ""
    isolated = ozml("graph", ".", "--isolated", cwd=shop)
    assert "  d1_k1 ==>|\"no match: DtmfEntered\"| d1_u2" in isolated.stdout.splitlines()
    assert "d2_S" in isolated.stdout
    assert "-->|\"no match: DtmfEntered: " not in isolated.stdout


@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 5), max_size=3),  # the documents each one's menu keys GoTo
        min_size=1,
        max_size=5,
    ),
    st.booleans(),
)
def test_any_project_joins_each_link_to_the_document_answering_it(
    links: list[list[int]], collapsed: bool
) -> None:
    """Documents d0..dN whose menu keys GoTo d0..d5: a link to a drawn document is one edge
    to its start; one to a missing document keeps its URL node, red with OZ811; dot and
    Mermaid read the graph."""
    from test_graph_render import mermaid_parse, render_svg

    from ozml.flow import dot, mermaid

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "ozml.toml").write_text(
            '[urls]\n"http://app/{name}.php" = "{name}.xml"\n\n'
            '[entry-points]\nIncomingCall = ["d0.xml"]\n'
        )
        for number, targets in enumerate(links):
            inputs = "".join(
                f'<Input Key="{key}"><GoTo>http://app/d{target}.php</GoTo></Input>'
                for key, target in enumerate(targets)
            )
            (root / f"d{number}.xml").write_text(
                f"<Response><UserInput><Inputs>{inputs}</Inputs></UserInput></Response>\n"
            )
        graph = graph_of(root, ".")
        if collapsed:
            graph = collapse_graph(graph)
        assert [doc.name for doc in graph.documents] == [f"d{i}.xml" for i in range(len(links))]
        # Each GoTo is its own command node (n2, n3, ... after the menu n1), never folded.
        expected = [
            (source, f"n{key + 2}", target, f"GoTo: http://app/d{target}.php")
            for source, targets in enumerate(links)
            for key, target in enumerate(targets)
            if target < len(links)
        ]
        assert [(c.source, c.node, c.target, c.label) for c in graph.crossings] == expected
        for source, targets in enumerate(links):
            doc = graph.documents[source]
            dead = {f"http://app/d{t}.php" for t in targets if t >= len(links)}
            assert set(doc.urls) == dead
            for url in dead:
                node = next(n for n in doc.nodes if n.id == doc.urls[url])
                assert node.severity is Severity.ERROR
                assert node.codes == ("OZ811 dead-link",)
        _, said = render_svg(dot.render(graph))
        assert said == ""
        (result,) = mermaid_parse([mermaid.render(graph)])
        assert result["ok"], result.get("error")


def test_a_link_every_page_answers_leads_to_each_page_once(tmp_path: Path) -> None:
    """A URL whose page comes from the template: the map answers it with every page, and each
    GoTo to it leads to each drawn page once, in the map's order (so many links to the pages
    of a large folder cost their number: benchmarks/bench_linear.py, "project pages")."""
    (tmp_path / "ozml.toml").write_text(
        '[urls]\n"http://app/{name}.php" = "pages/{name}.xml"\n'
        '"http://app/hub.php" = "hub.xml"\n\n[entry-points]\nIncomingCall = ["hub.xml"]\n'
    )
    (tmp_path / "pages").mkdir()
    for name in ("b", "a", "c"):
        page = f"<Response><Speak>{name}</Speak></Response>\n"
        (tmp_path / "pages" / f"{name}.xml").write_text(page)
    goto = "<GoTo>http://app/{{ page }}.php</GoTo>"
    (tmp_path / "hub.xml").write_text(
        f'<Response><UserInput><Inputs><Input Key="1">{goto}</Input>'
        f'<Input Key="2">{goto}</Input></Inputs></UserInput></Response>\n'
    )
    graph = graph_of(tmp_path, "hub.xml", "pages")
    names = ["hub.xml", *(os.path.join("pages", f"{n}.xml") for n in "abc")]
    assert [doc.name for doc in graph.documents] == names
    label = "GoTo: http://app/{{ page }}.php"
    assert [(c.source, c.node, c.target, c.label) for c in graph.crossings] == [
        (0, node, page, label) for node in ("n2", "n3") for page in (1, 2, 3)
    ]
    assert graph.documents[0].urls == {}
