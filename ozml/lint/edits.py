"""Building the text edits that fixes are made of."""

from __future__ import annotations

from ozml import xmlspace
from ozml.diagnostics import Edit, Fix
from ozml.positions import Placed, Source

#: What a value needs escaped between double quotes to read back exactly.
_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def rename_element(
    source: Source, element: Placed, new: str, message: str, *, safe: bool = True
) -> Fix | None:
    """Rename an element in its start tag and, when it has one, its end tag."""
    info = source.tag(element)
    if info is None:
        return None
    edits = [Edit(info.start + 1, info.name_end, new)]
    if info.close_start is not None:
        edits.append(Edit(info.close_start + 2, info.close_start + 2 + len(info.name), new))
    return Fix(message, tuple(edits), safe=safe)


def remove_attribute(
    source: Source, element: Placed, name: str, message: str, *, safe: bool = True
) -> Fix | None:
    """Remove an attribute with the white space before it."""
    info = source.tag(element)
    attr = info.attribute(name) if info else None
    if info is None or attr is None:
        return None
    start = attr.start
    while start > info.name_end and source.text[start - 1] in xmlspace.XML_SPACE:
        start -= 1
    return Fix(message, (Edit(start, attr.value_end + 1, ""),), safe=safe)


def text_to_attribute(
    source: Source, element: Placed, value: str, name: str, message: str, *, safe: bool = True
) -> Fix | None:
    """Turn ``<X>v</X>`` into ``<X name="v"/>``: the element's only content, its text `value`
    (stripped, `ozml.nodes.Element.text`), becomes the attribute `name`. The caller knows the
    content is text alone (`ozml.lint.context.LintContext.text_only`)."""
    info = source.tag(element)
    if info is None or info.close_end is None:
        return None
    # Imported here: xml.sax.saxutils loads urllib.request and http.client, which only a fix needs.
    from xml.sax.saxutils import escape

    written = f' {name}="{escape(value, _ATTRIBUTE_ENTITIES)}"/>'
    return Fix(message, (Edit(info.end - 1, info.close_end, written),), safe=safe)


def rename_attribute(
    source: Source, element: Placed, old: str, new: str, message: str, *, safe: bool = True
) -> Fix | None:
    info = source.tag(element)
    attr = info.attribute(old) if info else None
    if attr is None:
        return None
    return Fix(message, (Edit(attr.start, attr.name_end, new),), safe=safe)


def trim_value(
    source: Source, element: Placed, name: str, message: str, *, safe: bool = True
) -> Fix | None:
    """Remove the XML white space written around the attribute `name`'s value
    (``Timeout=" 5 "`` becomes ``Timeout="5"``), the rest of the value left as written. None
    when the value is written with a reference (``&#32;``, ``&amp;``), whose text is not the
    value's: which of its characters are the white space is then not plain from the text."""
    info = source.tag(element)
    attr = info.attribute(name) if info else None
    if attr is None:
        return None
    written = source.text[attr.value_start : attr.value_end]
    if "&" in written:
        return None
    start = len(written) - len(written.lstrip(xmlspace.XML_SPACE))
    end = len(written.rstrip(xmlspace.XML_SPACE))
    if start >= end or (start == 0 and end == len(written)):
        return None  # blank, or nothing around it
    edits = []
    if start:
        edits.append(Edit(attr.value_start, attr.value_start + start, ""))
    if end < len(written):
        edits.append(Edit(attr.value_start + end, attr.value_end, ""))
    return Fix(message, tuple(edits), safe=safe)


def replace_value(
    source: Source, element: Placed, name: str, new: str, message: str, *, safe: bool = True
) -> Fix | None:
    info = source.tag(element)
    attr = info.attribute(name) if info else None
    if attr is None:
        return None
    return Fix(message, (Edit(attr.value_start, attr.value_end, new),), safe=safe)
