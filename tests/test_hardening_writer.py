"""Nothing the PBX would speak is lost: white space in mixed content, ``xml:space``, comments.

What a document says is read here with lxml directly, not with ozml's parser, so that a parser
that dropped something could not hide it: the text of each element (its own text, around its
comments, processing instructions and child elements), every attribute value, and every comment
and processing instruction. ``ozml fmt`` and every fix (safe and unsafe) must keep all of it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from strategies import documents, untidy

from ozml.catalog import ALL
from ozml.fixes import fix_source
from ozml.formatter import format_text
from ozml.parser import parse
from ozml.writer import write

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Values the formatter and the fixes may rewrite in letter case (D3): allowed values, booleans.
_CASE_FREE = {"true", "false"} | {v.lower() for c in ALL for p in c.params for v in p.values}


def _tree(text: str) -> etree._ElementTree:
    return etree.fromstring(text.encode("utf-8"), _PARSER).getroottree()


def _own_text(el: etree._Element) -> str:
    return (el.text or "") + "".join(child.tail or "" for child in el)


def _value(value: str) -> str:
    return value.lower() if value.lower() in _CASE_FREE else value


def spoken(text: str) -> list[tuple[str, list[str]]]:
    """Per element, in document order: its text and its attribute values.

    The text is compared without its surrounding white space (ozml reads element text stripped,
    and the formatter strips an element that holds only text) except where white space is
    content: inside the text of another element, and under ``xml:space="preserve"``.
    """
    out: list[tuple[str, list[str]]] = []

    def walk(el: etree._Element, exact: bool, preserve: bool) -> None:
        space = el.get(_XML_SPACE)
        if space is not None:
            preserve = space == "preserve"
        own = _own_text(el)
        shown = own if exact or preserve else own.strip()
        out.append((shown, sorted(_value(v) for v in el.attrib.values())))
        inside = exact or bool(own.strip())
        for child in el.iterchildren(etree.Element):
            walk(child, inside, preserve)

    walk(_tree(text).getroot(), False, False)
    return out


def misc(text: str, *, directives: bool = True) -> list[str]:
    """Every comment and processing instruction, in document order (prolog and epilog too)."""
    root = _tree(text).getroot()
    nodes = [
        *reversed(list(root.itersiblings(preceding=True))),
        *root.iter(etree.Comment, etree.ProcessingInstruction),
        *root.itersiblings(),
    ]
    found: list[str] = []
    for node in nodes:
        if isinstance(node, etree._ProcessingInstruction):
            found.append(f"<?{node.target} {node.text or ''}?>")
        elif isinstance(node, etree._Comment):
            body = node.text or ""
            if directives or not body.strip().startswith("ozml:"):
                found.append(f"<!--{body}-->")
    return found


def said(text: str) -> list[set[str]]:
    """Per element, what it says in any form: the text, or the same value as a parameter (a
    fix may move a command's text into its attribute, or drop an attribute the text repeats)."""
    return [{*values, *([shown] if shown else [])} for shown, values in spoken(text)]


# --- the property ------------------------------------------------------------------------------


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents().flatmap(untidy))
def test_fmt_and_fixes_keep_what_the_pbx_would_speak(text: str) -> None:
    before = spoken(text)
    formatted = format_text(text)
    assert spoken(formatted) == before
    assert misc(formatted) == misc(text)
    for unsafe in (False, True):
        fixed = fix_source(text, unsafe=unsafe).text
        assert said(fixed) == said(text)
        # The fix of an unused suppression removes its comment; nothing else goes.
        assert misc(fixed, directives=False) == misc(text, directives=False)
        again = format_text(fixed)
        assert said(again) == said(text)


# --- the cases that lost text --------------------------------------------------------------------

CASES = {
    "space between two comments": "<Speak>Hello<!--a--> <!--b-->world</Speak>",
    "space between processing instructions": "<Speak>Hello<?php a?> <?php b?>world</Speak>",
    "space between child elements": "<Speak>Hello<Foo/> <Bar/>world</Speak>",
    "space as CDATA between comments": "<Speak>Hello<!--a--><![CDATA[ ]]><!--b-->world</Speak>",
    "line break between a comment and an element": "<Speak>Hi<!--a-->\n<Foo/>there</Speak>",
    "text at two levels": "<Foo>a<!--c--> <Bar>b<!--d--> <?x y?>c</Bar> d</Foo>",
    "space inside an element in text": "<Speak>a <Foo>  b  </Foo> c</Speak>",
    "xml:space preserve": '<Speak xml:space="preserve">  Hello  </Speak>',
    "xml:space preserve, block content": '<Foo xml:space="preserve">\n <Bar/>\n <Baz/> </Foo>',
}


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_fmt_keeps_white_space_that_is_text(body: str) -> None:
    text = f"<Response>\n    {body}\n</Response>\n"
    formatted = format_text(text)
    assert spoken(formatted) == spoken(text)
    assert format_text(formatted) == formatted


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_the_tree_holds_the_white_space_that_is_text(body: str) -> None:
    document = parse(f"<Response>{body}</Response>").document
    assert spoken(write(document)) == spoken(f"<Response>{body}</Response>")
    assert parse(write(document)).document == document


def test_element_text_is_the_text_the_pbx_reads() -> None:
    root = parse("<Response><Speak>Hello<!--a--> <!--b-->world</Speak></Response>").document.root
    assert root is not None
    assert next(root.elements).text == "Hello world"


def test_layout_white_space_between_elements_is_still_dropped() -> None:
    root = parse("<Response>\n  <Hangup/>\n  <!--c-->\n</Response>").document.root
    assert root is not None
    assert [type(c).__name__ for c in root.children] == ["Element", "Comment"]


def test_fmt_cli_keeps_the_space_between_comments(tmp_path: Path) -> None:
    path = tmp_path / "mixed.xml"
    path.write_text(
        "<Response><Speak>Hello<!--a--> <!--b-->world</Speak><Hangup/></Response>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "fmt", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Response>\n"
        "  <Speak>Hello<!--a--> <!--b-->world</Speak>\n"
        "  <Hangup/>\n"
        "</Response>\n"
    )
