"""A tolerant scan of OzML text: tags, attributes and the element tree, even while it is broken.

While a user types, the document is rarely well-formed, so the editor features (completion,
hover, outline, variables) cannot wait for a parse. This scanner tokenizes the text with regular
expressions in the manner of `ozml.positions`, but accepts what a parser refuses: a start tag
without its ``>``, an attribute value without its closing quote, a missing end tag, a stray end
tag. Offsets are character offsets of the text, like every offset in ozml.

Server-side template parts are read as the parser reads them: the parts are those
`ozml.templates.find` reads in the text, with the template syntaxes the document is read with
(``settings.templates``, as for ``ozml check``), and the scanner reads the text with each part
blanked (`ozml.templates.blanked`: spaces, line ends kept). So ``<% if x %>`` between commands
and the ``<%`` in ``<Speak>{{<%}}$v</Speak>`` are no tags, and a part in a tag
(``<Speak {% if p %}Party="all"{% endif %}>``) is no attribute; the values of attributes are
taken from the text as written (``Text="{{ x }}"`` holds ``{{ x }}``). The parts are found once
per text (`read`), by one pass of `find` over it, whichever of the functions here asks; after an
edit, completion and hover read them only near the edit and the cursor, from the reading the
last scan was made from (`near`, `ozml.templates.again`: `find` itself, started at a place the
edit left as it was), as they read the tokens only from the last one the edit left.
"""

from __future__ import annotations

import bisect
import enum
import re
import weakref
from collections.abc import Iterable, Iterator

import attrs

from ozml.gcpause import paused
from ozml.syntaxes import DEFAULT, names
from ozml.templates import Spans, Trail, again, blanked, may_hold, walk
from ozml.untouched import common_prefix

_TOKEN = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<cdata><!\[CDATA\[.*?(?:\]\]>|\Z))"
    r"|(?P<pi><\?.*?(?:\?>|\Z))"
    r"|(?P<doctype><!DOCTYPE(?:[^\[>]|\[.*?(?:\]|\Z))*(?:>|\Z))"
    r"|</(?P<close>[^\s<>/\"'=]*)\s*(?P<close_end>>)?"
    # A start tag ends at its `>`, or where the next `<` starts when the `>` is missing; an
    # unterminated quoted value runs to the end of the text.
    r"|<(?P<open>[^\s<>/!?\"'=]+)"
    r"(?P<attrs>(?:[^<>\"'/]|/(?!>)|\"[^\"]*(?:\"|\Z)|'[^']*(?:'|\Z))*)"
    r"(?P<end>/?>)?",
    re.S | re.ASCII,  # \s is XML's white space (and \f, \v, no XML characters), as names end
)
_ATTR = re.compile(
    r"(?P<name>[^\s=/>\"']+)"
    r"(?:\s*(?P<eq>=)\s*(?:\"(?P<dq>[^\"]*)(?P<dq_end>\")?|'(?P<sq>[^']*)(?P<sq_end>')?"
    r"|(?P<bare>[^\s>\"']+))?)?",
    re.ASCII,
)


class TokenKind(enum.Enum):
    START = "start"
    END = "end"
    COMMENT = "comment"
    CDATA = "cdata"
    PI = "pi"
    DOCTYPE = "doctype"


@attrs.define
class ScannedAttribute:
    """An attribute as written; `value_start`/`value_end` are the offsets inside the quotes."""

    name: str
    start: int
    name_end: int
    has_equals: bool
    value: str | None
    value_start: int
    value_end: int
    quote: str | None
    closed: bool


@attrs.define
class Token:
    """A tag, comment, CDATA section, processing instruction or DOCTYPE."""

    kind: TokenKind
    start: int
    end: int
    name: str = ""
    name_start: int = 0
    name_end: int = 0
    complete: bool = True
    self_closing: bool = False
    attributes: list[ScannedAttribute] = attrs.field(factory=list)

    def attribute(self, name: str) -> ScannedAttribute | None:
        for attr in self.attributes:
            if attr.name == name:
                return attr
        return None


