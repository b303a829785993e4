"""Server-side template parts in OzML documents: which syntaxes there are, finding the parts, and
masking them so that the XML parser reads the document around them.

OzML is most often written by a server template (the vendor's own IVR sample writes
``<Speak><?php echo $row['balance']; ?></Speak>``). A template part stands where a value, a text or
commands will be once the template has run, so ozml treats it as a *dynamic* value: it satisfies a
parameter, it is not type-checked, its ``$`` are not OzML variables, and the formatter keeps it
byte for byte (docs/templates.md).

Several syntaxes are not XML at all (``<% %>``, ``<?= ?>``, PHP inside an attribute value,
``{% if a < b %}``). `mask` replaces each part of the enabled syntaxes by characters the XML parser
accepts where the part stands, of the same length and with the same line ends, so that every line
and column of the masked text is the original's:

* in text and attribute values, by private-use characters that encode which part it was (the
  parser puts the original text back into the tree: `restore`);
* inside a start or end tag (``<Speak {% if x %}Party="all"{% endif %}>``) and outside the root
  (``{% extends "base.xml" %}``), by spaces: the tree does not hold such parts, and the formatter
  refuses documents with them rather than lose them;
* comments, CDATA sections and processing instructions are left alone: a processing instruction
  (``<?php ... ?>`` between tags) is legal XML and is read as one, unless its PHP code ends past
  its first ``?>`` (one in a string: ``<?php echo '<?xml version="1.0"?>'; ?>``), where XML
  would end it too soon: PHP code is a part wherever it stands (`_Closers.php_end`).

The one rule of what is a template part (docs/templates.md, "What a template part is"): a part
is what `find` reads in a document's text, and nothing else is one. So text in a CDATA section,
in a comment or written with character references (``&#123;{``) is never a part, nor is a
``{{`` whose closer comes only after markup, or, in an attribute value, after the value's quote.
The OzML documentation says nothing of server templates: this rule is ozml's own, assumed (a
template engine reads its file as plain text, and would run a part inside a CDATA section too).
Every part of ozml asks it here: the parser records the parts `find` reads in each value
(`Text.templates`, `Attribute.templates`); the linter asks `dynamic_value` of a value with
those spans (`text_parts` gives them for an element's text) and `variables` for its
``$variables``; the builder asks `written_parts` what a value it writes will hold; the dry run
substitutes no ``$`` inside a part; the language server reads ``$variables`` outside `find`'s
parts. A finding that exists only because a CDATA section's text is literal says so
(`literal_in_cdata`, `CDATA_ASSUMED`).

The scan reads the text once, left to right: linear in its length whatever it holds (a part
without its closer is not a part, and the closers' next places are remembered, so a long run of
``{{`` without ``}}`` costs no more than its length).

An edited text need not be read again from its start: `walk` notes, every so often, where the
scan stands (`Trail`), and `again` reads an edited version from the last such place the edit
left as it was, with `find` itself started there (``start``), up to where it stands again as it
stood before the edit. The language server reads the text near the cursor so after each edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, TypeAlias

from ozml import lazy, xmlspace
from ozml.rawbytes import holds, holds_any
from ozml.record import Record
from ozml.syntaxes import ALIASES, DEFAULT, SYNTAXES, Syntax, names

if TYPE_CHECKING:
    # The functions below that read a tree import its classes when called: masking, which
    # every parse asks for, must not load the document model (`ozml.treebuilder`).
    from ozml.nodes import Element, ProcessingInstruction, Template

# --- where the parts are ------------------------------------------------------------------------


class Where:
    """Where a part stands (`Part.where`)."""

    #: In the text of an element: the tree holds it (a `Text` or a `Template` node).
    CONTENT = "content"
    #: In an attribute value: the tree holds it (in the `Attribute`).
    VALUE = "value"
    #: Inside a start or end tag, outside any value: masked by spaces, not in the tree.
    TAG = "tag"
    #: Before or after the root element: masked by spaces, not in the tree.
    OUTSIDE = "outside"


class Part(Record):
    """One template part: its character offsets in the source text, syntax and place."""

    start: int
    end: int
    syntax: str
    where: str
    #: For a part in a tag: the index of the element whose tag holds it (its start tag, or -1
    #: for an end tag, whose element is not known here).
    element: int

    def __init__(self, start: int, end: int, syntax: str, where: str, element: int = -1) -> None:
        self._assign(locals())


class Masked(Record):
    """A text with its template parts masked (`mask`)."""

    text: str
    parts: tuple[Part, ...]
    #: The original text of each part the tree holds, by the number its mask encodes.
    originals: tuple[str, ...]

    def __init__(self, text: str, parts: tuple[Part, ...], originals: tuple[str, ...]) -> None:
        self._assign(locals())

    @property
    def in_tree(self) -> bool:
        return bool(self.originals)


#: The first character of a part's mask in text and values; the two after it (not counting line
#: ends) are its number in base `_BASE`, the rest are `_FILL`. All are private-use characters,
#: which XML allows in text and values.
MARK = "\ue000"
_FILL = "\ue001"
_DIGIT0 = 0xE100
_BASE = 0xF000 - _DIGIT0
#: More parts than this in one document are not masked (two digits): far more than a document
#: within the size limit can hold.
MAX_PARTS = _BASE * _BASE
#: Texts holding a character of the mask range are not masked: a mask could not be told from it.
#: (Compiled when a document first has parts to mask: a range of 4,096 characters takes a
#: quarter of a millisecond, which a document without template parts would pay at start-up.)
_MASK_RANGE = lazy.pattern("[\ue000-\uefff]")
#: The bytes whose absence proves a document holds no part of any syntax (the parser's fast
#: path): ``{``, ``<%`` and these.
_PI_HINTS = (b"<?=", b"<?php", b"<?PHP")


def may_hold(raw: bytes | str) -> bool:
    """False when the raw document certainly holds no template part (checked in microseconds)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    # One-byte searches first: a search for two bytes costs several times one for one.
    if holds(data, b"{") or (holds(data, b"%") and holds(data, b"<%")):
        return True
    if data.startswith(_PI_HINTS):
        return True
    # Most documents hold ``<?`` only where they begin, in their XML declaration.
    return holds(data, b"<?", 1) and holds_any(data, _PI_HINTS)


