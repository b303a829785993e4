"""Parsing OzML: bytes or text in, an immutable syntax tree and the parser's findings out.

The parser is safe on hostile input (DESIGN.md, Reliability): it never expands entities, never
loads a DTD or anything external, never touches the network, and bounds size and depth. Every
problem becomes a finding with a position; nothing raises.
"""

from __future__ import annotations

import _thread
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from lxml import etree

from ozml import lazy, xmlspace
from ozml import templates as _templates
from ozml.diagnostics import Diagnostic, Severity, Span

# Inputs larger than this are refused before parsing (a finding, not an exception): the one limit
# of every file ozml reads, under the name it has always had here.
from ozml.files import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from ozml.gcpause import collector_paused
from ozml.limits import MAX_DEPTH
from ozml.positions import Source, codec_of
from ozml.rawbytes import holds, wide
from ozml.xmlparser import (
    LARGE,
    MANY_ATTRIBUTES,
    PIECE,
    read_through,
    xml_parser,
)

if TYPE_CHECKING:
    from ozml.nodes import Document
    from ozml.resolve import Resolved, StreamedRecords


class NotHeld(Exception):
    """Asked of a document while it is read piece by piece (`parse` with a `RecordSink`), for
    what is not read yet or no longer held: the tree, or records of pieces already dropped.
    The reader that asked then reads the document again, whole (`ozml.lint.stream`)."""


