"""Notifications in a Flask application (Flask is imported only by these functions).

    >>> from flask import Flask
    >>> from ozml.builder import Response, Speak
    >>> from ozml.notifications import DtmfEntered, NotificationError
    >>> from ozml.notifications.flask import from_request, refuse, respond
    >>> app = Flask("docs")
    >>> app.register_error_handler(NotificationError, refuse)
    >>> @app.post("/")
    ... def notification():
    ...     note = from_request()
    ...     if isinstance(note, DtmfEntered):
    ...         return respond(Response(Speak(f"You pressed {note.dtmf_digits}")))
    ...     return respond(None)
    >>> reply = app.test_client().post("/", data={"NotificationName": "DtmfEntered",
    ...                                          "DtmfDigits": "5"})
    >>> reply.status_code, reply.content_type
    (200, 'application/xml; charset=utf-8')
    >>> app.test_client().post("/", data={"CallId": "1"}).status_code
    400

Flask's own limit, ``MAX_CONTENT_LENGTH``, applies as well (werkzeug's RequestEntityTooLarge,
which `from_request` reports as NotificationTooLarge).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozml.notifications.answers import Reply, refusal, reply
from ozml.notifications.forms import (
    MAX_BODY_BYTES,
    MAX_FIELDS,
    NotificationError,
    past_setting,
    went_away,
)
from ozml.notifications.reading import Reader

if TYPE_CHECKING:
    from ozml.builder import Response
    from ozml.callmodel import NotificationNames
    from ozml.catalog import Context
    from ozml.notifications.kinds import Notification

__all__ = ["from_request", "refuse", "respond"]


def from_request(
    request: Any = None,
    *,
    names: NotificationNames | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> Notification:
    """The notification POSTed in a Flask request (the current one by default).

    Reads the raw body (at most `max_bytes`) so that every field keeps its order and spelling;
    when the application already read ``request.form``, the parsed form is used instead.
    """
    if request is None:
        from flask import request as current

        request = current
    from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

    # werkzeug reads a Content-Length that is no number as 0 (and None for a chunked body):
    # the header as sent is checked, as every helper checks it.
    chunked = request.content_length is None
    reader = Reader(
        request.headers.get("Content-Type"),
        None if chunked else request.headers.get("Content-Length"),
        names=names,
        kind=kind,
        max_bytes=max_bytes,
        max_fields=max_fields,
    )
    try:
        if chunked:
            reader.read_from(request.stream.read)
        else:
            reader.add(request.get_data(cache=True))
    except ClientDisconnected:
        raise went_away() from None
    except RequestEntityTooLarge:
        raise past_setting("Flask's MAX_CONTENT_LENGTH", request.max_content_length) from None
    if not reader.received and request.form:
        return reader.notification(request.form.items(multi=True))
    return reader.notification()


def respond(answer: Response | str | bytes | None, context: Context | str = "extension") -> Any:
    """A ``flask.Response`` with the OzML answer (`ozml.notifications.render`)."""
    return _response(reply(answer, context))


def refuse(error: NotificationError) -> Any:
    """A ``flask.Response`` for a request that is not a notification: the error's status and
    message; usable as ``app.register_error_handler(NotificationError, refuse)``."""
    return _response(refusal(error))


def _response(answer: Reply) -> Any:
    import flask

    return flask.Response(answer.body, status=answer.status, content_type=answer.content_type)
