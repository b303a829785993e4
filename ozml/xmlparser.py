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
import collections
import contextlib
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from ozml import lazy
from ozml.heap import give_back

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
    # CDATA sections joined to the text around them as they are read: kept as nodes of their
    # own, lxml would join them again at every `.text` and `.tail`, each time adding them one
    # by one to a new string (the text of 64,000 sections between words took 0.4 s, of a
    # document within the size limit a minute). Which texts were CDATA, the source says
    # (`ozml.treebuilder.CdataScanner`).
    "strip_cdata": True,
    # Not collect_ids=False: with libxml2 before 2.15, lxml implements it by setting
    # XML_SKIP_IDS in the context's loadsubset flags, and libxml2 2.14 then loads the
    # external DTD subset and external parameter entities: it would open local files a
    # DOCTYPE names (tests/test_security.py proves it does not).
}


def new_parser(schema: etree.XMLSchema | None = None) -> etree.XMLParser:
    """A parser with ozml's settings; with `schema`, one that also validates against it while
    parsing (and raises `etree.XMLSyntaxError` for an invalid document)."""
    return etree.XMLParser(schema=schema, **_SETTINGS)


def pull_parser(
    schema: etree.XMLSchema | None = None, name: str | None = None
) -> etree.XMLPullParser:
    """A parser with ozml's settings that is given a document piece by piece and reports each
    element as its start tag is read: the parser of large documents (`ozml.parser`), which
    builds the tree of each top-level command as soon as it is read and lets lxml free it;
    with `schema`, one that also validates against it while it reads (`read_through`). A new
    one for each document. With `name`, it reports only the elements of that local name (in
    any namespace, or none): lxml then makes a Python object for no other element."""
    tag = None if name is None else "{*}" + name
    return etree.XMLPullParser(events=("start",), tag=tag, schema=schema, **_SETTINGS)


#: How a document begins up to its root element's local name: a byte-order mark, white space,
#: processing instructions (the XML declaration is one) and comments, then the start tag.
#: Compiled when first used: only the reading of a large document asks for it.
_PROLOG = lazy.pattern(
    rb"(?:\xef\xbb\xbf)?(?:\s++|<\?.*?\?>|<!--.*?-->)*+<(?:[A-Za-z_][\w.-]*+:)?([A-Za-z_][\w.-]*+)"
    rb"(?=[\s/>])",
    re.DOTALL | re.ASCII,
)


def root_name(data: bytes) -> str | None:
    """The local name of the document's root element as its bytes begin, when they begin in
    ASCII with nothing but what `_PROLOG` allows before it; else None."""
    found = _PROLOG().match(data)
    return None if found is None else found.group(1).decode("ascii")


#: How much of a document is given to a pull parser at a time (`read_through`).
PIECE = 1 << 16

#: `read_through` gives the C allocator's free memory back to the system after this many bytes
#: of a document (`ozml.heap`).
GIVE_BACK_EVERY = 1 << 20


def read_through(
    data: bytes,
    schema: etree.XMLSchema | None = None,
    piece: int = PIECE,
    take: Callable[[etree._Element, int], None] | None = None,
) -> etree._Element | None:
    """lxml's root of the document `data`, read `piece` bytes at a time and left without
    children: each top-level node is dropped once a later one has begun (its tail is then
    whole), so that lxml never holds the tree of the whole document. Before they are dropped,
    `take(root, n)` is given the first n of the root's nodes (at the end, all that are left,
    perhaps none): what builds the tree of a large document (`ozml.treebuilder.stream`) and the
    linter's records of it (`ozml.resolve.resolve_lxml`).

    None when lxml refuses the document, or `schema` finds it invalid (libxml2 validates as it
    reads, without the tree; the reading stops at the first error it reports): what the parser
    reads a large document with to know that it is well-formed (`ozml.parser`), and the quick
    check to know that it is valid. With `schema`, lxml's pull parser recovers from what is
    not well-formed instead of raising it: a root then says only that the schema found nothing
    invalid in what lxml made of the document, not that it is well-formed (read it again
    without `schema`).

    Only the root's start tag is asked for (`root_name`): a parser that reports every element
    made a Python object for each, a quarter of the time of reading a 5 MB document."""
    name = root_name(data)
    if name is not None:
        found = _read_pieces(data, schema, piece, take, name)
        if not isinstance(found, _Misnamed):
            return found
        # The root is not named so, and nothing was taken: read it again, every element
        # reported (`root_name` reads only what the XML specification allows before the root,
        # so this is for a document lxml reads otherwise).
    found = _read_pieces(data, schema, piece, take, None)
    assert not isinstance(found, _Misnamed)  # the first element reported is the root
    return found


