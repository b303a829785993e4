"""Source positions, computed lazily from the source text.

lxml reports element lines only. The exact line and column of an element, of each attribute's name
and value, and of text are worked out here by scanning the text once, the first time a position is
asked for: a clean file never pays for it (DESIGN.md, Positions). The n-th start tag in the text is
the element with ``index == n`` in the tree, since both are in document order. A tag far past what
the scan has read, in a text where every ``<`` begins a tag, is counted to instead of scanned to
(`Source._jump`): a finding deep in a long document does not pay for a Python loop over every tag
before it.

A document with server-side template parts (docs/templates.md) is scanned in its *masked* text
(`Source.masked`, made by `ozml.templates.mask`): a part may hold what looks like markup
(``{{ "<b>" }}``, ``<?php echo "<Speak>"; ?>`` in a value), which must not be taken for an
element. The masked text has the source's every offset, line end and line, so the positions
found in it are the source's.
"""

from __future__ import annotations

import bisect
import codecs
import re
from array import array
from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import accumulate, islice
from typing import Protocol

from ozml import lazy, xmlspace
from ozml import templates as _templates
from ozml.diagnostics import Span
from ozml.rawbytes import holds, wide

# re.ASCII: XML white space is ASCII only. Unicode-aware \s would also match U+1680, which XML
# allows inside names, and the tag would go unmatched (shifting every later element's position).
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<\?.*?(?:\?>|\Z)"
    r"|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|</(?P<close>[^\s>]+)\s*>"
    r"|<(?P<open>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<slash>/?)>",
    re.S | re.ASCII,
)
#: How many characters of the text `Source` splits into lines at a time.
_PIECE = 1 << 16
#: From this many characters on, a text's first positions are counted rather than looked up
#: in the table of its line starts (`Source._counted`), up to `_COUNT_BUDGET` times its length
#: of counting and `_ANCHORS_KEPT` positions: the table of a 5 MB text takes 14 ms to make,
#: counting the lines to a finding half-way down it 1 ms.
_COUNT_FROM = 1 << 16
_COUNT_BUDGET = 4
_ANCHORS_KEPT = 64
#: The number of `_TOKEN`'s group that says whether a start tag closes itself.
_SLASH = _TOKEN.groupindex["slash"]
_ATTR = lazy.pattern(r"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.ASCII)
#: A start tag's ``<`` in a text without comments, CDATA, processing instructions or a DOCTYPE
#: (`Source._plain`): there, every ``<`` begins a tag, since none may stand in a value or text.
_START = re.compile(r"<(?![/?!])")
#: The XML declaration, the one processing instruction a plain text may begin with.
_DECLARATION = re.compile(r"\ufeff?<\?xml\s")


#: The byte order marks a document may begin with, and the codec of the text after each.
_MARKS = (
    (b"\xef\xbb\xbf", "utf-8"),
    # UTF-32's before UTF-16's, whose little-endian mark begins UTF-32's (U+0000 cannot be
    # the first character of an XML document, so FF FE 00 00 is UTF-32).
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decoding(data: bytes, declared: str | None) -> tuple[bytes, str]:
    """How the bytes of a document are read as text (`Source.text`), and written back from it
    (`ozml.writer.encode_like`): the byte order mark they begin with (empty for none) and the
    codec of what follows it. A byte order mark decides; else the declared encoding (UTF-8 for
    none, or one Python does not know). UTF-16 declared without a byte order mark is read in
    the order its first character, ASCII, shows (Python's UTF-16 codec would read it
    little-endian whatever it is), and so is UTF-32."""
    for mark, codec in _MARKS:
        if data.startswith(mark):
            return mark, codec
    codec = codec_of(declared)
    if codec in ("utf-16", "utf-32"):
        codec += "-be" if data[:1] == b"\x00" else "-le"
    return b"", codec


def codec_of(declared: str | None) -> str:
    """Python's codec for a declared encoding; UTF-8 for none or one Python does not know."""
    if not declared:
        return "utf-8"
    try:
        return codecs.lookup(declared).name
    except LookupError:
        return "utf-8"


def _ascii_markup(data: bytes) -> bool:
    """Whether the markup of the document `data` is ASCII in its bytes, as in its text: it
    begins with ``<`` (after a UTF-8 byte order mark), which EBCDIC does not write so, and is
    not UTF-16 (`ozml.rawbytes.wide`)."""
    return (data[:1] == b"<" or data[:4] == b"\xef\xbb\xbf<") and not wide(data)


#: A tag asked for this many start tags or more past where the scan has read is found by
#: counting start tags (`Source._jump`) rather than by scanning every token up to it. A few:
#: the findings of most documents are a few tags each, anywhere, and counting to one costs a
#: fifth of scanning to it; tags asked for one after the other (the language server's
#: commands, the findings of a document full of them) stay near the scan and are read by it.
_NEAR = 4
#: `Source._jump` notes where every this-many-th start tag is, so that finding a later tag
#: counts on from the nearest note instead of from the start of the text.
_STRIDE = 64
#: `Source._jump` looks for an element's end tag among this many tokens after its start tag;
#: an element holding more is left to the scan, which reads each token once for all.
_WITHIN = 256


class Placed(Protocol):
    """What the positions of an element are worked out from: its number in document order
    (`ozml.nodes.Element.index`, -1 for an element not read from the text) and its line. An
    element is one; so is its record (`ozml.resolve.Resolved`), which a rule can report from
    without the tree being built."""

    @property
    def index(self) -> int: ...

    @property
    def line(self) -> int: ...


class _Compared:
    """Base of this module's records, which are plain classes (a run that reports a finding
    pays for each class it defines: cold start, docs/performance.md): equal when their `_key`
    is; changed as they are read, so unhashable."""

    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Compared)
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]


