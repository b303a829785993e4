"""Where each key and value of a TOML text is written, for messages about them.

`tomllib` gives values without positions. A message about a setting says ``FILE:LINE:COLUMN:``
(docs/configuration.md), so the text is scanned once, the first time a position is asked for
(a valid file never pays for it), and every key and value is recorded under its *path*: the
keys from the document's root, with the index of an element in an array (``("select", 1)``,
``("extensions", 2, "answer")``, ``("tool", "ozml", "format", "indent-style")``). Dotted keys,
quoted keys, inline tables, arrays of tables and multi-line strings are read as TOML reads
them; the scan is one pass over the text, with no recursion however deep the values nest.

The text is the one `tomllib` read without error: the scan trusts its shape, and stops quietly
at anything it does not expect, so that a position it cannot tell is left out of the message
rather than made up.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Sequence
from functools import cached_property

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BLANK = re.compile(r"[ \t]*+")
#: White space, line ends and comments, between top-level lines and inside arrays.
_SPACE = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
#: A value that is not a string, array or inline table: a number, boolean, date or time (which
#: may hold a space), up to what ends it.
_BARE_VALUE = re.compile(r"[^,\]}#\r\n]*+")
_BASIC_STOP = re.compile(r'["\\]')


class _Stop(Exception):
    """The scan met something it does not read; the positions found so far stand."""


class _TooManyParts(Exception):
    """A key (or a table header) has more dotted parts than the scan was told to allow."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        #: Where the key's first part is written.
        self.offset = offset


class _Node:
    """A key, a table or an array element of the text: where its key and its value are
    written (-1: nowhere), and what is below it. A tree, not a map of paths, so that a key
    nested n deep costs the scan one node, not a path of n parts."""

    __slots__ = ("below", "key", "last", "value")

    def __init__(self) -> None:
        self.below: dict[str | int, _Node] = {}
        self.key = -1
        self.value = -1
        #: For an array of tables: the index of its last ``[[...]]`` element so far.
        self.last = -1

    def child(self, name: str | int, offset: int) -> _Node:
        """The node below named `name`, made with its key at `offset` if it is new."""
        node = self.below.get(name)
        if node is None:
            node = self.below[name] = _Node()
        if node.key < 0:
            node.key = offset
        return node


class TomlPositions:
    """The positions of the keys and values of one TOML text (1-based line and column, the
    column counted in characters), found on the first question."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: _Node | None = None

    def key(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Where the key at `path` is written (the ``[[...]]`` header, for an element of an
        array of tables), else its value, else its nearest ancestor's key."""
        return self._find(path, value=False)

    def value(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Where the value at `path` is written (its key's place, for a table given by a
        header), else its nearest ancestor's key."""
        return self._find(path, value=True)

    def _find(self, path: Sequence[str | int], *, value: bool) -> tuple[int, int] | None:
        if self._root is None:
            self._root = _Node()
            from ozml.gcpause import collector_paused

            # The nodes live on with the answer: the collector would walk them over and over.
            with collector_paused(), contextlib.suppress(_Stop, IndexError, ValueError):
                _Scan(self.text, self._root).run()
        node, found, offset = self._root, 0, -1
        for name in path:
            below = node.below.get(name)
            if below is None:
                break
            node, found = below, found + 1
            if node.key >= 0 or node.value >= 0:
                offset = node.key if node.key >= 0 else node.value
        if found == len(path) and path:
            first, second = (node.value, node.key) if value else (node.key, node.value)
            offset = first if first >= 0 else second if second >= 0 else offset
        return self._position(offset) if offset >= 0 else None

    def first_long_key(self, limit: int) -> tuple[int, int] | None:
        """Where the first key or table header of more than `limit` dotted parts is written
        (``a.b.c`` has three; the line and column of its first part), or None: read by the same
        one pass, stopped there."""
        with contextlib.suppress(_Stop, IndexError, ValueError):
            try:
                _Scan(self.text, _Node(), limit).run()
            except _TooManyParts as found:
                return self._position(found.offset)
        return None

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(found.end() for found in re.finditer("\n", self.text))]

    def _position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def located(shown: str, positions: TomlPositions | None, path: Sequence[str | int],
            *, value: bool = False) -> str:
    """``FILE:LINE:COLUMN`` of the key (or, with `value`, the value) at `path`, or ``FILE``
    where the position cannot be told: the start of a message about it."""
    if positions is None:
        return shown
    found = positions.value(path) if value else positions.key(path)
    return f"{shown}:{found[0]}:{found[1]}" if found is not None else shown