class _Openers:
    """The regular expressions the scan jumps with, for one set of syntaxes."""

    def __init__(self, syntaxes: frozenset[str]) -> None:
        self.closers: dict[str, str] = {}
        for name in sorted(syntaxes):
            for opener, closer in SYNTAXES[name].delimiters:
                self.closers[opener] = closer
                if opener == "<?php":
                    self.closers["<?PHP"] = closer
        self.syntax_of = {
            opener: name
            for name in syntaxes
            for opener, _ in SYNTAXES[name].delimiters
        }
        if "php" in syntaxes:
            self.syntax_of["<?PHP"] = "php"
        # Longest first, so that ``<?php`` wins over a shorter opener at the same place.
        alternatives = "|".join(re.escape(o) for o in sorted(self.closers, key=len, reverse=True))
        template = f"|{alternatives}" if alternatives else ""
        #: In content: a part, or markup.
        self.content = re.compile(f"{alternatives}|<" if alternatives else "<")
        #: In a tag: a quote, the tag's end, or a part (``<`` only as an opener).
        self.tag = re.compile(f"[\"'>]{template}")
        #: In a value quoted with " or ': its end, or a part.
        self.value = {q: re.compile(f"{q}{template}") for q in "\"'"}


_OPENERS: dict[frozenset[str], _Openers] = {}


def _openers(syntaxes: frozenset[str]) -> _Openers:
    found = _OPENERS.get(syntaxes)
    if found is None:
        found = _OPENERS[syntaxes] = _Openers(syntaxes)
    return found


