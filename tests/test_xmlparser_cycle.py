"""Reading and linting a large document leave nothing for the cyclic garbage collector: lxml's
pull parser and the document it read (with the name dictionary of the thread it was read on) are
freed by reference counting as soon as the reading is done (`ozml.xmlparser.read_through`), and
the streamed lint's context, records and source once its findings are given
(`ozml.lint.stream.Stream`).

lxml's pull parser with a tag filter held its document in a reference cycle (the parser, its
context, the context's tag matcher, which keeps the last document it looked names up in, and
that document, which holds its parser). ozml lets the collector run rarely (`ozml.gcpause`), and
an idle language server or ``ozml check --watch`` never: each document read so stayed, and with
it the names of an `ozml.xmlthread.XmlThread` replaced to be rid of them.

The streamed lint's context held the analyses its folds build, which hold the context
(`ozml.lint.folds`): a cycle that kept the document's source and records, and lxml's root with
the thread's names, so that ``ozml check --watch`` grew by 9 MiB at each run on a 4 MB file.

lxml's parsers and elements take no weak reference, so the tests count the pull parsers alive
with the collector off: one that outlives the call that made it is held by a cycle alone.
"""

from __future__ import annotations

import gc
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from ozml import xmlparser
from ozml.catalog import Context
from ozml.lint import quick
from ozml.lint.linter import lint_document
from ozml.xmlparser import LARGE, PIECE, read_through

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import array_loop, big_document, user_input, var  # noqa: E402

#: A large document (`LARGE`) with one finding (a ForwardCall without Destination).
FINDING = big_document(2 * LARGE).encode()
#: The same without its finding: the quick check proves it clean by reading it through.
CLEAN = FINDING.replace(b"<ForwardCall/>", b"")

#: Documents that end a reading in each of its ways.
ENDINGS = [
    pytest.param(CLEAN, id="read-whole"),
    pytest.param(FINDING, id="invalid"),
    pytest.param(CLEAN[: len(CLEAN) // 2], id="cut-short"),
    pytest.param(CLEAN.replace(b"<Hangup/>", b"<Hangup>"), id="not-well-formed-at-the-end"),
    pytest.param(CLEAN[: LARGE // 2] + b"</Nothing>" + CLEAN[LARGE // 2 :], id="not-well-formed"),
    pytest.param(b"<?xml version='1.0'?>" + b" " * LARGE, id="no-root"),
]

#: A large document with menus and variables, which the streamed lint's folds analyse.
_RNG = random.Random(3)
MENUS = FINDING.replace(
    b"<Hangup/>",
    "\n".join([*user_input(_RNG, "  "), *var(_RNG, "  "), *array_loop(_RNG, "  "), "<Hangup/>"])
    .lstrip()
    .encode(),
)


@pytest.fixture
def no_collector() -> Iterator[None]:
    """The collector off, as in an idle language server, and nothing of before left over."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        gc.collect()


def pull_parsers() -> int:
    """How many of lxml's pull parsers are alive."""
    return sum(1 for o in gc.get_objects() if type(o) is etree.XMLPullParser)


def left_alive(work: Callable[[], object]) -> int:
    """How many pull parsers `work` left alive once it returned and its result was dropped."""
    before = pull_parsers()
    work()
    return pull_parsers() - before


def collected(work: Callable[[], object]) -> list[str]:
    """The types of the objects of ozml and lxml that only the collector frees once `work` is
    done and its result dropped."""
    work()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        kinds = [type(o) for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    return sorted(
        f"{kind.__module__}.{kind.__qualname__}"
        for kind in kinds
        if kind.__module__.startswith(("ozml", "lxml"))
    )


def test_the_quick_check_of_a_large_document_frees_its_parsers(no_collector: None) -> None:
    assert left_alive(lambda: quick.prove_by_schema(CLEAN, Context.EXTENSION)) == 0
    assert left_alive(lambda: quick.prove_by_schema(FINDING, Context.EXTENSION)) == 0
    # Read through with the schema: the one proved clean, the other not.
    assert quick.prove_by_schema(CLEAN, Context.EXTENSION)
    assert not quick.prove_by_schema(FINDING, Context.EXTENSION)


@pytest.mark.parametrize("data", ENDINGS)
def test_every_way_a_reading_ends_frees_its_parser(no_collector: None, data: bytes) -> None:
    schema = quick._prover(Context.EXTENSION).schema(True)
    assert left_alive(lambda: read_through(data)) == 0
    assert left_alive(lambda: read_through(data, schema)) == 0
    taken: list[int] = []

    def take(root: etree._Element, n: int) -> None:
        taken.append(n)

    assert left_alive(lambda: read_through(data, take=take)) == 0
    assert collected(lambda: read_through(data, schema)) == []


def test_a_reading_stopped_below_the_root_frees_its_parser(no_collector: None) -> None:
    # The first element of the name the document's first bytes gave is not its root
    # (`xmlparser._MISNAMED`): the reading stops in the middle, with elements not yet seen.
    found: list[object] = []

    def read() -> None:
        found.append(xmlparser._read_pieces(CLEAN, None, PIECE, None, "Speak"))

    assert left_alive(read) == 0
    assert found == [xmlparser._MISNAMED]


def test_the_root_read_is_its_callers_alone(no_collector: None) -> None:
    # What the reading gives back is held by its caller only: once the caller drops the
    # root, nothing of the document is left for the collector.
    def read() -> None:
        root = read_through(CLEAN)
        assert root is not None
        assert (root.tag, len(root)) == ("Response", 0)

    assert collected(read) == []


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(FINDING, id="finding"),
        pytest.param(MENUS, id="menus-and-variables"),
        *ENDINGS[2:5],  # not well-formed: the streamed lint gives up, the whole parse lints
    ],
)
def test_the_streamed_lint_of_a_large_document_leaves_nothing_to_collect(
    no_collector: None, data: bytes
) -> None:
    found: list[list[str]] = []

    def lint() -> None:
        found.append([d.name for d in lint_document(data, "big.xml")[1]])

    lint()  # the modules a lint loads are loaded
    assert left_alive(lint) == 0
    assert collected(lint) == []
    assert found[0] == found[1] == found[2]
    if data is FINDING:
        assert found[0] == ["missing-parameter"]
