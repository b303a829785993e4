"""Character offsets ↔ LSP positions.

ozml counts in characters (code points) of the decoded text; LSP counts lines from 0 and, within
a line, in code units of the negotiated position encoding: UTF-16 by default (an astral character
such as an emoji is two units), or UTF-8 or UTF-32 when client and server agree on it. Line
breaks are ``\\n``, ``\\r\\n`` and ``\\r``, as in the LSP specification and `ozml.positions`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from lsprotocol import types

from ozml.diagnostics import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_BREAK = re.compile(r"\r\n|\r|\n")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASTRAL = re.compile(r"[\U00010000-\U0010ffff]")


class _Wide:
    """Where a text's characters take more than one code unit, with running totals."""

    def __init__(self, text: str, encoding: str) -> None:
        self.offsets: list[int] = []
        self.totals: list[int] = [0]
        if encoding == UTF32:
            return
        pattern = _NON_ASCII if encoding == UTF8 else _ASTRAL
        total = 0
        for match in pattern.finditer(text):
            code = ord(match.group())
            if encoding == UTF8:
                total += 1 if code < 0x800 else 2 if code < 0x10000 else 3
            else:
                total += 1
            self.offsets.append(match.start())
            self.totals.append(total)

    def between(self, start: int, end: int) -> int:
        """The extra code units of the characters in ``[start, end)``."""
        totals = self.totals
        return (
            totals[bisect.bisect_left(self.offsets, end)]
            - totals[bisect.bisect_left(self.offsets, start)]
        )