class _Misnamed:
    """The type of `_MISNAMED`."""

    __slots__ = ()


#: What `_read_pieces` gives when the first element of the name it was given is not the root.
_MISNAMED = _Misnamed()


def _read_pieces(
    data: bytes,
    schema: etree.XMLSchema | None,
    piece: int,
    take: Callable[[etree._Element, int], None] | None,
    name: str | None,
) -> etree._Element | _Misnamed | None:
    """`read_through`, with only the elements of the local name `name` reported (all when
    None)."""
    reader = pull_parser(schema, name)
    try:
        return _read(reader, data, schema, piece, take, name)
    finally:
        _let_go(reader)


#: The document `_let_go` gives a pull parser once it is done with the one it read (a small
#: well-formed one; what it holds does not matter).
_SPENT = b"<_/>"

#: What lxml raises at a document it refuses, or at a parser given nothing to close.
_REFUSED = (etree.XMLSyntaxError, ValueError, etree.LxmlError)


def _let_go(reader: etree.XMLPullParser) -> None:
    """Leave `reader` and the document it read to be freed by reference counting.

    With a tag filter (`pull_parser`'s `name`), lxml's pull parser holds the document it read
    in a reference cycle: the parser's context keeps a tag matcher, the matcher the last
    document it looked names up in, and that document the parser it was read with. Left so,
    only Python's cyclic collector frees the document, and with it the name dictionary of the
    thread it was read on (that of an `ozml.xmlthread.XmlThread` replaced to be rid of it);
    ozml lets the collector run rarely (`ozml.gcpause`), and an idle language server or
    ``ozml check --watch`` kept them for good. Given a second, tiny document, the matcher
    moves to it, and lxml makes every document after a parser's first with the thread's
    default parser: nothing refers back to `reader` (3 µs a reading). The filter is kept:
    without it, lxml makes a Python object for every element, and reading a 5 MB document
    took half as long again.
    """
    with contextlib.suppress(*_REFUSED):
        reader.close()  # a reading stopped before its end: lxml still holds the document
    # The events not read hold the document's elements, which hold it.
    collections.deque(reader.read_events(), 0)
    with contextlib.suppress(*_REFUSED):
        reader.feed(_SPENT)
        reader.close()


def _read(
    reader: etree.XMLPullParser,
    data: bytes,
    schema: etree.XMLSchema | None,
    piece: int,
    take: Callable[[etree._Element, int], None] | None,
    name: str | None,
) -> etree._Element | _Misnamed | None:
    """`_read_pieces` with the parser `reader`."""
    root: etree._Element | None = None
    # The nodes dropped below are freed to the C allocator, which keeps their memory: once a
    # validating read has freed a buffer as large as half the document, glibc keeps that much
    # free before giving any back, and what is made meanwhile (`take`) adds to it rather than
    # reuse it. Given back every `GIVE_BACK_EVERY` bytes, `ozml check` of a 50 MB document
    # peaked 25 MiB lower (`ozml.heap`, docs/performance.md).
    given = 0
    for start in range(0, len(data), piece):
        try:
            reader.feed(data[start : start + piece])
            for _, element in reader.read_events():
                if root is None and isinstance(element, etree._Element):
                    if name is not None and element.getparent() is not None:
                        return _MISNAMED  # an element below the root: nothing taken yet
                    root = element  # the first start tag's ("start" events only)
        except _REFUSED:
            return None
        if schema is not None and reader.feed_error_log.filter_from_errors():
            # The schema found something invalid (or lxml recovered from an error): the
            # answer is None whatever follows, so the rest is not read (`_let_go` frees what
            # lxml holds of the document).
            return None
        if root is not None:
            done = len(root) - 1  # the last node may still be being read
            if done > 0:
                if take is not None:
                    take(root, done)
                del root[:done]
        if start - given >= GIVE_BACK_EVERY:
            given = start
            give_back()
    try:
        whole = reader.close()
    except _REFUSED:
        return None
    if root is None and name is not None and isinstance(whole, etree._Element):
        return _MISNAMED  # no element of that name at all
    if root is None or whole is not root:
        return None
    if take is not None:
        take(root, len(root))
    del root[:]
    return root


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
