"""The parser marks text written as CDATA, and the writer keeps it CDATA."""

from __future__ import annotations

import pytest

from ozml.nodes import Comment, Element, Text
from ozml.parser import parse
from ozml.writer import write


def texts(source: str) -> list[Text]:
    """Every text of the document, in document order."""
    root = parse(source).document.root
    assert root is not None
    found: list[Text] = []

    def walk(element: Element) -> None:
        for child in element.children:
            if isinstance(child, Text):
                found.append(child)
            elif isinstance(child, Element):
                walk(child)

    walk(root)
    return found


def test_plain_text_is_not_cdata() -> None:
    assert texts("<Response><Speak>Hi</Speak></Response>") == [Text("Hi")]


def test_a_cdata_section_marks_its_text() -> None:
    assert texts("<Response><Speak><![CDATA[<b> & c]]></Speak></Response>") == [
        Text("<b> & c", cdata=True)
    ]


def test_text_merged_from_plain_and_cdata_parts_is_cdata() -> None:
    assert texts("<Response><Speak>a <![CDATA[<b>]]> c</Speak></Response>") == [
        Text("a <b> c", cdata=True)
    ]


def test_only_the_texts_holding_cdata_are_marked() -> None:
    source = (
        "<?xml version='1.0'?><!-- <![CDATA[ not data ]]> --><?pi <![CDATA[ x ]]>?>"
        "<Response a='&gt;'>"
        "<Speak>one</Speak><Speak><![CDATA[two]]></Speak>"
        "three<!-- c --><![CDATA[four]]><Hangup/>five<?p <b>?>"
        "</Response>"
    )
    assert texts(source) == [
        Text("one"),
        Text("two", cdata=True),
        Text("three"),
        Text("four", cdata=True),
        Text("five"),
    ]


def test_cdata_inside_a_comment_is_not_cdata() -> None:
    root = parse("<Response><Speak>x<!-- <![CDATA[y]]> --></Speak></Response>").document.root
    assert root is not None
    speak = next(root.elements)
    assert speak.children == (Text("x"), Comment(" <![CDATA[y]]> "))


@pytest.mark.parametrize(
    "value", ["<b>", "a ]]> b", "]]>", "]]]]>", "  padded  ", "multi\nline", "&amp; literal"]
)
def test_cdata_round_trips(value: str) -> None:
    document = parse(
        "<Response><Speak><![CDATA["
        + value.replace("]]>", "]]]]><![CDATA[>")
        + "]]></Speak></Response>"
    ).document
    assert document.root == Element(
        "Response", (), (Element("Speak", (), (Text(value, cdata=True),)),)
    )
    text = write(document)
    assert "<![CDATA[" in text
    assert parse(text).document == document
