"""The simulated HTTP API: one request's parameters in, a result code and payload out.

Checks run in the order a client would want them reported: credentials (304 none, 305 wrong),
the command (301 unknown), its parameters (302 missing or invalid: every error of
`ozml.api.validate.validate_request`, the client's own check, naming the parameter), the call
it names (601 unknown), and whether the call's state allows the command (303). Parameter names
match the catalog case-insensitively and through aliases (``TranferorParty`` works), as the
vendor's lower-case ``dialed`` did [oz694]; unknown parameters are ignored; an empty value is
a value, as the check reads it (refused where the parameter's type takes none); what ozml only
assumes (a warning) does not refuse.
"""

from __future__ import annotations

import hmac
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias, TypeVar

import attrs

from ozml import xmlspace
from ozml.api.errors import message_for
from ozml.api.validate import validate_request
from ozml.api.wire import http_command
from ozml.callmodel.outcomes import Ring
from ozml.callmodel.readings import given, record_format
from ozml.callmodel.states import ACTIVE, CallState
from ozml.callmodel.switchboard import SimCall, Switchboard, TransferError, format_time
from ozml.callmodel.timing import waited_seconds
from ozml.catalog import Command, lookup_param
from ozml.catalog.values import whole_number
from ozml.lint.rules.duplicate_parameter import DuplicateParameter
from ozml.lint.rules.non_canonical_case import NonCanonicalCase
from ozml.simulator.config import SimulatorConfig
from ozml.simulator.executor import Notices

__all__ = ["Api", "Node", "Reply"]

#: A payload element: its name and either its text or its children.
Node: TypeAlias = tuple[str, "str | tuple[Node, ...]"]

T = TypeVar("T")


@attrs.frozen
class Reply:
    """A result code, the values for its message template, and the payload elements."""

    code: int
    args: tuple[str, ...] = ()
    payload: tuple[Node, ...] = ()

    @property
    def message(self) -> str:
        return message_for(self.code, *self.args)


OK = Reply(200)

#: Commands the vendor names but does not document: their answer's form is unknown (D6).
UNDOCUMENTED_ANSWER = frozenset({"ListExtensionTypes", "ListAddressbookNames"})


def _page(items: Sequence[T], params: Mapping[str, str]) -> tuple[T, ...]:
    """The page a request asks for (PageNumber from 0, RowsPerPage, default 0 and 20)."""
    number = _paging(params.get("PageNumber"), 0, 0)
    rows = _paging(params.get("RowsPerPage"), 20, 1)
    return tuple(items[number * rows : (number + 1) * rows])


def _paging(text: str | None, default: int, least: int) -> int:
    """A paging parameter's number, of any length (past 18 digits, 10**18: past any list);
    the default when it is absent, not a whole number or below `least`. Their types are
    assumed (the vendor states none), so `Api.handle` only warns about such a value, and the
    simulator reads it as not given rather than refuse it."""
    number = None if text is None else whole_number(text.strip())
    return default if number is None or number < least else number


def _result(call: SimCall) -> str:
    """The result state a history entry shows (RESULT_STATES), the live state if none."""
    result = call.result
    return result.name if result is not None else call.state.value


def _call_node(call: SimCall, board: Switchboard) -> Node:
    now = board.now()
    return (
        "Call",
        (
            ("CallId", call.id),
            ("Source", call.source),
            ("CallerId", call.caller_id or call.source),
            ("Destination", call.destination),
            ("CallerDialed", call.dialed or call.destination),
            ("CalleeDialed", call.destination),
            ("StartTime", format_time(call.started)),
            ("RingDuration", f"{call.ring_seconds(now):.3f}"),
            ("TalkDuration", f"{call.talk_seconds(now):.3f}"),
            ("CallState", call.state.value),
        ),
    )