class AttrInfo(_Compared):
    """Where one attribute is written in a start tag (character offsets), and its quote."""

    __slots__ = ("name", "name_end", "quote", "start", "value_end", "value_start")

    def __init__(
        self, name: str, start: int, name_end: int, value_start: int, value_end: int, quote: str
    ) -> None:
        self.name = name
        self.start = start
        self.name_end = name_end
        self.value_start = value_start
        self.value_end = value_end
        self.quote = quote

    def _key(self) -> tuple[object, ...]:
        return (self.name, self.start, self.name_end, self.value_start, self.value_end, self.quote)

    def __repr__(self) -> str:
        return f"AttrInfo({self.name!r}, start={self.start}, value_end={self.value_end})"


class TagInfo(_Compared):
    """Where one element's tags are in the text (character offsets); equal when the tags are
    at the same places, with the same attributes."""

    __slots__ = (
        "_attributes",
        "_by_name",
        "_pending",
        "close_end",
        "close_start",
        "end",
        "name",
        "name_end",
        "self_closing",
        "start",
    )

    def __init__(
        self,
        name: str,
        start: int,
        name_end: int,
        end: int,
        self_closing: bool,
        attributes: list[AttrInfo] | None,
        close_start: int | None = None,
        close_end: int | None = None,
        pending: tuple[str, int] | None = None,
    ) -> None:
        self.name = name
        self.start = start
        self.name_end = name_end
        self.end = end
        self.self_closing = self_closing
        #: The attributes in document order; None until first asked for, then read from
        #: `_pending` (most tags are scanned past on the way to a finding's tag and never
        #: asked).
        self._attributes = attributes
        self.close_start = close_start
        self.close_end = close_end
        #: Where the attributes are written: the start tag's text after its name, and its
        #: offset.
        self._pending = pending
        #: The attributes by name (the first of a name wins), made on the first lookup: a
        #: finding per attribute of an element with thousands of them must not scan them all
        #: each time.
        self._by_name: dict[str, AttrInfo] | None = None

    def _key(self) -> tuple[object, ...]:
        return (
            self.name,
            self.start,
            self.name_end,
            self.end,
            self.self_closing,
            self.attributes,
            self.close_start,
            self.close_end,
        )

    def __repr__(self) -> str:
        return f"TagInfo({self.name!r}, start={self.start}, end={self.end})"

    @property
    def attributes(self) -> list[AttrInfo]:
        found = self._attributes
        if found is None:
            text, base = self._pending or ("", 0)
            found = self._attributes = _attributes(text, base)
        return found

    def attribute(self, name: str) -> AttrInfo | None:
        by_name = self._by_name
        if by_name is None:
            by_name = self._by_name = {}
            for attr in self.attributes:
                by_name.setdefault(attr.name, attr)
        return by_name.get(name)


