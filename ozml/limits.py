"""ozml's own limits on the values a script builds, shared by the interpreter and the linter.

The vendor documents no size limit for a variable or a parameter (docs/interpreter.md). These
are ozml's protection against a script that expands without bound: 26 Vars each doubling the
one before (`<Var Id="a1">$a0$a0</Var>`, ...) fit in less than 1 KB and make the last value
2**25 times as long as the first, and a few more would take every byte of memory. The
interpreter stops a run at these limits (`EngineOptions`), and the linter warns about a Var
that can pass them (growing-variable). This module sits below both, which never import each
other.
"""

from __future__ import annotations

#: How deep elements may nest: libxml2's limit, past which the parser reports a document as not
#: well-formed (OZ001) and the builder refuses to build one.
MAX_DEPTH = 256

#: The largest value, in UTF-8 bytes, that a run may build or keep in one variable, parameter or
#: array item (`max_value_bytes`).
MAX_VALUE_BYTES = 1 << 20

#: The most bytes a run may build by substitution altogether, plus the variables it is given
#: (`max_total_bytes`): bounds the memory of a run that builds many values each under
#: `MAX_VALUE_BYTES` (a trace keeps every substituted parameter).
MAX_TOTAL_BYTES = 16 << 20

#: A whole number of more digits than this (leading zeros aside) is past every bound ozml
#: compares one with (a parameter's, a size limit, a count): `unsigned` gives it as `PAST`.
PAST_DIGITS = 18
PAST = 10**PAST_DIGITS

_UNITS = ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB"))


def unsigned(text: str) -> int | None:
    """`text` as a whole number written in ASCII digits alone (no sign, no space), or None
    when it is not one: `PAST` when it has more than `PAST_DIGITS` digits, leading zeros
    aside. Python refuses to convert more than 4,300 digits (a ValueError where an answer was
    due), and the conversion takes time in the square of their number.

    The one reading of such a number: an integer parameter's value (`ozml.catalog.values`,
    with its sign), a Content-Length (the notification reader, the simulator)."""
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    return PAST if len(digits) > PAST_DIGITS else int(digits)


def utf8_size(text: str) -> int:
    """The size of `text` in UTF-8 bytes (cheap for ASCII text: no encoding)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def describe_size(size: int) -> str:
    """A size for people: ``900 bytes``, ``512 KiB``, ``1.6 MiB``, ``32 MiB``."""
    for unit, name in _UNITS:
        if size >= unit:
            amount = size / unit
            text = f"{amount:.0f}" if amount >= 10 or size % unit == 0 else f"{amount:.1f}"
            return f"{text} {name}"
    return f"{size:,} byte" + ("" if size == 1 else "s")


__all__ = [
    "MAX_TOTAL_BYTES",
    "MAX_VALUE_BYTES",
    "PAST",
    "PAST_DIGITS",
    "describe_size",
    "unsigned",
    "utf8_size",
]
