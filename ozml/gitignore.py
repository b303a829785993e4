"""git's ignore lines, read and matched as git reads and matches them.

One `IgnoreList` holds the lines of one folder's ignore files (or of a repository-wide file)
and answers, for a path below that folder, what the last line that matches the path *itself*
says: ignored (True), taken back by a ``!`` line (False) or nothing (None). Whether a folder
above the path is ignored is the caller's question, asked from the top down, as git does: git
never looks inside an ignored folder, so no line can take back a file in it
(`ozml.files.Ignores`).

Why not pathspec's `GitIgnoreSpec`: its expressions answer whether a path *or a folder above
it* matches a line, and it breaks ties between the two by a rule of its own. Where a later
``!`` line takes a folder back, that differs from git: with the lines ``a``, ``ba`` and ``!a``,
git ignores ``a/ba/a`` (``ba`` ignores the folder ``a/ba``), and pathspec does not (``!a``
matches the folder ``a`` above it, later than ``ba``). It also lets ``[!a]`` match ``/``, drops
a line with a ``[`` before a ``/``, and reads ``!/`` as taking every path back. Here each line
becomes one expression that matches exactly the paths git's wildmatch matches with the line
(``dir.c`` and ``wildmatch.c``: ``*``, ``?``, classes with ranges, ``!``/``^`` and the named
classes, ``\\`` escapes, ``**`` at the start, in the middle and at the end, a trailing ``/``,
a leading or inner ``/``, trailing spaces), over the bytes of the path as git sees them, in
either letter case where the repository's ``core.ignoreCase`` says so.

The expressions of a list go into one google-re2 set, matched in one pass over the path in time
linear in the path whatever the lines are (Python's expressions backtrack: ``a*a*a*a*a*b``
against a long name grows as the fifth power of its length). A list of more lines than one set
holds (`_SET_LINES`, fewer where google-re2 refuses a set past its memory budget) is held in
several sets, and the last line that matches still decides: the answer is git's either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import re2

#: git's character classes (``[[:alpha:]]``), over the bytes git's own ``ctype`` knows: ASCII.
_NAMED: dict[str, frozenset[int]] = {
    "alnum": frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    "alpha": frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    "blank": frozenset(b" \t"),
    "cntrl": frozenset([*range(32), 127]),
    "digit": frozenset(b"0123456789"),
    "graph": frozenset(range(0x21, 0x7F)),
    "lower": frozenset(b"abcdefghijklmnopqrstuvwxyz"),
    "print": frozenset(range(0x20, 0x7F)),
    "punct": frozenset([*range(33, 48), *range(58, 65), *range(91, 97), *range(123, 127)]),
    "space": frozenset(b" \t\n\r"),
    "upper": frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "xdigit": frozenset(b"0123456789ABCDEFabcdef"),
}
_SLASH = ord("/")
_STAR = ord("*")
_BACKSLASH = ord("\\")


class _NeverMatches(Exception):
    """A line git's wildmatch matches with no path: a class that is not closed, a class name
    git does not know, a ``\\`` at the end (and, under ``core.ignoreCase``, an escaped
    capital)."""


def _byte(value: int) -> str:
    """One byte as an expression that matches it alone."""
    return chr(value) if chr(value).isalnum() and value < 128 else f"\\x{{{value:02x}}}"


def _class(values: set[int]) -> str:
    """The bytes of `values` (never ``/``) as one bracket expression, by runs."""
    values.discard(_SLASH)
    if not values:
        return "[^\\x{00}-\\x{ff}]"  # matches no byte: the line matches nothing here
    out = []
    ordered = sorted(values)
    first = last = ordered[0]
    for value in [*ordered[1:], -2]:
        if value == last + 1:
            last = value
            continue
        out.append(_byte(first) if first == last else f"{_byte(first)}-{_byte(last)}")
        first = last = value
    return "[" + "".join(out) + "]"


def _lower(value: int) -> int:
    """An ASCII capital's small letter (git's ``tolower``); any other byte as it is."""
    return value + 32 if 65 <= value <= 90 else value


def _escaped(pattern: bytes, at: int) -> tuple[int, int]:
    """The byte a ``\\`` at `at` escapes, and where it is; a ``\\`` at the end escapes
    nothing, and wildmatch then matches no path."""
    if at + 1 >= len(pattern):
        raise _NeverMatches
    return pattern[at + 1], at + 1


def _bracket(pattern: bytes, at: int, casefold: bool) -> tuple[str, int]:
    """The class that starts at ``pattern[at] == "["``, as wildmatch reads it, and where the
    pattern goes on after its ``]``. With `casefold` (``core.ignoreCase``), wildmatch compares
    the path's byte made small (ASCII) with the class as written, and tries a small letter's
    capital against its ranges, and ``[:upper:]`` takes small letters too: `_folded`."""
    end = len(pattern)
    p = at + 1
    negated = p < end and pattern[p] in b"!^"
    if negated:
        p += 1
    values: set[int] = set()
    ranges: list[tuple[int, int]] = []
    upper = False
    previous = 0
    first = True
    while first or pattern[p] != ord("]"):
        first = False
        if p >= end:
            raise _NeverMatches
        char = pattern[p]
        if char == _BACKSLASH:
            char, p = _escaped(pattern, p)
            values.add(char)
        elif char == ord("-") and previous and p + 1 < end and pattern[p + 1] != ord("]"):
            p += 1
            char = pattern[p]
            if char == _BACKSLASH:
                char, p = _escaped(pattern, p)
            values.update(range(previous, char + 1))
            ranges.append((previous, char))
            char = 0
        elif char == ord("[") and p + 1 < end and pattern[p + 1] == ord(":"):
            close = pattern.find(b"]", p + 2)
            if close < 0:
                raise _NeverMatches
            if close - (p + 2) - 1 < 0 or pattern[close - 1] != ord(":"):
                values.add(char)  # no ``:]``: the ``[`` is a byte of the class
            else:
                name = pattern[p + 2 : close - 1].decode("latin-1")
                if name not in _NAMED:
                    raise _NeverMatches
                values.update(_NAMED[name])
                upper = upper or name == "upper"
                p = close
                char = 0
        else:
            values.add(char)
        previous = char
        p += 1
        if p >= end:
            raise _NeverMatches
    if casefold:
        values = _folded(values, ranges, upper)
    if negated:
        values = set(range(256)) - values
    return _class(values), p + 1


def _folded(values: set[int], ranges: list[tuple[int, int]], upper: bool) -> set[int]:
    """The bytes a class takes under ``core.ignoreCase``: those whose small form (ASCII) the
    class takes as written (`values`), or, for a small letter, whose capital lies in one of
    its `ranges`, or any letter where it names ``[:upper:]``."""
    taken = set()
    for byte in range(256):
        small = _lower(byte)
        if (
            small in values
            or (97 <= small <= 122 and any(lo <= small - 32 <= hi for lo, hi in ranges))
            or (upper and 97 <= small <= 122)
        ):
            taken.add(byte)
    return taken


def _letter(value: int, casefold: bool) -> str:
    """A byte of the pattern outside a class: itself, or with `casefold` an ASCII letter in
    either case (wildmatch makes both the pattern's byte and the path's small)."""
    small = _lower(value)
    if casefold and 97 <= small <= 122:
        return f"[{chr(small - 32)}{chr(small)}]"
    return _byte(value)


def _wild(pattern: bytes, *, pathname: bool, casefold: bool = False) -> str:
    """git's wildmatch of `pattern` as one expression over bytes (matched whole). With
    `pathname` (a line with a ``/``), ``**`` between slashes crosses folders; a line without
    one is matched against the last name of a path, where nothing crosses a ``/``. With
    `casefold` (``core.ignoreCase``), as git then matches: ASCII letters in either case, but
    an escaped capital (``\\A``), which wildmatch compares as written with the path's byte
    made small, matches nothing."""
    out: list[str] = []
    end = len(pattern)
    i = 0
    while i < end:
        char = pattern[i]
        if char == _STAR:
            j = i
            while j < end and pattern[j] == _STAR:
                j += 1
            boundary = (i == 0 or pattern[i - 1] == _SLASH) and (
                j == end
                or pattern[j] == _SLASH
                or (pattern[j] == _BACKSLASH and j + 1 < end and pattern[j + 1] == _SLASH)
            )
            if pathname and j - i >= 2 and boundary:
                if j < end and pattern[j] == _SLASH:
                    out.append("(?:.*/)?")  # ``**/``: no folder, or any folders
                    i = j + 1
                    continue
                out.append(".*")
            else:
                out.append("[^/]*")
            i = j
        elif char == ord("?"):
            out.append("[^/]")
            i += 1
        elif char == ord("["):
            expression, i = _bracket(pattern, i, casefold)
            out.append(expression)
        elif char == _BACKSLASH:
            escaped, i = _escaped(pattern, i)
            if casefold and 65 <= escaped <= 90:
                raise _NeverMatches
            out.append(_letter(escaped, casefold))
            i += 1
        else:
            out.append(_letter(char, casefold))
            i += 1
    return "".join(out)


def _trimmed(line: bytes) -> bytes:
    """The line without its trailing spaces, but for one escaped by a ``\\``."""
    last_space = -1
    i = 0
    end = len(line)
    while i < end:
        char = line[i]
        if char == ord(" "):
            if last_space < 0:
                last_space = i
        elif char == _BACKSLASH:
            i += 1
            if i >= end:
                return line
            last_space = -1
        else:
            last_space = -1
        i += 1
    return line[:last_space] if last_space >= 0 else line


def expression(line: bytes, casefold: bool = False) -> tuple[str, bool, bool] | None:
    """One line of an ignore file as git reads it: the expression a path (relative to the
    file's folder, ``/`` between names, as bytes) must match whole, whether the line takes
    paths back (``!``), and whether it matches folders only (a trailing ``/``). None for a
    comment, a blank line and a line that can match no path. `casefold`: git's
    ``core.ignoreCase``."""
    if line.endswith(b"\r"):
        line = line[:-1]
    if not line or line.startswith(b"#"):
        return None
    line = _trimmed(line)
    negative = line.startswith(b"!")
    if negative:
        line = line[1:]
    folders_only = line.endswith(b"/")
    if folders_only:
        line = line[:-1]
    pathname = b"/" in line
    if pathname and line.startswith(b"/"):
        line = line[1:]
    if not line:
        return None
    try:
        body = _wild(line, pathname=pathname, casefold=casefold)
    except _NeverMatches:
        return None
    return ("(?s)" + body if pathname else "(?s)(?:.*/)?" + body), not negative, folders_only


def lines_of(data: bytes) -> list[bytes]:
    """The lines of an ignore file's bytes, as git splits them (a UTF-8 byte order mark
    dropped, a ``\\r`` before each ``\\n`` too, in `expression`)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.split(b"\n")


