"""Typed notifications for web applications: read what the PBX POSTs, answer with OzML.

The PBX tells an application about a call by POSTing a form (``NotificationName`` first,
ozml-spec.md §5) and runs the OzML it gets back. `parse` turns the form into one class per
notification kind, its attributes made from the one table of notifications,
ozml.callmodel.KINDS::

    >>> from ozml.notifications import DtmfEntered, parse
    >>> note = parse(b"NotificationName=DtmfEntered&CallId=Nt3uh&DtmfDigits=12%23")
    >>> isinstance(note, DtmfEntered), note.dtmf_digits, note.call_id
    (True, '12#', 'Nt3uh')
    >>> parse("NotificationName=CallChanged&CallState=InCall").call_state
    <CallState.IN_CALL: 'InCall'>
    >>> parse("NotificationName=Hello&A=1")
    Notification(name='Hello', extra={'A': '1'})

Fields the vendor does not document are assumed (each class's docstring says which); every
field not in the table is kept in `Notification.extra`. Framework helpers, each importing its
framework only when used: `ozml.notifications.flask`, `.django`, `.starlette`, `.wsgi` and
`.asgi`. docs/web-apps.md is the guide.
"""

from __future__ import annotations

from ozml.notifications.answers import CONTENT_TYPE, check_content_type, render
from ozml.notifications.forms import (
    FORM_TYPE,
    MAX_BODY_BYTES,
    MAX_FIELDS,
    NotificationError,
    NotificationTooLarge,
    decode_form,
)
from ozml.notifications.kinds import (
    CLASSES,
    TYPED_FIELDS,
    AlarmResultRequest,
    CallChanged,
    CallConnected,
    DtmfEntered,
    ErrorUrlRequest,
    FinishedUrlRequest,
    GoTo,
    IncomingCall,
    IncomingSMS,
    Notification,
    RecordCompleted,
    RoutingInterception,
    SMSDeliveryReport,
    attribute_name,
    parse,
    resolve,
)

__all__ = [
    "CLASSES",
    "CONTENT_TYPE",
    "FORM_TYPE",
    "MAX_BODY_BYTES",
    "MAX_FIELDS",
    "TYPED_FIELDS",
    "AlarmResultRequest",
    "CallChanged",
    "CallConnected",
    "DtmfEntered",
    "ErrorUrlRequest",
    "FinishedUrlRequest",
    "GoTo",
    "IncomingCall",
    "IncomingSMS",
    "Notification",
    "NotificationError",
    "NotificationTooLarge",
    "RecordCompleted",
    "RoutingInterception",
    "SMSDeliveryReport",
    "attribute_name",
    "check_content_type",
    "decode_form",
    "parse",
    "render",
    "resolve",
]
