"""Directive comments: what a document tells ozml about itself.

Four kinds are understood, each a comment whose text starts with ``ozml:``::

    <!-- ozml: context=3pcc -->             the notification this document answers (D4)
    <!-- ozml: noqa -->                      suppress every finding on a line
    <!-- ozml: noqa OZ201,OZ305 -->          suppress some codes on a line (names work too)
    <!-- ozml: disable-file OZ201 -->        suppress codes in the whole file

Directives are found by scanning the source text, not the tree, so that they work in documents
that are not well-formed and so that their exact positions are known. The scan is skipped
entirely when the text does not contain ``ozml:`` (the common case costs one substring search).
"""

from __future__ import annotations

import enum
import re

from ozml import lazy
from ozml.catalog import Context
from ozml.lint.settings import DIRECTIVE_MARK
from ozml.positions import Source
from ozml.record import Record

#: Comments, and CDATA sections (whose content only looks like comments).
_COMMENT = lazy.pattern(r"<!--(.*?)-->|<!\[CDATA\[.*?(?:\]\]>|\Z)", re.S)
_HEAD = lazy.pattern(rf"\s*{re.escape(DIRECTIVE_MARK)}\s*")
_WORD = lazy.pattern(r"[A-Za-z][A-Za-z-]*")
_TOKEN = lazy.pattern(r"[^\s,]+")
_CONTEXT = lazy.pattern(r"context\s*[=:]\s*(\S*)\s*$", re.I)


class Kind(enum.Enum):
    NOQA = "noqa"
    DISABLE_FILE = "disable-file"
    CONTEXT = "context"
    #: A comment starting ``ozml:`` that says nothing ozml understands.
    INVALID = "invalid"


class CodeRef(Record):
    """One code (or rule name) as written in a suppression, with its offsets in the text."""

    text: str
    start: int
    end: int

    def __init__(self, text: str, start: int, end: int) -> None:
        self._assign(locals())


class Directive(Record):
    """One ``<!-- ozml: ... -->`` comment; `start`/`end` are the offsets of ``<!--`` and ``-->``."""

    kind: Kind
    start: int
    end: int
    codes: tuple[CodeRef, ...]
    context: Context | None
    #: For INVALID directives, and for a context directive with a bad value: what is wrong.
    problem: str | None
    #: Offsets of the part `problem` is about.
    problem_start: int
    problem_end: int

    def __init__(
        self,
        kind: Kind,
        start: int,
        end: int,
        codes: tuple[CodeRef, ...] = (),
        context: Context | None = None,
        problem: str | None = None,
        problem_start: int = 0,
        problem_end: int = 0,
    ) -> None:
        self._assign(locals())


def present(source: Source) -> bool:
    """Whether the text may hold a directive at all (a fast test, no decoding of bytes)."""
    return source.holds(DIRECTIVE_MARK)


def scan(source: Source) -> list[Directive]:
    """Every directive comment of the text, in order."""
    if not present(source):
        return []
    found: list[Directive] = []
    text = source.text
    for match in _COMMENT().finditer(text):
        body = match.group(1)
        if body is None:
            continue  # CDATA
        head = _HEAD().match(body)
        if head is None:
            continue
        found.append(_directive(match.start(), match.end(), match.start(1) + head.end(), text))
    return found


def _directive(start: int, end: int, rest_start: int, text: str) -> Directive:
    rest_end = end - 3
    rest = text[rest_start:rest_end]
    word = _WORD().match(rest)
    keyword = word.group(0).lower() if word else ""
    if keyword in ("noqa", "disable-file"):
        assert word is not None
        codes_start = rest_start + word.end()
        codes_text = text[codes_start:rest_end]
        # ``noqa: OZ201`` (flake8's spelling) is accepted as well as ``noqa OZ201``.
        colon = re.match(r"\s*:", codes_text)
        if colon:
            codes_start += colon.end()
            codes_text = text[codes_start:rest_end]
        codes = tuple(
            CodeRef(m.group(0), codes_start + m.start(), codes_start + m.end())
            for m in _TOKEN().finditer(codes_text)
        )
        kind = Kind.NOQA if keyword == "noqa" else Kind.DISABLE_FILE
        return Directive(kind, start, end, codes)
    context = _CONTEXT().match(rest)
    if context is not None:
        value = context.group(1)
        value_start = rest_start + context.start(1)
        try:
            return Directive(Kind.CONTEXT, start, end, context=Context.parse(value))
        except ValueError:
            allowed = ", ".join(c.value for c in Context)
            shown = repr(value) if value else "nothing"
            return Directive(
                Kind.CONTEXT,
                start,
                end,
                problem=f"unknown context {shown} in the ozml comment; expected one of: {allowed}",
                problem_start=value_start,
                problem_end=value_start + len(value),
            )
    shown = rest.strip()
    return Directive(
        Kind.INVALID,
        start,
        end,
        problem=(
            f"unknown ozml comment {shown!r}; expected noqa, disable-file or context=..."
            if shown
            else "empty ozml comment; expected noqa, disable-file or context=..."
        ),
        problem_start=start,
        problem_end=end,
    )


__all__ = ["CodeRef", "Directive", "Kind", "present", "scan"]
