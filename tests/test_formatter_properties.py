"""Formatting untidy documents drawn from the catalog: idempotent, and it keeps the tree, with
the default settings and with any others."""

from __future__ import annotations

import sys

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import documents, untidy
from test_templates import _SLOTS, _filled, placeholders
from test_writer import shaped

from ozml import xmlspace
from ozml.catalog import AliasKind, lookup_element, lookup_param, values
from ozml.formatter import (
    LINE_ENDINGS,
    FormatOptions,
    _canonical_names,
    format_text,
    layout,
    normalise,
)
from ozml.nodes import Attribute, Element
from ozml.parser import parse
from ozml.writer import ATTRIBUTE_ORDERS, INDENT_STYLES, attribute_order


def in_catalog_order(element: Element) -> Element:
    children = tuple(
        in_catalog_order(c) if isinstance(c, Element) else c for c in element.children
    )
    return attrs.evolve(element, attributes=attribute_order(element), children=children)


@settings(max_examples=80, deadline=None)
@given(documents().flatmap(untidy))
def test_formatting_is_idempotent_and_changes_only_what_it_documents(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once
    before = parse(text).document
    after = parse(once).document
    assert after.root is not None
    assert before.root is not None
    # The same tree, but for the documented normalisations: names, value case, the white
    # space around text-only content, and attribute order.
    assert after.root == in_catalog_order(normalise(before).root)  # type: ignore[arg-type]
    assert (after.prolog, after.epilog) == (before.prolog, before.epilog)


@settings(max_examples=40, deadline=None)
@given(documents().flatmap(untidy))
def test_keep_names_changes_layout_only(text: str) -> None:
    once = format_text(text, keep_names=True)
    assert format_text(once, keep_names=True) == once
    before = normalise(parse(text).document, keep_names=True).root
    assert before is not None
    assert parse(once).document.root == in_catalog_order(before)


def in_order(element: Element, order: str) -> Element:
    children = tuple(in_order(c, order) if isinstance(c, Element) else c for c in element.children)
    return attrs.evolve(element, attributes=attribute_order(element, order), children=children)


#: Any formatter settings, with line lengths that wrap often.
OPTIONS = st.builds(
    FormatOptions,
    line_length=st.sampled_from([1, 30, 60, 100, 320]) | st.integers(1, 320),
    indent_width=st.integers(1, 16),
    indent_style=st.sampled_from(INDENT_STYLES),
    attribute_order=st.sampled_from(ATTRIBUTE_ORDERS),
    keep_names=st.booleans(),
    line_ending=st.sampled_from(LINE_ENDINGS),
)


@settings(max_examples=80, deadline=None)
@given(documents().flatmap(untidy), OPTIONS)
def test_every_setting_is_idempotent_and_lossless(text: str, options: FormatOptions) -> None:
    once = format_text(text, options=options)
    assert format_text(once, options=options) == once
    before = parse(text).document
    after = parse(once).document
    assert before.root is not None
    # Comments, processing instructions, text and CDATA as they were; names and value case
    # changed only without keep-names, attributes in the order the setting asks for.
    expected = normalise(before, keep_names=options.keep_names).root
    assert expected is not None
    assert after.root == in_order(expected, options.attribute_order)
    assert (after.prolog, after.epilog) == (before.prolog, before.epilog)
    if options.line_ending == "lf" or (options.line_ending == "auto" and "\r" not in text):
        assert "\r" not in once
    elif options.line_ending == "cr-lf":
        assert once.count("\n") == once.count("\r\n")
        assert "\r" not in once.replace("\r\n", "")


def unordered(element: Element) -> Element:
    children = tuple(unordered(c) if isinstance(c, Element) else c for c in element.children)
    attributes = tuple(sorted(element.attributes, key=lambda a: a.name))
    return attrs.evolve(element, attributes=attributes, children=children)


@settings(max_examples=40, deadline=None)
@given(documents().flatmap(untidy), OPTIONS, OPTIONS)
def test_changing_settings_keeps_the_tree(
    text: str, first: FormatOptions, second: FormatOptions
) -> None:
    """A file formatted with some settings, then with others, is what the others alone make of
    it (attribute order aside, which `keep` takes from the text) and stays so."""
    via = format_text(format_text(text, options=first), options=second)
    assert format_text(via, options=second) == via
    if first.keep_names or not second.keep_names:  # else only the first renamed
        direct = parse(format_text(text, options=second)).document
        assert direct.root is not None
        assert unordered(parse(via).document.root) == unordered(direct.root)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_SLOTS), st.lists(placeholders(), min_size=2, max_size=2)),
        max_size=6,
    ),
    OPTIONS,
)
def test_every_setting_keeps_template_parts(
    slots: list[tuple[str, list[str]]], options: FormatOptions
) -> None:
    """Template parts in values and text survive every setting byte for byte (in wrapped start
    tags too), and formatting stays idempotent."""
    body = "".join("\n  " + _filled(slot, parts) for slot, parts in slots)
    doc = f"<Response>{body}\n</Response>\n"
    out = format_text(doc, options=options)
    for part in (p for slot, parts in slots for p in parts[: slot.count("@")]):
        assert part in out
    assert format_text(out, options=options) == out


