"""The one lxml parser configuration ozml reads XML with.

Secure on hostile input (DESIGN.md, Reliability): entities are never expanded, no DTD or anything
external is loaded, nothing touches the network, and libxml2's limits on depth and size stay on
(``huge_tree=False``). The parser (`ozml.parser`) and the lint quick check (`ozml.lint.quick`)
share it, so that both accept and refuse exactly the same documents; the quick check's parsers
also validate against a schema while they parse (`new_parser`). Kept apart from `ozml.parser` so
that the quick check does not load the syntax-tree modules.
"""

from __future__ import annotations

import _thread
from typing import Any

from lxml import etree

_local = _thread._local()  # threading.local itself; threading costs every start


#: From this size on (bytes), a document is large: the parser reads it piece by piece
#: (`pull_parser`, `ozml.parser`), and once a whole lxml tree of one is freed, its memory is
#: given back to the system (`ozml.heap`).
LARGE = 1 << 20

#: ozml's parser settings, the one definition both kinds of parser below are made with.
_SETTINGS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_blank_text": False,
    "remove_comments": False,
    "remove_pis": False,
    "strip_cdata": False,
    # Not collect_ids=False: with libxml2 before 2.15, lxml implements it by setting
    # XML_SKIP_IDS in the context's loadsubset flags, and libxml2 2.14 then loads the
    # external DTD subset and external parameter entities: it would open local files a
    # DOCTYPE names (tests/test_security.py proves it does not).
}


def new_parser(schema: etree.XMLSchema | None = None) -> etree.XMLParser:
    """A parser with ozml's settings; with `schema`, one that also validates against it while
    parsing (and raises `etree.XMLSyntaxError` for an invalid document)."""
    return etree.XMLParser(schema=schema, **_SETTINGS)


def pull_parser() -> etree.XMLPullParser:
    """A parser with ozml's settings that is given a document piece by piece and reports each
    element as its start tag is read: the parser of large documents (`ozml.parser`), which
    builds the tree of each top-level command as soon as it is read and lets lxml free it.
    A new one for each document."""
    return etree.XMLPullParser(events=("start",), **_SETTINGS)


def xml_parser() -> etree.XMLParser:
    """This thread's parser (lxml parsers are not thread-safe; reusing one saves its setup)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = new_parser()
    return parser


#: Above this many attributes an element's attributes are read through XPath: lxml's
#: ``attrib.items()`` and ``values()`` look each value up by its name, a scan of the element's
#: attributes, which makes reading them all quadratic in their number (80,000 attributes took
#: minutes). Below it the direct call is faster.
MANY_ATTRIBUTES = 32


def attribute_pairs(el: etree._Element) -> list[tuple[str, str]]:
    """The element's attributes as (Clark name, value) pairs, in document order, in time
    linear in their number."""
    count = len(el.attrib)
    if not count:
        return []
    if count <= MANY_ATTRIBUTES:
        # The element's own `items()` (the same pairs as ``attrib.items()``, str in Python 3)
        # without a proxy object per element.
        return el.items()  # type: ignore[return-value]  # lxml-stubs: str | bytes
    found = el.xpath("@*")
    assert isinstance(found, list)
    return [(str(getattr(item, "attrname", "")), str(item)) for item in found]
