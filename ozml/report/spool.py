"""Where the machine formats (JSON, SARIF, JUnit) keep their output until the run ends.

A document on standard output is complete or absent: a tool reading it must never get half a
SARIF log because ozml stopped part-way (a configuration error in a later folder, a full disk,
an interrupt). So these formats write into a spooled temporary file (in memory up to 1 MiB, on
disk beyond, so memory stays flat however many findings there are) and copy it to the stream in
`finish`, when the document is whole.

The output is UTF-8, whatever the terminal's encoding: SARIF requires it and JUnit's XML
declaration says so. Any str can be written: a lone surrogate (an undecodable byte of a file
name, or of a str given to the Python API) is written as the escape ``\\udcff``, which is the
JSON escape of that character wherever a JSON string holds it.
"""

from __future__ import annotations

import codecs
import tempfile
from typing import TextIO

#: Bytes kept in memory before the spool moves to a temporary file.
MEMORY = 1 << 20
_CHUNK = 1 << 16


class Spool:
    """Text written now, copied to a stream later (or never, when the run fails)."""

    __slots__ = ("_file",)

    def __init__(self) -> None:
        # Closed by copy_to() or close(); a spool lives for the whole run.
        self._file = tempfile.SpooledTemporaryFile(max_size=MEMORY, mode="w+b")  # noqa: SIM115

    def write(self, text: str) -> None:
        self._file.write(text.encode("utf-8", "backslashreplace"))

    def copy_to(self, stream: TextIO, *, head: str = "", tail: str = "") -> None:
        """Write `head`, everything spooled and `tail` to `stream` (as UTF-8 bytes to its buffer
        when it has one), and close the spool."""
        source = self._file
        source.seek(0)
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(head.encode("utf-8", "backslashreplace"))
            while chunk := source.read(_CHUNK):
                buffer.write(chunk)
            buffer.write(tail.encode("utf-8", "backslashreplace"))
            buffer.flush()
        else:
            decoder = codecs.getincrementaldecoder("utf-8")()
            stream.write(head)
            while chunk := source.read(_CHUNK):
                stream.write(decoder.decode(chunk))
            stream.write(decoder.decode(b"", final=True) + tail)
        self.close()

    def close(self) -> None:
        self._file.close()
