"""Colour for terminal output (ANSI escapes).

Whether to colour is decided in one place for every command: `ozml.cli.common.color_wanted`.
"""

from __future__ import annotations

import re

from ozml import lazy
from ozml.severity import Severity

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
BLUE = "\x1b[34m"
SEVERITY = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}


class Painter:
    """Wraps text in colour codes, or leaves it alone when colour is off."""

    __slots__ = ("on",)

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.on and text else text

    def severity(self, text: str, severity: Severity) -> str:
        return self(text, SEVERITY[severity])


# C0 and C1 control characters, DEL, the bidirectional overrides and isolates (which can make a
# terminal show text in another order than it is), and lone surrogates (the undecodable bytes of
# a file name, as Python's file system encoding keeps them). Compiled when first needed
# (`ozml.lazy.pattern`): about a millisecond, which most runs, whose texts are printable
# ASCII, need not spend.
_UNPRINTABLE = lazy.pattern("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _plain(text: str) -> bool:
    """Whether `text` holds none of the characters `printable` escapes: printable ASCII (the
    pattern's other characters are none of them ASCII)."""
    return text.isascii() and text.isprintable()


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_tabs: bool = False) -> str:
    """`text` safe to write to a terminal: control characters, bidirectional controls and
    undecodable bytes written as ``\\xNN`` / ``\\uNNNN`` escapes, so that a file name or a
    document can never move the cursor, recolour the screen or start a new output line.

    Machine formats (JSON, SARIF) keep names exact instead; this is for text meant for people.
    """
    if _plain(text):
        return text
    if keep_tabs:
        return _UNPRINTABLE().sub(lambda m: "\t" if m.group() == "\t" else _escape(m), text)
    return _UNPRINTABLE().sub(_escape, text)


def printable_each(text: str, replacement: str, *, keep_tabs: bool = True) -> str:
    """`text` with every character `printable` would escape replaced by `replacement`, one for
    one (for the source excerpt, whose caret line must stay under the right character)."""
    if _plain(text):
        return text
    if keep_tabs:
        return _UNPRINTABLE().sub(lambda m: "\t" if m.group() == "\t" else replacement, text)
    return _UNPRINTABLE().sub(replacement, text)
