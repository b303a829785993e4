"""Searching a document's raw bytes.

``part in data``, for two bytes objects, first tries to read `part` as an integer (``65 in
b"A"`` is true), and for a bytes `part` Python raises and clears a TypeError on the way: about
0.4 µs before the search starts, several times the search itself in a small document. The
checks every file goes through (the quick check, the parser, the linter's per-document
questions) ask `holds` instead, which searches directly.

A large document is searched for a dozen parts on its way through `ozml check` (``<!``,
``&#``, ``xmlns``, ``<!DOCTYPE``...), most of which it does not hold, and a search for a part
of several bytes reads about 1-2 GB a second: 2 to 4.5 ms each in 5 MB. A search for one byte
reads about 30 GB a second and stops where it finds it. So from `SCREEN_FROM` bytes on, `holds`
first looks for each byte of the part alone (`_screened`): one the document does not hold
settles it, in a tenth of the time; a byte it holds is usually found near its start, which
costs nothing.
"""

from __future__ import annotations

#: From this many bytes on, `holds` screens the part's bytes first.
SCREEN_FROM = 1 << 16


def holds(data: bytes, part: bytes, start: int = 0) -> bool:
    """Whether `part` occurs in `data` (``part in data``, without the detour), from `start` on."""
    if len(data) - start >= SCREEN_FROM:
        find = data.find
        for byte in _screened(part):
            if find(byte, start) < 0:
                return False
        if len(part) > 1 and part[0] == 60:
            # A part that begins with "<" (``<?``, ``<!--``): the search for it stops at
            # every "<" of the document, and reads it at about 1 GB a second. Its second byte
            # is found ten times as fast, and is often in few places (a ``?`` in the XML
            # declaration alone): the part is looked for at each of the first `_TRIES`,
            # then from the next on.
            second = part[1:2]
            at = find(second, start + 1)
            for _ in range(_TRIES):
                if at < 0:
                    return False
                if data.startswith(part, at - 1):
                    return True
                at = find(second, at + 1)
            if at < 0:
                return False
            start = at - 1
    return data.find(part, start) >= 0


#: How many places of the second byte of a part that begins with "<" `holds` tries before it
#: searches for the part itself.
_TRIES = 8


def holds_any(data: bytes, parts: tuple[bytes, ...] | frozenset[bytes]) -> bool:
    """Whether any of `parts` occurs in `data`."""
    return any(holds(data, part) for part in parts)


def _screened(part: bytes) -> tuple[bytes, ...]:
    """The bytes `holds` looks for alone before it looks for `part`: each byte of it once, but
    ``<``, which every document holds near its start (and a part of one byte, which is the
    search itself)."""
    found = _SCREENS.get(part)
    if found is None:
        found = (
            tuple(dict.fromkeys(part[i : i + 1] for i in range(len(part)) if part[i] != 60))
            if len(part) > 1
            else ()
        )
        if len(_SCREENS) < _SCREENS_KEPT:
            _SCREENS[part] = found
    return found


def wide(data: bytes) -> bool:
    """Whether `data` is written in UTF-16 (or another encoding in which ASCII is not ASCII),
    with or without a byte order mark: a search for ASCII markup in its bytes finds nothing.
    Every other encoding a document may be in writes ASCII as ASCII, so that such a search
    of its bytes finds what a search of its text would."""
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.find(b"\x00", 0, 4) >= 0


#: The screens of the parts searched for so far: the program's own handful of constants, and
#: the few names it searches for (bounded all the same).
_SCREENS: dict[bytes, tuple[bytes, ...]] = {}
_SCREENS_KEPT = 256


__all__ = ["SCREEN_FROM", "holds", "holds_any", "wide"]