#: The lines of one set at the most. A set of many more compiles in time growing faster than
#: its lines, and is refused past google-re2's memory budget (some thousands of lines) only
#: after the time it took to fill it; the few sets of a large file are matched one after the
#: other, each in time linear in the path.
_SET_LINES = 1024


class IgnoreList:
    """The lines of one folder's ignore files, later lines winning, matched as git does;
    with `casefold`, as git does under ``core.ignoreCase`` (the default of a repository made
    on macOS and Windows).

    Raises `ValueError` when google-re2 cannot compile one line alone."""

    __slots__ = ("_folders_only", "_include", "_sets")

    def __init__(self, lines: Iterable[str | bytes], *, casefold: bool = False) -> None:
        read: list[tuple[str, bool, bool]] = []
        for line in lines:
            raw = line if isinstance(line, bytes) else line.encode("utf-8", "surrogateescape")
            made = expression(raw, casefold)
            if made is not None:
                read.append(made)
        self._include: list[bool] = [include for _, include, _ in read]
        self._folders_only: list[bool] = [folders for _, _, folders in read]
        #: (the set, the index of its first line): later sets hold later lines.
        self._sets: list[tuple[re2.Set, int]] = []
        if read:
            self._compile([text for text, _, _ in read])

    def _compile(self, texts: list[str]) -> None:
        """Consecutive sets of `_SET_LINES` lines, or fewer where google-re2 refuses a set
        past its memory budget (halved at each refusal, and kept for the sets after it):
        each line is added a bounded number of times, so the time stays linear in the
        lines."""
        import re2

        from ozml.re2options import matcher_options

        size = min(len(texts), _SET_LINES)
        start = 0
        while start < len(texts):
            chunk = texts[start : start + size]
            made = re2.Set.FullMatchSet(matcher_options(latin1=True))  # a byte, a character
            try:
                for text in chunk:
                    made.Add(text.encode("latin-1"))
                made.Compile()
            except re2.error as error:
                if size == 1:
                    raise ValueError(f"line not usable: {error}") from None
                size //= 2
                continue
            self._sets.append((made, start))
            start += len(chunk)

    def __bool__(self) -> bool:
        return bool(self._sets)

    def match(self, path: str, is_dir: bool) -> bool | None:
        """What the last line that matches `path` itself says (True: ignored), None when no
        line does. `path` is relative to the folder of the ignore files, ``/`` between
        names, with no ``/`` at either end."""
        data = path.encode("utf-8", "surrogateescape")
        folders_only = self._folders_only
        for regex_set, start in reversed(self._sets):
            found = regex_set.Match(data)
            if not found:
                continue
            best = -1
            for index in found:
                if index > best and (is_dir or not folders_only[start + index]):
                    best = index
            if best >= 0:
                include: bool = self._include[start + best]
                return include
        return None
