"""The simulator's executor: OzML an application answers runs against the simulated calls.

When a simulated call connects, the simulator POSTs CallConnected to the Call's Url and runs the
OzML it gets back through the interpreter with this executor: Speak, Play and the like are
recorded on the call, Hangup ends it, transfers move it on the switchboard, a Call places a new
call. Control flow (menus, loops, GoTo, Delay) is the engine's, as in every run.
"""

from __future__ import annotations

from typing import ClassVar

from ozml.catalog import Context
from ozml.interpreter.context import Call
from ozml.interpreter.executor import OK, BaseExecutor, Outcome, Step, handles
from ozml.interpreter.fetch import Fetcher
from ozml.interpreter.inputs import Entry, InputSource, ListInput
from ozml.simulator.state import CallState, SimCall, Switchboard, TransferError

__all__ = ["SimulatorExecutor", "interpreter_call"]


def interpreter_call(call: SimCall, notification: str = "CallConnected") -> Call:
    """The interpreter's view of a simulated call."""
    return Call(
        call_id=call.id,
        caller=call.source,
        callee=call.destination,
        notification=notification,
        context=Context.EXTENSION,
    )


def _failed(detail: str, result: str = "failed") -> Outcome:
    return Outcome(ok=False, result=result, detail=detail)


class SimulatorExecutor(BaseExecutor):
    """Carries out one call's script on the switchboard."""

    name: ClassVar[str] = "simulator"
    refusals: ClassVar[dict[str, str]] = {
        "Route": "Route answers a RoutingInterception, which the simulator never sends",
        "WaitForMsg": "WaitForMsg is undocumented (D6) and the simulator has no message"
        " connections",
    }

    def __init__(self, board: Switchboard, call: SimCall, fetcher: Fetcher | None) -> None:
        self.board = board
        self.call = call
        self._fetcher = fetcher

    def fetcher(self) -> Fetcher | None:
        return self._fetcher

    def input_source(self) -> InputSource | None:
        """The keys the other party's extension is configured to press, one per prompt."""
        source = self.board.extension(self.call.source)
        party = self.call.destination if source is not None and source.is_api else self.call.source
        ext = self.board.extension(party)
        return ListInput([Entry(digits=keys) for keys in (ext.keys if ext else ())])

    def _target(self, step: Step, key: str = "CallId") -> SimCall | Outcome:
        call_id = step.params.get(key, "").strip()
        call = self.board.get(call_id) if call_id else self.call
        if call is None or not call.active:
            return _failed(f"no active call with ID {call_id or self.call.id}")
        return call

    def _record(self, step: Step, call: SimCall) -> None:
        shown = " ".join(f"{k}={v!r}" for k, v in step.params.items() if k != "CallId")
        self.board.record(call, f"{step.command} {shown}".rstrip())

    @handles("Speak", "Play", "SendDTMF", "Record", "Beep")
    def media(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        self._record(step, call)
        return OK

    @handles("SendSms", "SendEmail", "SendMsg", "MoveFile", "DeleteFile")
    def message(self, step: Step) -> Outcome:
        self._record(step, self.call)
        return OK

    @handles("Hangup")
    def hangup(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        self.board.hangup(call)
        return OK

    @handles("Reject")
    def reject(self, step: Step) -> Outcome:
        self.board.hangup(self.call, CallState.BUSY)
        return OK

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
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        destination = step.params.get("Destination", "")
        try:
            self.board.forward(call, destination)
        except TransferError as error:
            return _failed(f"cannot forward to {destination}: {error.state}")
        return Outcome(result="transferred")

    @handles("BlindTransfer")
    def blind_transfer(self, step: Step) -> Outcome:
        call = self._target(step)
        if isinstance(call, Outcome):
            return call
        target = step.params.get("Target", "")
        ext = self.board.extension(target)
        if ext is not None and ext.answer == "busy":
            # Known before the call moves, so the script continues (D9), as in the vendor's
            # example that speaks "blind transfer failed".
            return _failed(f"{target} is busy", "busy")
        try:
            new = self.board.blind_transfer(
                call,
                target,
                step.params.get("TransferorParty") or None,
                finished_url=step.params.get("FinishedUrl", ""),
            )
        except TransferError as error:
            return _failed(f"cannot transfer to {target}: {error.state}")
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
        params = step.params
        if step.command == "CallSetup":
            source, destination = params.get("Caller", ""), params.get("Callee", "")
        elif step.command == "Request":
            source = params.get("ExtensionAddress", "") or self.call.source
            destination = params.get("DialedAddress", "")
        else:
            source = params.get("ApiExtension", "") or self.call.api_extension or self.call.source
            destination = params.get("Dialed", "") or params.get("PhoneNumber", "")
        if self.board.extension(destination) is None:
            return _failed(f"{destination or '(none)'} is not a configured extension", "error")
        new = self.board.place(
            source,
            destination,
            origin=step.command,
            dialed=destination,
            api_extension=source if step.command == "Call" else "",
            caller_id=params.get("CallerId", ""),
            url=params.get("Url", ""),
            response_ozml=params.get("ResponseOzML", ""),
            error_url=params.get("ErrorUrl", ""),
            finished_url=params.get("FinishedUrl", ""),
        )
        self.board.record(self.call, f"{step.command} -> call {new.id}")
        return Outcome(result="placed", detail=f"new call {new.id}")

    @handles("ReceiveAlarmNotification")
    def alarm(self, step: Step) -> Outcome:
        return _failed("the simulator receives no alarm signals")
