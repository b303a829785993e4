"""Which top-level commands an edit of a document left as they were.

An editor changes a document a little at a time. After an edit, the commands of the script (the
children of the root) that lie wholly before the edited text are unchanged, and so are those that
lie wholly after it, but for their lines. The parser keeps the trees of such commands
(`ozml.parser.parse`'s `previous`) and the language server keeps their findings
(`ozml.lsp.incremental`); both ask here which commands those are, so that they agree.

A command is known by its line, as lxml gives it: the line where its start tag *ends*. So a
command lies wholly before the edit when the start tag of the command after it ends on a line
above the first edited line, and wholly after it when the start tag of the command before it ends
on a line below the last edited line. Lines are counted as lxml counts them (``\\n`` and ``\\r\\n``
end a line); a text with a lone ``\\r``, which lxml counts too, is not reasoned about.
"""

from __future__ import annotations

from collections.abc import Sequence

from ozml.record import Record


class Untouched(Record):
    """What an edit left: the first `before` and the last `after` of the old document's
    top-level commands, and the number of lines the edit added (`shift`, negative when it
    removed some). The commands after the edit are now `shift` lines further down."""

    before: int
    after: int
    shift: int

    def __init__(self, before: int, after: int, shift: int) -> None:
        self._assign(locals())


#: Nothing is known to be left as it was.
NOTHING = Untouched(0, 0, 0)


def untouched(old: str, new: str, lines: Sequence[int]) -> Untouched:
    """The commands of `old` that editing it into `new` left as they were; `lines` are the
    lines (lxml's) of the top-level commands of `old`, in document order."""
    if _lone_cr(old) or _lone_cr(new):
        return NOTHING
    start = common_prefix(old, new)
    tail = common_suffix(old, new, min(len(old), len(new)) - start)
    first_line = old.count("\n", 0, start) + 1
    last_line = first_line + old.count("\n", start, len(old) - tail)
    shift = new.count("\n", start, len(new) - tail) - (last_line - first_line)
    count = len(lines)
    before = 0
    while before + 1 < count and lines[before + 1] < first_line:
        before += 1
    after = 0
    while count - after - 1 > before and lines[count - after - 2] > last_line:
        after += 1
    return Untouched(before, after, shift)


def _lone_cr(text: str) -> bool:
    return "\r" in text and text.count("\r") != text.count("\r\n")


def common_prefix(a: str, b: str) -> int:
    """Length of the common start of two texts, in time linear in it: blocks are compared at C
    speed, then the first block that differs is searched by halves."""
    if a is b:
        return len(a)
    size = min(len(a), len(b))
    lo = 0
    while lo + _BLOCK <= size and a[lo : lo + _BLOCK] == b[lo : lo + _BLOCK]:
        lo += _BLOCK
    hi = min(lo + _BLOCK, size)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common end of two texts, at most `limit`, in time linear in it."""
    size = min(limit, len(a), len(b))
    lo = 0
    while (
        lo + _BLOCK <= size
        and a[len(a) - lo - _BLOCK : len(a) - lo] == b[len(b) - lo - _BLOCK : len(b) - lo]
    ):
        lo += _BLOCK
    hi = min(lo + _BLOCK, size)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid : len(a) - lo] == b[len(b) - mid : len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


_BLOCK = 4096

__all__ = ["NOTHING", "Untouched", "common_prefix", "common_suffix", "untouched"]
