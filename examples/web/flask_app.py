"""The voice menu of `ivr` as a Flask application.

Run it with ``flask --app examples/web/flask_app.py run --port 8080`` and point the PBX's
notification URL at ``http://HOST:8080/``. A request that is not a notification is answered
with its problem (400, 413 or 415).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from ivr import CONTEXT, MAX_BODY, answer

from ozml.notifications import NotificationError
from ozml.notifications.flask import from_request, refuse, respond

app = Flask(__name__)
app.register_error_handler(NotificationError, refuse)


@app.post("/")
@app.post("/dtmf")
@app.post("/recorded")
def notification() -> Any:
    note = from_request(max_bytes=MAX_BODY)
    return respond(answer(note, request.host_url), CONTEXT)
