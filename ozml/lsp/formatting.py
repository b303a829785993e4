"""Document formatting through `ozml.formatter`, as the smallest set of line edits.

Replacing the whole text would make editors lose the cursor, selections and folds, so the
formatted text is compared with the current one line by line (`ozml.linediff`, in time that
grows with the lines) and only the lines that differ are replaced. A document that is not
well-formed is left alone: its diagnostics already say why.
"""

from __future__ import annotations

from lsprotocol import types

from ozml.formatter import FormatError, FormatOptions, format_result
from ozml.linediff import opcodes
from ozml.lsp.convert import LineIndex
from ozml.parser import ParseResult


def formatting_edits(
    result: ParseResult,
    index: LineIndex,
    *,
    keep_names: bool = False,
    options: FormatOptions | None = None,
) -> list[types.TextEdit] | None:
    """The edits that format the document (with `options`, the file's ``[format]`` settings),
    [] when it is formatted, None when it cannot be."""
    try:
        formatted = format_result(result, keep_names=keep_names, options=options)
    except FormatError:
        return None
    if not formatted.changed:
        return []
    old = index.text.splitlines(keepends=True)
    new = formatted.text.splitlines(keepends=True)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    edits = []
    for tag, i1, i2, j1, j2 in opcodes(old, new, autojunk=False):
        if tag != "equal":
            edits.append(types.TextEdit(index.range(starts[i1], starts[i2]), "".join(new[j1:j2])))
    return edits