def _attributes(text: str, base: int, written: str) -> list[ScannedAttribute]:
    """The attributes in `text` (the scanner's reading of a tag's attributes, at offset `base`);
    a quoted value is taken from `written`, the whole text as written, for a template part in
    it is blank in `text`."""
    found = []
    for match in _ATTR.finditer(text):
        value: str | None = None
        quote: str | None = None
        closed = True
        value_start = value_end = base + match.end()
        for group, end_group, mark in (("dq", "dq_end", '"'), ("sq", "sq_end", "'")):
            if match.group(group) is not None:
                quote = mark
                closed = match.group(end_group) is not None
                value_start, value_end = base + match.start(group), base + match.end(group)
                value = written[value_start:value_end]
        if value is None and match.group("bare") is not None:
            value = match.group("bare")
            value_start, value_end = base + match.start("bare"), base + match.end("bare")
        found.append(
            ScannedAttribute(
                match.group("name"),
                base + match.start("name"),
                base + match.end("name"),
                match.group("eq") is not None,
                value,
                value_start,
                value_end,
                quote,
                closed,
            )
        )
    return found


class Reading:
    """A text as the scanner reads it: `text` as written, the template parts `find` reads in it
    with `syntaxes` (`parts`: those that start before `upto`), and `blank`, the text with those
    parts blanked (the text itself when it has none), which is the scanner's reading of the text
    before `exact`.

    `read` reads a text whole: `upto` and `exact` are its length. `near` reads an edited version
    of a text read whole only near the edit and the cursor (`ozml.templates.again`): the parts
    before the edit are the earlier reading's, and so are those after it once the walk stands
    again as it stood before the edit (`ozml.templates.Trail.after`), and the blank text is
    the earlier one's but where the walk went; `through` reads on where more is asked for.
    """

    def __init__(
        self,
        text: str,
        syntaxes: frozenset[str],
        trail: Trail | None,
        earlier: Reading | None = None,
    ) -> None:
        self.text = text
        self.syntaxes = syntaxes
        #: The walk of `find` (None for a text read whole that holds no part: `may_hold`).
        self.trail = trail
        self._earlier = earlier
        self.parts: Spans = ()
        self.blank = text
        self.upto = self.exact = len(text)
        if trail is not None:
            self._update(trail)

    def _update(self, trail: Trail) -> None:
        text = self.text
        self.parts = tuple(trail.spans)
        earlier = self._earlier
        if earlier is None:  # read whole
            self.blank = blanked(text, self.parts) if self.parts else text
            self.upto = self.exact = len(text)
            return
        began, end = trail.began, trail.end
        mid = blanked(
            text[began:end], tuple((a - began, b - began) for a, b in trail.spans[trail.first :])
        )
        if trail.whole:
            rest, self.upto, self.exact = "", len(text), len(text)
        elif trail.agreed >= 0:
            rest, self.upto, self.exact = earlier.blank[end - trail.delta :], end, len(text)
        else:
            rest, self.upto, self.exact = text[end:], end, end
        self.blank = earlier.blank[:began] + mid + rest

    def shares(self, known: Scan) -> bool:
        """Whether this text was read near an edit from `known`'s reading: the parts before
        where its walk began (``trail.first`` of them) are that reading's."""
        return self._earlier is not None and self._earlier is known.reading

    def walked(self) -> Trail:
        """The walk of `find` over the whole text, made now for a text read without one."""
        if self.trail is None:
            self.trail = walk(self.text, self.syntaxes)
        return self.trail

    def through(self, offset: int) -> None:
        """Read on, if the text is not read as far as `offset` (`upto` and `exact` reach it)."""
        trail = self.trail
        if offset <= self.exact or trail is None or trail.complete:
            return
        trail.read_on(offset)
        self._update(trail)

    def inside_part(self, offset: int) -> bool:
        """Whether `offset` is inside a template part, after its first character and before
        its last."""
        self.through(offset)
        after = self.trail.after() if self.trail is not None else None
        if after is not None and offset >= self.upto:
            # After the edit, where the walk stands as it stood: the earlier reading's parts.
            spans, first, delta = after
            at = bisect.bisect_left(spans, offset - delta, first, key=_span_start)
            return at > first and offset - delta < spans[at - 1][1]
        at = bisect.bisect_left(self.parts, offset, key=_span_start)
        return at > 0 and offset < self.parts[at - 1][1]


