"""Golden files: `ozml graph` of every shipped example, as Mermaid and as DOT, and the graphs
docs/graph.md embeds.

Every example in examples/*.xml and examples/seeds/*.xml is drawn by the real command line, and
the output must equal tests/data/graph/NAME.mmd and NAME.dot (seeds in tests/data/graph/seeds/).
examples/app, the example application, is drawn as a project (tests/data/graph/app.mmd, .dot).
docs/graph.md holds the Mermaid graph of every shipped example between
``<!-- graph: PATH -->`` and ``<!-- /graph -->`` markers. After a deliberate change, regenerate
both with::

    python tests/test_graph_golden.py --write

and review the diff.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "data" / "graph"
DOCS = REPO / "docs" / "graph.md"
FORMATS = {"mermaid": ".mmd", "dot": ".dot"}


#: The example application of several documents (its ozml.toml maps its URLs): drawn as a
#: project, with the requests between its documents.
PROJECT = "examples/app"


def examples() -> list[str]:
    """The shipped examples, as paths from the repository root (how the output names them):
    every script, then the example application."""
    found = sorted((REPO / "examples").glob("*.xml")) + sorted(
        (REPO / "examples" / "seeds").glob("*.xml")
    )
    return [path.relative_to(REPO).as_posix() for path in found] + [PROJECT]


def golden(example: str, fmt: str) -> Path:
    relative = Path(example).relative_to("examples")
    return GOLDEN / relative.with_suffix(FORMATS[fmt])


def draw(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", "graph", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )


def drawn(example: str, fmt: str) -> str:
    """The graph of a script on its own (no configuration), or of the example application with
    its configuration's URL map."""
    isolated = [] if example == PROJECT else ["--isolated"]
    done = draw(example, "--format", fmt, *isolated)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


_BLOCK = re.compile(
    r"(<!-- graph: (?P<path>[^ ]+) -->\n)```mermaid\n.*?```\n(<!-- /graph -->)", re.S
)


def docs_blocks(text: str) -> list[tuple[str, str]]:
    """(path, Mermaid text) of each generated block of docs/graph.md."""
    found = []
    for match in _BLOCK.finditer(text):
        body = match.group(0).split("```mermaid\n", 1)[1].rsplit("```\n", 1)[0]
        found.append((match.group("path"), body))
    return found


def regenerated_docs(text: str, graphs: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        path = match.group("path")
        return f"{match.group(1)}```mermaid\n{graphs[path]}```\n{match.group(3)}"

    return _BLOCK.sub(replace, text)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("example", examples())
def test_graph_of_every_example_matches_its_golden_file(example: str, fmt: str) -> None:
    expected = golden(example, fmt)
    assert expected.is_file(), f"no golden file {expected}; run python {__file__} --write"
    assert drawn(example, fmt) == expected.read_text(encoding="utf-8"), (
        f"ozml graph {example} --format {fmt} changed; review, then run"
        f" python tests/test_graph_golden.py --write"
    )


def test_every_golden_file_belongs_to_an_example() -> None:
    wanted = {golden(example, fmt) for example in examples() for fmt in FORMATS}
    present = {p for p in GOLDEN.rglob("*") if p.suffix in (".mmd", ".dot")}
    assert present == wanted


def test_docs_embed_the_graph_of_every_shipped_example_as_drawn() -> None:
    blocks = docs_blocks(DOCS.read_text(encoding="utf-8"))
    assert [path for path, _ in blocks] == examples()
    for path, body in blocks:
        assert body == golden(path, "mermaid").read_text(encoding="utf-8"), (
            f"docs/graph.md's graph of {path} drifted; run python tests/test_graph_golden.py"
            " --write"
        )


def write() -> None:
    graphs: dict[str, str] = {}
    for example in examples():
        for fmt in FORMATS:
            target = golden(example, fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = drawn(example, fmt)
            target.write_text(text, encoding="utf-8")
            if fmt == "mermaid":
                graphs[example] = text
    text = DOCS.read_text(encoding="utf-8")
    DOCS.write_text(regenerated_docs(text, graphs), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_graph_golden.py --write")
    write()
