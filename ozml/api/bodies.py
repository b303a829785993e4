"""Reading an HTTP answer's body within a size limit, compressed or not.

A limit counted on what the network delivers does not bound memory when the answer is
compressed: httpx decodes each read of up to 64 KiB at once, and 64 KiB of gzip can hold 64 MiB
of zeros. So requests ask for no compression (`HEADERS`: ``Accept-Encoding: identity``; a PBX
answer is a few kilobytes), and `read_body` reads the raw bytes itself, decoding a server's
gzip or deflate anyway with zlib asked for no more than what is left of the limit. Once past
the limit it stops reading and keeps nothing: the caller is told the body is too large.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import httpx

__all__ = ["HEADERS", "UnreadableBody", "read_body"]

#: Headers of every request whose answer `read_body` reads.
HEADERS: Final = {"Accept-Encoding": "identity"}

_GZIP: Final = frozenset({"gzip", "x-gzip"})


class UnreadableBody(Exception):
    """A body in an encoding ozml does not decode, or broken in the one it names."""


class _Inflate:
    """zlib decoding that never returns more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        # gzip; HTTP's "deflate" is the zlib format, and some servers send raw deflate: the
        # first bytes tell (as httpx decides).
        self._wbits = zlib.MAX_WBITS | 16 if encoding in _GZIP else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(self._wbits)
        self._started = False

    def decode(self, data: bytes, room: int) -> bytes:
        """At most `room` bytes of what `data` decodes to (input left over is kept only when
        `room` was filled, and then the caller stops)."""
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error:
            if self._started or self._encoding in _GZIP:
                raise UnreadableBody(f"the answer's {self._encoding} encoding is broken") from None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._raw(data, room)
        self._started = True
        return out

    def _raw(self, data: bytes, room: int) -> bytes:
        try:
            return self._zlib.decompress(data, room)
        except zlib.error:
            raise UnreadableBody(f"the answer's {self._encoding} encoding is broken") from None


def _encoding(response: httpx.Response) -> str:
    header: str = response.headers.get("Content-Encoding", "")
    codings = [
        c.strip().lower()
        for c in header.split(",")
        if c.strip() and c.strip().lower() != "identity"
    ]
    if not codings:
        return "identity"
    if len(codings) == 1 and (codings[0] in _GZIP or codings[0] == "deflate"):
        return codings[0]
    shown = ", ".join(codings)[:60]
    raise UnreadableBody(
        f"the answer is encoded as {shown!r}, which ozml does not decode"
        " (it asks for no encoding: Accept-Encoding: identity)"
    )


def read_body(response: httpx.Response, limit: int) -> bytes | None:
    """The body of a streamed `response`, decoded; None when it is larger than `limit` bytes
    (reading stops there and nothing read is kept). `UnreadableBody` for an encoding other
    than gzip or deflate, or a broken one."""
    encoding = _encoding(response)
    raw: Iterable[bytes] = response.iter_raw()
    inflate = None if encoding == "identity" else _Inflate(encoding)
    chunks: list[bytes] = []
    size = 0
    for chunk in raw:
        if inflate is not None:
            chunk = inflate.decode(chunk, limit + 1 - size)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
