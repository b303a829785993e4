"""The tree builder's short way for plain documents (`ozml.treebuilder.TreeBuilder.plain`: no
namespaces, no ``xml:`` attributes, no CDATA, no template parts, no DTD) builds exactly the
tree its general way builds (`TreeBuilder.element`), numbers and lines included, over the grammar of
tests/test_parser_properties.py (texts, comments, processing instructions, mixed content) and
over untidily written builder documents."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import documents as trees
from strategies import untidy
from test_parser_properties import documents as grammar

from ozml.nodes import Document, Element
from ozml.parser import SHARE_NAMES, _plain_markup, parse
from ozml.treebuilder import TreeBuilder
from ozml.xmlparser import MANY_ATTRIBUTES, xml_parser

REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def numbered(root: Element) -> list[tuple[str, int, int]]:
    return [(e.tag, e.index, e.line) for e in root.iter()]


def same_both_ways(text: str | bytes) -> bool:
    """Whether `text` took the short way; asserts that both ways agree on it."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if not _plain_markup(raw) or b"<![CDATA[" in raw:
        return False
    try:
        root = etree.fromstring(raw, xml_parser())
    except etree.XMLSyntaxError:
        return False  # the examples of mistakes
    general = TreeBuilder().element(root)
    # The short way reads attributes directly when the document has few equals signs
    # (`few_attributes`, as `parse` sets it), else through `attribute_pairs`: both agree.
    for few in {False, raw.count(b"=") <= MANY_ATTRIBUTES}:
        builder = TreeBuilder()
        builder.few_attributes = few
        plain = builder.plain(root)
        assert plain == general, text
        assert numbered(plain) == numbered(general), text
    return True


@SETTINGS
@given(grammar())
def test_the_short_way_builds_the_same_tree_from_the_grammar(doc: tuple[str, list[object]]) -> None:
    same_both_ways(doc[0])


@SETTINGS
@given(trees(), st.data())
def test_the_short_way_builds_the_same_tree_from_untidy_documents(
    document: Document, data: st.DataObject
) -> None:
    same_both_ways(data.draw(untidy(document)))


def test_the_shipped_examples_take_the_short_way_and_agree() -> None:
    took = [
        path
        for path in sorted((REPO / "examples").rglob("*.xml"))
        if same_both_ways(path.read_bytes())
    ]
    assert len(took) > 20


def test_attributes_read_directly_or_counted_first_are_the_same() -> None:
    """Few equals signs let the short way read attributes directly; many send it through
    `attribute_pairs`, which stays linear in their number. Both give them in order."""
    few = '<Response><Speak Language="en" Party="all">Hi</Speak></Response>'
    many = "<Response><Call " + " ".join(f'A{i}="{i}"' for i in range(MANY_ATTRIBUTES + 5))
    many += "/><!-- a=b --></Response>"
    for text in (few, many):
        assert same_both_ways(text)
        root = parse(text).document.root
        assert root is not None
        first = next(root.elements)
        written = etree.fromstring(text.encode()).find("*")
        assert written is not None
        assert [a.name for a in first.attributes] == [name for name, _ in written.items()]


def test_a_large_document_keeps_each_name_once_and_the_same_tree() -> None:
    """Above `SHARE_NAMES` bytes the builder shares each element and attribute name (one
    string for every ``Speak``); the tree is the one a small document's builder makes, both
    ways, and its numbers and lines too."""
    command = '<Speak Language="en-US">Hello</Speak><speak xmlns:x="urn:x" x:a="1">Hi</speak>'
    for body in (command.split("<speak")[0], command):  # the short way, then the general way
        count = SHARE_NAMES // len(body) + 2
        text = "<Response>\n" + "\n".join([body] * count) + "\n</Response>"
        assert len(text.encode()) > SHARE_NAMES
        root = parse(text).document.root
        assert root is not None
        kids = list(root.elements)
        assert len({id(kid.tag) for kid in kids if kid.tag == "Speak"}) == 1
        assert len({id(kid.attributes[0].name) for kid in kids if kid.tag == "Speak"}) == 1
        raw = etree.fromstring(text.encode(), xml_parser())
        builder = TreeBuilder()  # names not shared
        small = builder.plain(raw) if body != command else builder.element(raw)
        assert small == root
        assert numbered(small) == numbered(root)


def test_what_the_short_way_cannot_read_goes_the_general_way() -> None:
    for text in (
        '<Response xmlns:x="urn:x"><Speak x:a="1">Hi</Speak></Response>',
        '<Response><Speak xml:lang="en">Hi</Speak></Response>',
        '<Response xml:space="preserve"> <Speak>Hi</Speak> </Response>',
    ):
        assert not _plain_markup(text.encode())
        result = parse(text)
        assert result.document.root is not None
    assert not _plain_markup("<Response/>".encode("utf-16"))
    # Both ways give the names as written: the prefix stays.
    root = parse('<Response xmlns:x="urn:x"><Speak x:a="1">Hi</Speak></Response>').document.root
    assert root is not None
    assert [a.name for e in root.iter() for a in e.attributes] == ["xmlns:x", "x:a"]
