"""The voice menu of `ivr` as a plain ASGI application, with no framework.

Run it with any ASGI server, e.g. ``uvicorn --app-dir examples/web asgi_app:app --port 8080``,
and point the PBX's notification URL at ``http://HOST:8080/``.
"""

from __future__ import annotations

from typing import Any

from ivr import CONTEXT, MAX_BODY, PATHS, answer

from ozml.notifications import NotificationError
from ozml.notifications.asgi import from_scope, header, refuse, respond


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        await notification(scope, receive, send)
    elif scope["type"] == "lifespan":  # nothing to start or stop
        while (await receive())["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})


async def notification(scope: dict[str, Any], receive: Any, send: Any) -> None:
    try:
        if scope["path"] not in PATHS:
            raise NotificationError("no such page", 404)
        if scope["method"] != "POST":
            raise NotificationError("notifications are POSTed", 405)
        note = await from_scope(scope, receive, max_bytes=MAX_BODY)
    except NotificationError as error:
        await refuse(send, error)
    else:
        base_url = f"{scope.get('scheme', 'http')}://{header(scope, b'host')}/"
        await respond(send, answer(note, base_url), CONTEXT)
