"""Parsing OzML: bytes or text in, an immutable syntax tree and the parser's findings out.

The parser is safe on hostile input (DESIGN.md, Reliability): it never expands entities, never
loads a DTD or anything external, never touches the network, and bounds size and depth. Every
problem becomes a finding with a position; nothing raises.
"""

from __future__ import annotations

import _thread
import bisect
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs
from lxml import etree

from ozml import namespaces as _namespaces
from ozml import templates as _templates
from ozml.diagnostics import Diagnostic, Severity, Span

# Inputs larger than this are refused before parsing (a finding, not an exception): the one limit
# of every file ozml reads, under the name it has always had here.
from ozml.files import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from ozml.gcpause import collector_paused
from ozml.limits import MAX_DEPTH
from ozml.nodes import (
    Attribute,
    Comment,
    Document,
    Element,
    EntityRef,
    Misc,
    Node,
    ProcessingInstruction,
    Template,
    Text,
)
from ozml.positions import _TOKEN, Source
from ozml.rawbytes import holds
from ozml.untouched import untouched
from ozml.xmlparser import (
    LARGE,
    MANY_ATTRIBUTES,
    PIECE,
    attribute_pairs,
    read_through,
    xml_parser,
)

if TYPE_CHECKING:
    from ozml.resolve import Resolved, StreamedRecords

NOT_WELL_FORMED = ("OZ001", "not-well-formed")
#: What the parser says of a document nested past libxml2's limit (and the builder of an
#: element that would be).
TOO_DEEP = f"elements are nested too deeply (the limit is {MAX_DEPTH} levels)"
FORBIDDEN_DTD = ("OZ002", "forbidden-dtd")
TOO_LARGE = ("OZ003", "input-too-large")


