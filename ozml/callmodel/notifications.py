"""The notifications the PBX sends to an application (ozml-spec.md §5.1), in one table.

Each `Kind` says where the notification goes, which form fields it carries and, for each one,
whether the vendor states it or ozml assumes it. Everything that sends or reads a notification
uses this table: the dry run, the simulator (`ozml.simulator`), ``ozml test --app`` and the
typed parser for web applications (`ozml.notifications`). `NotificationNames` lets a user rename
what is assumed (the vendor never names the requests to ErrorUrl, FinishedUrl and ResultUrl).

What is stated: every notification carries ``NotificationName`` [oz4201]; RoutingInterception's
fields [oz4201]; CallChanged carries the call state [oz4587] (its field name is not given);
RecordCompleted carries ``RecordURL`` [oz4803]; DtmfEntered ``DtmfDigits`` [ghIVR]; CallConnected
keeps the query parameters of Call's Url [ghAR]. Everything else is assumed, and a trace marks a
notification whose name or fields are assumed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

__all__ = [
    "CONNECTED_UNFETCHED",
    "KINDS",
    "RECORDING_3PCC_ENDS",
    "Field",
    "Kind",
    "NotificationNames",
    "build_form",
    "kind",
]


#: What becomes of a placed call whose CallConnected answer cannot be fetched: it is hung up,
#: in state Error. Only the older pages say so ("if empty or not downloadable the call is hung
#: up" [oz4588]); the Ozeki 10 page does not (spec §7.3). The dry run and the simulator both
#: act on it and say so in these words.
CONNECTED_UNFETCHED: Final = (
    "the call is hung up, in state Error (assumed: only the older pages say so of a Url that"
    " cannot be downloaded [oz4588])"
)


#: Why when a 3PCC Record's RecordCompleted is sent is assumed (spec §7.12: under 3PCC Record
#: records a chosen call, and its Duration, Inactivity and FinishDigits are ext-control only).
#: A dry run sends it at once, the simulator when the recorded call ends; both say so.
RECORDING_3PCC_ENDS: Final = "assumed: the vendor does not say when a 3PCC recording ends"


@attrs.frozen
class Field:
    """One form field of a notification."""

    name: str
    meaning: str
    stated: bool
    source: str = ""


@attrs.frozen
class Kind:
    """One kind of notification: its (default) name, where it is sent, and its fields."""

    key: str
    name: str
    #: Whether the vendor documents this name (False: the nearest documented name, assumed).
    stated_name: bool
    #: Where the PBX sends it, in the vendor's words.
    url: str
    fields: tuple[Field, ...]
    source: str
    #: Which commands may answer it, in the vendor's words ("" when not documented).
    answered_by: str = ""

    @property
    def assumed(self) -> bool:
        """Whether anything of this notification is assumed (its name or a field)."""
        return not self.stated_name or any(not f.stated for f in self.fields)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


_NAME = Field("NotificationName", "the kind of notification", True, "oz4201")
_CALL_ID = Field("CallId", "the call the notification is about", False)
_CALLER = Field("Caller", "the calling party's number", False)
_CALLEE = Field("Callee", "the called party's number", False)
_STATE = Field("CallState", "the call's state (§5.2 values)", False)

_EXT_ANSWERS = "ext-control commands (Delay, GoTo, Reject, UserInput, Speak, ...)"

#: Every notification, by key. The key is stable; `Kind.name` is the default NotificationName.
KINDS: Final[Mapping[str, Kind]] = {
    k.key: k
    for k in (
        Kind(
            "RoutingInterception",
            "RoutingInterception",
            True,
            "the Route interception URL of the HTTP API configuration",
            (
                _NAME,
                Field("CallerID", "the displayed ID of the calling extension", True, "oz4201"),
                Field("OriginalDialedNumber", "the number first dialled", True, "oz4201"),
                Field("LastDialedNumber", "the number dialled last", True, "oz4201"),
                Field("LastCalledExtension", "the extension rung last", True, "oz4201"),
                Field(
                    "LastCallState",
                    "Calling, NoAnswer, Busy, NotFound or Error",
                    True,
                    "oz4695",
                ),
                Field("CallerExtension", "the name of the calling extension", True, "oz4201"),
            ),
            "oz4201",
            "Route",
        ),
        Kind(
            "CallChanged",
            "CallChanged",
            True,
            "the 3PCC subscriber's URL",
            (
                _NAME,
                _CALL_ID,
                Field("CallState", "the new state (§5.2)", True, "oz4587"),
                _CALLER,
                _CALLEE,
            ),
            "oz4581",
            "3PCC commands (AttendedTransfer, Forward, Hangup, Hold, Unhold, Play, Record, ...)",
        ),
        Kind(
            "IncomingCall",
            "IncomingCall",
            True,
            "the URL the API extension subscribed for events",
            (_NAME, _CALL_ID, _CALLER, _CALLEE),
            "ghIVR",
            _EXT_ANSWERS,
        ),
        Kind(
            "CallConnected",
            "CallConnected",
            True,
            "Call's Url (with its own query parameters kept)",
            (_NAME, _CALL_ID, _CALLER, _CALLEE),
            "oz4588",
            _EXT_ANSWERS,
        ),
        Kind(
            "DtmfEntered",
            "DtmfEntered",
            True,
            "UserInput's ForwardToUrl",
            (_NAME, _CALL_ID, Field("DtmfDigits", "the keys entered", True, "ghIVR")),
            "oz4693",
            _EXT_ANSWERS,
        ),
        Kind(
            "RecordCompleted",
            "RecordCompleted",
            True,
            "Record's FinishedUrl",
            (
                _NAME,
                _CALL_ID,
                Field("RecordURL", "where to download the recording", True, "oz4803"),
            ),
            "oz4803",
            _EXT_ANSWERS,
        ),
        Kind(
            "SMSDeliveryReport",
            "SMSDeliveryReport",
            True,
            "SendSms's DeliveryReportURL",
            (
                _NAME,
                Field("Recipient", "the number the message was sent to", False),
                Field("DeliveryState", "Delivered or Failed", False),
            ),
            "oz4591",
            _EXT_ANSWERS,
        ),
        Kind(
            "IncomingSMS",
            "IncomingSMS",
            True,
            "the URL the API extension subscribed for events",
            (_NAME, Field("Sender", "the sender", False), Field("Message", "the text", False)),
            "oz5047",
            _EXT_ANSWERS,
        ),
        Kind(
            "GoTo",
            "GoTo",
            True,
            "GoTo's URL",
            (_NAME, _CALL_ID),
            "oz5047",
            _EXT_ANSWERS,
        ),
        Kind(
            "Error",
            "Error",
            False,
            "Call's or CallSetup's ErrorUrl",
            (_NAME, _CALL_ID, _CALLER, _CALLEE, _STATE),
            "oz4588",
        ),
        Kind(
            "Finished",
            "CallChanged",
            False,
            "Call's or BlindTransfer's FinishedUrl",
            (
                _NAME,
                _CALL_ID,
                _CALLER,
                _CALLEE,
                _STATE,
                Field("Duration", "the call's length in seconds", False, "oz4583"),
            ),
            "hu7632",
        ),
        Kind(
            "AlarmResult",
            "CallChanged",
            False,
            "SendAlarmNotification's ResultUrl",
            (_NAME, _CALL_ID, _CALLEE, _STATE),
            "oz5554",
        ),
    )
}


def kind(key: str) -> Kind:
    return KINDS[key]


@attrs.frozen
class NotificationNames:
    """The NotificationName sent per kind; users rename the assumed ones (config, scenario)."""

    overrides: Mapping[str, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        unknown = sorted(set(self.overrides) - set(KINDS))
        if unknown:
            raise ValueError(
                f"no notification called {', '.join(unknown)} (known: {', '.join(KINDS)})"
            )

    def name(self, key: str) -> str:
        return self.overrides.get(key) or KINDS[key].name

    def key_of(self, name: str, among: Iterable[str] = ()) -> str | None:
        """The kind sent under NotificationName `name`: the first of `among` (then of KINDS)
        whose name it is; None when no kind is (several assumed kinds share a default name,
        so a caller that knows which kinds it may see names them in `among`)."""
        for key in (*among, *KINDS):
            if self.name(key) == name:
                return key
        return None

    def assumed(self, key: str) -> bool:
        """Whether what is sent for `key` rests on an assumption (not overridden by the user)."""
        return KINDS[key].assumed and key not in self.overrides

    def assumption(self, key: str, form: Mapping[str, str]) -> str:
        """What a trace says is assumed in the form of `key` ("" when nothing is)."""
        spec = KINDS[key]
        if not self.assumed(key):
            return ""
        if not spec.stated_name:
            return "assumed name (spec §5.1)"
        fields = [name for name in form if (f := spec.field(name)) is not None and not f.stated]
        return f"assumed fields {', '.join(fields)} (spec §5.1)" if fields else ""


def build_form(
    key: str,
    values: Mapping[str, str],
    names: NotificationNames | None = None,
    extra: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """The form fields of one notification, in the table's order: NotificationName first, then
    each field of the kind that has a value, then `extra` (e.g. the query parameters of a Url).

    A value for a field the kind does not have is a bug in the caller (ValueError): the table
    is the one definition of what a notification carries.
    """
    spec = KINDS[key]
    known = {f.name for f in spec.fields}
    stray = sorted(set(values) - known)
    if stray:
        raise ValueError(f"{key} has no field {', '.join(stray)}")
    form = {"NotificationName": (names or _DEFAULT).name(key)}
    for f in spec.fields[1:]:
        value = values.get(f.name)
        if value is not None:
            form[f.name] = value
    for name, value in extra:
        form.setdefault(name, value)
    return form


_DEFAULT = NotificationNames()
