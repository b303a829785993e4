"""Notifications in a plain WSGI application (PEP 3333), with no framework.

    >>> from ozml.builder import Response, Speak
    >>> from ozml.notifications.wsgi import from_environ, refuse, respond
    >>> def app(environ, start_response):
    ...     try:
    ...         note = from_environ(environ)
    ...     except NotificationError as error:
    ...         return refuse(start_response, error)
    ...     return respond(start_response, Response(Speak(f"Hello {note.name}")))

`from_environ` reads at most `MAX_BODY_BYTES` of ``wsgi.input``: the Content-Length when there
is one, else up to the end when the server says the stream ends (``wsgi.input_terminated``),
else nothing, as PEP 3333 asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ozml.notifications.answers import Reply, refusal, reply
from ozml.notifications.forms import MAX_BODY_BYTES, MAX_FIELDS, NotificationError
from ozml.notifications.reading import Reader

if TYPE_CHECKING:
    from ozml.builder import Response
    from ozml.callmodel import NotificationNames
    from ozml.catalog import Context
    from ozml.notifications.kinds import Notification

__all__ = ["NotificationError", "from_environ", "read_body", "refuse", "respond"]

StartResponse = Callable[..., Any]


def read_body(environ: Mapping[str, Any], max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The request body, at most `max_bytes` (NotificationError past it, before reading)."""
    reader = Reader(None, environ.get("CONTENT_LENGTH"), max_bytes=max_bytes)
    _read(environ, reader)
    return reader.body()


def _read(environ: Mapping[str, Any], reader: Reader) -> None:
    if reader.length is None and not environ.get("wsgi.input_terminated"):
        return
    stream = environ.get("wsgi.input")
    if stream is not None:
        reader.read_from(stream.read)


def from_environ(
    environ: Mapping[str, Any],
    *,
    names: NotificationNames | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> Notification:
    """The notification POSTed in a WSGI request (see `ozml.notifications.parse`)."""
    reader = Reader(
        environ.get("CONTENT_TYPE"),
        environ.get("CONTENT_LENGTH"),
        names=names,
        kind=kind,
        max_bytes=max_bytes,
        max_fields=max_fields,
    )
    _read(environ, reader)
    return reader.notification()


def respond(
    start_response: StartResponse,
    answer: Response | str | bytes | None,
    context: Context | str = "extension",
) -> Iterable[bytes]:
    """Answer with OzML (`ozml.notifications.render`): HTTP 200, `CONTENT_TYPE`."""
    return _send(start_response, reply(answer, context))


def refuse(start_response: StartResponse, error: NotificationError) -> Iterable[bytes]:
    """Answer a request that is not a notification: the error's status, its message as text."""
    return _send(start_response, refusal(error))


def _send(start_response: StartResponse, answer: Reply) -> Iterable[bytes]:
    start_response(answer.status_line, answer.headers())
    return [answer.body]
