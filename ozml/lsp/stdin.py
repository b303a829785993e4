"""The editor's messages as the language server reads them: framed as the protocol says, or
refused; numbers Python cannot read made numbers it can, so that every request gets its answer.

pygls reads a message's body with `json.loads`, which converts an integer through `int()`:
Python refuses more than 4,300 digits (`sys.get_int_max_str_digits`), and the whole message was
dropped with a traceback in the log, its request never answered. Such an integer (outside the
message's strings) is read instead as 2**32, past every number the protocol allows, so that the
request is answered as any other with a number out of range (invalid parameters). Text in
strings, a document's included, is never changed.

pygls reads a header line to its end, however long: an input that is not the protocol's
(``ozml lsp < /dev/zero``) grew the server's memory without bound. A header line past
`MAX_HEADER_LINE` ends the server instead (`UnreadableMessage`: one ``ozml: error:`` line,
exit 2). So does a message whose length cannot be read: a ``Content-Length`` past the
reader's limit (pygls asked for the whole body at once, 93 GB for ``Content-Length:
99999999999``: a MemoryError), one that is not a number of bytes (negative, not a number, more
digits than Python reads), or none at all (pygls skipped such headers and read the body as the
next message's headers): the protocol has no other way to tell where a message ends, so
nothing after it could be read as the editor meant. A header's name is read in any case and
its value with spaces and leading zeros around it, as HTTP's are; pygls is given the
``Content-Length: N`` it reads.

The limit is `message_limit` of the largest ``max-bytes`` the server is configured with
(`BoundedNumbers.allow`): `MAX_MESSAGE` for the default, never more than `MESSAGE_CEILING`
whatever a configuration says. A body is read as it arrives, a megabyte at a time, so that a
``Content-Length`` within the limit but larger than what comes costs what comes.
"""

from __future__ import annotations

import re
import sys
from typing import BinaryIO

from ozml.files import DEFAULT_MAX_BYTES
from ozml.rawbytes import holds

#: The longest header line read. The protocol's headers are ``Content-Length: N`` and
#: ``Content-Type: application/vscode-jsonrpc; charset=utf-8``, under 100 bytes each: a line 650
#: times as long is no header of a language client's, and reading that much costs nothing.
MAX_HEADER_LINE = 64 * 1024

#: The largest message body read whatever the configuration says, 1 GiB: the limit of a
#: ``max-bytes`` of about 170 MiB (a plain document of about 1 GB). A configuration is the
#: user's, but a ``max-bytes`` of a terabyte must not let ``Content-Length: 99999999999`` (or a
#: stream of bytes that never ends) fill the memory.
MESSAGE_CEILING = 1024 * 1024 * 1024

#: A body is read this much at a time (`BoundedNumbers.read`).
_CHUNK = 1024 * 1024


def message_limit(max_bytes: int) -> int:
    """The largest message body read when documents of up to `max_bytes` bytes are linted.

    The largest message is one that carries a whole document (didOpen, or a change in full):
    ozml lints documents of up to ``max-bytes`` and reports larger ones by their size, but the
    editor sends them all the same. In the body, written as a JSON string, a document's byte
    takes up to 6 (a control character is ``\u001f``; a client that escapes every non-ASCII
    character writes 2 to 4 bytes of UTF-8 as 6 to 12), plus the rest of the message (its URI,
    the version): 6 x `max_bytes` + 4 MiB, at most `MESSAGE_CEILING`."""
    return min(6 * max_bytes + 4 * 1024 * 1024, MESSAGE_CEILING)


#: The limit for the default ``max-bytes``, `ozml.files.DEFAULT_MAX_BYTES` (10 MiB): 64 MiB. A
#: plain document of about 60 MB fits.
MAX_MESSAGE = message_limit(DEFAULT_MAX_BYTES)

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


class UnreadableMessage(OSError):
    """Standard input that is not the protocol's messages: the server cannot tell where the
    next message starts, and ends. An I/O error of the file ``standard input`` for the command
    line (`ozml.cli.main`): ``ozml: error: standard input: PROBLEM``, exit 2."""

    def __init__(self, offset: int, problem: str) -> None:
        self.problem = f"at byte {offset:,}: {problem}"
        super().__init__(self.problem)
        self.filename = "standard input"

    def __str__(self) -> str:
        return self.problem


def _length(value: bytes, offset: int, limit: int) -> int:
    """The number of bytes a Content-Length header's `value` says, at most `limit`."""
    shown = value.decode("ascii", "backslashreplace")
    if len(shown) > 30:
        shown = f"{shown[:20]}... ({len(shown):,} characters)"
    if not value.isdigit():
        raise UnreadableMessage(offset, f"Content-Length {shown!r} is not a number of bytes")
    digits = value.lstrip(b"0")
    if len(digits) > len(str(limit)) or int(digits or b"0") > limit:
        raise UnreadableMessage(
            offset, f"Content-Length {shown} is larger than the {limit:,}-byte limit of a message"
        )
    return int(digits or b"0")


class BoundedNumbers:
    """Standard input for pygls' reader, which asks it for header lines (`readline`) and then
    for each message's body (`read`): a header line is read up to `MAX_HEADER_LINE` bytes, each
    message's headers must say its length (`max_message` at most), and the bodies go through
    `bounded_numbers`."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        #: The largest body read: `MAX_MESSAGE` until `allow` raises it.
        self.max_message = MAX_MESSAGE
        #: How many bytes were read: where the next line or body starts, for messages.
        self._offset = 0
        #: Where the headers being read started (None: between messages), and whether they
        #: held a Content-Length.
        self._headers: int | None = None
        self._length = False

    def readline(self) -> bytes:
        line = self._stream.readline(MAX_HEADER_LINE + 1)
        start = self._offset
        if len(line) > MAX_HEADER_LINE:
            raise UnreadableMessage(
                start,
                f"a header line of more than {MAX_HEADER_LINE:,} bytes:"
                " not a message of the Language Server Protocol",
            )
        self._offset += len(line)
        if not line:
            return line  # the end of the input
        if not line.strip():  # the end of a message's headers (pygls then reads its body)
            if self._headers is not None and not self._length:
                raise UnreadableMessage(
                    self._headers, "a message without a Content-Length header"
                )
            self._headers, self._length = None, False
            return line
        if self._headers is None:
            self._headers = start
        name, colon, value = line.partition(b":")
        if not colon or name.strip().lower() != b"content-length":
            return line
        self._length = True
        return b"Content-Length: %d\r\n" % _length(value.strip(), start, self.max_message)

    def allow(self, max_bytes: int) -> None:
        """Read the messages of documents of up to `max_bytes` bytes from now on (a
        configuration's ``max-bytes``): the limit rises to `message_limit` of it, and never
        falls (a message that was read once is read again)."""
        self.max_message = max(self.max_message, message_limit(max_bytes))

    def read(self, size: int = -1) -> bytes:
        # As it arrives: `size` is what the headers say, which the input may not hold.
        parts: list[bytes] = []
        left = size  # negative: up to the end of the input
        while left:
            part = self._stream.read(_CHUNK if left < 0 else min(left, _CHUNK))
            if not part:
                break
            parts.append(part)
            if left > 0:
                left -= len(part)
        body = parts[0] if len(parts) == 1 else b"".join(parts)
        self._offset += len(body)
        return bounded_numbers(body)


__all__ = [
    "MAX_HEADER_LINE",
    "MAX_MESSAGE",
    "MESSAGE_CEILING",
    "OUT_OF_RANGE",
    "BoundedNumbers",
    "UnreadableMessage",
    "bounded_numbers",
    "message_limit",
]