class LineIndex:
    """Line starts of one version of a document, for converting in both directions."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        starts = [0]
        starts.extend(m.end() for m in _BREAK.finditer(text))
        self.starts = starts
        #: Whether a character offset and a code-unit count are the same thing everywhere.
        self.plain = encoding == UTF32 or text.isascii()
        self._wide: _Wide | None = None

    def _extra(self, start: int, end: int) -> int:
        """How many more code units than characters ``text[start:end]`` has, in O(log n): a
        position on a long line must not cost the length of the line (one line of 1 MB with
        thousands of symbols was quadratic)."""
        wide = self._wide
        if wide is None:
            wide = self._wide = _Wide(self.text, self.encoding)
        return wide.between(start, end)

    def edited(self, start: int, end: int, inserted: str) -> LineIndex:
        """The index of the text with ``[start, end)`` replaced by `inserted`, without scanning
        the whole new text (a keystroke in a long document must stay cheap)."""
        old = self.text
        text = old[:start] + inserted + old[end:]
        starts = self.starts
        delta = len(inserted) - (end - start)
        # Rescan from one line before the edit to just after it: a "\r" and a "\n" on either
        # side of the edit may join into one line break or come apart.
        line = bisect.bisect_right(starts, start) - 1
        keep = max(line - 1, 0)
        scan_from = starts[keep]
        scan_to = min(end + delta + 2, len(text))
        head = starts[: keep + 1]
        middle = [m.end() for m in _BREAK.finditer(text, scan_from, scan_to)]
        if middle and middle[-1] == scan_to and scan_to < len(text) and text[scan_to - 1] == "\r":
            # A "\r" at the window's edge may pair with a "\n" after it: rescan one more.
            middle.pop()
            scan_to -= 1
        tail_from = bisect.bisect_right(starts, scan_to - delta)
        tail = [s + delta for s in starts[tail_from:]]
        index = LineIndex.__new__(LineIndex)
        index.text = text
        index.encoding = self.encoding
        index.plain = self.plain and inserted.isascii()
        index._wide = None
        index.starts = (
            head
            + [s for s in middle if s > head[-1]]
            + [s for s in tail if s > (middle[-1] if middle else head[-1])]
        )
        return index

    def changed(self, changes: Sequence[types.TextDocumentContentChangeEvent]) -> LineIndex:
        """The index after a didChange's changes, each made to the result of the one before.

        A run of changes each before the one made before it (how editors send a replace-all
        or an edit at many cursors: the last first) is made in one pass over the text: made
        one by one, n changes to a long document cost n times its length (8,000 changes to a
        document of 8,000 lines took 2.5 s)."""
        index = self
        run: list[tuple[int, int, str]] = []  # in `index`'s offsets, each before the last
        for change in changes:
            if not isinstance(change, types.TextDocumentContentChangePartial):
                run = []
                index = LineIndex(change.text, self.encoding)
                continue
            start, end = index.offsets(change.range)
            if run and not index._unmoved(change.range, start, end, run[-1][0]):
                index = index._replaced(run)
                run = []
                start, end = index.offsets(change.range)
            run.append((start, end, change.text))
        return index._replaced(run) if run else index

    def _unmoved(self, rng: types.Range, start: int, end: int, before: int) -> bool:
        """Whether `rng`, at `start` and `end` in this text, means the same offsets once the
        text from `before` on is changed: it ends there at the latest, its ends are within
        their lines (not clamped), and no line break can join across `before` (a ``\\r``
        just before it, with a ``\\n`` put after it)."""
        if end > before or (before > 0 and self.text[before - 1] == "\r"):
            return False
        ends = sorted([(rng.start.line, rng.start.character), (rng.end.line, rng.end.character)])
        return [self.line_character(start), self.line_character(end)] == ends

    def _replaced(self, run: list[tuple[int, int, str]]) -> LineIndex:
        """The index with each ``[start, end)`` of `run` (in this text's offsets, each before
        the one before it) replaced by its text: one change as `edited` makes it, more in one
        pass."""
        if len(run) == 1:
            return self.edited(*run[0])
        old = self.text
        pieces = []
        at = 0
        for start, end, inserted in reversed(run):
            pieces.append(old[at:start])
            pieces.append(inserted)
            at = end
        pieces.append(old[at:])
        return LineIndex("".join(pieces), self.encoding)

    def _line_end(self, line: int) -> int:
        """Offset of the end of a line's content, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            text = self.text
            if end >= 2 and text[end - 2 : end] == "\r\n":
                return end - 2
            return end - 1
        return len(self.text)

    def position(self, offset: int) -> types.Position:
        """The LSP position of a character offset (clamped to the text)."""
        return types.Position(*self.line_character(offset))

    def line_character(self, offset: int) -> tuple[int, int]:
        """`position`'s line and character, without making a `types.Position`."""
        offset = min(max(offset, 0), len(self.text))
        starts = self.starts
        line = bisect.bisect_right(starts, offset) - 1
        start = starts[line]
        # An offset between \r and \n belongs to the end of the line's content (only an
        # offset within two of the next line's start can be past it).
        if line + 1 < len(starts) and offset >= starts[line + 1] - 2:
            offset = min(offset, self._line_end(line))
        if self.plain:
            return line, offset - start
        return line, offset - start + self._extra(start, offset)

    def json_range(self, start: int, end: int) -> dict[str, dict[str, int]]:
        """`range` as the protocol's JSON (for answers sent as built, `ozml.lsp.symbols`)."""
        line, character = self.line_character(start)
        end_line, end_character = self.line_character(max(start, end))
        return {
            "start": {"line": line, "character": character},
            "end": {"line": end_line, "character": end_character},
        }

    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position; past a line's end means its end (LSP spec)."""
        if position.line >= len(self.starts):
            return len(self.text)
        line = max(position.line, 0)
        start = self.starts[line]
        end = self._line_end(line)
        units = max(position.character, 0)
        if self.plain:
            return start + min(units, end - start)
        # The first offset whose code units up to it reach `units` (inside a surrogate pair or
        # a UTF-8 sequence: the character's end), found by bisection in O(log² n).
        low, high = start, end
        while low < high:
            middle = (low + high) // 2
            if middle - start + self._extra(start, middle) >= units:
                high = middle
            else:
                low = middle + 1
        return low

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(max(start, end)))

    def span_range(self, span: Span) -> types.Range:
        """The LSP range of a diagnostic span (whose offsets are characters of this text)."""
        if span.start == span.end == 0 and (span.line, span.column) != (1, 1):
            # A span made from line:column alone (offsets left at their default).
            return self.range(
                self.line_column(span.line, span.column),
                self.line_column(span.end_line, span.end_column),
            )
        return self.range(span.start, span.end)

    def line_column(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column (ozml's convention), clamped to the text."""
        line = min(max(line, 1), len(self.starts))
        return min(self.starts[line - 1] + max(column, 1) - 1, len(self.text))

    def offsets(self, rng: types.Range) -> tuple[int, int]:
        """The character offsets of a range's ends, in order (an editor may send a range whose
        start is after its end; it means the text between them)."""
        start, end = self.offset(rng.start), self.offset(rng.end)
        return (start, end) if start <= end else (end, start)