class _Closers:
    """Where each closer next occurs, remembered so that the text is searched once per closer."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ahead: dict[str, tuple[int, int]] = {}

    def tag(self, begin: int) -> int:
        """Where the next thing that looks like markup (``<Speak``, ``</``, ``<!--``) is."""
        return self._search("<", _MARKUP, begin)

    def _search(self, key: str, pattern: re.Pattern[str], begin: int) -> int:
        """Where `pattern` next matches at or after `begin` (-1: nowhere), remembered under
        `key` as `find` remembers a closer."""
        known = self.ahead.get(key)
        if known is not None and known[0] <= begin and (known[1] < 0 or known[1] >= begin):
            return known[1]
        found = pattern.search(self.text, begin)
        at = found.start() if found is not None else -1
        self.ahead[key] = (begin, at)
        return at

    def find(self, closer: str, begin: int) -> int:
        known = self.ahead.get(closer)
        if known is not None and known[0] <= begin and (known[1] < 0 or known[1] >= begin):
            return known[1]
        at = self.text.find(closer, begin)
        self.ahead[closer] = (begin, at)
        return at

    def php_end(self, begin: int) -> int:
        """Where PHP code that begins at `begin` ends, as PHP reads it: at the first ``?>``
        outside its strings and ``/* */`` comments (a ``//`` or ``#`` comment ends at one too,
        and PHP with it). -1 when there is no ``?>``, or a string or a comment runs to the end
        of the text or past the next PHP opener: code that does not end, or holds an opener of
        its own, is left to XML's reading. (So each piece of the text between two openers is
        read once: a string that ran on through every later block of a document, read again
        from each, took time in the square of their number.)"""
        text = self.text
        limit = self._search(_PHP_OPENER_KEY, _PHP_OPENER(), begin)
        if limit < 0:
            limit = len(text)
        pos = begin
        while 0 <= pos <= limit:
            close = self.find("?>", pos)
            if close < 0:
                return -1
            found = _PHP_SKIPPED().search(text, pos, close)
            if found is None:
                return close
            token = found.group()
            after = found.end()
            if token == "'" or token == '"':
                pos = self._string_end(token, after)
            elif token == "/*":
                end = self.find("*/", after)
                pos = -1 if end < 0 else end + 2
            else:  # a line comment, to its line's end
                line_end = self.find("\n", after)
                if line_end < 0 or line_end > close:
                    return close
                pos = line_end + 1
        return -1

    def _string_end(self, quote: str, begin: int) -> int:
        """Just after the `quote` that ends a PHP string whose text begins at `begin` (one not
        escaped by a backslash); -1 for none."""
        text = self.text
        while True:
            end = self.find(quote, begin)
            if end < 0:
                return -1
            slashes = end
            while slashes > begin and text[slashes - 1] == "\\":
                slashes -= 1
            if (end - slashes) % 2 == 0:
                return end + 1
            begin = end + 1


def php_ends(text: str) -> Callable[[int], int]:
    """Where PHP code that begins at an offset of `text` ends (`_Closers.php_end`), for one
    text, remembering what it read: `ozml.catalog.values.template_spans` ends a value's PHP
    part where `find` does."""
    return _Closers(text).php_end


#: What PHP code's ``?>`` does not end in: a string, a block comment; and a line comment.
_PHP_SKIPPED = lazy.pattern(r"['\"#]|/[*/]")
#: A PHP opener (`_Closers.php_end`), and its key among the places `_Closers` remembers.
_PHP_OPENER = lazy.pattern(r"<\?(?:php|PHP|=)")
_PHP_OPENER_KEY = "<?php or <?="


_NAME_END = re.compile(r"[\s/>]")
#: What starts a tag, a comment or a processing instruction.
_MARKUP = re.compile(r"<[A-Za-z_:/!?]")
#: Syntaxes whose parts are expressions in a host document: a part of them never holds markup
#: (``{{`` then ``</Speak>`` is text, not the start of a part), nor, in an attribute value, the
#: value's quote (``Timeout="{{">{{ n }}`` is two texts, not one part). PHP and ASP parts are
#: code, which may print markup or quotes (``<?php echo "<b>"; ?>``), and are not XML anyway.
_EXPRESSIONS = frozenset({"jinja", "el"})


def find(
    text: str,
    syntaxes: Iterable[str] = DEFAULT,
    *,
    start: Resume | None = None,
    trail: Trail | None = None,
) -> Iterator[Part]:
    """The template parts of `text` in the given syntaxes, in order (see the module docstring).

    From `start`, a place between two steps of the walk over `text` (`Resume`), the parts after
    it: those the walk from the text's start reads after ``start.at``. With `trail`, the walk
    tells it where it stands at its steps in content, and stops where it says (`Trail`)."""
    chosen = frozenset(syntaxes)
    if not chosen:
        return
    openers = _openers(chosen)
    closers = _Closers(text)
    length = len(text)
    if start is None:
        pos = depth = elements = 0  # elements: start tags read so far (the next one's index)
    else:
        pos, depth, elements = start.at, start.depth, start.elements
    tag_element = -1  # the element whose tag is being read (-1 in an end tag)
    state = "content"
    quote = ""
    # How far into the text the reading so far looked, where an opener refused for the markup
    # or the quote before its closer made it look further than `_AHEAD` past the walk.
    seen = 0
    # The first offset at which the walk, in content, tells `trail` where it stands.
    told = length
    if trail is not None:
        seen, told = trail.seen, trail.next
    while pos < length:
        if state == "content":
            if pos >= told:
                assert trail is not None
                if trail.step(pos, depth, elements, seen):
                    return
                told = trail.next
            found = openers.content.search(text, pos)
        elif state == "tag":
            found = openers.tag.search(text, pos)
        else:
            found = openers.value[quote].search(text, pos)
        if found is None:
            return
        token = found.group()
        at = found.start()
        closer = openers.closers.get(token)
        if closer is not None:
            end = closers.find(closer, found.end())
            # Whether the part ends at its first closer, where XML ends a processing instruction.
            first_closer = True
            if end >= 0 and openers.syntax_of[token] == "php":
                # PHP ends the part where PHP code ends, past a ``?>`` in a string or comment
                # (``<?php echo '<?xml version="1.0"?>'; ?>``): a processing instruction XML
                # would end too soon, so a part wherever it stands.
                code_end = closers.php_end(found.end())
                if code_end < 0:
                    seen = length  # code that does not end: the first closer, as XML reads it
                elif code_end != end:
                    end, first_closer = code_end, False
            if end < 0:
                if trail is not None:
                    trail.missing.setdefault(closer, (found.end(), len(trail.at)))
            elif openers.syntax_of[token] in _EXPRESSIONS:
                markup = closers.tag(found.end())
                if 0 <= markup < end:
                    end = -1  # markup before the closer: not a part
                    seen = max(seen, markup + 2)
                elif state == "value":
                    value_end = closers.find(quote, found.end())
                    if 0 <= value_end < end:
                        end = -1  # the value ends before the closer: not a part
                        seen = max(seen, value_end + 1)
            if end < 0:
                pos = at + 1  # not a part: an opener without its closer
                if state == "content" and token.startswith("<"):
                    pos, state, depth, elements, tag_element = _markup(text, at, depth, elements)
                continue
            end += len(closer)
            if state == "content":
                if token in ("<?php", "<?PHP") and first_closer:
                    pos = end  # a processing instruction: legal XML, read as one
                    continue
                where = Where.CONTENT if depth > 0 else Where.OUTSIDE
            elif state == "tag":
                where = Where.TAG
            else:
                where = Where.VALUE
            yield Part(
                at, end, openers.syntax_of[token], where, tag_element if where == Where.TAG else -1
            )
            pos = end
            continue
        if state == "content":  # a "<" of markup
            pos, state, depth, elements, tag_element = _markup(text, at, depth, elements)
        elif state == "tag":
            if token == ">":
                if text[at - 1] == "/" and tag_element >= 0:
                    depth -= 1  # an empty element: its start tag was counted
                state = "content"
                pos = at + 1
            else:
                state, quote, pos = "value", token, at + 1
        else:  # the value's closing quote
            state, pos = "tag", at + 1


def _markup(text: str, at: int, depth: int, elements: int) -> tuple[int, str, int, int, int]:
    """Step over the markup starting with ``<`` at `at`: a comment, CDATA section, processing
    instruction or declaration is skipped whole; a tag is entered. Returns the new (position,
    state, depth, start tags read, element of the tag)."""
    for opener, closer in _SKIPPED:
        if text.startswith(opener, at):
            end = text.find(closer, at + len(opener))
            return (len(text) if end < 0 else end + len(closer)), "content", depth, elements, -1
    if text.startswith("</", at):
        return at + 2, "tag", depth - 1, elements, -1
    if _NAME_END.match(text, at + 1) is not None or at + 1 >= len(text):
        return at + 1, "content", depth, elements, -1  # not a tag: a stray "<"
    return at + 1, "tag", depth + 1, elements + 1, elements


#: Markup read whole, with what ends it (a comment may hold anything but its end).
_SKIPPED = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))


# --- reading on after an edit ---------------------------------------------------------------------

#: How far past the place where it stands the walk reads to decide a step: the longest of
#: what it looks for at one place is ``<![CDATA[`` (the openers are shorter).
_AHEAD = 9
#: How far apart (characters) the places a `Trail` notes are, at least: an edited text is read
#: again from a place about this far before the edit, and comes to a place of the walk before
#: the edit about this far after it (in text the edit did not change the reading of).
SPACING = 256


class Resume(Record):
    """A place where `find`'s walk stands between two steps, in content (not in a tag, a value
    or markup it skips over): at offset `at`, with `depth` elements open and `elements` start
    tags read before it. `find` started there (``start``) reads the parts after it as the walk
    from the text's start does."""

    at: int
    depth: int
    elements: int

    def __init__(self, at: int, depth: int, elements: int) -> None:
        self._assign(locals())


