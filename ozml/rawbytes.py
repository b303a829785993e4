"""Searching a document's raw bytes.

``part in data``, for two bytes objects, first tries to read `part` as an integer (``65 in
b"A"`` is true), and for a bytes `part` Python raises and clears a TypeError on the way: about
0.4 µs before the search starts, several times the search itself in a small document. The
checks every file goes through (the quick check, the parser, the linter's per-document
questions) ask `holds` instead, which searches directly.
"""

from __future__ import annotations


def holds(data: bytes, part: bytes) -> bool:
    """Whether `part` occurs in `data` (``part in data``, without the detour)."""
    return data.find(part) >= 0


def holds_any(data: bytes, parts: tuple[bytes, ...] | frozenset[bytes]) -> bool:
    """Whether any of `parts` occurs in `data`."""
    find = data.find
    return any(find(part) >= 0 for part in parts)


__all__ = ["holds", "holds_any"]