#: The last text read whole (`read`): completion, hover and the scan of one version of a
#: document each ask for it, and its parts are found once.
_last: Reading | None = None
#: The last text read near an edit (`near`), with the reading it was read from.
_near: tuple[Reading, Reading] | None = None


def forget() -> None:
    """Forget the texts read last (`read`, `near`): a document was closed, and they may be its
    texts, which would otherwise stay in memory until other texts are read. A text asked for
    again is read again."""
    global _last, _near
    _last = _near = None


def read(text: str, syntaxes: Iterable[str] = DEFAULT) -> Reading:
    """`text` as the scanner reads it, with the template parts of `syntaxes` (see the module
    docstring): one pass of `ozml.templates.find` over the text (`ozml.templates.walk`), none
    when it certainly holds no part (`ozml.templates.may_hold`)."""
    global _last
    chosen = names(syntaxes)
    last = _last
    if last is not None and last.text is text and last.syntaxes == chosen:
        return last
    trail = walk(text, chosen) if chosen and may_hold(text) else None
    _last = found = Reading(text, chosen, trail)
    return found


#: How far past the cursor `near` reads the parts: the token the cursor is in (hover) most
#: often ends before that, and is read without reading on.
_BEYOND = 128


def near(text: str, earlier: Reading, offset: int) -> Reading:
    """`text`, an edited version of ``earlier.text`` (read whole), read as the scanner reads
    it as far as `offset` (and `_BEYOND` further) and near the edit (`Reading`):
    `ozml.templates.again` reads its parts from the last place of the earlier walk that the edit
    left as it was, not from its start."""
    global _near
    kept = _near
    if kept is not None and kept[0].text is text and kept[1] is earlier:
        found = kept[0]
    elif text is earlier.text:
        return earlier
    elif not earlier.syntaxes or not may_hold(text):
        found = Reading(text, earlier.syntaxes, None)
    else:
        trail = again(earlier.walked(), text, offset + _BEYOND)
        found = Reading(text, earlier.syntaxes, trail, earlier)
    found.through(offset + _BEYOND)
    _near = (found, earlier)
    return found


def tokens(
    text: str, start: int = 0, stop: int | None = None, syntaxes: Iterable[str] = DEFAULT
) -> Iterator[Token]:
    """The markup tokens of ``text[start:stop]`` in order; everything between them is text
    (template parts of `syntaxes` included)."""
    return _tokens(read(text, syntaxes), start, stop)


def _tokens(reading: Reading, start: int = 0, stop: int | None = None) -> Iterator[Token]:
    text = reading.blank
    end = len(text) if stop is None else stop
    for match in _TOKEN.finditer(text, start, end):
        if match.group("open") is not None:
            attrs_text = match.group("attrs") or ""
            closer = match.group("end")
            yield Token(
                TokenKind.START,
                match.start(),
                match.end(),
                match.group("open"),
                match.start("open"),
                match.end("open"),
                complete=closer is not None,
                self_closing=closer == "/>",
                attributes=_attributes(attrs_text, match.start("attrs"), reading.text),
            )
        elif match.group("close") is not None:
            yield Token(
                TokenKind.END,
                match.start(),
                match.end(),
                match.group("close"),
                match.start("close"),
                match.end("close"),
                complete=match.group("close_end") is not None,
            )
        else:
            kind = next(k for k in _OTHER if match.group(k.value) is not None)
            complete = not _UNTERMINATED[kind](match.group(kind.value))
            yield Token(kind, match.start(), match.end(), complete=complete)


_OTHER = (TokenKind.COMMENT, TokenKind.CDATA, TokenKind.PI, TokenKind.DOCTYPE)
_UNTERMINATED = {
    TokenKind.COMMENT: lambda s: not s.endswith("-->") or len(s) < 7,
    TokenKind.CDATA: lambda s: not s.endswith("]]>") or len(s) < 12,
    TokenKind.PI: lambda s: not s.endswith("?>") or len(s) < 4,
    TokenKind.DOCTYPE: lambda s: not s.endswith(">"),
}


