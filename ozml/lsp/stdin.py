"""The editor's messages as the language server reads them: numbers Python cannot read made
numbers it can, so that every request gets its answer.

pygls reads a message's body with `json.loads`, which converts an integer through `int()`:
Python refuses more than 4,300 digits (`sys.get_int_max_str_digits`), and the whole message was
dropped with a traceback in the log, its request never answered. Such an integer (outside the
message's strings) is read instead as 2**32, past every number the protocol allows, so that the
request is answered as any other with a number out of range (invalid parameters). Text in
strings, a document's included, is never changed.
"""

from __future__ import annotations

import re
import sys
from typing import BinaryIO

from ozml.rawbytes import holds

#: Past the largest number in the protocol (`uinteger` and `integer` are below 2**31).
OUT_OF_RANGE = b"4294967296"

#: A JSON string (passed over whole), or an integer: the digits of a number that has neither
#: a fraction nor an exponent (those are read as floats, whatever their length). Each is
#: matched from its first digit only, so a long run is read once.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*+"|(?<![0-9])([0-9]++)(?![.eE])')


#: Every digit as "1", every other byte as "0": a run of n digits is then a run of n ones,
#: which `bytes.find` finds at C speed (a regular expression took 40 times as long on a
#: document's 4.6 MB, and time in the square of the runs' length on runs just too short).
_DIGITS_AS_ONES = bytes(0x31 if 0x30 <= b <= 0x39 else 0x30 for b in range(256))


def bounded_numbers(body: bytes, limit: int | None = None) -> bytes:
    """`body` (a JSON text) with each integer of more than `limit` digits (Python's, by
    default) written as `OUT_OF_RANGE`; `body` itself when it has none."""
    if limit is None:
        limit = sys.get_int_max_str_digits()
    if not limit or not holds(body.translate(_DIGITS_AS_ONES), b"1" * (limit + 1)):
        return body  # most messages: one pass, no run that long

    def bounded(match: re.Match[bytes]) -> bytes:
        digits = match.group(1)
        return OUT_OF_RANGE if digits is not None and len(digits) > limit else match.group()

    return _TOKEN.sub(bounded, body)


class BoundedNumbers:
    """Standard input for pygls' reader, which asks it for header lines (`readline`) and then
    for each message's body (`read`): the bodies go through `bounded_numbers`."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readline(self) -> bytes:
        return self._stream.readline()

    def read(self, size: int = -1) -> bytes:
        return bounded_numbers(self._stream.read(size))


__all__ = ["OUT_OF_RANGE", "BoundedNumbers", "bounded_numbers"]
