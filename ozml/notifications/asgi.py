"""Notifications in a plain ASGI application (the ASGI 3 HTTP protocol), with no framework.

    >>> from ozml.builder import Response, Speak
    >>> from ozml.notifications.asgi import from_scope, refuse, respond
    >>> async def app(scope, receive, send):
    ...     try:
    ...         note = await from_scope(scope, receive)
    ...     except NotificationError as error:
    ...         return await refuse(send, error)
    ...     await respond(send, Response(Speak(f"Hello {note.name}")))

`from_scope` receives the body in its chunks and stops past `MAX_BODY_BYTES`, or at once when
the Content-Length says the body is larger.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ozml.notifications.answers import Reply, refusal, reply
from ozml.notifications.forms import MAX_BODY_BYTES, MAX_FIELDS, NotificationError, went_away
from ozml.notifications.reading import Reader

if TYPE_CHECKING:
    from ozml.builder import Response
    from ozml.callmodel import NotificationNames
    from ozml.catalog import Context
    from ozml.notifications.kinds import Notification

__all__ = ["NotificationError", "from_scope", "read_body", "refuse", "respond"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def header(scope: Message, name: bytes) -> str | None:
    """The first header `name` (lower case) of an ASGI HTTP scope, as text."""
    for key, value in scope.get("headers", ()):
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def read_body(scope: Message, receive: Receive, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The request body, at most `max_bytes` (NotificationError past it)."""
    _check_type(scope)
    reader = Reader(None, header(scope, b"content-length"), max_bytes=max_bytes)
    await _receive(receive, reader)
    return reader.body()


def _check_type(scope: Message) -> None:
    if scope.get("type") != "http":
        raise NotificationError(f"a notification is an HTTP request, not {scope.get('type')!r}")


async def _receive(receive: Receive, reader: Reader) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise went_away()
        reader.add(bytes(message.get("body", b"")))
        if not message.get("more_body", False):
            return


async def from_scope(
    scope: Message,
    receive: Receive,
    *,
    names: NotificationNames | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> Notification:
    """The notification POSTed in an ASGI HTTP request (see `ozml.notifications.parse`)."""
    reader = Reader(
        header(scope, b"content-type"),
        header(scope, b"content-length"),
        names=names,
        kind=kind,
        max_bytes=max_bytes,
        max_fields=max_fields,
    )
    _check_type(scope)
    await _receive(receive, reader)
    return reader.notification()


async def _send(send: Send, answer: Reply) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers()]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def respond(
    send: Send, answer: Response | str | bytes | None, context: Context | str = "extension"
) -> None:
    """Answer with OzML (`ozml.notifications.render`): HTTP 200, `CONTENT_TYPE`."""
    await _send(send, reply(answer, context))


async def refuse(send: Send, error: NotificationError) -> None:
    """Answer a request that is not a notification: the error's status, its message as text."""
    await _send(send, refusal(error))