@attrs.define(eq=False)
class ScannedElement:
    """An element of the tolerant tree: its start tag, its end tag if found, its children.

    An element holds its parent weakly: the tree is held from its roots (by its `Scan`, and
    the variable index that holds the scan), and a tree of elements that held their parents
    would be a reference cycle, kept after the scan was dropped (its document edited or
    closed) until Python's collector ran, which the language server lets run rarely
    (`ozml.gcpause`): about a million objects for a scan of a 2 MB document."""

    tag: Token
    #: The parent, weakly (None for a root): `parent`.
    _parent: weakref.ref[ScannedElement] | None
    children: list[ScannedElement] = attrs.field(factory=list)
    close: Token | None = None
    #: Where the element ends: after its end tag, or where an enclosing element or the text ends.
    end: int = 0

    @property
    def parent(self) -> ScannedElement | None:
        """The enclosing element (None for a root)."""
        up = self._parent
        return None if up is None else up()

    @property
    def name(self) -> str:
        return self.tag.name

    @property
    def content_start(self) -> int:
        return self.tag.end

    @property
    def content_end(self) -> int:
        return self.close.start if self.close is not None else self.end

    def ancestors(self) -> Iterator[ScannedElement]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self) -> Iterator[ScannedElement]:
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@attrs.define
class Scan:
    """The whole text scanned: every token, the top-level elements and the text segments."""

    text: str
    tokens: list[Token]
    roots: list[ScannedElement]
    #: (start, end) of character data: the gaps between tokens and the inside of CDATA sections.
    texts: list[tuple[int, int]]
    #: For each of `texts`, the element it is in (what `element_at` gives for its offsets), or
    #: None outside every element; noted while scanning, so that finding the element of each of
    #: thousands of texts does not walk down from the top each time.
    text_owners: list[ScannedElement | None] = attrs.field(factory=list)
    #: The template syntaxes the text was read with, and the parts `find` read in it with
    #: them (`read`): text, like what is between tokens.
    syntaxes: frozenset[str] = DEFAULT
    parts: Spans = ()
    #: The reading of the text the scan was made from: an edited version of the text is read
    #: from it near the edit (`near`).
    reading: Reading | None = attrs.field(default=None, eq=False, repr=False)

    def elements(self) -> Iterator[ScannedElement]:
        for root in self.roots:
            yield from root.walk()

    def element_at(self, offset: int) -> ScannedElement | None:
        """The innermost element whose extent holds `offset` (its start tag included)."""
        found: ScannedElement | None = None
        level = self.roots
        while level:
            # Siblings are in text order and do not overlap: bisect on their starts.
            lo, hi = 0, len(level)
            while lo < hi:
                mid = (lo + hi) // 2
                if level[mid].tag.start <= offset:
                    lo = mid + 1
                else:
                    hi = mid
            if lo == 0:
                return found
            element = level[lo - 1]
            open_ended = (
                element.close is None and element.tag.complete and not element.tag.self_closing
            )
            inside = offset < element.end or (open_ended and offset == element.end)
            if not inside:
                return found
            found = element
            level = element.children
        return found

    def token_at(self, offset: int) -> Token | None:
        """The token whose extent holds `offset` (its end counts, for a cursor after `>`)."""
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid].end < offset:
                lo = mid + 1
            else:
                hi = mid
        for token in self.tokens[lo : lo + 2]:
            if token.start <= offset <= token.end:
                return token
        return None


@paused
def scan(text: str, syntaxes: Iterable[str] = DEFAULT) -> Scan:
    """Scan the whole text into tokens and a tolerant element tree, reading the template parts
    of `syntaxes` (those the document is read with) as text.

    The tokens and elements live on with the scan: the cyclic garbage collector is paused
    while they are made (`ozml.gcpause`), or it walks them again and again (32,000 elements
    took 1.57 times as long, and each doubling of the document 2.5 times as long)."""
    all_tokens: list[Token] = []
    roots: list[ScannedElement] = []
    texts: list[tuple[int, int]] = []
    owners: list[ScannedElement | None] = []
    stack: list[ScannedElement] = []
    #: A weak reference to each element of `stack`, made once for all its children.
    ups: list[weakref.ref[ScannedElement]] = []
    open_names = _OpenNames()
    position = 0
    reading = read(text, syntaxes)
    for token in tokens(text, 0, None, reading.syntaxes):
        if token.start > position:
            texts.append((position, token.start))
            owners.append(stack[-1] if stack else None)
        position = token.end
        all_tokens.append(token)
        if token.kind is TokenKind.START:
            if stack:
                element = ScannedElement(token, ups[-1], end=token.end)
                stack[-1].children.append(element)
            else:
                element = ScannedElement(token, None, end=token.end)
                roots.append(element)
            if token.complete and not token.self_closing:
                open_names.push(token.name, len(stack))
                stack.append(element)
                ups.append(weakref.ref(element))
        elif token.kind is TokenKind.END:
            _close(stack, token, open_names)
            del ups[len(stack) :]
        elif token.kind is TokenKind.CDATA:
            texts.append((token.start + 9, token.end - (3 if token.complete else 0)))
            owners.append(stack[-1] if stack else None)
    if position < len(text):
        texts.append((position, len(text)))
        owners.append(stack[-1] if stack else None)
    for element in stack:
        element.end = len(text)
    return Scan(
        text, all_tokens, roots, texts, owners, reading.syntaxes, reading.parts, reading
    )


