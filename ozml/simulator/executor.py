"""The simulator's executors: the OzML an application answers runs against the switchboard.

When a simulated call connects (CallConnected), rings an API extension (IncomingCall), changes
state (CallChanged) or ends a recording (RecordCompleted), the simulator POSTs the notification
and runs the OzML it gets back through the interpreter with `SimulatorExecutor`: Speak, Play and
the like are recorded on the call (taking the assumed time of `ozml.callmodel.timing`), Hangup
ends it, transfers move it on the switchboard, a Call places a new call, Record waits for its
FinishDigits. An inbound call is answered by the first command that needs the call up; Reject
refuses it. Control flow (menus, loops, GoTo, Delay) is the engine's, as in every run.

A RoutingInterception's answer runs with `RouteCollector`, which only gathers its Routes.
"""

from __future__ import annotations

import threading
from typing import ClassVar, Protocol

import attrs

from ozml import xmlspace
from ozml.callmodel.notifications import RECORDING_3PCC_ENDS, NotificationNames, build_form
from ozml.callmodel.readings import given, read_given, record_format
from ozml.callmodel.states import CallState
from ozml.callmodel.switchboard import Route, SimCall, Switchboard, TransferError
from ozml.callmodel.timeline import CallClock, Timeline, parse_caller
from ozml.callmodel.timing import DEFAULT_TIMING, Timing, waited_seconds
from ozml.catalog import Context
from ozml.interpreter.context import Call
from ozml.interpreter.executor import OK, BaseExecutor, Notification, Outcome, Step, handles
from ozml.interpreter.fetch import Fetcher
from ozml.interpreter.inputs import Entry, InputSource, ListInput, TimedInput, parse_entry

__all__ = ["Caller", "Notices", "RouteCollector", "SimulatorExecutor", "interpreter_call"]


class Notices(Protocol):
    """The notifications a script's commands cause (the simulator's Notifier)."""

    def recording_url(self, call: SimCall, fmt: str) -> str: ...

    def sms_sent(self, url: str, recipient: str) -> None: ...


@attrs.define
class Caller:
    """The party on the other end of a call's scripts: its clock (seconds since the call
    reached the application), its timed keys and hang-up, and what its menus read. One per
    call, shared by every script run on it in the extension context."""

    clock: CallClock
    timeline: Timeline | None
    inputs: InputSource

    @classmethod
    def of(
        cls, board: Switchboard, call: SimCall, *, real: bool = False,
        stop: threading.Event | None = None,
    ) -> Caller:
        """An inbound call's caller presses the keys its request gave (``1@3s``, per prompt
        ``1,timeout``: `parse_caller`, as a scenario's); on any other call the other party
        presses its extension's configured keys, one per prompt."""
        clock = CallClock(real, stop)
        if call.direction == "Inbound":
            caller = parse_caller(call.dtmf)
            timeline = caller.timeline()
            if caller.timed:
                return cls(clock, timeline, TimedInput(timeline))
            entries = [parse_entry(word) for word in caller.prompts]
            return cls(clock, timeline, ListInput(entries))
        source = board.extension(call.source)
        party = call.destination if source is not None and source.is_api else call.source
        ext = board.extension(party)
        keys = getattr(ext, "keys", ()) if ext is not None else ()
        return cls(clock, None, ListInput([Entry(digits=k) for k in keys]))


def interpreter_call(
    call: SimCall,
    notification: str = "CallConnected",
    context: Context = Context.EXTENSION,
    form: dict[str, str] | None = None,
) -> Call:
    """The interpreter's view of a simulated call."""
    return Call(
        call_id=call.id,
        caller=call.caller_id or call.source,
        callee=call.destination,
        notification=notification,
        params=form or {},
        context=context,
    )


#: What the trace says of a 3PCC recording with a FinishedUrl: its RecordCompleted waits for
#: the end of the recorded call (a dry run sends it at once; neither is the vendor's word).
_RECORDED_AT_CALL_END = f"RecordCompleted is sent when the call ends ({RECORDING_3PCC_ENDS})"


def _failed(detail: str, result: str = "failed") -> Outcome:
    return Outcome(ok=False, result=result, detail=detail)


