"""Building the text edits that fixes are made of."""

from __future__ import annotations

from ozml.diagnostics import Edit, Fix
from ozml.nodes import Element
from ozml.positions import Source


def rename_element(source: Source, element: Element, new: str, message: str) -> Fix | None:
    """Rename an element in its start tag and, when it has one, its end tag."""
    info = source.tag(element)
    if info is None:
        return None
    edits = [Edit(info.start + 1, info.name_end, new)]
    if info.close_start is not None:
        edits.append(Edit(info.close_start + 2, info.close_start + 2 + len(info.name), new))
    return Fix(message, tuple(edits))


def rename_attribute(
    source: Source, element: Element, old: str, new: str, message: str, *, safe: bool = True
) -> Fix | None:
    info = source.tag(element)
    attr = info.attribute(old) if info else None
    if attr is None:
        return None
    return Fix(message, (Edit(attr.start, attr.name_end, new),), safe=safe)


def replace_value(
    source: Source, element: Element, name: str, new: str, message: str, *, safe: bool = True
) -> Fix | None:
    info = source.tag(element)
    attr = info.attribute(name) if info else None
    if attr is None:
        return None
    return Fix(message, (Edit(attr.value_start, attr.value_end, new),), safe=safe)