class RecordSink(Protocol):
    """What `parse` gives the linter's records of a large plain document to as it reads it,
    instead of keeping them (`parse`'s `records`): each run of records, in document order,
    once lxml has read the top-level commands they stand for, with the result the parse will
    give (its tree is not read yet: asking for it raises `NotHeld`)."""

    def take(self, result: ParseResult, records: list[Resolved]) -> None: ...


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
    tree `parse` has always given. A document that could not be read (`ok` false) is given
    as None, and its `document` (with no root) made when asked for: the document model is
    loaded only when a tree is asked for (`ozml.treebuilder`). A plain class rather than an
    attrs one, for that: results compare by their document (built to compare), source,
    problems and masked text, as they always have.
    """

    __slots__ = ("_document", "_records", "masked", "problems", "source")

    def __init__(
        self,
        document: Document | _Unbuilt | _Reading | None,
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
        """The document's tree (built on first use for a plain document; without a root for a
        document that could not be read)."""
        document = self._document
        if isinstance(document, _Unbuilt):
            document = document.document(self)
        elif isinstance(document, _Reading):
            raise NotHeld("the document is being read")
        elif document is None:
            from ozml.nodes import Document  # the document model, loaded with a first tree

            document = self._document = Document(None)
        return document

    @property
    def built(self) -> bool:
        """Whether `document` has been built (a plain document's is built on first use)."""
        return not isinstance(self._document, _Unbuilt | _Reading | None)

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
        than lxml's ``items()`` reads in linear time, and whether names, short texts and
        attributes are kept once (`reading`). A reader of lxml's elements reads them alike
        (`ozml.resolve.resolve_lxml`)."""
        document = self._document
        return document.reading if isinstance(document, _Unbuilt) else None

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
        if document is None or isinstance(document, _Reading):
            return False
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


_LXML_NOISE = lazy.pattern(r",? line \d+, column \d+$")
#: A line the XML parser names in its message ("Speak line 4 and Speek"), counted as it counts
#: them (`ozml.positions.Source.parser_line`).
_PARSER_LINE = lazy.pattern(r"\bline (\d+)\b")
#: An input of XML white space alone is empty (`ozml.xmlspace`).
_XML_SPACE = xmlspace.XML_SPACE.encode()


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
        text = _LXML_NOISE().sub("", message.strip()).rstrip(".")
        special = _limit_problem(text, line, column, source)
        if special is not None:
            return [special]
        if not raw.strip(_XML_SPACE):
            text = "the document is empty: expected an XML document with a <Response> root"
        elif holds(raw[:1024], b"\x00") and not found:
            text = "the input is binary data, not XML text"
        elif "Excessive depth" in text:
            text = TOO_DEEP
        key = (line, column, text)
        if key in seen:
            continue
        seen.add(key)
        start = source.parser_offset(line, max(column, 1))
        span = source.span(start, start)
        if source.lone_returns:
            text = _PARSER_LINE().sub(lambda m: _lines(source.parser_lines(int(m[1]))), text)
        found.append(_problem(NOT_WELL_FORMED, f"not well-formed XML: {text}", span))
        if len(found) >= 20:
            break
    return found


def _lines(lines: tuple[int, int]) -> str:
    """A line the XML parser names, in ozml's lines (`ozml.positions.Source.parser_lines`)."""
    first, last = lines
    return f"line {first}" if first == last else f"lines {first} to {last}"


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
        start = source.parser_offset(line, max(column, 1))
        return _problem(
            TOO_LARGE,
            "a text or attribute value is longer than 10,000,000 characters, the XML parser's"
            " limit; the document was not parsed",
            source.span(start, start),
        )
    return None


def too_large(
    data: bytes | str,
    path: str,
    size: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exact: bool = True,
) -> ParseResult:
    """The result for an input of `size` bytes over the limit; `data` may be only its start.

    Callers that read files stop reading past the limit and report the size from the file
    system, so a huge file is never read whole. Standard input is not read past the limit at
    all (it may never end): its `size` is not `exact`, and the message does not give it.
    """
    source = Source(data, path)
    amount = f" {size:,} bytes," if exact else ""
    message = (
        f"the input is{amount} larger than the {max_bytes:,}-byte limit; it was not parsed"
    )
    return ParseResult(None, source, (_problem(TOO_LARGE, message, source.span(0, 0)),))


def parse(
    data: bytes | str,
    path: str = "<string>",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    templates: Iterable[str] | None = None,
    previous: ParseResult | None = None,
    records: bool | RecordSink = False,
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
    A `RecordSink` is given them instead, a run at a time, and they are not kept: the linter
    then lints such a document as it is read (`ozml.lint.stream`). The result is the same;
    only the time (and the memory) differs.
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
    records: bool | RecordSink = False,
) -> ParseResult:
    syntaxes = _templates.DEFAULT if templates is None else _templates.names(templates)
    # What lxml says of a str's encoding is how it holds the text (ISO-8859-1, UTF-16LE or
    # UTF-32LE, by its widest character): a str declares its encoding, or is UTF-8 written.
    undeclared = "UTF-8" if isinstance(data, str) else None
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
    made: StreamedRecords | None = None
    early: ParseResult | None = None
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

            made = StreamedRecords(*reading(raw))
            if records is not True and _utf8(raw):
                # The result is made now, for the sink to lint with while the parser reads;
                # its tree is set once read (below). UTF-8 only: a finding's position may
                # decode the text meanwhile, with the encoding known before the read.
                early = ParseResult(_READING, source, (), masked)
                made.sink = functools.partial(records.take, early)
        streamed = _read_through(data, None if made is None else made.take)
    if streamed is None:
        xml_parser = _xml_parser()
        try:
            tree = etree.fromstring(data, xml_parser).getroottree()
        except etree.XMLSyntaxError as error:
            found = _syntax_problems(error, xml_parser.error_log, source, raw)
            return ParseResult(None, source, tuple(found), masked)
        except (ValueError, etree.LxmlError) as error:  # e.g. NUL bytes in str input
            message = f"not well-formed XML: {error}"
            return ParseResult(
                None,
                source,
                (_problem(NOT_WELL_FORMED, message, source.span(0, 0)),),
                masked,
            )
    else:
        tree = streamed.getroottree()
    docinfo = tree.docinfo
    encoding = declared or undeclared or docinfo.encoding
    source.encoding = encoding
    doctype = docinfo.doctype or None  # type: ignore[union-attr]  # lxml-stubs lack it
    # Only documents that hold CDATA pay for finding which texts were written as CDATA. A
    # document read through was found plain above (no CDATA, `_plain_markup`): a search of a
    # large document is not made twice.
    cdata = streamed is None and holds(raw, b"<![CDATA[") and not doctype
    root_el = tree.getroot()
    # A document read through was found plain above (`_read_through`).
    plain_markup = streamed is not None or _plain_markup(raw)
    plain = not cdata and masked is None and plain_markup
    if plain and previous is None and docinfo.internalDTD is None and docinfo.externalDTD is None:
        declaration = raw.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
        # Plain: no xml:space. The records made as it was read were made as it says.
        # A large document read through (`_read_through`) is read again when its tree is
        # asked for: lxml's root is then all that is left of lxml's tree.
        again = data if streamed is not None and isinstance(data, bytes) else None
        unbuilt = _Unbuilt(root_el, reading(raw), declaration, encoding, again)
        if early is not None and streamed is not None:
            early._document = unbuilt  # the result the sink was given
            assert made is not None
            made.finish(early)
            return early
        result = ParseResult(unbuilt, source, (), masked)
        if made is not None and streamed is not None:
            result._records = made.finish(result)
        return result
    # The tree is built now: its modules are loaded (`ozml.treebuilder`).
    from ozml import treebuilder
    from ozml.nodes import Document

    scanner = None
    if cdata:
        scanner = treebuilder.CdataScanner(masked.text if masked is not None else source.text)
    watch_space = source.holds("xml:space")
    builder = treebuilder.builder_for(reading(raw), scanner, watch_space=watch_space)
    if plain:
        assert streamed is None  # a streamed document is plain, without a DTD or `previous`
        kept = None
        if previous is not None:
            kept = treebuilder.Kept.of(previous, source.text, root_el, builder)
        root = builder.plain(root_el, kept)
    else:
        if masked is not None and masked.in_tree:
            builder.originals = masked.originals
        if plain_markup:
            builder.declared = {}  # no namespace declarations to look for
        root = builder.element(root_el)
    prolog = treebuilder.siblings(root_el, preceding=True)
    epilog = treebuilder.siblings(root_el, preceding=False)
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


class _Reading:
    """The tree of a document that the parser is still reading piece by piece, for a
    `RecordSink` (`ParseResult.document` raises `NotHeld`)."""

    __slots__ = ()


_READING = _Reading()


class _Unbuilt:
    """The tree of a plain document (`_plain_markup`, no DTD), not built yet: lxml's root, and
    how the tree builder is to read its elements (`reading`), to build it as `_parse` would
    have (`ParseResult`). For a large document, `data` holds its bytes, which are read again
    (`ozml.treebuilder.stream`): its lxml root was left without children (`_read_through`)."""

    __slots__ = ("data", "declaration", "encoding", "reading", "root")

    def __init__(
        self,
        root: etree._Element,
        reading: tuple[bool, bool],
        declaration: bool,
        encoding: str | None,
        data: bytes | None = None,
    ) -> None:
        self.root = root
        self.reading = reading
        self.declaration = declaration
        self.encoding = encoding
        self.data = data

    def document(self, result: ParseResult) -> Document:
        """The tree, built once for `result` (whose own it then is) however many threads ask."""
        # The tree's modules are loaded when a tree is first built (`ozml.treebuilder`).
        from ozml import treebuilder
        from ozml.nodes import Document

        with _BUILDING:
            document = result._document
            if not isinstance(document, _Unbuilt):
                assert isinstance(document, Document)  # another thread built it
                return document
            root_el = self.root
            builder = treebuilder.builder_for(self.reading)
            with collector_paused():
                if self.data is None:
                    root = builder.plain(root_el)
                else:
                    streamed = treebuilder.stream(self.data, builder)
                    # lxml read the document whole once: it does again.
                    assert streamed is not None
                    root = streamed[1]
                built = Document(
                    root,
                    treebuilder.siblings(root_el, preceding=True),
                    treebuilder.siblings(root_el, preceding=False),
                    declaration=self.declaration,
                    encoding=self.encoding,
                    doctype=None,
                )
            result._document = built
            return built


#: Held while a deferred tree is built (`_Unbuilt.document`): two readers of one result in two
#: threads get the one tree.
_BUILDING = _thread.allocate_lock()  # threading.Lock itself; threading costs every start


def reading(raw: bytes) -> tuple[bool, bool]:
    """How the elements of the document `raw` are read, into a tree (`ozml.treebuilder`) or
    into the linter's records (`ozml.resolve`): whether no element can have more attributes
    than lxml's ``items()`` reads in linear time (`MANY_ATTRIBUTES`: every attribute is
    written with an equals sign, so a document with few of them has no element with many),
    and whether names, short texts and attributes are kept once (`SHARE_NAMES`)."""
    return raw.count(b"=") <= MANY_ATTRIBUTES, len(raw) > SHARE_NAMES


#: From this size on (bytes), a document `_plain_markup` says is plain is read piece by piece
#: (`_read_through`), and so are its tree when asked for (`ozml.treebuilder.stream`) and the
#: linter's records (`ozml.resolve.resolve_lxml`): lxml never holds the whole document's tree.
STREAM_FROM = LARGE
#: How much of a document `ozml.treebuilder.stream` gives lxml at a time.
STREAM_PIECE = PIECE


def _read_through(
    data: bytes, take: Callable[[etree._Element, int], None] | None = None
) -> etree._Element | None:
    """`ozml.xmlparser.read_through` of `data`, `STREAM_PIECE` bytes at a time: what `_parse`
    reads a large plain document with (to know that it is well-formed, its encoding and the
    nodes around its root), giving each top-level node to `take` (the linter's records,
    `parse`'s `records`); its tree is built when asked for (`ozml.treebuilder.stream`). None
    when lxml refuses the document: the caller then parses it whole, for the findings a whole parse
    gives."""
    return read_through(data, piece=STREAM_PIECE, take=take)


#: Compiled when first used: most documents have no XML declaration.
_BYTE_DECLARATION = lazy.pattern(rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


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
            found = _BYTE_DECLARATION().match(data)
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
# Compiled when first used: only a str document (an editor's buffer) has one blanked out.
_ENCODING_DECLARATION = lazy.pattern(
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
    match = _ENCODING_DECLARATION().match(text)
    if match is None:
        return text.encode("utf-8", "surrogatepass"), None
    start, end = match.span("attr")
    blanked = text[:start] + " " * (end - start) + text[end:]
    return blanked.encode("utf-8", "surrogatepass"), match.group("name")


def _utf8(raw: bytes) -> bool:
    """Whether the document `raw` is read as UTF-8 (`ozml.positions.decoding`): it declares
    that encoding or none (a byte order mark other than UTF-8's makes it `wide`)."""
    found = _BYTE_DECLARATION().match(raw.removeprefix(b"\xef\xbb\xbf"))
    return found is None or codec_of(found.group(1).decode("ascii")) == "utf-8"


def _plain_markup(raw: bytes) -> bool:
    """Whether the document's names and texts need none of the care of the tree builder's
    `ozml.treebuilder.TreeBuilder.element`: no namespace declaration or ``xml:`` attribute
    (names are as lxml gives them), no DTD (no entity references), in an encoding that writes
    ASCII as ASCII (so that the searches see them). CDATA and template parts are asked about
    by the caller."""
    return (
        not wide(raw)
        and not holds(raw, b"xmlns")
        and not holds(raw, b"xml:")
        and not holds(raw, b"<!DOCTYPE")
    )


#: From this size on (bytes), the tree builder keeps each name once
#: (`ozml.treebuilder.TreeBuilder.names`), and each short text and attribute
#: (`ozml.treebuilder.TreeBuilder.shared_text`): below it the tree is small, and sharing would
#: cost more time than it saves.
SHARE_NAMES = 1 << 16
#: Texts and attribute values up to this many characters are shared: the short ones are those
#: a generated document repeats (``<Delay>1</Delay>``, ``Language="en-US"``).
SHARE_VALUE = 32
#: How many texts, and how many attributes, one document shares at most: the first met are
#: kept (a document's common values come early), so that unique values cannot grow the tables.
SHARED_KEPT = 1 << 12

