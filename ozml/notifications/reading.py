"""What every framework helper does with a notification request, whatever its framework.

A helper translates its framework's request into a `Reader`: the Content-Type and
Content-Length headers, checked before any of the body is read (`check_content_type`,
`content_length`), then the body as the framework hands it over (all at once, chunk by chunk,
or from a file-like stream), gathered within ``max_bytes``, then `Reader.notification` parses
it (`ozml.notifications.parse`). The limits, the refusals and their messages are decided here
once, so each helper answers the same request alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ozml.notifications.answers import check_content_type
from ozml.notifications.forms import (
    MAX_BODY_BYTES,
    MAX_FIELDS,
    check_limits,
    content_length,
    too_large,
    went_away,
)
from ozml.notifications.kinds import Notification, parse

if TYPE_CHECKING:
    from ozml.callmodel import NotificationNames

__all__ = ["Reader"]

#: How much a `Reader.read_from` asks a stream for at a time.
_READ_SIZE = 64 * 1024


class Reader:
    """One notification request being read.

    Made from the request's Content-Type and Content-Length headers (text as sent, or None;
    an int for a length a framework already parsed), it refuses them at once: NotificationError
    (415) for another media type or charset, (400) for a length that is not a number, (413) for
    a length past `max_bytes`; TypeError or ValueError for limits a caller cannot mean. `encoding`
    is the body's character encoding, `length` the length announced (None: the body's end
    tells it).
    """

    __slots__ = ("_chunks", "_size", "encoding", "kind", "length", "max_bytes", "max_fields",
                 "names")

    def __init__(
        self,
        content_type: str | None,
        length: str | int | None,
        *,
        names: NotificationNames | None = None,
        kind: str | None = None,
        max_bytes: int = MAX_BODY_BYTES,
        max_fields: int = MAX_FIELDS,
    ) -> None:
        check_limits(max_bytes, max_fields)
        self.names = names
        self.kind = kind
        self.max_bytes = max_bytes
        self.max_fields = max_fields
        self.encoding = check_content_type(content_type)
        self.length = content_length(length, max_bytes)
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        """One more piece of the body; NotificationTooLarge as soon as the body passes
        `max_bytes`."""
        self._size += len(chunk)
        if self._size > self.max_bytes:
            raise too_large(None, self.max_bytes)
        self._chunks.append(chunk)

    def read_from(self, read: Callable[[int], bytes]) -> None:
        """Read the body from a file-like `read`: `length` bytes when the length is known
        (never more), else up to the end, refused past `max_bytes`."""
        want = self.max_bytes + 1 if self.length is None else self.length
        while self._size < want:
            chunk = read(min(want - self._size, _READ_SIZE))
            if not chunk:
                break
            self.add(chunk)

    @property
    def received(self) -> int:
        """How many bytes of the body came so far."""
        return self._size

    def body(self) -> bytes:
        """The whole body; NotificationError (400) when it ended before the `length` it
        announced: the client went away, and what came is not the notification it sent."""
        if self.length is not None and self._size < self.length:
            raise went_away()
        return b"".join(self._chunks)

    def notification(
        self, form: Mapping[str, str] | Iterable[tuple[str, str]] | None = None
    ) -> Notification:
        """The notification the body holds (`ozml.notifications.parse`), or the one in `form`
        when the framework already decoded the body (and nothing is left of it to read)."""
        return parse(
            self.body() if form is None else form,
            names=self.names,
            kind=self.kind,
            encoding=self.encoding,
            max_bytes=self.max_bytes,
            max_fields=self.max_fields,
        )
