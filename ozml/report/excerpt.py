"""The source excerpt under a finding: the line, and a caret line under the span.

::

      3 |   <ForwardCall/>
        |    ^~~~~~~~~~~

Long lines are cut to a window around the span, and every character `style.printable` would
escape (control characters, bidirectional controls, lone surrogates) is shown as ``?``, so that
a binary or hostile file cannot garble the terminal or reorder the line; both keep the caret
under the right character (an escape such as ``\\x1b`` would push it sideways).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozml.report.style import printable_each

if TYPE_CHECKING:
    from ozml.diagnostics import Span
    from ozml.positions import Source

#: Lines longer than this are shown as a window around the span.
WIDTH = 120
_LEAD = 40
#: Line and paragraph separators: not escaped by `printable`, but some viewers break lines there.
_SEPARATORS = {0x2028: "?", 0x2029: "?"}


def excerpt_lines(source: Source, span: Span) -> tuple[str, str, str] | None:
    """(line number, shown source line, caret line), or None when the line is not in the text."""
    last_line = source.position(len(source.text))[0]
    if not 1 <= span.line <= last_line:
        return None
    # Only the window is read from a long line: with the whole line copied for each finding,
    # n findings on one line of a document written on one line cost n times the line.
    first, last = source.line_range(span.line)
    length = last - first
    start = max(span.column - 1, 0)
    if span.end_line == span.line:
        end = max(span.end_column - 1, start + 1)
    else:
        end = max(length, start + 1)
    cut_left = cut_right = False
    if length > WIDTH:
        left = max(0, min(start - _LEAD, length - WIDTH))
        right = left + WIDTH
        cut_left, cut_right = left > 0, right < length
        text = source.text[first + left : first + right]
        start -= left
        end = min(end - left, len(text) + 1)
    else:
        text = source.text[first:last]
    text = printable_each(text, "?").translate(_SEPARATORS)
    start = min(start, len(text))
    pad = "".join("\t" if char == "\t" else " " for char in text[:start])
    marks = "^" + "~" * max(min(end, len(text)) - start - 1, 0)
    shown = ("..." if cut_left else "") + text + ("..." if cut_right else "")
    if cut_left:
        pad = "   " + pad
    return str(span.line), shown.rstrip(), pad + marks
