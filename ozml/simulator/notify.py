"""The simulator's notifications: requests to the application's URLs, and running its answers.

* A Call that is answered POSTs ``CallConnected`` to its Url; the OzML the application answers
  runs through the interpreter on that call (Call's ResponseOzML runs when there is no Url). If
  the Url cannot be fetched, the call is hung up, as the vendor says the PBX does [oz4588], and
  the ErrorUrl is told.
* A call that ends Busy, Cancelled or in Error POSTs to its ErrorUrl; one that completes (hung
  up, or transferred) POSTs to its FinishedUrl.

Every notification is ``application/x-www-form-urlencoded`` with ``NotificationName`` and
``CallId`` first [oz4201]. The vendor does not document the other fields nor the names of the
error and finished notifications (spec §5.1, UNKNOWN); the simulator's choices are listed in
docs/simulator.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final

from ozml.api.fetcher import HttpFetcher
from ozml.interpreter.clock import RealClock, VirtualClock
from ozml.interpreter.engine import CALLER_HANGUP, ERROR, STEP_LIMIT, VALUE_LIMIT, Engine
from ozml.interpreter.trace import ListSink, TraceEvent
from ozml.simulator.executor import SimulatorExecutor, interpreter_call
from ozml.simulator.state import CallState, SimCall, Switchboard

__all__ = ["ERROR_NOTIFICATION", "FINISHED_NOTIFICATION", "Notifier"]

#: The simulator's names for the ErrorUrl and FinishedUrl requests (the vendor's are UNKNOWN).
ERROR_NOTIFICATION: Final = "CallError"
FINISHED_NOTIFICATION: Final = "CallFinished"
_ERROR_STATES = frozenset({CallState.BUSY, CallState.CANCELLED, CallState.ERROR})
_FINISHED_STATES = frozenset({CallState.COMPLETED, CallState.TRANSFERRED})
_RUN_WENT_WRONG = frozenset({STEP_LIMIT, VALUE_LIMIT, ERROR})


def call_form(call: SimCall, name: str) -> dict[str, str]:
    """The form fields of a notification about `call`."""
    form = {
        "NotificationName": name,
        "CallId": call.id,
        "Caller": call.source,
        "Callee": call.destination,
        "CallState": call.state.value,
    }
    if call.api_extension:
        form["ApiExtension"] = call.api_extension
    if call.dialed:
        form["Dialed"] = call.dialed
    if call.caller_id:
        form["CallerId"] = call.caller_id
    return form


class Notifier:
    """Listens to the switchboard and talks to the application."""

    def __init__(
        self,
        board: Switchboard,
        fetcher: HttpFetcher,
        *,
        log: Callable[[str], None] | None = None,
        keep: int = 500,
    ) -> None:
        self.board = board
        self.fetcher = fetcher
        self.log = log or (lambda line: None)
        self.keep = keep
        #: Scripts run so far: call ID, where the OzML came from, how it ended, trace lines.
        self.scripts: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        board.on_answer.append(self.call_connected)
        board.on_end.append(self.call_ended)

    def _post(self, url: str, form: dict[str, str]) -> bytes | None:
        delivery = self.fetcher.post(url, form)
        outcome = delivery.error or f"HTTP {delivery.status}"
        self.log(f"notify {form['NotificationName']} {form['CallId']} -> {url}: {outcome}")
        return None if delivery.error else delivery.body

    def call_connected(self, call: SimCall) -> None:
        if call.url:
            body = self._post(call.url, call_form(call, "CallConnected"))
            if body is None:
                self.board.hangup(call, CallState.ERROR)
                return
            self.run(call, body, call.url)
        elif call.response_ozml:
            self.run(call, call.response_ozml.encode("utf-8"), "ResponseOzML")

    def call_ended(self, call: SimCall) -> None:
        if call.state in _ERROR_STATES and call.error_url:
            self._post(call.error_url, call_form(call, ERROR_NOTIFICATION))
        elif call.state in _FINISHED_STATES and call.finished_url:
            form = call_form(call, FINISHED_NOTIFICATION)
            now = self.board.now()
            form["Duration"] = f"{call.talk_seconds(now):.3f}"
            self._post(call.finished_url, form)

    def run(self, call: SimCall, ozml: bytes, source: str) -> None:
        """Run the application's OzML on `call` through the interpreter."""
        if not ozml.strip():
            # An empty answer is a script with no commands: its end hangs up (D9).
            self.board.hangup(call)
            self._remember(call, source, "end-of-script", [])
            return
        sink = ListSink()
        behaviour = self.board.config.behaviour
        engine = Engine(
            SimulatorExecutor(self.board, call, self.fetcher),
            clock=RealClock() if behaviour.real_time else VirtualClock(),
            sink=sink,
            # Bounds what a script can build: a few doubling Vars in one request would
            # otherwise take the simulator's memory.
            max_value_bytes=behaviour.max_value_bytes,
        )
        try:
            result = engine.run_source(ozml, source, interpreter_call(call))
            ending = result.ending
        except Exception as error:  # a bug must not take the simulator down: report it
            ending = f"error: {type(error).__name__}: {error}"
            self.board.hangup(call, CallState.ERROR)
        if ending == CALLER_HANGUP:
            self.board.hangup(call)
        elif ending in _RUN_WENT_WRONG:
            # A script stopped by a limit (a loop, a value growing without bound) leaves the
            # call with nothing to do: end it in Error, as a PBX ends a call its script broke.
            self.board.hangup(call, CallState.ERROR)
        lines = [_line(event) for event in sink.events]
        for line in lines:
            self.log(f"  {call.id} {line}")
        self._remember(call, source, ending, lines)

    def _remember(self, call: SimCall, source: str, ending: str, trace: list[str]) -> None:
        with self._lock:
            self.scripts.append(
                {"CallId": call.id, "Source": source, "Ending": ending, "Trace": trace}
            )
            del self.scripts[: max(0, len(self.scripts) - self.keep)]


def _line(event: TraceEvent) -> str:
    return event.golden()