class Trail:
    """`find`'s walk over a text as far as it went: where the parts are (`spans`, every part
    that starts before `end`), and, every `spacing` characters or so, a place where it stood
    (`place`), with how far into the text its reading up to there looked (`horizon`) and the
    closers it found nowhere after an opener (`missing`).

    An edited version of the text is read again from the last place the edit left as it was
    (`again`): one whose reading up to there looked only at text before the edit, and whose
    missing closers are still missing. The walk then stops at the first place of the earlier
    walk after the edit that it comes to, moved by the edit: from a step in content, the same
    text is read the same way, so the parts after it are where the earlier walk found them,
    moved by the edit (`after`). Or it stops at its first step in content at or after `until`
    (`read_on` goes on from there). The places are noted by `find` itself as it walks, so the
    parts are those a walk from the text's start finds, and nothing else decides what a part is.
    """

    def __init__(
        self,
        text: str,
        syntaxes: frozenset[str],
        until: int | None = None,
        spacing: int = SPACING,
    ) -> None:
        self.text = text
        self.syntaxes = syntaxes
        #: How far apart the places noted are, at least.
        self.spacing = spacing
        #: Where the parts are: every part that starts before `end`.
        self.spans: list[tuple[int, int]] = []
        #: The places noted, a column each: offset, depth, start tags read, how far into the
        #: text the reading up to it looked (never less than `_AHEAD` past it; growing), and the
        #: number of parts before it.
        self.at: list[int] = []
        self.depth: list[int] = []
        self.elements: list[int] = []
        self.horizon: list[int] = []
        self.count: list[int] = []
        #: For each closer the walk found nowhere after an opener: the offset it looked from
        #: the first time, and how many places were noted before (those after rest on it).
        self.missing: dict[str, tuple[int, int]] = {}
        #: Every part that starts before `end` is in `spans`.
        self.end = 0
        #: Where this walk began (parts and places before it are the earlier walk's), and the
        #: number of parts before it.
        self.began = 0
        self.first = 0
        #: The walk stops at its first step in content at or after `until`.
        self.until = len(text) if until is None else until
        #: Where the walk stopped short of the text's end, to read on from (`read_on`).
        self.stopped: Resume | None = None
        #: The walk over the earlier version (`again`), the index of its place that this walk
        #: came to, moved by the edit (-1: none yet), and the change in length the edit made.
        self.earlier: Trail | None = None
        self.agreed = -1
        self.delta = 0
        #: What `find` reads: the first offset at which it calls `step`, and how far its
        #: reading looked, where it stopped.
        self.next = 0
        self.seen = 0
        self._note = 0  # the first offset at which the next place is noted
        self._candidate = 0  # the earlier walk's first place this one may yet come to

    @property
    def whole(self) -> bool:
        """Whether the walk read the whole text (it did not stop)."""
        return self.stopped is None

    @property
    def complete(self) -> bool:
        """Whether every part is known: read, or the earlier walk's after `end` (`after`)."""
        return self.stopped is None or self.agreed >= 0

    def place(self, index: int) -> Resume:
        """The place noted `index`-th."""
        return Resume(self.at[index], self.depth[index], self.elements[index])

    def after(self) -> tuple[list[tuple[int, int]], int, int] | None:
        """Once the walk came to a place of the earlier one (`agreed`): where the parts after
        `end` are, as the earlier walk's spans from an index on, and how far the edit moved
        them. (Where they are, not what else `find` says of them: an edit that opened or closed
        an element changes the `Part.where` and `Part.element` of parts after it.)"""
        earlier = self.earlier
        if self.agreed < 0 or earlier is None:
            return None
        return earlier.spans, earlier.count[self.agreed], self.delta

    def step(self, at: int, depth: int, elements: int, seen: int) -> bool:
        """Where the walk stands, at a step in content at or after `next`: noted every
        `spacing` characters. True to stop it there: at a place of the earlier walk after the
        edit (moved by it), or at or after `until`."""
        earlier = self.earlier
        if earlier is not None:
            places = earlier.at
            index = self._candidate
            while index < len(places) and places[index] + self.delta < at:
                index += 1
            self._candidate = index
            if index < len(places) and places[index] + self.delta == at:
                self.agreed = index
                return self._stop(at, depth, elements, seen)
        if at >= self.until:
            return self._stop(at, depth, elements, seen)
        if at >= self._note:
            self.at.append(at)
            self.depth.append(depth)
            self.elements.append(elements)
            self.horizon.append(max(seen, at + _AHEAD))
            self.count.append(len(self.spans))
            self._note = at + self.spacing
        following = min(self._note, self.until)
        if earlier is not None and self._candidate < len(earlier.at):
            following = min(following, earlier.at[self._candidate] + self.delta)
        self.next = following
        return False

    def _stop(self, at: int, depth: int, elements: int, seen: int) -> bool:
        self.stopped = Resume(at, depth, elements)
        self.seen = seen
        self.end = at
        return True

    def read_on(self, until: int) -> None:
        """Read on to the first step in content at or after `until`, if the walk stopped before
        it and the parts there are not the earlier walk's."""
        if self.complete or until <= self.end or self.stopped is None:
            return
        self.until = until
        self._walk(self.stopped)

    def _walk(self, start: Resume) -> None:
        self.stopped = None
        self.next = start.at
        spans = self.spans
        for part in find(self.text, self.syntaxes, start=start, trail=self):
            spans.append((part.start, part.end))
        if self.stopped is None:
            self.end = len(self.text)


