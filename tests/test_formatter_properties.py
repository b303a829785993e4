"""Formatting untidy documents drawn from the catalog: idempotent, and it keeps the tree."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from strategies import documents, untidy

from ozml.formatter import format_text, normalise
from ozml.nodes import Element
from ozml.parser import parse
from ozml.writer import attribute_order


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
