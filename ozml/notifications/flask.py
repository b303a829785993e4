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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozml.notifications.answers import CONTENT_TYPE, check_content_type, render
from ozml.notifications.forms import (
    MAX_BODY_BYTES,
    MAX_FIELDS,
    NotificationError,
    check_limits,
    content_length,
    form_pairs,
    read_stream,
)
from ozml.notifications.kinds import Notification, parse

if TYPE_CHECKING:
    from ozml.builder import Response
    from ozml.callmodel import NotificationNames
    from ozml.catalog import Context

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
    check_limits(max_bytes, max_fields)
    if request is None:
        from flask import request as current

        request = current
    encoding = check_content_type(request.headers.get("Content-Type"))
    length = content_length(request.content_length, max_bytes)
    if length is None:
        body = read_stream(request.stream.read, None, max_bytes)
    else:
        body = request.get_data(cache=True)
    if not body and request.form:
        pairs = form_pairs(
            request.form.items(multi=True), max_bytes=max_bytes, max_fields=max_fields
        )
        return parse(pairs, names=names, kind=kind, max_bytes=max_bytes, max_fields=max_fields)
    return parse(
        body,
        names=names,
        kind=kind,
        encoding=encoding,
        max_bytes=max_bytes,
        max_fields=max_fields,
    )


def respond(answer: Response | str | bytes | None, context: Context | str = "extension") -> Any:
    """A ``flask.Response`` with the OzML answer (`ozml.notifications.render`)."""
    import flask

    return flask.Response(render(answer, context), status=200, content_type=CONTENT_TYPE)


def refuse(error: NotificationError) -> Any:
    """A ``flask.Response`` for a request that is not a notification: the error's status and
    message; usable as ``app.register_error_handler(NotificationError, refuse)``."""
    import flask

    return flask.Response(
        f"{error}\n", status=error.status, content_type="text/plain; charset=utf-8"
    )
