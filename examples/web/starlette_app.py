"""The voice menu of `ivr` as a Starlette application (FastAPI routes work the same way).

Run it with ``uvicorn --app-dir examples/web starlette_app:app --port 8080`` and point the PBX's
notification URL at ``http://HOST:8080/``.
"""

from __future__ import annotations

from ivr import CONTEXT, MAX_BODY, PATHS, answer
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response as HTTPResponse
from starlette.routing import Route

from ozml.notifications import NotificationError
from ozml.notifications.starlette import from_request, handler, respond


async def notification(request: Request) -> HTTPResponse:
    note = await from_request(request, max_bytes=MAX_BODY)
    return respond(answer(note, str(request.base_url)), CONTEXT)


app = Starlette(
    routes=[Route(path, notification, methods=["POST"]) for path in PATHS],
    exception_handlers={NotificationError: handler},
)
