"""A large document's short texts and attributes are shared
(`ozml.treebuilder.TreeBuilder.shared_text`, `shared_attribute`): one node for every place a
value is written, since nodes hold no position. The tree must be the one an unshared parse
gives, node for node and number for number; only the memory differs.

The tests lower `SHARE_NAMES` to 0, so that every generated document shares, and compare with
a parse that never does."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents as trees
from strategies import untidy
from test_parser_properties import documents as grammar

from ozml import parser
from ozml.nodes import Attribute, Document, Element, Text
from ozml.parser import ParseResult, parse

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NEVER = 1 << 62


def parsed(data: str | bytes, share: bool) -> ParseResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "SHARE_NAMES", 0 if share else _NEVER)
        return parse(data, "x.xml")


def numbered(root: Element | None) -> list[tuple[str, int, int]]:
    return [] if root is None else [(e.tag, e.index, e.line) for e in root.iter()]


def same_parse(text: str) -> None:
    shared, alone = parsed(text, True), parsed(text, False)
    assert shared.document == alone.document
    assert numbered(shared.document.root) == numbered(alone.document.root)
    assert shared.problems == alone.problems


@SETTINGS
@given(grammar())
def test_a_shared_tree_is_the_unshared_one_from_the_grammar(doc: tuple[str, object]) -> None:
    same_parse(doc[0])


@SETTINGS
@given(trees(), st.data())
def test_a_shared_tree_is_the_unshared_one_from_untidy_scripts(
    document: Document, data: st.DataObject
) -> None:
    same_parse(data.draw(untidy(document)))


def short_and_long() -> str:
    """Three Speaks of a short language and text, then two of a long one."""
    long = "x" * (parser.SHARE_VALUE + 1)
    return (
        "<Response>"
        + '<Speak Language="en-US">1</Speak>' * 3
        + f'<Speak Language="{long}">{long}</Speak>' * 2
        + "</Response>"
    )


def test_short_values_are_one_node_and_long_ones_are_not() -> None:
    text = short_and_long()
    root = parsed(text, True).document.root
    assert root is not None
    speaks = list(root.elements)
    attributes = [el.attributes[0] for el in speaks]
    texts = [el.children[0] for el in speaks]
    assert all(isinstance(a, Attribute) for a in attributes)
    assert all(isinstance(t, Text) for t in texts)
    assert attributes[0] is attributes[1] is attributes[2]
    assert texts[0] is texts[1] is texts[2]
    assert attributes[3] == attributes[4]
    assert attributes[3] is not attributes[4]
    assert texts[3] == texts[4]
    assert texts[3] is not texts[4]
    # A small document is built as it always was: nothing shared.
    small = parse(text, "x.xml").document.root
    assert small is not None
    first, second = list(small.elements)[:2]
    assert first.attributes[0] is not second.attributes[0]


def test_the_tables_stop_growing() -> None:
    """Unique values cannot grow the tables past `SHARED_KEPT`: once they are full, a value
    met for the first time is not kept (its second place gets a node of its own), the values
    met first stay shared, and the tree is the same."""
    count = parser.SHARED_KEPT + 10
    text = (
        "<Response>"
        + "".join(f'<Speak Language="v{i}">t{i}</Speak>' for i in range(count))
        + '<Speak Language="new">new</Speak>' * 2
        + '<Speak Language="v0">t0</Speak></Response>'
    )
    root = parsed(text, True).document.root
    assert root is not None
    speaks = list(root.elements)
    assert len(speaks) == count + 3
    assert parsed(text, True).document == parsed(text, False).document
    late, again, first = speaks[-3], speaks[-2], speaks[-1]
    assert late.attributes[0] is not again.attributes[0]
    assert late.children[0] is not again.children[0]
    assert speaks[0].attributes[0] is first.attributes[0]
    assert speaks[0].children[0] is first.children[0]


@pytest.mark.parametrize("piece", [7, 1 << 16])
def test_a_streamed_document_shares_too(piece: int) -> None:
    text = "<Response>\n" + "  <Delay>1</Delay>\n" * 50 + "</Response>\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "STREAM_FROM", 0)
        patch.setattr(parser, "STREAM_PIECE", piece)
        patch.setattr(parser, "SHARE_NAMES", 0)
        root = parse(text.encode(), "x.xml").document.root
    assert root is not None
    texts = {id(el.children[0]) for el in root.elements}
    assert len(texts) == 1
