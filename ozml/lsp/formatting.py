"""Document formatting through `ozml.formatter`, as the smallest set of line edits.

Replacing the whole text would make editors lose the cursor, selections and folds, so the
formatted text is compared with the current one line by line (`ozml.linediff`, in time that
grows with the lines) and only the lines that differ are replaced. A document that is not
well-formed is left alone: its diagnostics already say why.

The formatter writes the declaration ``<?xml version="1.0" encoding="UTF-8"?>``, since ``ozml
fmt`` writes the file in UTF-8. An editor saves its buffer in the encoding it read the file
with, so a document that declares another encoding (ISO-8859-1, UTF-16) keeps that encoding
in its declaration: rewritten to UTF-8, the declaration would no longer say how the file is
saved, and a saved file with non-ASCII text would then not read (OZ001).
"""

from __future__ import annotations

from lsprotocol import types

from ozml.formatter import FormatError, FormatOptions, format_result
from ozml.linediff import opcodes
from ozml.lsp.convert import LineIndex
from ozml.parser import ParseResult
from ozml.positions import codec_of
from ozml.writer import DECLARATION


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
    text = _declaring(formatted.text, result)
    if text == index.text:
        return []
    old = index.text.splitlines(keepends=True)
    new = text.splitlines(keepends=True)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    edits = []
    for tag, i1, i2, j1, j2 in opcodes(old, new, autojunk=False):
        if tag != "equal":
            edits.append(types.TextEdit(index.range(starts[i1], starts[i2]), "".join(new[j1:j2])))
    return edits


def _declaring(text: str, result: ParseResult) -> str:
    """The formatted `text` with the encoding the document declares, when that is not UTF-8
    (see the module's documentation)."""
    declared = result.document.encoding
    if not (result.document.declaration and declared) or codec_of(declared) == "utf-8":
        return text
    if not text.startswith(DECLARATION):
        return text
    return f'<?xml version="1.0" encoding="{declared}"?>' + text[len(DECLARATION) :]
