"""Notifications in a Django view (Django is imported only by these functions).

    # views.py
    from ozml.builder import Response, Speak
    from ozml.notifications import NotificationError
    from ozml.notifications.django import from_request, refuse, respond

    @csrf_exempt          # the PBX sends no CSRF token
    @require_POST
    def notification(request):
        try:
            note = from_request(request)
        except NotificationError as error:
            return refuse(error)
        return respond(Response(Speak(f"Hello {note.name}")))

Django's own limit, ``DATA_UPLOAD_MAX_MEMORY_SIZE``, applies as well (RequestDataTooBig, which
`from_request` reports as NotificationTooLarge).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozml.notifications.answers import Reply, refusal, reply
from ozml.notifications.forms import (
    MAX_BODY_BYTES,
    MAX_FIELDS,
    NotificationError,
    past_setting,
)
from ozml.notifications.reading import Reader

if TYPE_CHECKING:
    from ozml.builder import Response
    from ozml.callmodel import NotificationNames
    from ozml.catalog import Context
    from ozml.notifications.kinds import Notification

__all__ = ["from_request", "refuse", "respond"]


def from_request(
    request: Any,
    *,
    names: NotificationNames | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> Notification:
    """The notification POSTed in a Django ``HttpRequest`` (see `ozml.notifications.parse`)."""
    reader = Reader(
        request.META.get("CONTENT_TYPE"),
        request.META.get("CONTENT_LENGTH"),
        names=names,
        kind=kind,
        max_bytes=max_bytes,
        max_fields=max_fields,
    )
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig

    try:
        reader.add(request.body)
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise past_setting("Django's DATA_UPLOAD_MAX_MEMORY_SIZE", limit) from None
    return reader.notification()


def respond(answer: Response | str | bytes | None, context: Context | str = "extension") -> Any:
    """A Django ``HttpResponse`` with the OzML answer (`ozml.notifications.render`)."""
    return _response(reply(answer, context))


def refuse(error: NotificationError) -> Any:
    """A Django ``HttpResponse`` for a request that is not a notification: the error's status
    and message."""
    return _response(refusal(error))


def _response(answer: Reply) -> Any:
    from django.http import HttpResponse

    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