class Api:
    """Answers API requests against one switchboard. Thread-safe."""

    def __init__(
        self, board: Switchboard, config: SimulatorConfig, notices: Notices | None = None
    ) -> None:
        self.board = board
        self.config = config
        self.notices = notices
        self._lock = threading.Lock()
        #: Messages sent with SendSms, SendEmail, ... (for inspection), in order.
        self.messages: list[dict[str, str]] = []
        self._handlers: dict[str, Callable[[Command, dict[str, str]], Reply]] = {
            "ListActiveCalls": self._list_active_calls,
            "ListExtensions": self._list_extensions,
            "ListCallHistory": self._list_call_history,
            "ListAddressbookContacts": self._list_contacts,
            "Call": self._call,
            "CallSetup": self._call_setup,
            "Hangup": self._hangup,
            "Hold": self._hold,
            "Unhold": self._unhold,
            "ForwardCall": self._forward,
            "BlindTransfer": self._blind_transfer,
            "AttendedTransfer": self._attended_transfer,
            "Speak": self._on_call,
            "Play": self._on_call,
            "SendDTMF": self._on_call,
            "Record": self._on_call,
            "Request": self._request,
            "SendSms": self._message,
            "SendEmail": self._message,
            "SendMessage": self._message,
            "ReceiveMessage": self._message,
            "SendAlarmNotification": self._message,
        }

    # -- the pipeline -------------------------------------------------------------------------

    def handle(self, pairs: Sequence[tuple[str, str]]) -> Reply:
        """Answer one request given as its (name, value) pairs in order."""
        first: dict[str, str] = {}
        for key, value in pairs:
            first.setdefault(key.lower(), value)
        denied = self._authenticate(first.get("username"), first.get("password"))
        if denied is not None:
            return denied
        name = first.get("command", "")
        cmd = http_command(name)
        if cmd is None or cmd.name in UNDOCUMENTED_ANSWER:
            return Reply(301, (name,))
        params: dict[str, str] = {}
        for key, value in pairs:
            match = lookup_param(cmd, key)
            if match is not None:
                params.setdefault(match.param.name, value)
        # The client's own check (ozml.api.validate): what it refuses, the simulator answers
        # 302 for; warnings (what ozml only assumes) do not refuse. Unknown names are ignored.
        # A parameter given twice is only a warning there (which value a PBX takes, and
        # whether it reads two spellings as one, is undocumented); the simulator answers 302
        # rather than pick one: its own assumption.
        # An empty value is read as the check reads it: a value, refused where the type takes
        # none (``Repeat=``), passed on where it does (``Text=``).
        for problem in validate_request(cmd, pairs, check_names=False):
            if problem.is_error or problem.code == DuplicateParameter.code:
                return Reply(302, (problem.param or "", cmd.name))
            if problem.code == NonCanonicalCase.code and problem.param and problem.suggestion:
                params[problem.param] = problem.suggestion  # `Caller` is taken as `caller`
        return self._handlers[cmd.name](cmd, params)

    def _authenticate(self, username: str | None, password: str | None) -> Reply | None:
        if not username and not password:
            return Reply(304)
        for user in self.config.users:
            # Compare in constant time; evaluate both so a wrong name costs what a wrong
            # password costs.
            name_ok = hmac.compare_digest(user.username.encode(), (username or "").encode())
            pass_ok = hmac.compare_digest(user.password.encode(), (password or "").encode())
            if name_ok and pass_ok:
                return None
        return Reply(305)

    def _active(
        self, cmd: Command, params: Mapping[str, str], key: str = "CallId"
    ) -> SimCall | Reply:
        """The active call `params[key]` names; a request naming none is answered 302, as the
        older HTTP pages make it mandatory. Where the Ozeki 10 page marks it optional
        (ForwardCall's CallId, ...) the client only warns and sends the request: what a PBX
        answers to it is not documented, and 302 is ozml's assumption (a bare request has no
        notified call to default to)."""
        call_id = params.get(key)
        if not call_id:
            return Reply(302, (key, cmd.name))
        call = self.board.get(call_id)
        if call is None or not call.active:
            return Reply(601, (call_id,))
        return call

    # -- lists --------------------------------------------------------------------------------

    def _list_active_calls(self, cmd: Command, params: dict[str, str]) -> Reply:
        with self.board.locked():
            nodes = tuple(_call_node(c, self.board) for c in self.board.active())
        return Reply(200, payload=(("ActiveCalls", nodes),))

    def _list_extensions(self, cmd: Command, params: dict[str, str]) -> Reply:
        wanted = params.get("Type", "").lower()
        nodes: tuple[Node, ...] = tuple(
            (
                "ExtensionSummary",
                (
                    ("Id", ext.id),
                    ("Type", ext.type),
                    ("PhoneNumber", ext.number),
                    ("State", ext.state),
                ),
            )
            for ext in self.config.extensions
            if not wanted or ext.type.lower() == wanted
        )
        return Reply(200, payload=(("Extensions", nodes),))

    def _list_call_history(self, cmd: Command, params: dict[str, str]) -> Reply:
        filters: dict[str, Callable[[SimCall], str]] = {
            "CallerId": lambda c: c.caller_id or c.source,
            "CallId": lambda c: c.id,
            "Destination": lambda c: c.destination,
            "Dialed": lambda c: c.dialed or c.destination,
            "Source": lambda c: c.source,
            "State": _result,
            "Direction": lambda c: c.direction,
        }
        # Only the filters the request gives are asked of each call.
        asked = [(params[k], get) for k, get in filters.items() if params.get(k)]
        since = params.get("From", "")
        calls = []
        for call in self.board.history():
            if any(value != get(call) for value, get in asked):
                continue
            if params.get("Type") and params["Type"] != "Audio":
                continue
            if since and format_time(call.started) < since:
                continue
            calls.append(call)
        nodes: list[Node] = [
            (
                "CallHistory",
                (
                    ("StartTime", format_time(c.started)),
                    ("Direction", c.direction),
                    ("Source", c.source),
                    ("Destination", c.destination),
                    ("State", _result(c)),
                    ("Dialed", c.dialed or c.destination),
                    ("CallerId", c.caller_id or c.source),
                    ("Type", "Audio"),
                    ("CallId", c.id),
                ),
            )
            # Records are made for the page asked for only: paging through a long history
            # costs the filtering of each call per page, not a record of each.
            for c in _page(calls, params)
        ]
        return Reply(200, payload=(("TotalRecords", str(len(calls))), *nodes))

    def _list_contacts(self, cmd: Command, params: dict[str, str]) -> Reply:
        book = next(
            (b for b in self.config.address_books if b.name == params["AddressbookName"]), None
        )
        if book is None:
            return Reply(302, ("AddressbookName", cmd.name))
        found: list[Node] = []
        for name, phone, email in book.contacts:
            if any(
                params.get(key) and params[key].lower() not in value.lower()
                for key, value in (("FullName", name), ("PhoneNumber", phone), ("Email", email))
            ):
                continue
            found.append(
                ("Contact", (("Name", name), ("PhoneNumber", phone), ("Email", email)))
            )
        return Reply(
            200,
            payload=(("TotalRecords", str(len(found))), ("Contacts", _page(found, params))),
        )

    # -- placing calls ------------------------------------------------------------------------

    def _call(self, cmd: Command, params: dict[str, str]) -> Reply:
        api = params.get("ApiExtension") or self.config.behaviour.default_api_extension
        if not api:
            return Reply(302, ("ApiExtension", cmd.name))
        ext = self.board.extension(api)
        if ext is None or not ext.is_api:
            return Reply(401, (api,))
        dialed = params["Dialed"]
        if self.board.reachable(dialed) is Ring.NOT_FOUND:
            return Reply(402, (dialed, "NotFound"))
        ring_time = waited_seconds(cmd.name, "RingTime", params.get("RingTime"))
        response = params.get("ResponseOzML", "")
        self.board.place(
            ext.number,
            dialed,
            origin="Call",
            ring_time=ring_time,
            dialed=dialed,
            api_extension=ext.number,
            caller_id=params.get("CallerId", ""),
            caller_display_name=params.get("CallerDisplayName", ""),
            url=given(cmd.name, params, "Url"),
            # ResponseOzML of XML white space alone is none, as in a script.
            response_ozml="" if xmlspace.is_blank(response) else response,
            error_url=given(cmd.name, params, "ErrorUrl"),
            finished_url=given(cmd.name, params, "FinishedUrl"),
        )
        return OK

    def _call_setup(self, cmd: Command, params: dict[str, str]) -> Reply:
        for key in ("Caller", "Callee"):
            if self.board.extension(params[key]) is None:
                return Reply(302, (key, cmd.name))
        self.board.place(
            params["Caller"],
            params["Callee"],
            origin="CallSetup",
            dialed=params["Callee"],
            error_url=given(cmd.name, params, "ErrorUrl"),
        )
        return OK

    def _request(self, cmd: Command, params: dict[str, str]) -> Reply:
        dialed = params["DialedAddress"]
        ext = self.board.extension(dialed)
        if ext is None:
            return Reply(302, ("DialedAddress", cmd.name))
        source = params.get("ExtensionAddress", "")
        source_ext = self.board.extension(source) if source else None
        if source and (source_ext is None or not source_ext.is_api):
            return Reply(401, (source,))
        ring_time = waited_seconds(cmd.name, "RingTime", params.get("RingTime"))
        self.board.place(
            source_ext.number if source_ext else "",
            ext.number,
            origin="Request",
            ring_time=ring_time,
            dialed=dialed,
            caller_id=params.get("CallerPhoneNumber", ""),
            caller_display_name=params.get("CallerDisplayName", ""),
        )
        return OK

    # -- acting on calls ----------------------------------------------------------------------

    def _hangup(self, cmd: Command, params: dict[str, str]) -> Reply:
        call = self._active(cmd, params)
        if isinstance(call, Reply):
            return call
        self.board.hangup(call, self.board.controlled_side(call))
        return OK

    def _hold(self, cmd: Command, params: dict[str, str]) -> Reply:
        call = self._active(cmd, params)
        if isinstance(call, Reply):
            return call
        return OK if self.board.hold(call) else Reply(303, (cmd.name,))

    def _unhold(self, cmd: Command, params: dict[str, str]) -> Reply:
        call = self._active(cmd, params)
        if isinstance(call, Reply):
            return call
        return OK if self.board.unhold(call) else Reply(303, (cmd.name,))

    def _forward(self, cmd: Command, params: dict[str, str]) -> Reply:
        call = self._active(cmd, params)
        if isinstance(call, Reply):
            return call
        try:
            self.board.forward(call, params["Destination"])
        except TransferError as error:
            if error.outcome == Ring.NOT_FOUND.value:
                return Reply(302, ("Destination", cmd.name))
            return Reply(303, (cmd.name,))
        return OK

    def _blind_transfer(self, cmd: Command, params: dict[str, str]) -> Reply:
        call = self._active(cmd, params)
        if isinstance(call, Reply):
            return call
        try:
            self.board.blind_transfer(
                call,
                params["Target"],
                params.get("TransferorParty"),
                finished_url=given(cmd.name, params, "FinishedUrl"),
            )
        except TransferError as error:
            if error.outcome == Ring.NOT_FOUND.value:
                return Reply(302, ("Target", cmd.name))
            return Reply(303, (cmd.name,))
        return OK

    def _attended_transfer(self, cmd: Command, params: dict[str, str]) -> Reply:
        held = self._active(cmd, params, "TransferredCallId")
        if isinstance(held, Reply):
            return held
        target = self._active(cmd, params, "TargetCallId")
        if isinstance(target, Reply):
            return target
        try:
            self.board.attended_transfer(held, target)
        except TransferError:
            return Reply(303, (cmd.name,))
        return OK

    def _on_call(self, cmd: Command, params: dict[str, str]) -> Reply:
        """Speak, Play, SendDTMF, Record: recorded on the call, which must be connected."""
        call = self._active(cmd, params)
        if isinstance(call, Reply):
            return call
        if call.state not in ACTIVE - {CallState.RINGING}:
            return Reply(303, (cmd.name,))
        shown = " ".join(f"{k}={v!r}" for k, v in params.items() if k != "CallId")
        self.board.record(call, f"{cmd.name} {shown}".rstrip())
        finished = given(cmd.name, params, "FinishedUrl")
        if cmd.name == "Record" and finished:
            # A 3PCC recording lasts until the call ends; RecordCompleted is sent then.
            with self.board.locked():
                call.record_urls.append((finished, record_format(params)))
        return OK

    def _message(self, cmd: Command, params: dict[str, str]) -> Reply:
        """SendSms, SendEmail, ...: kept for inspection; SendSms answers an SmsId [oz4591]."""
        entry = {"command": cmd.name, **params}
        payload: tuple[Node, ...] = ()
        if cmd.name == "SendSms":
            entry["SmsId"] = str(uuid.uuid4())
            payload = (("SmsId", entry["SmsId"]),)
        with self._lock:
            self.messages.append(entry)
        report = given(cmd.name, params, "DeliveryReportURL")
        if cmd.name == "SendSms" and report and self.notices is not None:
            self.notices.sms_sent(report, params.get("Recipient", ""))
        if cmd.name == "SendAlarmNotification":
            self._alarm(params)
        return Reply(200, payload=payload)

    def _alarm(self, params: dict[str, str]) -> None:
        """The alarm call: to PhoneNumber when it is an extension; ResultUrl hears how it
        ended (an unknown number ends the alarm at once in Error)."""
        number = params["PhoneNumber"]
        api = params.get("ApiExtension") or self.config.behaviour.default_api_extension or ""
        self.board.place(
            api, number, origin="SendAlarmNotification", dialed=number,
            result_url=given("SendAlarmNotification", params, "ResultUrl"),
        )

