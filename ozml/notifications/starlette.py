"""Notifications in a Starlette (or FastAPI) application; Starlette is imported only by these
functions.

    from starlette.applications import Starlette
    from starlette.routing import Route
    from ozml.builder import Response, Speak
    from ozml.notifications import NotificationError
    from ozml.notifications.starlette import from_request, handler, respond

    async def notification(request):
        note = await from_request(request)
        return respond(Response(Speak(f"Hello {note.name}")))

    app = Starlette(
        routes=[Route("/", notification, methods=["POST"])],
        exception_handlers={NotificationError: handler},
    )

The body is read from ``request.stream()`` and refused past `MAX_BODY_BYTES` (no
python-multipart needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozml.notifications.answers import Reply, refusal, reply
from ozml.notifications.forms import MAX_BODY_BYTES, MAX_FIELDS, NotificationError, went_away
from ozml.notifications.reading import Reader

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response as HTTPResponse

    from ozml.builder import Response
    from ozml.callmodel import NotificationNames
    from ozml.catalog import Context
    from ozml.notifications.kinds import Notification

__all__ = ["from_request", "handler", "refuse", "respond"]


async def from_request(
    request: Request,
    *,
    names: NotificationNames | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> Notification:
    """The notification POSTed in a Starlette ``Request`` (see `ozml.notifications.parse`)."""
    from starlette.requests import ClientDisconnect

    reader = Reader(
        request.headers.get("content-type"),
        request.headers.get("content-length"),
        names=names,
        kind=kind,
        max_bytes=max_bytes,
        max_fields=max_fields,
    )
    try:
        async for chunk in request.stream():
            reader.add(chunk)
    except ClientDisconnect:
        raise went_away() from None
    return reader.notification()


def respond(
    answer: Response | str | bytes | None, context: Context | str = "extension"
) -> HTTPResponse:
    """A Starlette ``Response`` with the OzML answer (`ozml.notifications.render`)."""
    return _response(reply(answer, context))


def refuse(error: NotificationError) -> HTTPResponse:
    """A Starlette ``Response`` for a request that is not a notification: the error's status
    and message."""
    return _response(refusal(error))


def _response(answer: Reply) -> HTTPResponse:
    from starlette.responses import Response as HTTPResponse

    return HTTPResponse(answer.body, status_code=answer.status, media_type=answer.content_type)


def handler(request: Any, error: Exception) -> HTTPResponse:
    """`refuse` as a Starlette exception handler:
    ``exception_handlers={NotificationError: handler}``."""
    if not isinstance(error, NotificationError):
        raise error
    return refuse(error)
