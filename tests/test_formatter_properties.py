"""Formatting untidy documents drawn from the catalog: idempotent, and it keeps the tree, with
the default settings and with any others."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import documents, untidy
from test_templates import _SLOTS, _filled, placeholders

from ozml.formatter import LINE_ENDINGS, FormatOptions, format_text, normalise
from ozml.nodes import Element
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