def walk(text: str, syntaxes: Iterable[str] = DEFAULT, spacing: int = SPACING) -> Trail:
    """The walk of `find` over the whole of `text`, a place noted every `spacing` characters or
    so (`Trail`)."""
    trail = Trail(text, frozenset(syntaxes), spacing=spacing)
    trail._walk(Resume(0, 0, 0))
    return trail


def again(earlier: Trail, text: str, until: int | None = None) -> Trail:
    """The walk over `text`, an edited version of ``earlier.text`` (a `Trail` of a whole walk),
    read only from the last place of `earlier` that the edit left as it was, up to where it
    stands again as the earlier walk stood after the edit, or to its first step in content at or
    after `until` (`Trail`). Its `spans` are those `find` reads in `text`, as far as it went."""
    from bisect import bisect_left, bisect_right

    from ozml.untouched import common_prefix, common_suffix

    if not earlier.whole:
        raise ValueError("an earlier walk that stopped short of its text's end")
    old = earlier.text
    same = common_prefix(old, text)
    tail = common_suffix(old, text, min(len(old), len(text)) - same)
    index = bisect_right(earlier.horizon, same) - 1
    # A place rests on the closers found missing before it: still missing from where they were
    # looked for? (One that the edit brought would overlap the edit.)
    for closer, (looked, before) in sorted(earlier.missing.items(), key=lambda item: item[1][1]):
        if before > index:
            break
        if text.find(closer, max(looked, same - len(closer) + 1)) >= 0:
            index = before - 1
            break
    trail = Trail(text, earlier.syntaxes, until, earlier.spacing)
    start = Resume(0, 0, 0)
    if index >= 0:
        start = earlier.place(index)
        keep = index + 1
        trail.at = earlier.at[:keep]
        trail.depth = earlier.depth[:keep]
        trail.elements = earlier.elements[:keep]
        trail.horizon = earlier.horizon[:keep]
        trail.count = earlier.count[:keep]
        trail.spans = earlier.spans[: earlier.count[index]]
        trail.missing = {c: found for c, found in earlier.missing.items() if found[1] <= index}
        trail.seen = earlier.horizon[index]
        trail._note = start.at + earlier.spacing
    trail.began = start.at
    trail.first = len(trail.spans)
    trail.earlier = earlier
    trail.delta = len(text) - len(old)
    trail._candidate = bisect_left(earlier.at, len(old) - tail)
    trail._walk(start)
    return trail


def mask(text: str, syntaxes: Iterable[str] = DEFAULT) -> Masked:
    """`text` with its template parts masked (see the module docstring)."""
    parts = tuple(find(text, syntaxes))
    if not parts or mask_character(text) is not None:
        return Masked(text, (), ())
    pieces: list[str] = []
    originals: list[str] = []
    pos = 0
    for part in parts:
        pieces.append(text[pos : part.start])
        original = text[part.start : part.end]
        if part.where in (Where.TAG, Where.OUTSIDE) or len(originals) >= MAX_PARTS:
            pieces.append(_blank(original))
        else:
            pieces.append(_encode(original, len(originals)))
            originals.append(original)
        pos = part.end
    pieces.append(text[pos:])
    return Masked("".join(pieces), parts, tuple(originals))


def mask_character(text: str) -> str | None:
    """The first character of the mask range (U+E000-U+EFFF) `text` holds, or None: a text
    holding one is not masked (`mask`), so that none of its template parts is read as one."""
    found = _MASK_RANGE().search(text)
    return found.group() if found is not None else None


def _blank(original: str) -> str:
    """As many spaces as `original` has characters, its line ends kept: a slice's worth of
    work, not a step per character (most parts hold no line end)."""
    if "\n" not in original and "\r" not in original:
        return " " * len(original)
    return _NOT_LINE_END().sub(_spaces, original)


#: A run of characters that are not line ends (compiled when a part first holds a line end).
_NOT_LINE_END = lazy.pattern(r"[^\r\n]+")


def _spaces(run: re.Match[str]) -> str:
    return " " * (run.end() - run.start())


