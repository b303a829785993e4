"""The answers of a small voice menu, built with ozml.builder (shared by both web examples).

The PBX POSTs a notification (form fields, ``NotificationName`` first) and runs the OzML it gets
back. An incoming call hears a greeting and a menu: 1 for sales, 2 for support; any other key is
posted back as a ``DtmfEntered`` notification to ``/dtmf``, where 0 reaches the operator.
Which fields IncomingCall carries is not documented by the vendor, so only ``NotificationName``
and, for DtmfEntered, ``DtmfDigits`` are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ozml.builder import (
    BlindTransfer,
    Hangup,
    InitialCommands,
    Input,
    Inputs,
    Response,
    Speak,
    UserInput,
)

SALES = "200"
SUPPORT = "300"
OPERATOR = "100"
#: Every answer is an extension script (D4): the builder checks it as one.
CONTEXT = "extension"


def answer(form: Mapping[str, str], base_url: str) -> Response:
    """The OzML for one notification; `base_url` is where this application is reached."""
    name = form.get("NotificationName", "")
    if name in ("IncomingCall", "CallConnected"):
        return welcome(base_url)
    if name == "DtmfEntered":
        return entered(form.get("DtmfDigits", ""))
    return Response()  # nothing to do for other notifications


def welcome(base_url: str) -> Response:
    return Response(
        Speak("Welcome to Example Limited.", language="en-US"),
        UserInput(
            InitialCommands(Speak("Press 1 for sales or 2 for support. Press 0 for the operator.")),
            Inputs(
                Input(1, Speak("Connecting you to sales."), BlindTransfer(SALES)),
                Input(2, Speak("Connecting you to support."), BlindTransfer(SUPPORT)),
            ),
            timeout=10,
            repeat=True,
            forward_to_url=f"{base_url.rstrip('/')}/dtmf",
        ),
    )


def entered(digits: str) -> Response:
    # Only DTMF keys are spoken back: a form field can hold anything, a $variable included.
    keys = " ".join(re.findall(r"[0-9*#A-D]", digits.upper())) or "nothing"
    if keys == "0":
        return Response(Speak("Connecting you to the operator."), BlindTransfer(OPERATOR))
    return Response(Speak(f"Sorry, {keys} is not on the menu. Goodbye."), Hangup())