class SimulatorExecutor(BaseExecutor):
    """Carries out one call's script on the switchboard."""

    name: ClassVar[str] = "simulator"
    refusals: ClassVar[dict[str, str]] = {
        "Route": "Route answers a RoutingInterception (sent to the route interception URL);"
        " here it answers another notification",
        "WaitForMsg": "WaitForMsg is undocumented (D6) and the simulator has no message"
        " connections",
    }

    def __init__(
        self,
        board: Switchboard,
        call: SimCall,
        fetcher: Fetcher | None,
        *,
        notices: Notices | None = None,
        timing: Timing = DEFAULT_TIMING,
        inputs: InputSource | None = None,
        names: NotificationNames | None = None,
    ) -> None:
        self.board = board
        self.call = call
        self._fetcher = fetcher
        self.notices = notices
        self.timing = timing
        self.names = names or NotificationNames()
        self._inputs = inputs or ListInput([])

    def fetcher(self) -> Fetcher | None:
        return self._fetcher

    def input_source(self) -> InputSource | None:
        return self._inputs

    def _ready(self) -> None:
        """An inbound call still ringing is answered by the first command that needs it up."""
        if self.call.state is CallState.RINGING and self.call.direction == "Inbound":
            self.board.answer(self.call)

    def _target(self, step: Step, key: str = "CallId") -> SimCall | Outcome:
        self._ready()
        call_id = given(step.command, step.params, key)
        call = self.board.get(call_id) if call_id else self.call
        if call is None or not call.active:
            return _failed(f"no active call with ID {call_id or self.call.id}")
        return call

    def _record(self, step: Step, call: SimCall) -> None:
        shown = " ".join(f"{k}={v!r}" for k, v in step.params.items() if k != "CallId")
        self.board.record(call, f"{step.command} {shown}".rstrip())

    @handles("Speak", "Play", "SendDTMF", "Beep")
    def media(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        self._record(step, call)
        return Outcome(duration=self.timing.lasts(step.command, step.params))

    @handles("Record")
    def record(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        self._record(step, call)
        url = given("Record", step.params, "FinishedUrl")
        fmt = record_format(step.params)
        if call is not self.call or step.call.context is Context.THREE_PCC:
            # 3PCC: the recording lasts until the call ends; RecordCompleted is sent then.
            if not url:
                return OK
            with self.board.locked():
                call.record_urls.append((url, fmt))
            return Outcome(detail=_RECORDED_AT_CALL_END)
        # As in a dry run: it lasts its Duration unless the engine's timeline ends it first
        # (a FinishDigits key, the caller hanging up); RecordCompleted is sent when it ends.
        length, result = self.timing.record(step.params)
        finish = given("Record", step.params, "FinishDigits")
        outcome = Outcome(result=result, duration=length, finish_keys=finish, show_end=True)
        if not url or self.notices is None:
            return outcome
        record_url = self.notices.recording_url(call, fmt)
        form = build_form("RecordCompleted", {"CallId": call.id, "RecordURL": record_url},
                          self.names)
        sent = Notification(
            url, form["NotificationName"],
            attrs.evolve(step.call, notification="RecordCompleted", params={}), form,
            kind="RecordCompleted", assumed=self.names.assumption("RecordCompleted", form),
        )
        return attrs.evolve(outcome, notifications=(sent,))

    def _other_side(self) -> str:
        return "caller" if self.board.controlled_side(self.call) == "callee" else "callee"

    @handles("SendSms", "SendEmail", "SendMsg", "MoveFile", "DeleteFile")
    def message(self, step: Step) -> Outcome:
        self._record(step, self.call)
        report = given(step.command, step.params, "DeliveryReportURL")
        if step.command == "SendSms" and report and self.notices is not None:
            self.notices.sms_sent(report, step.params.get("Recipient", ""))
        return OK

    @handles("Hangup")
    def hangup(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        self.board.hangup(call, self.board.controlled_side(call))
        return OK

    @handles("Reject")
    def reject(self, step: Step) -> Outcome:
        if self.call.state is CallState.RINGING and self.board.end(
            self.call, CallState.BUSY, "rejected"
        ):
            return OK
        # Reject refuses a call still ringing; one already answered is hung up instead.
        self.board.hangup(self.call, self.board.controlled_side(self.call))
        return Outcome(detail="the call was already answered: hung up instead")

    @handles("Hold")
    def hold(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        return OK if self.board.hold(call) else _failed(f"call {call.id} is not InCall")

    @handles("Unhold")
    def unhold(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        return OK if self.board.unhold(call) else _failed(f"call {call.id} is not on hold")

    @handles("ForwardCall")
    def forward(self, step: Step) -> Outcome:
        call_id = given("ForwardCall", step.params, "CallId")
        call = self.board.get(call_id) if call_id else self.call
        if call is None or not call.active:
            return _failed(f"no active call with ID {call_id or self.call.id}")
        destination = given(step.command, step.params, "Destination")
        try:
            self.board.forward(call, destination)
        except TransferError as error:
            return _failed(f"cannot forward to {destination}: {error.outcome}", error.outcome)
        return Outcome(result="transferred")

    @handles("BlindTransfer")
    def blind_transfer(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        target = given(step.command, step.params, "Target")
        try:
            new = self.board.blind_transfer(
                call,
                target,
                step.params.get("TransferorParty") or None,
                finished_url=given(step.command, step.params, "FinishedUrl"),
            )
        except TransferError as error:
            # Known before the call moves, so the script continues (D9), as in the vendor's
            # example that speaks "blind transfer failed".
            return _failed(f"cannot transfer to {target}: {error.outcome}", error.outcome)
        return Outcome(result="transferred", detail=f"new call {new.id}")

    @handles("AttendedTransfer")
    def attended_transfer(self, step: Step) -> Outcome:
        held = self._target(step, "TransferredCallId")
        if isinstance(held, Outcome):
            return held
        target = self._target(step, "TargetCallId")
        if isinstance(target, Outcome):
            return target
        try:
            joined = self.board.attended_transfer(held, target)
        except TransferError:
            return _failed(f"call {held.id} must be on hold and {target.id} InCall")
        return Outcome(result="transferred", detail=f"new call {joined.id}")

    @handles("Call", "CallSetup", "Request", "SendAlarmNotification")
    def place(self, step: Step) -> Outcome:
        self._ready()
        params, name = step.params, step.command
        if name == "CallSetup":
            source, destination = given(name, params, "Caller"), given(name, params, "Callee")
        elif name == "Request":
            source = given(name, params, "ExtensionAddress") or self.call.source
            destination = given(name, params, "DialedAddress")
        else:
            source = given(name, params, "ApiExtension") or self.call.api_extension or (
                self.call.source
            )
            destination = given(name, params, "Dialed") or given(name, params, "PhoneNumber")
        # An unknown number is rung too: the switchboard ends it NotFound (state Error, and
        # ErrorUrl is requested), as in a dry run.
        response = params.get("ResponseOzML", "")
        new = self.board.place(
            source,
            destination,
            origin=step.command,
            dialed=destination,
            api_extension=source if step.command == "Call" else "",
            caller_id=params.get("CallerId", ""),
            # The URLs read as the dry run reads them (`read_given`: XML white space alone is
            # none, U+00A0 alone is one); ResponseOzML of XML white space alone is none too.
            url=given(step.command, params, "Url"),
            response_ozml="" if xmlspace.is_blank(response) else response,
            error_url=given(step.command, params, "ErrorUrl"),
            finished_url=given(step.command, params, "FinishedUrl"),
            result_url=given(step.command, params, "ResultUrl"),
        )
        self.board.record(self.call, f"{step.command} -> call {new.id}")
        return Outcome(result="placed", detail=f"new call {new.id}")

    @handles("ReceiveAlarmNotification")
    def alarm(self, step: Step) -> Outcome:
        return _failed("the simulator receives no alarm signals")


class RouteCollector(BaseExecutor):
    """Runs a RoutingInterception's answer: gathers its Routes, in order, and nothing else.

    The destinations are rung after the answer has run (the switchboard tries them in order),
    so each Route is reported not yet answered (``queued``), which lets the engine go on to
    the next one as the fallback; an empty Destination is ``rejected``: it ends the answer.
    """

    name: ClassVar[str] = "routing"

    def __init__(self) -> None:
        self.routes: list[Route] = []

    @handles("Route")
    def route(self, step: Step) -> Outcome:
        ring_time = waited_seconds("Route", "RingTime", step.params.get("RingTime"))
        destination, taken = read_given("Route", "Destination", step.params.get("Destination"))
        route = Route(
            destination,
            ring_time,
            given("Route", step.params, "CallerId"),
        )
        self.routes.append(route)
        if not route.destination:
            return Outcome(ok=False, result="rejected", detail="an empty Destination")
        queued = "rung once the answer has run"
        return Outcome(ok=False, result="queued", detail=f"{queued}; {taken}" if taken else queued)