#: Where `tomllib` says it stopped, at the end of its message (its only form from Python 3.11
#: on; 3.13 also sets ``lineno`` and ``colno``, to the same place), and `ozml.dataformats`
#: the same way for a number too long to read.
_REFUSED_AT = re.compile(r" \(at (?:line ([0-9]+), column ([0-9]+)|(end of document))\)\Z")


def invalid_toml(shown: str, text: str, reason: str) -> str:
    """The message for `text`, the file `shown`, which is not TOML for `reason` (the text of
    `ozml.dataformats.DataError`): ``FILE:LINE:COLUMN: not valid TOML: REASON``, the place
    taken out of the reason's ``(at line L, column C)``, as every other message about a
    configuration, a scenario or the simulator's configuration gives it: 1-based line and
    column, the column counted in characters (as `TomlPositions`; the same numbers as
    `tomllib`'s, whose line ends of Windows count as one character at the end of a line).
    At ``(at end of document)`` the place is just past the last character, and the reason
    says so; a reason with no place (nesting too deep) gives ``FILE: not valid TOML:``."""
    found = _REFUSED_AT.search(reason)
    if found is None:
        return f"{shown}: not valid TOML: {reason}"
    reason = reason[: found.start()]
    if found.group(3) is None:
        line, column = int(found.group(1)), int(found.group(2))
    else:
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        reason += " (at the end of the file)"
    return f"{shown}:{line}:{column}: not valid TOML: {reason}"