_MIXED = [
    "<Response><Speak>one\n\n two <Break/></Speak>\n\n<Hangup/></Response>",
    "<Response>\r\n\r\n<Speak>a\r\n\r\nb<x/>\r\n\r\n<y/></Speak><!--c-->\n\n<Hangup/></Response>",
    "<Response><Speak>x<?php y ?>\n\n\n<b/>z</Speak></Response>",
    # White space written as CDATA between commands is no node: the gap holds markup.
    "<Response><Speak>a</Speak>\n\n<![CDATA[ ]]><Hangup/>\n<![CDATA[ ]]>\n\n<Exit/></Response>",
    # Each line end alone: \r\n is one, \r alone and \n alone are one each.
    "<Response>\r<Speak/>\r\r<Hangup/>\r\n<Exit/>\n\t\r\n<Reject/>\r\n \r<Play/></Response>",
]


@settings(max_examples=150, deadline=None)
@given(st.one_of(documents().flatmap(untidy), st.sampled_from(_MIXED)))
def test_a_blank_line_is_seen_before_an_element_exactly_where_the_text_has_one(
    text: str,
) -> None:
    # The layout finds the runs of white space that hold a blank line with one search of the
    # text; it must find what looking back from each node through the text finds, also next
    # to text and markup that is not a node (`_MIXED`).
    result = parse(text)
    document = result.document
    assert document.root is not None
    found = layout(document, result)
    source = result.source
    for element in document.root.iter():
        extent = source.extent(element)
        assert extent is not None
        expected = _blank_before(source.text, extent[0])
        assert (id(element) in found.blank_before) == expected, (element.tag, extent)


def _blank_before(text: str, offset: int) -> bool:
    """Whether the white space just before `offset` holds two or more line ends, looked for
    character by character."""
    start = offset
    while start > 0 and text[start - 1] in " \t\r\n":
        start -= 1
    space = text[start:offset]
    return space.count("\n") + space.replace("\r\n", "").count("\r") >= 2


def _canonical_by_hand(element: Element) -> tuple[str, tuple[Attribute, ...]]:
    """Canonical names as the formatter's docstring states them, attribute by attribute: a
    known parameter takes its catalog name (one of the vendor's other spellings, its own, in the
    vendor's letter case) unless that name is written too, and its value's canonical letter
    case."""
    match = lookup_element(element.tag)
    if match is None:
        return element.tag, element.attributes
    written = {attr.name for attr in element.attributes}
    out: list[Attribute] = []
    for attr in element.attributes:
        pm = lookup_param(match.command, attr.name)
        if pm is None:
            out.append(attr)
            continue
        wanted = pm.param.name
        if pm.alias is not None and pm.alias.kind is not AliasKind.LEGACY:
            wanted = pm.alias.name
        name = wanted if wanted not in written - {attr.name} else attr.name
        written.add(name)
        value = (None if attr.templates else values.case_fix(pm.param, attr.value)) or attr.value
        out.append(Attribute(name, value, attr.templates))
    return match.command.name, tuple(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(shaped(), min_size=1, max_size=6))
def test_canonical_names_remembered_per_shape_are_those_of_each_element(
    elements: list[Element],
) -> None:
    # Worked out once per element name and attribute names: an element of the same shape with
    # other values gets its own values' case fixed.
    for element in [*elements, *elements]:
        assert _canonical_names(element) == _canonical_by_hand(element)


# --- white space that is not XML's is text ------------------------------------------------------

#: Every character Python's str.isspace takes that XML 1.0 allows: XML's own white space (space,
#: tab, line ends: layout) and the other Unicode spaces (U+00A0, U+2003, U+3000, NEL, U+2028,
#: ...), which XML reads as text and the formatter must keep.
SPACES = "".join(
    c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and (c in "\t\n\r" or c >= " ")
)


@st.composite
def spaced(draw: st.DrawFn) -> str:
    """White space of any kind, each character written as itself or as a character reference."""
    chars = draw(st.text(st.sampled_from(SPACES), max_size=3))
    return "".join(f"&#{ord(c)};" if c == "\r" or draw(st.booleans()) else c for c in chars)


@st.composite
def spaced_documents(draw: st.DrawFn) -> str:
    """Elements whose texts, and the tails between them, are drawn with white space of any kind
    around a word, or alone."""
    out = ["<Response>", draw(spaced())]
    for _ in range(draw(st.integers(1, 4))):
        tag = draw(st.sampled_from(["Speak", "Play", "Delay", "Hangup", "Reject", "Note"]))
        word = draw(st.sampled_from(["", "", "Hello", "5", "a b"]))
        out += [f"<{tag}>", draw(spaced()), word, draw(spaced()), f"</{tag}>", draw(spaced())]
    out.append("</Response>")
    return "".join(out)


def _content(document: str) -> list[tuple[str, str, str]]:
    """Each element's name, and the characters of its text and of its tail that are not XML
    white space, as lxml (not ozml) reads them."""
    root = etree.fromstring(document.encode())

    def kept(text: str | None) -> str:
        return "".join(c for c in text or "" if c not in xmlspace.XML_SPACE)

    return [(str(el.tag), kept(el.text), kept(el.tail)) for el in root.iter()]


@settings(max_examples=200, deadline=None)
@given(spaced_documents(), OPTIONS)
def test_white_space_that_is_not_xml_s_survives_formatting(
    text: str, options: FormatOptions
) -> None:
    """U+00A0 around a text, or alone, is text to XML: formatting keeps every character but
    XML's white space exactly where it was (it dropped them, as Python's str.strip does)."""
    once = format_text(text, options=options)
    assert _content(once) == _content(text)
    assert format_text(once, options=options) == once
