"""``ozml test --update``: rewrite a scenario's ``[expect]`` section from its actual run.

Only the section's keys change: the text before the ``[expect]`` header, the header line itself
(with any comment on it), the comments between the header and the first key, the comments and
blank lines that end the section (they introduce the next one) and everything after it are kept
byte for byte. The new keys are what ``ozml run --format expect`` prints: ``end`` and the whole
``trace``; an ``includes`` list that the run still satisfies is kept as it was written. A file
without an ``[expect]`` section gets one at its end.

The file is scanned once, character by character (strings, comments and brackets tracked), to
find where the section starts and ends: a ``[`` that starts a line inside a multi-line array or
string is not taken for a table header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from ozml.dataformats import DataError, load_toml
from ozml.interpreter.expect import toml_string

_HEADER = re.compile(r"[ \t]*\[[ \t]*expect[ \t]*\][ \t]*(#.*)?$")
_KEY = re.compile(r"[ \t]*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*=")


class UpdateError(ValueError):
    """The file's ``[expect]`` cannot be rewritten (written as an inline table, say)."""


class NotToml(UpdateError):
    """The file is not TOML (edited since its run): the reason as `DataError` gives it, with
    tomllib's ``(at line L, column C)``, for `ozml.tomlpositions.invalid_toml` to place."""


@attrs.frozen
class _Line:
    start: int
    end: int  # after the line break
    #: The line starts outside any string and bracket: a header or a key may start here.
    top: bool
    #: Nothing but blanks and a comment, outside any string and bracket.
    blank: bool


def _lines(text: str) -> list[_Line]:
    """Every line with whether it starts at the top level (one linear scan)."""
    lines: list[_Line] = []
    depth = 0
    quote = ""  # the open string's delimiter: ' " ''' """
    index = 0
    line_start = 0
    line_top = True
    line_blank = True
    size = len(text)
    while index < size:
        char = text[index]
        if quote:
            if char == "\\" and quote[0] == '"':
                index += 2
                continue
            if text.startswith(quote, index):
                index += len(quote)
                quote = ""
                continue
            if char == "\n":
                lines.append(_Line(line_start, index + 1, line_top, False))
                line_start, line_top, line_blank = index + 1, False, False
                if len(quote) == 1:  # a one-line string cannot span lines: TOML would refuse
                    quote = ""
            index += 1
            continue
        if char == "\n":
            lines.append(_Line(line_start, index + 1, line_top, line_blank and line_top))
            line_start, line_top, line_blank = index + 1, depth == 0, True
            index += 1
            continue
        if char == "#":
            end = text.find("\n", index)
            index = size if end < 0 else end
            continue
        if char in " \t\r":
            index += 1
            continue
        first_on_line = line_blank
        line_blank = False
        if char in "'\"":
            triple = text[index : index + 3]
            quote = triple if triple in ("'''", '"""') else char
            index += len(quote)
            continue
        if char in "[{":
            # A header's brackets are not nesting: the header ends with its line.
            if not (line_top and depth == 0 and char == "[" and first_on_line):
                depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
        index += 1
    if line_start < size:
        lines.append(_Line(line_start, size, line_top, line_blank and line_top))
    return lines


def _section(text: str, lines: Sequence[_Line]) -> tuple[int, int, int, int] | None:
    """(header line, first key line, end of the keys, end of the section) as line indexes,
    or None when the file has no ``[expect]`` header."""
    header = next(
        (
            i for i, line in enumerate(lines)
            if line.top and _HEADER.match(text[line.start : line.end].rstrip("\r\n"))
        ),
        None,
    )
    if header is None:
        return None
    end = len(lines)
    for i in range(header + 1, len(lines)):
        line = lines[i]
        if line.top and text[line.start : line.end].lstrip(" \t").startswith("["):
            end = i
            break
    first = header + 1
    while first < end and lines[first].blank:
        first += 1
    last = end
    while last > first and lines[last - 1].blank:
        last -= 1
    return header, first, last, end


def _includes_text(text: str, lines: Sequence[_Line], first: int, last: int) -> str | None:
    """The ``includes = ...`` key of the section as written (with its lines), or None."""
    start = None
    for i in range(first, last):
        line = lines[i]
        found = _KEY.match(text, line.start) if line.top and not line.blank else None
        if start is not None and found is not None:
            return text[lines[start].start : line.start]
        if found is not None and found.group(1).strip("'\"") == "includes":
            start = i
    return None if start is None else text[lines[start].start : lines[last - 1].end]


def new_keys(ending: str, golden: Sequence[str]) -> str:
    """The ``end`` and ``trace`` keys pinning a run (as ``ozml run --format expect``)."""
    lines = [f"end = {toml_string(ending)}", "trace = ["]
    lines.extend(f"    {toml_string(line)}," for line in golden)
    lines.append("]")
    return "\n".join(lines) + "\n"


def rewrite_expect(text: str, ending: str, golden: Sequence[str], keep_includes: bool) -> str:
    """`text` (a scenario file) with its ``[expect]`` keys pinning the run: ``end = ending``
    and ``trace = golden``; its ``includes`` kept when `keep_includes`. UpdateError when the
    expectation is written another way (an inline table, dotted keys); NotToml when `text` is
    not TOML (the file was edited since its run): the section is found by a scan that trusts
    the text's shape, and the keys are not written into a file that ozml could not read."""
    try:
        data = load_toml(text)
    except DataError as error:
        raise NotToml(str(error)) from None
    lines = _lines(text)
    found = _section(text, lines)
    keys = new_keys(ending, golden)
    newline = "\r\n" if "\r\n" in text else "\n"
    if found is None:
        if "expect" in data:
            raise UpdateError(
                "its expectation is not an [expect] section (an inline table or dotted keys):"
                " write it as a section to have it updated"
            )
        body = "[expect]\n" + keys
        joiner = "" if not text or text.endswith("\n") else newline
        spacer = newline if text.strip() else ""
        return text + joiner + spacer + body.replace("\n", newline)
    _header, first, last, _end = found
    includes = _includes_text(text, lines, first, last) if keep_includes else None
    start = lines[first].start if first < len(lines) else len(text)
    stop = lines[last - 1].end if last > first else start
    replacement = keys.replace("\n", newline) + (includes or "")
    if includes is not None and not includes.endswith("\n"):
        replacement += newline
    before = text[:start]
    if not before.endswith("\n"):
        before += newline
    return before + replacement + text[stop:]


__all__ = ["NotToml", "UpdateError", "new_keys", "rewrite_expect"]