def _tag_info(match: re.Match[str], close_start: int | None, close_end: int | None) -> TagInfo:
    """The `TagInfo` of a start tag matched by `_TOKEN`, with its end tag's place (None: it
    closes itself, or has none)."""
    name = match.group("open")
    start = match.start()
    attrs_text = match.group("attrs")
    return TagInfo(
        name,
        start,
        start + 1 + len(name),
        match.end(),
        bool(match.group("slash")),
        None if attrs_text else [],
        close_start,
        close_end,
        pending=(attrs_text, match.start("attrs")) if attrs_text else None,
    )


def _attributes(text: str, base: int) -> list[AttrInfo]:
    """The attributes written in `text` (a start tag's text after its name, at offset `base`)."""
    found = []
    for a in _ATTR().finditer(text):
        group = 2 if a.group(2) is not None else 3
        found.append(
            AttrInfo(
                a.group(1),
                base + a.start(1),
                base + a.end(1),
                base + a.start(group),
                base + a.end(group),
                '"' if group == 2 else "'",
            )
        )
    return found


class Source:
    """The text of a document, with lazy line:column lookup and tag locations.

    `masked` is the text with its template parts masked (`ozml.templates.Masked.text`), when
    it has any: tags are looked for in it, not in `text` (see the module docstring). It must
    have `text`'s length and line ends, and be given (or set) before the first position is
    asked for. `templates` records the template syntaxes the document was read with
    (`ozml.parser.parse` sets both).
    """

    def __init__(
        self,
        data: str | bytes,
        path: str = "<string>",
        encoding: str | None = None,
        *,
        masked: str | None = None,
        templates: Iterable[str] = _templates.DEFAULT,
    ):
        self.data = data
        self.path = path
        self.encoding = encoding
        #: The text tags are looked for in: `text` with its template parts masked, or None
        #: when it has none (then `text` is scanned).
        self.masked = masked
        #: The template syntaxes (`ozml.syntaxes.SYNTAXES` names) the document was read with.
        self.templates = frozenset(templates)
        self._scanner: Iterator[re.Match[str]] | None = None
        self._scanned = False
        #: The start tags read so far, by element number: where each begins and ends, and
        #: whether it closes itself (a `TagInfo` is made only for a tag that is asked for: most
        #: are read on the way to another); and where each element's end tag begins and ends
        #: once read (-1 until then, and for ever when it has none). Numbers in arrays, not
        #: objects: a finding at the end of a 5 MB document reads 100,000 tags.
        self._starts = array("q")
        self._start_ends = array("q")
        self._closed = bytearray()
        self._close_starts = array("q")
        self._close_ends = array("q")
        #: The elements whose end tag has not been read yet (element numbers), innermost last.
        self._open: list[int] = []
        self._infos: dict[int, TagInfo] = {}
        #: Whether start tags may be found by counting `<` (`_plain`; None: not asked yet), and
        #: where start tag number k * `_STRIDE` begins, for each k counted to so far.
        self._plain_markup: bool | None = None
        self._marks: list[int] = []
        #: The positions counted so far (`_counted`), by offset in order: where each is, its
        #: line, and where that line begins; the line starts they found, by line; and how
        #: many more characters may be read before the table is made (None: not counting yet;
        #: -1: not counting, or no longer).
        self._anchors: list[int] = []
        self._anchor_lines: list[tuple[int, int]] = []
        self._known_starts: dict[int, int] = {}
        self._count_left: int | None = None

    @cached_property
    def text(self) -> str:
        """The decoded text: by byte-order mark, else the declared encoding, else UTF-8
        (`decoding`)."""
        data = self.data
        if isinstance(data, str):
            return data
        mark, codec = decoding(data, self.encoding)
        return data[len(mark) :].decode(codec, "replace")

    def holds(self, part: str) -> bool:
        """Whether the text holds `part`, which is ASCII: searched for in the bytes as read,
        without decoding them (`ozml.rawbytes.holds`), since every encoding a document may
        be in writes ASCII as ASCII but UTF-16 (`ozml.rawbytes.wide`), whose text is decoded."""
        data = self.data
        if isinstance(data, str):
            return part in data
        if holds(data, part.encode("ascii")):
            return True
        return wide(data) and part in self.text

    @property
    def markup(self) -> str:
        """The text tags are read from: `masked` when there is one, else `text`."""
        masked = self.masked
        return masked if masked is not None else self.text

    @cached_property
    def _line_starts(self) -> list[int] | array[int]:
        """Where each line begins: a list for a short text, machine integers for a long one
        (`_PIECE` characters or more: 8 bytes a line instead of about 40)."""
        text = self.text
        if "\r" not in text:
            # Lines end with \n only: the starts are the running sum of the lines' lengths,
            # with no match object per line (a sixth of the time on a 5 MB document). The text
            # is split a piece at a time, so that its lines are never all strings at once. In
            # a piece, each line end is one past the running sum of the lengths before it.
            if len(text) <= _PIECE:
                lengths = map(len, text.split("\n")[:-1])
                return list(accumulate(map((1).__add__, lengths), initial=0))
            starts = array("q", (0,))
            for begin in range(0, len(text), _PIECE):
                lengths = map(len, text[begin : begin + _PIECE].split("\n")[:-1])
                ends = accumulate(map((1).__add__, lengths), initial=begin)
                next(ends)  # the piece's own start, which need not begin a line
                starts.fromlist(list(ends))  # a list's items go in at C speed
            return starts
        found = (m.end() for m in re.finditer(r"\r\n|\r|\n", text))
        if len(text) <= _PIECE:
            return [0, *found]
        starts = array("q", (0,))
        starts.fromlist(list(found))
        return starts

    @cached_property
    def tags(self) -> list[TagInfo]:
        """Every start tag in document order, with its end tag when there is one (made once:
        the whole text is read first, so nothing in it changes after)."""
        self._scan(None)
        return [self._info(index) for index in range(len(self._starts))]

    def _info(self, index: int) -> TagInfo:
        """The tag of element number `index` (read), made on first use."""
        info = self._infos.get(index)
        if info is None:
            # The start tag is read again where the scan found it, which gives the same match
            # (the pattern looks neither behind nor ahead of the tag).
            match = _TOKEN.match(self.markup, self._starts[index])
            assert match is not None
            close = self._close_starts[index]
            info = self._infos[index] = _tag_info(
                match,
                close if close >= 0 else None,
                self._close_ends[index] if close >= 0 else None,
            )
        return info

    def _plain(self) -> bool:
        """Whether every ``<`` of the text begins a tag: it holds no comment, CDATA section,
        processing instruction (but the XML declaration) or DOCTYPE, whose text may hold one.
        The n-th start tag is then the n-th ``<`` not followed by ``/``, ``?`` or ``!``."""
        plain = self._plain_markup
        if plain is None:
            markup = self.markup
            data = self.data
            if self.masked is None and isinstance(data, bytes) and _ascii_markup(data):
                # The bytes say it without a search of the text (`holds` screens them: a
                # tenth of the time in a large document that holds neither).
                first = data.find(b"<?", 0, 5)
                plain = not holds(data, b"<!") and (
                    not holds(data, b"<?")
                    if first == -1
                    else _DECLARATION.match(markup) is not None
                    and not holds(data, b"<?", first + 2)
                )
            else:
                first = markup.find("<?")
                plain = "<!" not in markup and (
                    first == -1
                    or (
                        _DECLARATION.match(markup) is not None
                        and markup.find("<?", first + 2) == -1
                    )
                )
            self._plain_markup = plain
        return plain

    def _start_of(self, index: int) -> int | None:
        """Where start tag number `index` begins in a plain text (`_plain`), found by counting
        start tags at C speed from the nearest note (`_marks`); None when there are fewer."""
        markup, marks = self.markup, self._marks
        if not marks:
            first = _START.search(markup)
            if first is None:
                return None
            marks.append(first.start())
        mark = index // _STRIDE
        while len(marks) <= mark:
            # From a note, the first match is the noted tag itself: skip `_STRIDE` of them.
            found = next(islice(_START.finditer(markup, marks[-1]), _STRIDE, None), None)
            if found is None:
                return None
            marks.append(found.start())
        at = marks[mark]
        found = next(islice(_START.finditer(markup, at), index - mark * _STRIDE, None), None)
        return None if found is None else found.start()

    def _jump(self, index: int) -> TagInfo | None:
        """The tag of element number `index`, found without scanning the tokens before it: its
        start tag by counting (`_start_of`), its end tag by reading its own content. None when
        the text is not plain, the tag is not where counting says, or its end tag is more
        than `_WITHIN` tokens further (then `_scan` reads it)."""
        if not self._plain():
            return None
        start = self._start_of(index)
        if start is None:
            return None
        markup = self.markup
        match = _TOKEN.match(markup, start)
        if match is None or match.lastgroup != "slash":
            return None
        close_start = close_end = None
        if not match.group("slash"):
            # The end tag is looked for among the next `_WITHIN` tokens only: an element
            # holding more is left to `_scan`, which reads each token once for all the elements
            # it passes. (Reading each such element's content here would read the content of
            # nested ones again and again: 250 nested elements around 100,000 took 25 s.)
            depth = 0
            for token in islice(_TOKEN.finditer(markup, match.end()), _WITHIN):
                kind = token.lastgroup
                if kind == "slash":
                    if not token.group("slash"):
                        depth += 1
                elif kind == "close":
                    if not depth:
                        close_start, close_end = token.span()
                        break
                    depth -= 1
            else:
                return None
        info = self._infos[index] = _tag_info(match, close_start, close_end)
        return info

    def _scan(self, index: int | None) -> None:
        """Read the text until the start tag of element number `index` has been read and,
        unless it closes itself, its end tag too (None: the whole text).

        The text is scanned only as far as positions are asked for: a finding near the top of
        a long document (the language server's common case) does not pay for the whole text.
        """
        if self._scanned:
            return
        starts, closed, close_ends = self._starts, self._closed, self._close_ends
        if index is not None and index < len(starts) and (closed[index] or close_ends[index] >= 0):
            return
        start_ends, close_starts, opened = self._start_ends, self._close_starts, self._open
        scanner = self._scanner
        if scanner is None:
            scanner = self._scanner = _TOKEN.finditer(self.markup)
        for match in scanner:
            # The start tag's last group (whether it closes itself) always takes part; the end
            # tag's only group is its name; comments, CDATA, PIs and the DOCTYPE have none.
            kind = match.lastgroup
            if kind == "slash":
                regs = match.regs  # the spans of the whole tag and of each group
                number = len(starts)
                begin, end = regs[0]
                starts.append(begin)
                start_ends.append(end)
                close_starts.append(-1)
                close_ends.append(-1)
                slash_start, slash_end = regs[_SLASH]
                if slash_end == slash_start:
                    closed.append(0)
                    opened.append(number)
                else:
                    closed.append(1)
                    if number == index:
                        return
            elif kind == "close" and opened:
                number = opened.pop()
                close_starts[number], close_ends[number] = match.span()
                if number == index:
                    return
        self._scanner = None
        self._scanned = True

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        if "_line_starts" not in self.__dict__:
            counted = self._counted(offset)
            if counted is not None:
                return counted
        starts = self._line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def _counted(self, offset: int) -> tuple[int, int] | None:
        """`position`, found by counting the line ends between the nearest position counted
        before it and `offset`, in a long text whose table of line starts is not made yet;
        None once counting has cost `_COUNT_BUDGET` times the text's length (or
        `_ANCHORS_KEPT` positions), and for a text that is short, holds a carriage return
        (whose line ends the count does not see) or does not hold `offset`: the table
        answers then. A finding or two in a long document costs a count to each, not the
        table of every line (`ozml check`'s common case); a language server asking again and
        again soon has the table."""
        left = self._count_left
        if left == -1:
            return None
        text = self.text
        if left is None:
            if len(text) < _COUNT_FROM or "\r" in text:
                self._count_left = -1
                return None
            left = self._count_left = _COUNT_BUDGET * len(text)
            self._anchors.append(0)
            self._anchor_lines.append((1, 0))
            self._known_starts[1] = 0
        if not 0 <= offset <= len(text):
            return None
        anchors = self._anchors
        at = bisect.bisect_right(anchors, offset) - 1
        base = anchors[at]
        line, start = self._anchor_lines[at]
        if offset != base:
            left -= 2 * (offset - base)  # the count, and the search back for the line's start
            if left < 0 or len(anchors) >= _ANCHORS_KEPT:
                self._count_left = -1  # the table answers from now on
                return None
            last = text.rfind("\n", base, offset)
            if last >= 0:
                line += text.count("\n", base, offset)
                start = last + 1
            anchors.insert(at + 1, offset)
            self._anchor_lines.insert(at + 1, (line, start))
            self._known_starts[line] = start
        self._count_left = left
        return line, offset - start + 1

    def _line_start(self, line: int) -> int | None:
        """Where 1-based `line` begins, when a counted position found it (`_counted`) and the
        counting goes on (the table of line starts is not made yet); else None."""
        if self._count_left == -1 or "_line_starts" in self.__dict__:
            return None
        return self._known_starts.get(line)

    def _spend(self, read: int) -> None:
        """Count `read` characters against the counting's budget (`_counted`): once it is
        spent, the table answers. Every search the counting makes is paid for, so that no
        run of questions reads the text more than `_COUNT_BUDGET` times before the table."""
        left = self._count_left
        if left is not None and left != -1:
            left -= read
            self._count_left = left if left >= 0 else -1

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based (line, column), clamped to the text."""
        start = self._line_start(line)
        if start is None:
            starts = self._line_starts
            line = min(max(line, 1), len(starts))
            start = starts[line - 1]
        return min(start + max(column, 1) - 1, len(self.text))

    def parser_offset(self, line: int, column: int) -> int:
        """`offset` of a (line, column) as the XML parser (libxml2) counts lines: a carriage
        return not followed by a line feed ends a line for ozml (and for editors) but not for
        it, so after one its line numbers are not ozml's."""
        text = self.text
        if not self.lone_returns:
            return self.offset(line, column)
        start = 0
        for _ in range(max(line, 1) - 1):
            found = text.find("\n", start)
            if found < 0:
                break
            start = found + 1
        return min(start + max(column, 1) - 1, len(text))

    def parser_lines(self, line: int) -> tuple[int, int]:
        """The first and the last of the lines ozml counts in the XML parser's `line`
        (`parser_offset`): more than one when it holds a lone carriage return."""
        start = self.parser_offset(line, 1)
        end = self.text.find("\n", start)
        return self.position(start)[0], self.position(len(self.text) if end < 0 else end)[0]

    @cached_property
    def lone_returns(self) -> bool:
        """Whether a carriage return of the text is not followed by a line feed."""
        text = self.text
        return "\r" in text and text.count("\r") != text.count("\r\n")

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(end, start))
        return Span(line, column, end_line, end_column, start, max(end, start))

    def line_range(self, line: int) -> tuple[int, int]:
        """Where a 1-based line's text begins and ends, its line break (\\n, \\r\\n or \\r) left
        out; (n, n) at the text's end n for a line past the last."""
        text = self.text
        start = self._line_start(line)
        if start is not None:
            # Counted to (`_counted`): a text without carriage returns.
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            self._spend(end - start)
            return start, end
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return len(text), len(text)
        start = starts[line - 1]
        if line == len(starts):
            return start, len(text)
        end = starts[line] - 1  # a line break ends every line but the last
        if text[end] == "\n" and end > start and text[end - 1] == "\r":
            end -= 1
        return start, end

    def line_text(self, line: int) -> str:
        if self._line_start(line) is None and not 1 <= line <= len(self._line_starts):
            return ""
        start, end = self.line_range(line)
        return self.text[start:end]

    def tag(self, element: Placed) -> TagInfo | None:
        """Where the element's start tag (and end tag, when it has one) stand in the text."""
        index = element.index
        if index < 0:
            return None
        info = self._infos.get(index)
        if info is not None:
            return info  # made once its tags were read: final
        if not self._scanned and index >= len(self._starts) + _NEAR:
            # Far past what has been read (a finding deep in a long document): counted to.
            info = self._jump(index)
            if info is not None:
                return info
        self._scan(index)
        return self._info(index) if index < len(self._starts) else None

    def extent(self, element: Placed) -> tuple[int, int, int] | None:
        """Where the element stands in the text: (start of its start tag, end of its start
        tag, end of its end tag or, when it closes itself or has none, of its start tag).
        What `tag` says of it, without making a `TagInfo` (the formatter asks this of every
        element)."""
        index = element.index
        if index < 0:
            return None
        self._scan(index)  # at once when this element's tags have been read already
        starts = self._starts
        if index >= len(starts):
            return None
        end = self._start_ends[index]
        close = self._close_ends[index]
        return starts[index], end, close if close >= 0 else end

    def line_span(self, line: int) -> Span:
        start = self.offset(line, 1)
        return self.span(start, start + len(self.line_text(line)))

    def element_span(self, element: Placed) -> Span:
        """The element's name in its start tag."""
        info = self.tag(element)
        if info is None:
            return self.line_span(element.line or 1)
        return self.span(info.start + 1, info.name_end)

    def start_tag_span(self, element: Placed) -> Span:
        info = self.tag(element)
        if info is None:
            return self.line_span(element.line or 1)
        return self.span(info.start, info.end)

    def whole_span(self, element: Placed) -> Span:
        """From the start tag's `<` to the end tag's `>`."""
        info = self.tag(element)
        if info is None:
            return self.line_span(element.line or 1)
        return self.span(info.start, info.close_end or info.end)

    def attribute_span(self, element: Placed, name: str, *, value: bool = False) -> Span:
        """An attribute's name (or, with `value`, the text between its quotes)."""
        info = self.tag(element)
        attr = info.attribute(name) if info else None
        if attr is None:
            return self.element_span(element)
        if value:
            return self.span(attr.value_start, attr.value_end)
        return self.span(attr.start, attr.name_end)

    @cached_property
    def _tags_by_start(self) -> dict[int, TagInfo]:
        return {info.start: info for info in self.tags}

    def text_span(self, element: Placed) -> Span:
        """The element's first text of its own, without surrounding white space.

        Only the element's direct content counts: text inside child elements, comments and
        processing instructions is skipped; a CDATA section counts by its content. A template
        part is text (its ``<`` is not markup).
        """
        info = self.tag(element)
        if info is None or info.self_closing:
            return self.element_span(element)
        text = self.markup
        stop = info.close_start if info.close_start is not None else len(text)
        pos = info.end
        while pos < stop:
            if text.startswith("<![CDATA[", pos):
                inner = pos + len("<![CDATA[")
                close = text.find("]]>", inner, stop)
                close = stop if close < 0 else close
                found = self._stripped(inner, close)
                if found is not None:
                    return found
                pos = close + len("]]>")
            elif text.startswith("<", pos):
                pos = self._skip_markup(pos, stop)
            else:
                cut = text.find("<", pos, stop)
                cut = stop if cut < 0 else cut
                found = self._stripped(pos, cut)
                if found is not None:
                    return found
                pos = cut
        return self.element_span(element)

    def _stripped(self, start: int, end: int) -> Span | None:
        chunk = self.text[start:end]
        lead = len(chunk) - len(xmlspace.lstrip(chunk))
        body = xmlspace.strip(chunk)  # the text as ozml reads it: a U+00A0 around it is text
        if not body:
            return None
        return self.span(start + lead, start + lead + len(body))

    def _skip_markup(self, pos: int, stop: int) -> int:
        """The offset just after the comment, PI or child element (with its content) at `pos`."""
        text = self.markup
        for opener, closer in (("<!--", "-->"), ("<?", "?>")):
            if text.startswith(opener, pos):
                end = text.find(closer, pos + len(opener), stop)
                return stop if end < 0 else end + len(closer)
        child = self._tags_by_start.get(pos)
        if child is None:
            return pos + 1
        return child.close_end or child.end
