"""Line diffs whose time grows with the number of lines, not with its square.

difflib's SequenceMatcher looks for the longest run of equal lines by trying every place a line
occurs on the other side: where lines repeat (``<Hangup/>``, ``</Input>``, a blank line) and
change, its time grows with the square of the lines. Diffing a 16,000-line document against
its formatted text took 10 s (``ozml fmt --diff``), and the language server's formatting, which
compares them without difflib's heuristic for popular lines, took 13 s for 4,000 lines and
more than ten minutes for 16,000.

Inputs of at most `WHOLE` lines (on both sides together) are still compared by difflib, so
their diffs are exactly difflib's. A larger input is cut where the two sides share a line that
occurs once on each (patience diff: of those, the longest run that stands in the same order
on both sides), after the lines the two sides start and end with are taken as equal. Each piece
between two such lines is cut again in the same way, by the lines that occur once in that
piece, up to `DEPTH` times; a piece of at most `SMALL` lines is compared by difflib, and one
that is still larger after `DEPTH` cuts, or that has no line to cut at, is replaced whole.
Each level of cuts reads every line once, so a diff costs O(n log n).
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import Literal

#: (tag, i1, i2, j1, j2), as `difflib.SequenceMatcher.get_opcodes` gives them.
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]

#: The most lines (both sides together) difflib compares whole.
WHOLE = 400
#: The most lines (both sides together) of a piece difflib compares.
SMALL = 64
#: How many times a piece is cut at its unique lines.
DEPTH = 8


def opcodes(a: Sequence[str], b: Sequence[str], *, autojunk: bool = True) -> list[Opcode]:
    """How to turn the lines `a` into the lines `b`, as difflib's opcodes (`autojunk` as
    difflib's, for inputs it compares whole)."""
    if len(a) + len(b) <= WHOLE:
        return difflib.SequenceMatcher(None, a, b, autojunk=autojunk).get_opcodes()
    blocks: list[tuple[int, int, int]] = []
    _match(a, b, 0, len(a), 0, len(b), DEPTH, blocks)
    return _opcodes(blocks, len(a), len(b))


def unified_diff(
    a: Sequence[str], b: Sequence[str], fromfile: str = "", tofile: str = "", n: int = 3,
    lineterm: str = "\n",
) -> Iterator[str]:  # fmt: skip
    """`difflib.unified_diff` of the lines `a` and `b` (the same lines for inputs of at most
    `WHOLE` lines), with `opcodes`."""
    started = False
    for group in _Grouped(opcodes(a, b)).get_grouped_opcodes(n):
        if not started:
            started = True
            yield f"--- {fromfile}{lineterm}"
            yield f"+++ {tofile}{lineterm}"
        first, last = group[0], group[-1]
        old, new = _range(first[1], last[2]), _range(first[3], last[4])
        yield f"@@ -{old} +{new} @@{lineterm}"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for line in a[i1:i2]:
                    yield " " + line
                continue
            if tag in ("replace", "delete"):
                for line in a[i1:i2]:
                    yield "-" + line
            if tag in ("replace", "insert"):
                for line in b[j1:j2]:
                    yield "+" + line


def _range(start: int, stop: int) -> str:
    """A hunk's range in the unified format: its first line (1-based) and its length, the
    length left out when it is 1, and the line before it when it is empty."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


class _Grouped(difflib.SequenceMatcher[str]):
    """difflib's grouping of opcodes into hunks with context (`get_grouped_opcodes`), over
    opcodes found by `opcodes`."""

    def __init__(self, codes: list[Opcode]) -> None:
        super().__init__(None, "", "")
        self._codes = codes

    def get_opcodes(self) -> list[Opcode]:
        return list(self._codes)


def _match(
    a: Sequence[str],
    b: Sequence[str],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    depth: int,
    blocks: list[tuple[int, int, int]],
) -> None:
    """Add to `blocks`, in order, the equal runs (i, j, length) found between a[alo:ahi] and
    b[blo:bhi]."""
    i, j = alo, blo
    while i < ahi and j < bhi and a[i] == b[j]:
        i += 1
        j += 1
    if i > alo:
        blocks.append((alo, blo, i - alo))
    end_a, end_b = ahi, bhi
    while i < end_a and j < end_b and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    if i < end_a and j < end_b:
        if (end_a - i) + (end_b - j) <= SMALL:
            matcher = difflib.SequenceMatcher(None, a[i:end_a], b[j:end_b], autojunk=False)
            blocks.extend(
                (i + x, j + y, size) for x, y, size in matcher.get_matching_blocks() if size
            )
        elif depth:
            anchors = _anchors(a, b, i, end_a, j, end_b)
            if anchors:
                for x, y in anchors:
                    _match(a, b, i, x, j, y, depth - 1, blocks)
                    blocks.append((x, y, 1))
                    i, j = x + 1, y + 1
                _match(a, b, i, end_a, j, end_b, depth - 1, blocks)
    if end_a < ahi:
        blocks.append((end_a, end_b, ahi - end_a))


def _anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """The lines that occur once in a[alo:ahi] and once in b[blo:bhi], as (i, j): of those,
    the longest run in the same order on both sides (patience sorting)."""
    once_a: dict[str, int] = {}  # line -> where, or -1 when it occurs again
    for i in range(alo, ahi):
        line = a[i]
        once_a[line] = -1 if line in once_a else i
    once_b: dict[str, int] = {}
    for j in range(blo, bhi):
        line = b[j]
        if once_a.get(line, -1) >= 0:
            once_b[line] = -1 if line in once_b else j
    pairs = [(i, j) for line, j in once_b.items() if j >= 0 and (i := once_a[line]) >= 0]
    pairs.sort()
    # The longest run of pairs increasing in j: `tops[k]` is the smallest j a run of k + 1
    # pairs ends with, `ends[k]` the pair that ends it, `before[p]` the pair before pair p.
    tops: list[int] = []
    ends: list[int] = []
    before: list[int] = []
    for p, (_, j) in enumerate(pairs):
        k = bisect_left(tops, j)
        before.append(ends[k - 1] if k else -1)
        if k == len(tops):
            tops.append(j)
            ends.append(p)
        else:
            tops[k] = j
            ends[k] = p
    run: list[tuple[int, int]] = []
    p = ends[-1] if ends else -1
    while p >= 0:
        run.append(pairs[p])
        p = before[p]
    run.reverse()
    return run


def _opcodes(blocks: list[tuple[int, int, int]], la: int, lb: int) -> list[Opcode]:
    """The opcodes of equal runs in order (as `difflib.SequenceMatcher.get_opcodes` makes them
    of its matching blocks: adjacent runs joined)."""
    joined: list[tuple[int, int, int]] = []
    for i, j, size in blocks:
        if joined:
            pi, pj, psize = joined[-1]
            if pi + psize == i and pj + psize == j:
                joined[-1] = (pi, pj, psize + size)
                continue
        joined.append((i, j, size))
    joined.append((la, lb, 0))
    codes: list[Opcode] = []
    i = j = 0
    for ai, bj, size in joined:
        if i < ai and j < bj:
            codes.append(("replace", i, ai, j, bj))
        elif i < ai:
            codes.append(("delete", i, ai, j, bj))
        elif j < bj:
            codes.append(("insert", i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            codes.append(("equal", ai, i, bj, j))
    return codes


__all__ = ["DEPTH", "SMALL", "WHOLE", "Opcode", "opcodes", "unified_diff"]
