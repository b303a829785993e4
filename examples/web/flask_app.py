"""An OzML web application with Flask and ozml.

Run it with ``flask --app examples/web/flask_app.py run --port 8080`` and point the PBX's
notification URL at ``http://HOST:8080/``. Every POST is answered with the OzML of `ivr.answer`,
checked as an extension script.
"""

from __future__ import annotations

from flask import Flask, Response, request
from ivr import CONTEXT, answer

app = Flask(__name__)


@app.post("/")
@app.post("/dtmf")
def notification() -> Response:
    ozml = answer(request.form.to_dict(), request.host_url)
    return Response(ozml.to_bytes(CONTEXT), mimetype="application/xml")
