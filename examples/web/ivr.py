"""The answers of a small voice menu, built with ozml.builder (shared by every web example).

The PBX POSTs a notification (form fields, ``NotificationName`` first) and runs the OzML it gets
back; `ozml.notifications` reads the form into a typed notification. An incoming call hears a
greeting and a menu: 1 for sales, 2 for support; any other key is posted back as a
``DtmfEntered`` notification to ``/dtmf``, where 0 reaches the operator. When the operator
cannot take the call, the failed BlindTransfer goes on with the next command (D9): the caller
may leave a message, ended by ``#``, and the PBX posts ``RecordCompleted`` to ``/recorded``.
Which fields IncomingCall carries is not documented by the vendor, so only the notification's
kind and, for DtmfEntered, ``DtmfDigits`` (the field the vendor's sample reads) are used.
"""

from __future__ import annotations

import re

from ozml.builder import (
    BlindTransfer,
    Hangup,
    InitialCommands,
    Input,
    Inputs,
    Record,
    Response,
    Speak,
    UserInput,
)
from ozml.notifications import (
    CallConnected,
    DtmfEntered,
    IncomingCall,
    Notification,
    RecordCompleted,
)

SALES = "200"
SUPPORT = "300"
OPERATOR = "100"
#: Every answer is an extension script (D4): the builder checks it as one.
CONTEXT = "extension"
#: The paths the PBX posts to: the subscription URL, UserInput's ForwardToUrl, Record's
#: FinishedUrl. Each serves every notification: the kind is in the form, not in the path.
PATHS = ("/", "/dtmf", "/recorded")
#: Notifications are small forms; anything larger is refused (HTTP 413).
MAX_BODY = 64 * 1024


def answer(note: Notification, base_url: str) -> Response:
    """The OzML for one notification; `base_url` is where this application is reached."""
    match note:
        case IncomingCall() | CallConnected():
            return welcome(base_url)
        case DtmfEntered():
            return entered(note.dtmf_digits or "", base_url)
        case RecordCompleted():
            return Response(Speak("Thank you. Goodbye."), Hangup())
        case _:
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


def entered(digits: str, base_url: str) -> Response:
    # Only DTMF keys are spoken back: a form field can hold anything, a $variable included.
    keys = " ".join(re.findall(r"[0-9*#A-D]", digits.upper())) or "nothing"
    if keys == "0":
        return Response(
            Speak("Connecting you to the operator."),
            BlindTransfer(OPERATOR),
            # Reached only when the transfer fails (busy, no answer): voicemail.
            Speak("The operator cannot take your call. Leave a message and press hash."),
            Record(
                finish_digits="#", duration=120, finished_url=f"{base_url.rstrip('/')}/recorded"
            ),
        )
    return Response(Speak(f"Sorry, {keys} is not on the menu. Goodbye."), Hangup())