class ParseResult:
    """A document, its source (for positions) and what the parser found wrong.

    The tree of a plain document (`_plain_markup`) is built when `document` is first asked
    for: a reader that can do without it (the linter's records, `ozml.resolve.resolve_lxml`)
    reads lxml's tree instead (`unbuilt`), or a large document's bytes again, piece by piece
    (`streamed`), which costs a third of building ozml's tree. Either way `document` is the
    tree `parse` has always given. A plain class rather than an attrs one, for that: results
    compare by their document (built to compare), source, problems and masked text, as they
    always have.
    """

    __slots__ = ("_document", "_records", "masked", "problems", "source")

    def __init__(
        self,
        document: Document | _Unbuilt,
        source: Source,
        problems: tuple[Diagnostic, ...] = (),
        masked: _templates.Masked | None = None,
    ) -> None:
        self._document = document
        self.source = source
        self.problems = problems
        #: The source with its server-side template parts masked (`ozml.templates`), when it
        #: has any: what the XML parser read, with every line and column of the source.
        self.masked = masked
        #: The linter's records of a large plain document, made as it was read (`parse`'s
        #: `records`), until `take_records` hands them out.
        self._records: list[Resolved] | None = None

    def take_records(self) -> list[Resolved] | None:
        """The linter's records made as the document was read (`parse`'s `records`), once:
        None when there are none, or they were taken (`ozml.resolve.resolve_lxml` then reads
        the document again)."""
        found, self._records = self._records, None
        return found

    @property
    def document(self) -> Document:
        """The document's tree (built on first use for a plain document)."""
        document = self._document
        if isinstance(document, _Unbuilt):
            document = document.document(self)
        return document

    @property
    def built(self) -> bool:
        """Whether `document` has been built (a plain document's is built on first use)."""
        return not isinstance(self._document, _Unbuilt)

    @property
    def unbuilt(self) -> etree._Element | None:
        """lxml's root of a plain document whose tree has not been built yet, with lxml's
        whole tree, else None: what a reader may read instead of `document` (it stays valid
        while the result lives)."""
        document = self._document
        if isinstance(document, _Unbuilt) and document.data is None:
            return document.root
        return None

    @property
    def reading(self) -> tuple[bool, bool] | None:
        """How the tree builder reads the elements of a document whose tree has not been built
        yet (`unbuilt` or `streamed`), else None: whether no element can have more attributes
        than lxml's ``items()`` reads in linear time (`ozml.xmlparser.MANY_ATTRIBUTES`), and
        whether names, short texts and attributes are kept once (`SHARE_NAMES`). A reader of
        lxml's elements reads them alike (`ozml.resolve.resolve_lxml`)."""
        document = self._document
        if isinstance(document, _Unbuilt):
            builder = document.builder
            return builder.few_attributes, builder.names is not None
        return None

    @property
    def streamed(self) -> bytes | None:
        """The bytes of a large plain document whose tree has not been built yet, else None:
        lxml's tree of it was not kept (`_read_through`), so a reader that can do without
        `document` reads them again, piece by piece (`ozml.xmlparser.read_through`, as
        `ozml.resolve.resolve_lxml` does)."""
        document = self._document
        return document.data if isinstance(document, _Unbuilt) else None

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, ParseResult)
        return (self.document, self.source, self.problems, self.masked) == (
            other.document,
            other.source,
            other.problems,
            other.masked,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable cache: results are not keys

    def __repr__(self) -> str:
        return (
            f"ParseResult(document={self.document!r}, source={self.source!r},"
            f" problems={self.problems!r}, masked={self.masked!r})"
        )

    @property
    def ok(self) -> bool:
        """Whether the document was read (its root is an element); never builds the tree."""
        document = self._document
        return isinstance(document, _Unbuilt) or document.root is not None

    @property
    def templates(self) -> frozenset[str]:
        """The template syntaxes the document was read with (`Source.templates`)."""
        return self.source.templates

    @property
    def template_parts(self) -> tuple[_templates.Part, ...]:
        """The document's template parts, in source order."""
        return self.masked.parts if self.masked is not None else ()

    @property
    def templated_tags(self) -> frozenset[int]:
        """The indices of the elements whose start tag holds a template part (such as ``<Speak
        {% if x %}Party="all"{% endif %}>``): their attributes are partly the template's."""
        return frozenset(p.element for p in self.template_parts if p.where == _templates.Where.TAG)


#: The shared secure lxml parser (`ozml.xmlparser`), under its historical name.
_xml_parser = xml_parser


def _problem(code: tuple[str, str], message: str, span: Span) -> Diagnostic:
    return Diagnostic(code[0], code[1], Severity.ERROR, message, span)


_LXML_NOISE = re.compile(r",? line \d+, column \d+$")


def _syntax_problems(
    error: etree.XMLSyntaxError, log: etree._ListErrorLog, source: Source, raw: bytes
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    seen: set[tuple[int, int, str]] = set()
    entries = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    if not entries:
        line, column = error.position if error.position else (1, 1)
        entries_info = [(line or 1, column or 1, str(error.msg or error))]
    else:
        entries_info = [(e.line or 1, e.column or 1, e.message) for e in entries]
    for line, column, message in entries_info:
        text = _LXML_NOISE.sub("", message.strip()).rstrip(".")
        special = _limit_problem(text, line, column, source)
        if special is not None:
            return [special]
        if not raw.strip():
            text = "the document is empty: expected an XML document with a <Response> root"
        elif holds(raw[:1024], b"\x00") and not found:
            text = "the input is binary data, not XML text"
        elif "Excessive depth" in text:
            text = TOO_DEEP
        key = (line, column, text)
        if key in seen:
            continue
        seen.add(key)
        start = source.offset(line, max(column, 1))
        span = source.span(start, start)
        found.append(_problem(NOT_WELL_FORMED, f"not well-formed XML: {text}", span))
        if len(found) >= 20:
            break
    return found


def _limit_problem(message: str, line: int, column: int, source: Source) -> Diagnostic | None:
    """libxml2's refusals of hostile input, in words for the user (not libxml2 internals)."""
    if "entity amplification" in message or "entity reference loop" in message:
        found = source.text.find("<!DOCTYPE")
        span = source.span(found, found + len("<!DOCTYPE")) if found >= 0 else source.span(0, 0)
        return _problem(
            FORBIDDEN_DTD,
            "the DOCTYPE declares entities that expand exponentially (an entity-expansion"
            " attack); OzML takes no DOCTYPE and ozml expands no entities",
            span,
        )
    if "try XML_PARSE_HUGE" in message:
        start = source.offset(line, max(column, 1))
        return _problem(
            TOO_LARGE,
            "a text or attribute value is longer than 10,000,000 characters, the XML parser's"
            " limit; the document was not parsed",
            source.span(start, start),
        )
    return None


def too_large(
    data: bytes | str, path: str, size: int, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParseResult:
    """The result for an input of `size` bytes over the limit; `data` may be only its start.

    Callers that read files stop reading past the limit and report the size from the file
    system, so a huge file is never read whole.
    """
    source = Source(data, path)
    message = (
        f"the input is {size:,} bytes, larger than the {max_bytes:,}-byte limit; it was not parsed"
    )
    return ParseResult(Document(None), source, (_problem(TOO_LARGE, message, source.span(0, 0)),))


def parse(
    data: bytes | str,
    path: str = "<string>",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    templates: Iterable[str] | None = None,
    previous: ParseResult | None = None,
    records: bool = False,
) -> ParseResult:
    """Parse an OzML document. Never raises for bad input: problems are findings.

    `templates` names the server-side template syntaxes to recognise (`ozml.templates`; None:
    all of them): their parts are masked for the XML parser and kept, as written, in the tree.

    `previous` is the result of parsing an earlier version of the same document (as an editor
    edits it): the top-level commands the edit left as they were (`ozml.untouched`) are taken
    from its tree instead of being built again, when that gives the same tree. The result is
    the one `parse` gives without it; only the time differs.

    `records` says that the caller will lint the document: a large plain one, which is read
    piece by piece (`_read_through`) and again when its records are asked for, then has them
    made as it is read, once (`ozml.resolve.StreamedRecords`, `ParseResult.take_records`).
    The result is the same; only the time differs.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        return too_large(data, path, len(raw), max_bytes=max_bytes)
    # The tree is made of objects that live on with the result (`ozml.gcpause`).
    with collector_paused():
        return _parse(data, raw, path, templates, previous, records)


def _parse(
    data: bytes | str,
    raw: bytes,
    path: str,
    templates: Iterable[str] | None,
    previous: ParseResult | None = None,
    records: bool = False,
) -> ParseResult:
    syntaxes = _templates.DEFAULT if templates is None else _templates.names(templates)
    source = Source(data, path, templates=syntaxes)
    masked = _mask(data, raw, source, syntaxes) if syntaxes else None
    if masked is not None:
        # Positions are found in the masked text: a part may hold what looks like a tag
        # (``{{ "<b>" }}``), which must not be taken for an element (`Source.masked`).
        source.masked = masked.text
    declared: str | None = None
    if masked is not None:
        data, declared = _without_encoding(masked.text)
        declared = declared or source.encoding
    elif isinstance(data, str) and data.startswith(("<?xml", "\ufeff<?xml")):
        data, declared = _without_encoding(data)
    streamed: etree._Element | None = None
    plain: _TreeBuilder | None = None  # the builder of a plain document, when made already
    made: StreamedRecords | None = None
    if (
        isinstance(data, bytes)
        and len(data) >= STREAM_FROM
        and masked is None
        and previous is None
        and not holds(raw, b"<![CDATA[")
        and _plain_markup(raw)
    ):
        if records:
            # Imported here: `ozml.resolve` reads this module's results.
            from ozml.resolve import StreamedRecords

            plain = _builder(raw, None, watch_space=False)
            made = StreamedRecords(plain.few_attributes, plain.names is not None)
        streamed = _read_through(data, None if made is None else made.take)
    if streamed is None:
        xml_parser = _xml_parser()
        try:
            tree = etree.fromstring(data, xml_parser).getroottree()
        except etree.XMLSyntaxError as error:
            found = _syntax_problems(error, xml_parser.error_log, source, raw)
            return ParseResult(Document(None), source, tuple(found), masked)
        except (ValueError, etree.LxmlError) as error:  # e.g. NUL bytes in str input
            message = f"not well-formed XML: {error}"
            return ParseResult(
                Document(None),
                source,
                (_problem(NOT_WELL_FORMED, message, source.span(0, 0)),),
                masked,
            )
    else:
        tree = streamed.getroottree()
    docinfo = tree.docinfo
    encoding = declared or docinfo.encoding
    source.encoding = encoding
    doctype = docinfo.doctype or None  # type: ignore[union-attr]  # lxml-stubs lack it
    # Only documents that hold CDATA pay for finding which texts were written as CDATA. A
    # document read through was found plain above (no CDATA, `_plain_markup`): a search of a
    # large document is not made twice.
    scanner = None
    if streamed is None and holds(raw, b"<![CDATA[") and not doctype:
        scanner = _CdataScanner(masked.text if masked is not None else source.text)
    watch_space = holds(raw, b"xml:space") or (
        raw[:2] in (b"\xff\xfe", b"\xfe\xff") and "xml:space" in source.text
    )
    root_el = tree.getroot()
    if scanner is None and masked is None and (streamed is not None or _plain_markup(raw)):
        if previous is None and docinfo.internalDTD is None and docinfo.externalDTD is None:
            declaration = raw.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
            # Plain: no xml:space. The records made as it was read were made as it says.
            builder = plain or _builder(raw, None, watch_space=False)
            # A large document read through (`_read_through`) is read again when its tree is
            # asked for: lxml's root is then all that is left of lxml's tree.
            again = data if streamed is not None and isinstance(data, bytes) else None
            unbuilt = _Unbuilt(root_el, builder, declaration, encoding, again)
            result = ParseResult(unbuilt, source, (), masked)
            if made is not None and streamed is not None:
                result._records = made.finish(result)
            return result
        assert streamed is None  # a streamed document is plain, without a DTD or `previous`
        builder = _builder(raw, scanner, watch_space=watch_space)
        kept = _Kept.of(previous, source.text, root_el, builder) if previous is not None else None
        root = builder.plain(root_el, kept)
    else:
        builder = _builder(raw, scanner, watch_space=watch_space)
        if masked is not None and masked.in_tree:
            builder.originals = masked.originals
        if _plain_markup(raw):
            builder.declared = {}  # no namespace declarations to look for
        root = builder.element(root_el)
    prolog = _siblings(root_el, preceding=True)
    epilog = _siblings(root_el, preceding=False)
    problems: list[Diagnostic] = []
    if doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        start = source.text.find("<!DOCTYPE")
        start = max(start, 0)
        span = source.span(start, start + len("<!DOCTYPE"))
        problems.append(
            _problem(
                FORBIDDEN_DTD,
                "DOCTYPE declarations are not allowed in OzML: entities are not expanded and"
                " nothing external is loaded",
                span,
            )
        )
    if builder.entities:
        for element, name in builder.entities:
            span = source.element_span(element)
            problems.append(
                _problem(
                    FORBIDDEN_DTD,
                    f"entity reference &{name}; is not expanded: OzML uses only the five"
                    " predefined XML entities and character references",
                    span,
                )
            )
    document = Document(
        root,
        prolog,
        epilog,
        declaration=raw.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"),
        encoding=encoding,
        doctype=doctype,
    )
    return ParseResult(document, source, tuple(problems), masked)


class _Unbuilt:
    """The tree of a plain document (`_plain_markup`, no DTD), not built yet: lxml's root, and
    the builder that will build it as `_parse` would have (`ParseResult`). For a large
    document, `data` holds its bytes, which are read again (`_stream`): its lxml root was left
    without children (`_read_through`)."""

    __slots__ = ("builder", "data", "declaration", "encoding", "root")

    def __init__(
        self,
        root: etree._Element,
        builder: _TreeBuilder,
        declaration: bool,
        encoding: str | None,
        data: bytes | None = None,
    ) -> None:
        self.root = root
        self.builder = builder
        self.declaration = declaration
        self.encoding = encoding
        self.data = data

    def document(self, result: ParseResult) -> Document:
        """The tree, built once for `result` (whose own it then is) however many threads ask."""
        with _BUILDING:
            document = result._document
            if isinstance(document, _Unbuilt):
                root_el = self.root
                with collector_paused():
                    if self.data is None:
                        root = self.builder.plain(root_el)
                    else:
                        streamed = _stream(self.data, self.builder)
                        # lxml read the document whole once: it does again.
                        assert streamed is not None
                        root = streamed[1]
                    document = Document(
                        root,
                        _siblings(root_el, preceding=True),
                        _siblings(root_el, preceding=False),
                        declaration=self.declaration,
                        encoding=self.encoding,
                        doctype=None,
                    )
                result._document = document
        return document


#: Held while a deferred tree is built (`_Unbuilt.document`): two readers of one result in two
#: threads get the one tree.
_BUILDING = _thread.allocate_lock()  # threading.Lock itself; threading costs every start


def _builder(raw: bytes, scanner: _CdataScanner | None, *, watch_space: bool) -> _TreeBuilder:
    """The tree builder for the document `raw`."""
    builder = _TreeBuilder(scanner, watch_space=watch_space)
    # Every attribute is written with an equals sign: a document with few of them has no
    # element with many attributes.
    builder.few_attributes = raw.count(b"=") <= MANY_ATTRIBUTES
    if len(raw) > SHARE_NAMES:
        builder.names = {}
    return builder


#: From this size on (bytes), a document `_plain_markup` says is plain is read piece by piece
#: (`_read_through`), and so are its tree when asked for (`_stream`) and the linter's records
#: (`ozml.resolve.resolve_lxml`): lxml never holds the tree of the whole document.
STREAM_FROM = LARGE
#: How much of a document `_stream` gives lxml at a time.
STREAM_PIECE = PIECE


def _read_through(
    data: bytes, take: Callable[[etree._Element, int], None] | None = None
) -> etree._Element | None:
    """`ozml.xmlparser.read_through` of `data`, `STREAM_PIECE` bytes at a time: what `_parse`
    reads a large plain document with (to know that it is well-formed, its encoding and the
    nodes around its root), giving each top-level node to `take` (the linter's records,
    `parse`'s `records`); its tree is built when asked for (`_stream`). None when lxml
    refuses the document: the caller then parses it whole, for the findings a whole parse
    gives."""
    return read_through(data, piece=STREAM_PIECE, take=take)


def _stream(data: bytes, builder: _TreeBuilder) -> tuple[etree._Element, Element] | None:
    """`builder.plain` of the document `data`, read `STREAM_PIECE` bytes at a time
    (`ozml.xmlparser.read_through`): each top-level node is built once a later one has begun
    (its tail is then whole) and removed from lxml's tree, which keeps only the root and the
    nodes still being read. The same tree as `builder.plain` of the whole parse, numbered
    alike (tests/test_parser_stream.py).

    Returns lxml's root (left without children, for the document's information and the
    nodes around it) and the tree; None when lxml refuses the document: the caller then
    parses it whole, for the findings a whole parse gives.
    """
    builder.count = 1  # the root's number, 0, comes first in document order
    top = _TopLevel(builder)
    root = read_through(data, piece=STREAM_PIECE, take=top.take)
    if root is None:
        return None
    # The root itself, now without children: its name, attributes and line, numbered 0.
    count, builder.count = builder.count, 0
    shell = builder.plain(root)
    builder.count = count
    return root, attrs.evolve(shell, children=top.children())


class _TopLevel:
    """The root's nodes as `_TreeBuilder.plain` makes them, gathered while `_stream` reads:
    `nodes` without the texts of white space only, `laid` with them (mixed content keeps
    them, as `_with_blanks` puts them back), and whether the root holds text that is not
    white space (`mixed`) and text that is (`blank`)."""

    __slots__ = ("blank", "builder", "headed", "laid", "mixed", "nodes", "spaces")

    def __init__(self, builder: _TreeBuilder) -> None:
        self.builder = builder
        self.nodes: list[Node] = []
        #: A text of white space only is a string here (each value kept once, in `spaces`)
        #: until `children` knows it is kept: in most documents it is layout, dropped.
        self.laid: list[Node | str] = []
        self.spaces: dict[str, str] = {}
        self.mixed = self.blank = False
        #: Whether the root's own text before its first node was read (whole once that node
        #: has begun, or the root has ended).
        self.headed = False

    def text(self, value: str) -> None:
        if value.isspace():
            self.laid.append(self.spaces.setdefault(value, value))
            self.blank = True
        else:
            text = Text(value)
            self.laid.append(text)
            self.nodes.append(text)
            self.mixed = True

    def take(self, root: etree._Element, count: int) -> None:
        """Builds the first `count` nodes of `root` and their tails as `_TreeBuilder.plain`
        does (the root's own text first, the first time); `ozml.xmlparser.read_through` then
        drops them from lxml's tree."""
        if not self.headed:
            self.headed = True
            head = root.text
            if head:
                self.text(head)
        plain = self.builder.plain
        nodes, laid = self.nodes, self.laid
        for _, child in zip(range(count), root, strict=False):
            node: Node | None
            if type(child) is _ELEMENT:
                node = plain(child)
            else:
                node = _misc(child)
                if node is None and isinstance(child.tag, str):  # an element of another class
                    node = plain(child)
            if node is not None:
                nodes.append(node)
                laid.append(node)
            tail = child.tail
            if tail:
                self.text(tail)

    def children(self) -> tuple[Node, ...]:
        if self.mixed and self.blank:
            return tuple([Text(n) if isinstance(n, str) else n for n in self.laid])
        return tuple(self.nodes)


_BYTE_DECLARATION = re.compile(rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _mask(
    data: bytes | str, raw: bytes, source: Source, syntaxes: frozenset[str]
) -> _templates.Masked | None:
    """The source with its template parts masked, or None when it has none (most documents:
    a few byte searches say so) or cannot be decoded (the XML parser reports that)."""
    if not _templates.may_hold(raw):
        return None
    if isinstance(data, bytes):
        # Decoded as `Source.text` decodes it, strictly: a text the parser would refuse is
        # left to the parser, unmasked.
        encoding = "utf-8"
        body = data
        if data.startswith(b"\xef\xbb\xbf"):
            body = data[3:]
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        else:
            found = _BYTE_DECLARATION.match(data)
            if found is not None:
                encoding = found.group(1).decode("ascii")
        try:
            text = body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            return None
        if encoding != "utf-16" and body is data:
            source.encoding = encoding  # so that `source.text` is this text
        if source.text != text:
            return None
    else:
        text = data
    masked = _templates.mask(text, syntaxes)
    return masked if masked.parts else None


# The encoding pseudo-attribute of an XML declaration: ``<?xml version="1.0" encoding="X"?>``.
_ENCODING_DECLARATION = re.compile(
    r"\ufeff?<\?xml\s[^>]*?(?<=\s)(?P<attr>encoding\s*=\s*(?P<q>[\"'])(?P<name>[^\"'>]*)(?P=q))"
)


def bytes_of(text: str) -> bytes:
    """The bytes `parse` reads for the str `text`: UTF-8, any encoding declaration blanked out
    (for a check that must see what `parse` sees, such as the quick check on an editor buffer)."""
    if text.startswith(("<?xml", "\ufeff<?xml")):
        return _without_encoding(text)[0]
    return text.encode("utf-8", "surrogatepass")


def _without_encoding(text: str) -> tuple[bytes, str | None]:
    """A str's UTF-8 bytes for lxml, its encoding declaration blanked out; and what it declared.

    A str is already decoded: the encoding its declaration names (ISO-8859-1, UTF-16, one
    Python does not know) says how the file was stored, not how to read this text, so lxml
    must not decode the text a second time by it. lxml refuses str input that declares an
    encoding, so the text goes in as UTF-8 bytes with the pseudo-attribute replaced by as
    many spaces: every line and column stays where it was.
    """
    match = _ENCODING_DECLARATION.match(text)
    if match is None:
        return text.encode("utf-8", "surrogatepass"), None
    start, end = match.span("attr")
    blanked = text[:start] + " " * (end - start) + text[end:]
    return blanked.encode("utf-8", "surrogatepass"), match.group("name")


def _plain_markup(raw: bytes) -> bool:
    """Whether the document's names and texts need none of `_TreeBuilder.element`'s care: no
    namespace declaration or ``xml:`` attribute (names are as lxml gives them), no DTD (no
    entity references), in an encoding that writes ASCII as ASCII (so that the searches see
    them). CDATA and template parts are asked about by the caller."""
    return (
        not holds(raw, b"xmlns")
        and not holds(raw, b"xml:")
        and not holds(raw, b"<!DOCTYPE")
        and raw[:2] not in (b"\xff\xfe", b"\xfe\xff")
        and not raw[:4].count(b"\x00")
    )


def _misc(node: etree._Element) -> Misc | None:
    if isinstance(node, etree._Comment):
        return Comment(node.text or "")
    if isinstance(node, etree._ProcessingInstruction):
        return ProcessingInstruction(str(node.target), node.text or "")
    return None


def _siblings(root: etree._Element, *, preceding: bool) -> tuple[Misc, ...]:
    nodes = root.itersiblings(preceding=preceding)
    found = [m for m in (_misc(n) for n in nodes) if m is not None]
    if preceding:
        found.reverse()
    return tuple(found)


#: From this size on (bytes), the tree builder keeps each name once (`_TreeBuilder.names`),
#: and each short text and attribute (`_TreeBuilder.shared_text`): below it the tree is small,
#: and sharing would cost more time than it saves.
SHARE_NAMES = 1 << 16
#: Texts and attribute values up to this many characters are shared: the short ones are those
#: a generated document repeats (``<Delay>1</Delay>``, ``Language="en-US"``).
SHARE_VALUE = 32
#: How many texts, and how many attributes, one document shares at most: the first met are
#: kept (a document's common values come early), so that unique values cannot grow the tables.
SHARED_KEPT = 1 << 12

#: The class of the parser's elements (comments, processing instructions and entity references
#: are subclasses): `_TreeBuilder.plain` tells elements by it, without making their name.
_ELEMENT = etree._Element


_XML_SPACE = f"{{{_namespaces.XML_NAMESPACE}}}space"


class _CdataScanner:
    """Which texts of the tree were written (at least partly) as CDATA sections.

    lxml merges CDATA into the text around it, so the source says it: the markup tokens (tags,
    comments, processing instructions) of a well-formed document come in the order the tree
    builder visits the nodes, and each text of the tree lies in the gap before the next token.
    """

    def __init__(self, text: str) -> None:
        self.markup: list[tuple[int, int, bool]] = []  # (start, end, self-closing start tag)
        self.cdata: list[int] = []
        for match in _TOKEN.finditer(text):
            if match.group().startswith("<![CDATA["):
                self.cdata.append(match.start())
            elif self.markup or match.group("open") is not None:
                # The prolog is skipped: the tree builder starts at the root's start tag.
                self.markup.append((match.start(), match.end(), bool(match.group("slash"))))
        self.pos = 0

    def start(self) -> bool:
        """Step over an element's start tag; true when it is also its end (``<a/>``)."""
        self.pos += 1
        return self.markup[self.pos - 1][2] if self.pos <= len(self.markup) else True

    def step(self) -> None:
        """Step over a comment, processing instruction or end tag."""
        self.pos += 1

    def text_is_cdata(self) -> bool:
        """Whether the text before the next token holds a CDATA section."""
        begin = self.markup[self.pos - 1][1] if 0 < self.pos <= len(self.markup) else 0
        end = self.markup[self.pos][0] if self.pos < len(self.markup) else 1 << 62
        first = bisect.bisect_left(self.cdata, begin)
        return first < len(self.cdata) and self.cdata[first] < end


def _template_only(text: Text) -> bool:
    """Whether a text is template parts and white space only."""
    return not _templates.outside(text.value, text.templates).strip()


def _holds_commands(tag: str, children: list[Node]) -> bool:
    """Whether an element's text is not a value: it holds commands (``{% for x in xs %}``
    inside ``<Response>``), or it is a command that takes no text. A text of template parts
    only is then a `Template` node."""
    if any(isinstance(c, Element) for c in children):
        return True
    from ozml.catalog import lookup_element  # only for documents with template parts

    match = lookup_element(tag)
    return match is not None and match.command.text_param is None


def _with_blanks(el: etree._Element, children: list[Node], cdata: list[bool]) -> list[Node]:
    """`children` (the nodes of `el`) with the texts of white space only put back between them:
    in mixed content they are part of the element's text. `cdata` says which were CDATA."""
    out: list[Node] = []
    nodes = iter(children)
    flags = iter(cdata)

    def text(value: str) -> None:
        out.append(Text(value, next(flags, False)) if value.isspace() else next(nodes))

    if el.text:
        text(el.text)
    for child in el:
        if isinstance(child.tag, str) or isinstance(
            child, etree._Entity | etree._Comment | etree._ProcessingInstruction
        ):
            out.append(next(nodes))
        if child.tail:
            text(child.tail)
    return out


def _plain_text(text: str) -> bool:
    """`_plain_markup` for a decoded text, and no CDATA: whether `_TreeBuilder.plain` gives
    the tree of every part of it that `_TreeBuilder.element` would."""
    return (
        "xmlns" not in text
        and "xml:" not in text
        and "<!DOCTYPE" not in text
        and "<![CDATA[" not in text
    )


class _Kept:
    """The top-level commands of an earlier tree that an edit left as they were, given to the
    builder of the root in place of new ones (`_TreeBuilder.plain`).

    A command is taken when it lies wholly before or wholly after the edit (`ozml.untouched`),
    is found where it was (same name, same line) and would get the same element numbers, so
    that building it again would give an equal tree: before the edit always, after it when the
    edit moved neither lines nor elements (typing inside a line). The others are built.
    """

    __slots__ = ("after", "before", "builder", "count", "kids", "position")

    def __init__(
        self, builder: _TreeBuilder, kids: list[Element], before: int, after: int, count: int
    ) -> None:
        self.builder = builder
        self.kids = kids
        self.before = before  # how many of the old commands are kept from the first
        self.after = after  # how many from the last
        self.count = count  # the number of commands of the new root
        self.position = 0

    @classmethod
    def of(
        cls, previous: ParseResult, text: str, root: etree._Element, builder: _TreeBuilder
    ) -> _Kept | None:
        """What `builder` may take from `previous` for `text`, whose lxml root is `root`."""
        old_root = previous.document.root
        old_text = previous.source.text
        if old_root is None or previous.problems or previous.masked is not None:
            return None
        if old_root.tag != root.tag or not _plain_text(old_text):
            return None
        kids = [kid for kid in old_root.children if isinstance(kid, Element)]
        edit = untouched(old_text, text, [kid.line for kid in kids])
        # Below the edit, numbers and lines are the old ones only when it moved no line.
        after = edit.after if edit.shift == 0 else 0
        if not edit.before and not after:
            return None
        count = sum(1 for child in root if isinstance(child.tag, str))
        return cls(builder, kids, edit.before, after, count)

    def __call__(self, el: etree._Element) -> Element:
        position = self.position
        self.position = position + 1
        builder = self.builder
        kids = self.kids
        if position < self.before:
            at = position
        elif self.count - position <= self.after:
            at = len(kids) - (self.count - position)
        else:
            return builder.plain(el)
        kid = kids[at]
        line = el.sourceline
        if (
            el.tag != kid.tag
            or (line if isinstance(line, int) else 0) != kid.line
            or builder.count != kid.index
        ):
            return builder.plain(el)
        if at + 1 < len(kids):
            builder.count = kids[at + 1].index
        else:
            builder.count = kid.index + sum(1 for _ in kid.iter())
        return kid


class _TreeBuilder:
    """Turns an lxml tree into `ozml.nodes`, numbering elements in document order.

    White space between the nodes of an element is layout, and is dropped, unless it is part of
    the element's text: when the element also holds text that is not white space (mixed
    content: ``Hello<!--c--> <?php x?>world`` keeps its space), or inside
    ``xml:space="preserve"`` (when `watch_space` says the document may hold one).
    """

    def __init__(self, scanner: _CdataScanner | None = None, *, watch_space: bool = False) -> None:
        self.count = 0
        self.entities: list[tuple[Element, str]] = []
        self.scanner = scanner
        self.watch_space = watch_space
        #: The original text of each masked template part (`ozml.templates.Masked`), when the
        #: document has parts in its text or values.
        self.originals: tuple[str, ...] = ()
        #: The part numbers of each text holding parts, by the text's id().
        self.numbers: dict[int, tuple[int, ...]] = {}
        #: Whether no element can have more than `MANY_ATTRIBUTES` attributes (`plain`).
        self.few_attributes = False
        #: Each element and attribute name met, kept once, when the document is large
        #: (`SHARE_NAMES`): lxml gives a new string for every name it is asked for, and a
        #: document repeats a few names over and over (a tenth of a large tree's memory).
        self.names: dict[str, str] | None = None
        #: The texts and attributes shared (`shared_text`, `shared_attribute`), used when
        #: `names` is (a large document): nodes hold no position, so one node serves every
        #: place it is written (a seventh of a large generated tree's memory).
        self.texts: dict[str, Text] = {}
        self.attributes: dict[tuple[str, str], Attribute] = {}
        #: The elements that declare namespaces, with their declarations (`element`): read
        #: from the tree the first time `element` is called, unless set before (to none, for
        #: a document that cannot declare any).
        self.declared: dict[etree._Element, _namespaces.Declared] | None = None

    def shared_text(self, value: str) -> Text:
        """A `Text` of `value`: for a short value, the one made when it was first met."""
        if len(value) > SHARE_VALUE:
            return Text(value)
        texts = self.texts
        text = texts.get(value)
        if text is None:
            text = Text(value)
            if len(texts) < SHARED_KEPT:
                texts[value] = text
        return text

    def shared_attribute(self, name: str, value: str) -> Attribute:
        """An `Attribute` of `name` (kept once: `names`) and `value`: for a short value, the
        one made when the pair was first met."""
        if len(value) > SHARE_VALUE:
            return Attribute(name, value)
        shared = self.attributes
        key = (name, value)
        attribute = shared.get(key)
        if attribute is None:
            attribute = Attribute(name, value)
            if len(shared) < SHARED_KEPT:
                shared[key] = attribute
        return attribute

    def text(self, value: str) -> Text:
        scanner = self.scanner
        cdata = bool(scanner and scanner.text_is_cdata())
        if self.originals and _templates.MARK in value:
            value, spans, numbers = _templates.restore_numbered(value, self.originals)
            text = Text(value, cdata, spans)
            self.numbers[id(text)] = numbers
            return text
        return Text(value, cdata=True) if cdata else Text(value)

    def parts(self, text: Text) -> list[Template]:
        """A text of template parts only, as `Template` nodes."""
        numbers = self.numbers.get(id(text), ())
        return [
            Template(text.value[start:end], numbers[i] if i < len(numbers) else -1)
            for i, (start, end) in enumerate(text.templates)
        ]

    def attribute(self, name: str, value: str) -> Attribute:
        if self.names is not None:
            name = self.names.setdefault(name, name)
        if self.originals and _templates.MARK in value:
            value, spans = _templates.restore(value, self.originals)
            return Attribute(name, value, spans)
        return Attribute(name, value)

    def plain(self, el: etree._Element, kept: _Kept | None = None) -> Element:
        """`element` for a document without namespaces, ``xml:`` attributes, CDATA, template
        parts or a DTD (`_plain_markup`): the same tree, without asking for what such a
        document cannot hold (most documents: a third of the time to build the tree).

        `kept` (for the root only) gives each child element instead, from an earlier tree
        where it can (`_Kept`)."""
        index = self.count
        self.count = index + 1
        children: list[Node] = []
        mixed = blank = False
        shared = self.names is not None
        head = el.text
        if head:
            if head.isspace():
                blank = True
            else:
                children.append(self.shared_text(head) if shared else Text(head))
                mixed = True
        # A leaf (most elements) is not iterated: an iterator over no children costs more
        # than the rest of the element's visit.
        if len(el):
            plain = self.plain if kept is None else kept
            for child in el:
                if type(child) is _ELEMENT:
                    children.append(plain(child))
                else:
                    misc = _misc(child)
                    if misc is not None:
                        children.append(misc)
                    elif isinstance(child.tag, str):  # an element of another class
                        children.append(plain(child))
                tail = child.tail
                if tail:
                    if tail.isspace():
                        blank = True
                    else:
                        children.append(self.shared_text(tail) if shared else Text(tail))
                        mixed = True
            if mixed and blank:
                children = _with_blanks(el, children, [])
        line = el.sourceline
        tag = el.tag
        assert isinstance(tag, str)
        # `few_attributes`: no element of the document can have more attributes than
        # `attribute_pairs` reads directly, which it then need not count.
        pairs: list[tuple[str, str]] = (
            el.items()  # type: ignore[assignment]  # lxml-stubs: str | bytes
            if self.few_attributes
            else attribute_pairs(el)
        )
        attributes: tuple[Attribute, ...] = ()
        if self.names is None:
            if pairs:
                attributes = tuple([Attribute(name, value) for name, value in pairs])
        else:
            keep = self.names.setdefault
            tag = keep(tag, tag)
            if pairs:
                share = self.shared_attribute
                attributes = tuple([share(keep(name, name), value) for name, value in pairs])
        return Element(
            tag,
            attributes,
            tuple(children),
            index,
            line if isinstance(line, int) else 0,
        )

    def element(
        self,
        el: etree._Element,
        scope: _namespaces.Scope | None = None,
        preserve: bool = False,
    ) -> Element:
        """The node of `el`, in the namespaces of `scope` (its parent's), and of everything in
        it; `preserve`: inside ``xml:space="preserve"``."""
        index = self.count
        self.count += 1
        scanner = self.scanner
        closed = scanner.start() if scanner else False
        tag = el.tag
        assert isinstance(tag, str)
        attributes: list[Attribute] = []
        declared = self.declared
        if declared is None:  # the first element built: read every element's declarations
            declared = self.declared = _namespaces.declarations(el)
        own = declared.get(el) if declared else None
        if own:
            # Its own declarations, but for those that bind a prefix as the parent does.
            for prefix, uri in own:
                if scope is None or scope.bound(prefix) != uri:
                    attributes.append(Attribute(f"xmlns:{prefix}" if prefix else "xmlns", uri))
            scope = _namespaces.Scope(own, scope)
        named = _namespaces.attribute_name
        for name, text in attribute_pairs(el):
            attributes.append(self.attribute(named(name, scope), text))
        if tag.startswith("{"):
            tag = _namespaces.element_name(el)
        if self.names is not None:
            tag = self.names.setdefault(tag, tag)
        if self.watch_space:
            space = el.get(_XML_SPACE)
            if space is not None:
                preserve = space == "preserve"
        children: list[Node] = []
        mixed = preserve
        # Whether each text of white space only was CDATA, which only the scanner can say while
        # it is at that place (documents without CDATA have no scanner and pay nothing).
        blank_cdata: list[bool] | None = [] if scanner is not None else None
        blank = False
        head = el.text
        templated = False  # a text of template parts only (see `_between_commands`)
        if head:
            if not head.isspace():
                piece = self.text(head)
                children.append(piece)
                if piece.templates and _template_only(piece):
                    templated = True
                else:
                    mixed = True
            else:
                blank = True
                if blank_cdata is not None and scanner is not None:
                    blank_cdata.append(scanner.text_is_cdata())
        entity_owner: list[str] = []
        for child in el:
            if isinstance(child, etree._Entity):
                name = child.name
                children.append(EntityRef(name))
                entity_owner.append(name)
                mixed = True
            elif isinstance(child.tag, str):
                children.append(self.element(child, scope, preserve))
            else:
                if scanner:
                    scanner.step()
                misc = _misc(child)
                if misc is not None:
                    children.append(misc)
            tail = child.tail
            if tail:
                if not tail.isspace():
                    piece = self.text(tail)
                    children.append(piece)
                    if piece.templates and _template_only(piece):
                        templated = True
                    else:
                        mixed = True
                else:
                    blank = True
                    if blank_cdata is not None and scanner is not None:
                        blank_cdata.append(scanner.text_is_cdata())
        if templated:
            if not mixed and _holds_commands(tag, children):
                out: list[Node] = []
                for node_ in children:
                    if isinstance(node_, Text):
                        out.extend(self.parts(node_))
                    else:
                        out.append(node_)
                children = out
            else:
                mixed = True
        if mixed and blank:
            children = _with_blanks(el, children, blank_cdata or [])
        if scanner and not closed:
            scanner.step()
        line = el.sourceline
        node = Element(
            tag, tuple(attributes), tuple(children), index, line if isinstance(line, int) else 0
        )
        for name in entity_owner:
            self.entities.append((node, name))
        return node