class _Scan:
    """One pass over the text, recording where each key and value is in a tree of nodes."""

    def __init__(self, text: str, root: _Node, limit: int | None = None) -> None:
        self.text = text
        self.at = 0
        self.root = root
        #: The most parts a key may have (`_TooManyParts` past it); None: any number.
        self.limit = limit

    def run(self) -> None:
        text, size = self.text, len(self.text)
        table = self.root
        while True:
            self.at = _past(_SPACE, text, self.at)
            if self.at >= size:
                return
            if text[self.at] == "[":
                table = self.header()
            else:
                node = self.dotted(table)
                self.expect("=")
                self.value(node)

    # -- keys --------------------------------------------------------------------------------

    def parts(self) -> list[tuple[str, int]]:
        """A dotted key: each part, decoded, with its offset."""
        text = self.text
        found = []
        while True:
            self.at = _past(_BLANK, text, self.at)
            start = self.at
            if text[start] == '"':
                self.at = self.basic_end(start + 1)
                found.append((_decoded(text[start : self.at]), start))
            elif text[start] == "'":
                self.at = text.index("'", start + 1) + 1
                found.append((text[start + 1 : self.at - 1], start))
            else:
                bare = _BARE_KEY.match(text, start)
                if bare is None:
                    raise _Stop
                self.at = bare.end()
                found.append((bare.group(), start))
            self.at = _past(_BLANK, text, self.at)
            if text[self.at] != ".":
                return found
            if self.limit is not None and len(found) >= self.limit:
                raise _TooManyParts(found[0][1])
            self.at += 1

    def dotted(self, table: _Node) -> _Node:
        """A key-value pair's key under `table`: every part recorded, the last one returned."""
        node = table
        for name, offset in self.parts():
            node = node.child(name, offset)
        return node

    def header(self) -> _Node:
        """A ``[table]`` or ``[[array]]`` header: the node of the table it opens."""
        start = self.at
        array = self.text.startswith("[[", start)
        self.at += 2 if array else 1
        parts = self.parts()
        self.expect("]]" if array else "]")
        node = self.root
        for number, (name, offset) in enumerate(parts):
            node = node.child(name, offset)
            if number < len(parts) - 1 and node.last >= 0:
                node = node.below[node.last]  # [a.b] under [[a]]: its last element's b
        if array:
            node.last += 1
            node = node.child(node.last, start)
        return node

    def expect(self, token: str) -> None:
        self.at = _past(_BLANK, self.text, self.at)
        if not self.text.startswith(token, self.at):
            raise _Stop
        self.at += len(token)

    # -- values ------------------------------------------------------------------------------

    def value(self, node: _Node) -> None:
        """The value at the cursor, with every element and key inside it, without recursion:
        `open` holds the arrays (with their next index) and inline tables being read."""
        text = self.text
        open: list[tuple[_Node, list[int] | None]] = []
        wanted: _Node | None = node
        while True:
            if wanted is not None:
                self.at = _past(_SPACE, text, self.at)
                start = self.at
                if wanted.value < 0:
                    wanted.value = start
                if text[start] == "[":
                    open.append((wanted, [0]))
                    self.at += 1
                elif text[start] == "{":
                    open.append((wanted, None))
                    self.at += 1
                else:
                    self.at = self.scalar_end(start)
                wanted = None
            if not open:
                return
            container, counter = open[-1]
            self.at = _past(_SPACE, text, self.at)
            if text[self.at] == ",":
                self.at = _past(_SPACE, text, self.at + 1)
            if text[self.at] == ("]" if counter is not None else "}"):
                self.at += 1
                open.pop()
            elif counter is not None:
                wanted = container.child(counter[0], self.at)
                counter[0] += 1
            else:
                wanted = self.dotted(container)
                self.expect("=")

    def scalar_end(self, start: int) -> int:
        text = self.text
        if text.startswith('"""', start):
            return self.multiline_basic_end(start + 3)
        if text.startswith("'''", start):
            return _quotes_end(text, text.index("'''", start + 3), "'")
        if text[start] == '"':
            return self.basic_end(start + 1)
        if text[start] == "'":
            return text.index("'", start + 1) + 1
        return _past(_BARE_VALUE, text, start)

    def basic_end(self, at: int) -> int:
        """The end of a one-line basic string whose text starts at `at`."""
        while True:
            stop = _BASIC_STOP.search(self.text, at)
            if stop is None:
                raise _Stop
            if stop.group() == "\\":
                at = stop.end() + 1
                continue
            return stop.end()

    def multiline_basic_end(self, at: int) -> int:
        while True:
            stop = _BASIC_STOP.search(self.text, at)
            if stop is None:
                raise _Stop
            if stop.group() == "\\":
                at = stop.end() + 1
            elif self.text.startswith('"""', stop.start()):
                return _quotes_end(self.text, stop.start(), '"')
            else:
                at = stop.end()


def _past(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where a run of `pattern` (which matches the empty string too) starting at `at` ends."""
    found = pattern.match(text, at)
    return found.end() if found is not None else at


def _quotes_end(text: str, at: int, quote: str) -> int:
    """The end of a multi-line string's closing quotes at `at`: up to two more quotes just
    before them belong to the string (``'''it's''''`` ends after the fourth)."""
    end = at + 3
    while end < at + 5 and text.startswith(quote, end):
        end += 1
    return end


def _decoded(written: str) -> str:
    """A quoted key as TOML reads it (escapes only in basic strings)."""
    inner = written[1:-1]
    if "\\" not in inner:
        return inner
    import tomllib

    try:
        return next(iter(tomllib.loads(f"{written} = 0")))
    except (tomllib.TOMLDecodeError, StopIteration):
        return inner


__all__ = ["TomlPositions", "invalid_toml", "located"]
