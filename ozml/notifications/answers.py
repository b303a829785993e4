"""The answer to a notification: OzML bytes and the content type they are sent with.

ozml's examples, the builder guide and the simulator send OzML as
``application/xml; charset=utf-8`` (`CONTENT_TYPE`); the vendor's samples do not say which type
the PBX expects, and the PBX reads the body as XML whatever the header says.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Final, NamedTuple

from ozml.notifications.forms import FORM_TYPE, NotificationError, check_encoding

if TYPE_CHECKING:
    from ozml.builder import Response
    from ozml.catalog import Context

__all__ = [
    "CONTENT_TYPE",
    "ERROR_TYPE",
    "Reply",
    "check_content_type",
    "refusal",
    "render",
    "reply",
]

#: The Content-Type of an OzML answer.
CONTENT_TYPE: Final = "application/xml; charset=utf-8"
#: The Content-Type of a refusal: the error's message as text.
ERROR_TYPE: Final = "text/plain; charset=utf-8"


class Reply(NamedTuple):
    """An answer as every framework helper sends it; each only puts it in its framework's
    response."""

    status: int
    content_type: str
    body: bytes

    @property
    def status_line(self) -> str:
        """The status with its reason phrase, as WSGI sends it (``"415 Unsupported Media
        Type"``)."""
        return f"{self.status} {HTTPStatus(self.status).phrase}"

    def headers(self) -> list[tuple[str, str]]:
        """The Content-Type and Content-Length headers."""
        return [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))]


def reply(answer: Response | str | bytes | None, context: Context | str = "extension") -> Reply:
    """The answer with OzML (`render`): HTTP 200, `CONTENT_TYPE`."""
    return Reply(200, CONTENT_TYPE, render(answer, context))


def refusal(error: NotificationError) -> Reply:
    """The answer to a request that is not a notification: the error's status, its message as
    text (`ERROR_TYPE`)."""
    return Reply(error.status, ERROR_TYPE, f"{error}\n".encode())


def render(answer: Response | str | bytes | None, context: Context | str = "extension") -> bytes:
    """The body of an OzML answer: a builder `Response` checked for `context` (D4: an extension
    script by default) as UTF-8 bytes, OzML text encoded as UTF-8, or bytes as they are. None is
    an empty ``<Response/>`` (nothing for the PBX to do)."""
    if answer is None:
        from ozml.builder import Response

        answer = Response()
    if isinstance(answer, bytes):
        return answer
    if isinstance(answer, str):
        return answer.encode("utf-8")
    return answer.to_bytes(context)


def check_content_type(header: str | None) -> str:
    """The character encoding of a notification's body from its Content-Type header.

    No header is read as a form in UTF-8; ``application/x-www-form-urlencoded`` with or
    without a charset is accepted; any other media type (multipart, JSON, XML) is refused with
    NotificationError (status 415).
    """
    if not header or not header.strip():
        return "utf-8"
    media, *params = (part.strip() for part in header.split(";"))
    if media.lower() != FORM_TYPE:
        raise NotificationError(
            f"the notification is {media or 'untyped'}, not {FORM_TYPE} as the PBX sends it", 415
        )
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"'):
            return check_encoding(value.strip().strip('"'))
    return "utf-8"