def _encode(original: str, number: int) -> str:
    digits = [chr(_DIGIT0 + number // _BASE), chr(_DIGIT0 + number % _BASE)]
    out = [MARK]
    for c in original[1:]:
        if c in "\r\n":
            out.append(c)
        elif digits:
            out.append(digits.pop(0))
        else:
            out.append(_FILL)
    return "".join(out)


_SPACE = " \t\r\n"


def restore(value: str, originals: tuple[str, ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`value` (a text or attribute value as the XML parser read it from a masked text) with
    each mask replaced by the original part, and where each part is in the result."""
    restored, spans, _ = restore_numbered(value, originals)
    return restored, spans


def restore_numbered(
    value: str, originals: tuple[str, ...]
) -> tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]]:
    """`restore`, with the number of each part (its index in `originals`)."""
    if MARK not in value:
        return value, (), ()
    numbers: list[int] = []
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    size = 0
    pos = 0
    length = len(value)
    while True:
        at = value.find(MARK, pos)
        if at < 0:
            break
        piece = value[pos:at]
        out.append(piece)
        size += len(piece)
        # The two digits, then as many mask characters as the part has characters that are not
        # line ends (the parser may have turned those into other white space, or merged them).
        digits: list[int] = []
        i = at + 1
        while i < length and len(digits) < 2:
            c = value[i]
            if c not in _SPACE:
                digits.append(ord(c) - _DIGIT0)
            i += 1
        number = digits[0] * _BASE + digits[1] if len(digits) == 2 else -1
        if not 0 <= number < len(originals):
            out.append(value[at:i])  # cannot happen for a text `mask` made; kept as it is
            size += i - at
            pos = i
            continue
        original = originals[number]
        left = sum(1 for c in original if c not in "\r\n") - 3
        while left > 0 and i < length:
            if value[i] not in _SPACE:
                left -= 1
            i += 1
        out.append(original)
        numbers.append(number)
        spans.append((size, size + len(original)))
        size += len(original)
        pos = i
    out.append(value[pos:])
    return "".join(out), tuple(spans), tuple(numbers)


def outside(value: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`value` without its template parts (`spans`), for looking at what is not the template's."""
    return _each_part(value, spans, lambda part: "")


def _each_part(value: str, spans: Spans, fill: Callable[[str], str]) -> str:
    """`value` with the text of each part at `spans` (in order) replaced by ``fill(text)``."""
    if not spans:
        return value
    pieces = []
    pos = 0
    for start, end in spans:
        pieces.append(value[pos:start])
        pieces.append(fill(value[start:end]))
        pos = end
    pieces.append(value[pos:])
    return "".join(pieces)


__all__ = [
    "ALIASES",
    "CDATA_ASSUMED",
    "DEFAULT",
    "MARK",
    "SPACING",
    "SYNTAXES",
    "Masked",
    "Part",
    "Resume",
    "Spans",
    "Syntax",
    "Trail",
    "Where",
    "again",
    "blanked",
    "dynamic",
    "dynamic_content",
    "dynamic_tag",
    "dynamic_value",
    "find",
    "in_block",
    "literal",
    "literal_in_cdata",
    "mask",
    "mask_character",
    "may_hold",
    "names",
    "outside",
    "parts",
    "php_ends",
    "restore",
    "syntax_of",
    "text_parts",
    "variables",
    "walk",
    "written_parts",
]


_SYNTAX_OF = {
    opener: syntax.name for syntax in SYNTAXES.values() for opener, _ in syntax.delimiters
}
_SYNTAX_OF["<?PHP"] = "php"


def syntax_of(part: str) -> str | None:
    """The syntax a part (as written) is of, by its opener."""
    for length in (5, 3, 2):
        found = _SYNTAX_OF.get(part[:length])
        if found is not None:
            return found
    return None


# --- the one rule: which text of a value is a template part ------------------------------------

#: (start, end) of each template part in a value.
Spans: TypeAlias = tuple[tuple[int, int], ...]


def parts(value: str, spans: Spans, syntaxes: Collection[str]) -> Spans:
    """The template parts of a value read from a document that are of one of `syntaxes`: of
    its `spans` (where the parser found parts, with `find`: `Text.templates`,
    `Attribute.templates`, `text_parts`), those of `syntaxes`. A value's text alone never
    says it: a ``{{ x }}`` read from a CDATA section or from ``&#123;{ x }}`` is literal
    text, and has no span."""
    if not spans:
        return ()
    return tuple(span for span in spans if syntax_of(value[span[0] : span[1]]) in syntaxes)


def dynamic(value: str, spans: Spans, syntaxes: Collection[str]) -> bool:
    """Whether a value holds a part (at `spans`) of one of `syntaxes`."""
    return any(syntax_of(value[start:end]) in syntaxes for start, end in spans)


def dynamic_value(value: str, spans: Spans, syntaxes: Collection[str]) -> bool:
    """Whether a value read from a document is only known at run time (D8): it holds a
    template part of one of `syntaxes` (`parts` of its `spans`) or an OzML ``$variable``.

    What every rule asks of a value before it judges it; a value that is not dynamic is then
    judged as the plain text it is (``ozml.catalog.values.check(param, value, ())``)."""
    if spans and dynamic(value, spans, syntaxes):
        return True
    if "$" not in value:
        return False
    from ozml.catalog.values import VARIABLE  # loaded with the catalog, which rules have

    return VARIABLE.search(value) is not None


def blanked(value: str, spans: Spans) -> str:
    """`value` with each part at `spans` replaced by as many spaces (line ends kept): offsets
    stay the value's, and nothing outside a part is read as one."""
    return _each_part(value, spans, _blank)


def variables(value: str, spans: Spans, syntaxes: Collection[str]) -> Iterator[re.Match[str]]:
    """The OzML ``$variables`` of a value read from a document, outside its template parts of
    `syntaxes` (a ``$`` in a part is the template's: ``{{ $user }}``, ``<?php echo $row; ?>``;
    in a CDATA section, where no part is, every ``$name`` is a variable)."""
    if "$" not in value:
        return iter(())
    from ozml.catalog.values import VARIABLE  # loaded with the catalog, which rules have

    return VARIABLE.finditer(blanked(value, parts(value, spans, syntaxes)))


def text_parts(element: Element) -> Spans:
    """Where the template parts are in the element's own text as `Element.text` gives it (its
    texts and entity references joined, stripped): its `Text` children's spans, in that text.
    A part never begins or ends with white space, so the stripping never cuts one."""
    from ozml.nodes import EntityRef, Text

    spans: list[tuple[int, int]] = []
    pieces: list[str] = []
    size = 0
    for child in element.children:
        if isinstance(child, Text):
            spans.extend((size + start, size + end) for start, end in child.templates)
            piece = child.value
        elif isinstance(child, EntityRef):
            piece = f"&{child.name};"
        else:
            continue
        pieces.append(piece)
        size += len(piece)
    if not spans:
        return ()
    joined = "".join(pieces)
    lead = len(joined) - len(xmlspace.lstrip(joined))  # the text is stripped of XML's only
    return tuple((start - lead, end - lead) for start, end in spans)


def written_parts(
    value: str, syntaxes: Iterable[str] = DEFAULT, *, attribute: bool = False
) -> Spans:
    """The template parts `value` holds written as it is, unescaped, as an element's text or
    (`attribute`) an attribute value in double quotes: where in `value` each part `find`
    reads there is. For a value that is not read from a document but will be written into
    one: the builder's (`ozml.builder.base.template_parts`, `braced_part`)."""
    if "{" not in value and "<" not in value:
        return ()
    head, tail = ('<a b="', '"/>') if attribute else ("<a>", "</a>")
    start = len(head)
    end = start + len(value)
    return tuple(
        (part.start - start, part.end - start)
        for part in find(head + value + tail, syntaxes)
        if start <= part.start and part.end <= end
    )


#: What a finding that rests on `literal_in_cdata` adds to its message.
CDATA_ASSUMED = (
    "the text is in a CDATA section, which ozml reads as literal text and never as a template"
    " part; that no server template runs this document is assumed (docs/templates.md)"
)


def literal_in_cdata(element: Element, syntaxes: Collection[str]) -> bool:
    """Whether the element's own text holds, in a CDATA section, what would be a template part
    of one of `syntaxes` were it written outside the section (``<![CDATA[{{ s }}]]>``): text
    that ozml reads as literal by its rule that no part is in a CDATA section, which the OzML
    documentation does not give (it says nothing of templates). A finding about that text
    rests on the rule, and says so (`CDATA_ASSUMED`). A text is read whole, the CDATA section
    and any text beside it, which can only make more findings say it."""
    from ozml.nodes import Text

    chosen = frozenset(syntaxes)
    return bool(chosen) and any(
        isinstance(child, Text)
        and child.cdata
        and bool(written_parts(blanked(child.value, child.templates), chosen))
        for child in element.children
    )


def dynamic_content(element: Element, syntaxes: frozenset[str] = DEFAULT) -> bool:
    """Whether part of the element's own content is only known once the template has run: a
    processing instruction (``<Speak><?php echo $x; ?></Speak>``: legal XML, never OzML,
    whatever `syntaxes` says) or a template part of one of `syntaxes` among its children."""
    from ozml.nodes import ProcessingInstruction, Template, Text

    for child in element.children:
        if isinstance(child, ProcessingInstruction):
            return True
        if isinstance(child, Template) and syntax_of(child.text) in syntaxes:
            return True
        if isinstance(child, Text) and dynamic(child.value, child.templates, syntaxes):
            return True
    return False


def literal(value: str, syntaxes: frozenset[str]) -> str:
    """`value` with the openers of the syntaxes *not* in `syntaxes` made harmless (``{{`` to
    ``}}``, ``<%`` to ``>%``): for a check that takes any opener for a template part, so that
    the parts of a syntax turned off are checked as the text they then are. Each replacement
    is a character every value type treats like the one it replaces."""
    off = DEFAULT - syntaxes
    if not off or ("{" not in value and "<" not in value):
        return value
    for name in off:
        for opener, _ in SYNTAXES[name].delimiters:
            value = value.replace(opener, opener.translate(_HARMLESS))
    if "php" in off:
        value = value.replace("<?PHP", ">?PHP")
    return value


_HARMLESS = str.maketrans("{<", "}>")


def dynamic_tag(element: Element, templated_tags: frozenset[int]) -> bool:
    """Whether the element's start tag holds a template part (`ParseResult.templated_tags`):
    attributes may come from the template."""
    return element.index in templated_tags


# --- control blocks between commands --------------------------------------------------------------

#: Jinja, Twig, Django, Liquid and Nunjucks tags that open a block closed by an ``end...`` tag.
_JINJA_OPENS = frozenset(
    {
        "if", "for", "unless", "while", "with", "block", "macro", "call", "filter", "case",
        "capture", "tablerow", "autoescape", "spaceless", "embed", "apply", "ifchanged",
        "ifequal", "ifnotequal", "each", "foreach", "sandbox", "trans", "blocktrans",
    }
)  # fmt: skip
#: The expressions `block_step` reads a template part's code with, compiled when a document
#: first has a part between its commands (about half a millisecond at import, for documents
#: nearly none of which have one).
_WORD = lazy.pattern(r"[A-Za-z_]+")
#: PHP's alternative syntax: ``if (...):``, ``foreach (...):`` ... ``endif;``, ``endforeach;``.
_PHP_COLON_OPENS = lazy.pattern(r"^\s*(?:if|foreach|for|while|switch)\b.*:\s*$", re.S | re.I)
_PHP_ENDS = lazy.pattern(r"\bend(?:if|foreach|for|while|switch)\b", re.I)
#: ASP (VBScript), ERB and others without braces: a statement that opens a block, one that ends
#: it, and a one-line VBScript If (``If x Then y``), which opens none.
_WORD_OPENS = lazy.pattern(
    r"^\s*(?:if|unless|while|until|for|case|select|do|with)\b|\bdo\s*(?:\|[^|]*\|)?\s*$", re.I
)
_WORD_ENDS = lazy.pattern(r"^\s*(?:end|next|wend|loop)\b", re.I)
_ONE_LINE_IF = lazy.pattern(r"\bthen\s*\S", re.I)
#: What a brace in code does not count in: strings and comments.
_CODE_SKIPPED = lazy.pattern(
    r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^'\\]|\\.)*'?|//[^\n]*|#[^\n]*|/\*.*?(?:\*/|$)", re.S
)


def _braces(code: str, depth: int) -> int:
    """`depth` after the ``{`` and ``}`` of `code` outside its strings and comments, in order
    (``} else {`` closes a block and opens one)."""
    for piece in _CODE_SKIPPED().split(code):
        for c in piece:
            if c == "{":
                depth += 1
            elif c == "}":
                depth = max(depth - 1, 0)
    return depth


def _code_step(code: str, depth: int, *, words: bool) -> int:
    if "{" in code or "}" in code:
        return _braces(code, depth)
    if _PHP_ENDS().search(code) is not None:
        return max(depth - 1, 0)
    if _PHP_COLON_OPENS().match(code) is not None:
        return depth + 1
    if not words:
        return depth
    if _WORD_ENDS().match(code) is not None:
        return max(depth - 1, 0)
    if _WORD_OPENS().search(code) is not None and _ONE_LINE_IF().search(code) is None:
        return depth + 1
    return depth


def block_step(node: Template | ProcessingInstruction, depth: int) -> int:
    """The depth of open control blocks after `node`, a template part or processing instruction
    between commands, read at `depth`: ``{% if %}``, ``{{#each}}``, ``<?php if ($x) { ?>``,
    ``<?php foreach ($a as $b): ?>``, ``<% If x Then %>``, ``<% if (x) { %>``, ``<% items.each
    do |i| %>`` open one; ``{% endif %}``, ``{{/each}}``, ``<?php } ?>``, ``<% End If %>``,
    ``<% end %>`` close one; ``{% else %}`` and ``<?php } else { ?>`` close and open one. What
    is not recognised leaves the depth as it is."""
    from ozml.nodes import ProcessingInstruction

    if isinstance(node, ProcessingInstruction):
        if node.target.lower() != "php":
            return depth
        return _code_step(node.text, depth, words=False)
    text = node.text
    syntax = syntax_of(text)
    if syntax == "jinja":
        inner = text[2:-2].strip("-+~ \t\r\n")
        if text.startswith("{{"):  # Handlebars and Mustache sections
            if inner.startswith(("#", "^")):
                return depth + 1
            return max(depth - 1, 0) if inner.startswith("/") else depth
        if not text.startswith("{%"):
            return depth  # a comment
        word = _WORD().match(inner)
        name = word.group().lower() if word is not None else ""
        if name.startswith("end"):
            return max(depth - 1, 0)
        if name in _JINJA_OPENS or (name == "set" and "=" not in inner):
            return depth + 1
        return depth
    if syntax == "php":
        body = text[5:] if text[:5].lower() == "<?php" else text[3:]
        return _code_step(body[:-2], depth, words=False)
    if syntax == "asp":
        body = text[2:-2].strip("-")
        if body.startswith(("#", "--")) or body.lstrip().startswith("'"):
            return depth  # a comment
        return _code_step(body.lstrip("=:@ "), depth, words=True)
    return depth


def blocked(element: Element) -> frozenset[int]:
    """The ids of the child elements of `element` that stand inside a control block of the
    template (`block_step`): the template decides whether they are written at all."""
    from ozml.nodes import Element, ProcessingInstruction, Template

    inside: set[int] = set()
    depth = 0
    for child in element.children:
        if isinstance(child, Template | ProcessingInstruction):
            depth = block_step(child, depth)
        elif depth and isinstance(child, Element):
            inside.add(id(child))
    return frozenset(inside)


#: `blocked` of the elements asked about lately, by id (with the element, so that the id stays
#: its own while it is here).
_BLOCKED: dict[int, tuple[Element, frozenset[int]]] = {}


def in_block(parent: Element, child: Element) -> bool:
    """Whether `child`, a child element of `parent`, stands inside a control block of the
    template (``{% if %}...{% endif %}``, ``<?php if ($x) { ?>...<?php } ?>``, ``<% If x Then
    %>...<% End If %>``, a loop): it may be written or not, once or many times, so a flow rule
    cannot be certain of what follows from it (docs/templates.md). Each parent's children are
    read once however many of them are asked about."""
    key = id(parent)
    found = _BLOCKED.get(key)
    if found is None or found[0] is not parent:
        if len(_BLOCKED) >= 512:
            _BLOCKED.clear()
        found = _BLOCKED[key] = (parent, blocked(parent))
    return id(child) in found[1]