class _OpenNames:
    """Where the open elements of each name stand in the stack of open elements.

    An end tag closes the innermost open element of its name; looking it up here instead of
    searching the stack keeps a document of thousands of unclosed elements, or of stray end
    tags, linear to scan.
    """

    def __init__(self) -> None:
        self._depths: dict[str, list[int]] = {}

    def push(self, name: str, depth: int) -> None:
        self._depths.setdefault(name, []).append(depth)

    def innermost(self, name: str) -> int | None:
        depths = self._depths.get(name)
        return depths[-1] if depths else None

    def pop(self, name: str) -> None:
        """Forget the innermost open element of this name (it is being closed)."""
        depths = self._depths[name]
        depths.pop()
        if not depths:
            del self._depths[name]


def _close(stack: list[ScannedElement], token: Token, open_names: _OpenNames) -> None:
    """Close the innermost open element of this name, and the unclosed ones inside it."""
    depth = open_names.innermost(token.name)
    if depth is None:
        return  # a stray end tag closes nothing: the open elements stay open
    for unclosed in stack[depth + 1 :]:
        unclosed.end = token.start
    element = stack[depth]
    element.close = token
    element.end = token.end
    for closed in reversed(stack[depth:]):
        open_names.pop(closed.name)
    del stack[depth:]


def open_stack(
    text: str, offset: int, known: Scan | None = None, syntaxes: Iterable[str] = DEFAULT
) -> tuple[list[Token], Token | None, int]:
    """The start tags open at `offset`, the token the scan of ``text[:offset]`` ended inside (if
    any), and where the character data before `offset` begins; the template parts of
    `syntaxes` are text.

    With `known`, a scan of this or an earlier version of the text, the tokens it holds where
    the two texts still agree are taken from it: only the text from the last of them on is
    read, not the text from its start (completion after an edit reads from the edit), and the
    template parts are read from the last place before the edit on (`near`).
    """
    stack: list[Token] = []
    open_names = _OpenNames()
    last: Token | None = None
    text_start = 0
    reading = _reading(text, offset, known, syntaxes)
    resume = _resume(known, reading, offset) if known is not None else None
    if resume is not None:
        last, chain = resume
        text_start = last.end
        for element in chain:
            open_names.push(element.name, len(stack))
            stack.append(element.tag)
    for token in _tokens(reading, text_start, offset):
        last = token
        text_start = token.end
        if token.kind is TokenKind.START and token.complete and not token.self_closing:
            open_names.push(token.name, len(stack))
            stack.append(token)
        elif token.kind is TokenKind.END:
            depth = open_names.innermost(token.name)
            if depth is not None:
                for closed in reversed(stack[depth:]):
                    open_names.pop(closed.name)
                del stack[depth:]
    if last is not None and last.end == offset and not last.complete:
        return stack, last, text_start
    return stack, None, text_start


def inside_part(
    text: str, offset: int, known: Scan | None = None, syntaxes: Iterable[str] = DEFAULT
) -> bool:
    """Whether `offset` is inside a template part of `syntaxes` (after its first character and
    before its last); `known` as for `open_stack`."""
    return _reading(text, offset, known, syntaxes).inside_part(offset)


def token_at(
    text: str, offset: int, known: Scan | None = None, syntaxes: Iterable[str] = DEFAULT
) -> Token | None:
    """`scan(text, syntaxes).token_at(offset)`, reading the text only from the last token of
    `known` (a scan of this or an earlier version) that it still tokenizes the same way, and
    its template parts from the last place before the edit on (`near`)."""
    start = 0
    reading = _reading(text, offset, known, syntaxes)
    resume = _resume(known, reading, offset) if known is not None else None
    if resume is not None:
        last = resume[0]
        if last.end == offset:
            return last
        start = last.end
    while True:
        # A token is read as the whole text's blank reading has it where it ends, and the
        # characters its expression may look at after it, before `exact`; past there the
        # parts are read on first.
        exact = reading.exact
        further = len(text)
        for token in _tokens(reading, start):
            if token.end + _LOOKAHEAD > exact and exact < len(text):
                further = token.end + _LOOKAHEAD
                break
            if token.start > offset:
                return None
            if offset <= token.end:
                return token
        if exact >= len(text):
            return None
        reading.through(max(further, 2 * exact - offset))


def _reading(text: str, offset: int, known: Scan | None, syntaxes: Iterable[str]) -> Reading:
    """`text` read as far as `offset`: near the edit from `known`'s reading (`near`) where the
    scan was made with these syntaxes, else whole (`read`)."""
    chosen = names(syntaxes)
    if known is None or known.reading is None or known.syntaxes != chosen:
        return read(text, chosen)
    return near(text, known.reading, offset)


#: How far past a token its regular expression may look to decide where the token ends (a
#: start tag reads the character after its last one, and after a ``/`` the one after that).
_LOOKAHEAD = 2


def _resume(
    known: Scan, reading: Reading, offset: int
) -> tuple[Token, list[ScannedElement]] | None:
    """The last token of `known` that the text of `reading` tokenizes the same way before
    `offset`, and the elements open after it (outermost first), or None when there is none.

    The two are read alike as far as both the texts and their template parts agree: an edit
    may make a part of what was not one before it (a closer typed after an opener), or undo
    one, and the text is then read otherwise from that part's start on."""
    if known.syntaxes != reading.syntaxes:
        return None
    same = common_prefix(known.text, reading.text)
    if known.parts or reading.parts:
        trail = reading.trail
        shared = trail.first if trail is not None and reading.shares(known) else 0
        same = _parts_agree(known.parts, reading.parts, min(same, reading.upto), shared)
    limit = min(same - _LOOKAHEAD, offset)
    found = known.tokens
    at = bisect.bisect_right(found, limit, key=_token_end)
    if at == 0:
        return None
    last = found[at - 1]
    boundary = last.end
    # The elements open at the boundary form a chain, each the last child started before it
    # of the one before: a later sibling would have been opened inside it unless it was closed.
    chain: list[ScannedElement] = []
    level = known.roots
    while level:
        index = bisect.bisect_left(level, boundary, key=_element_start) - 1
        if index < 0:
            break
        element = level[index]
        tag = element.tag
        if not tag.complete or tag.self_closing or tag.end > boundary:
            break
        if element.close is not None:
            still_open = element.close.end > boundary
        else:  # closed with an enclosing element's end tag (starting at `end`), or never
            still_open = element.end >= boundary
        if not still_open:
            break
        chain.append(element)
        level = element.children
    return last, chain


def _parts_agree(old: Spans, new: Spans, limit: int, shared: int = 0) -> int:
    """How far, up to `limit`, two texts that agree up to `limit` have the same template parts
    (`old` and `new`, of which the first `shared` are known to be the same; `new` holds every
    part of its text that starts before `limit`): up to the start of the first part that is not
    in both."""
    count = bisect.bisect_left(old, limit, key=_span_start)
    if old[:count] == new[:count]:
        # The parts that start before `limit` agree, unless the new text has one more there.
        following = (*old[count : count + 1], *new[count : count + 1])
        return min([limit, *(start for start, _ in following)])
    for before, after in zip(old[shared:count], new[shared:], strict=False):
        if before != after:
            return min(limit, before[0], after[0])
    return min(limit, old[len(new)][0])  # the new text lost the part after its last


def _span_start(span: tuple[int, int]) -> int:
    return span[0]


def _token_end(token: Token) -> int:
    return token.end


def _element_start(element: ScannedElement) -> int:
    return element.tag.start
