"""The simulator's notifications: requests to the application's URLs, and running its answers.

Every notification is one of `ozml.callmodel.notifications.KINDS`, built by `build_form` (the
one definition of each form: ``NotificationName`` first, then the kind's fields), POSTed
``application/x-www-form-urlencoded`` as the PBX does [oz4201], and recorded with whether its
name or fields are assumed. What is sent when:

* IncomingCall → an API extension's ``incoming-url`` when a call rings it; the answer runs on
  the call (Reject refuses it; any other command answers it).
* CallConnected → Call's Url when the call is answered (ResponseOzML runs when there is no
  Url); if the Url cannot be fetched the call is hung up in state Error, as only the older
  pages say [oz4588] (assumed, `CONNECTED_UNFETCHED`, as in a dry run; the call's events say
  so).
* RoutingInterception → ``[http-api] route-interception-url`` for every new call; the answer's
  Routes pick the destinations in order (an empty Destination rejects the caller), no Route:
  the dial plan rings the dialled number.
* CallChanged → ``[http-api] 3pcc-url`` on each state change of every call; the answer runs on
  the call in the 3PCC context.
* DtmfEntered and GoTo → the engine's fetches (ForwardToURL, GoTo), built by the engine with
  the simulator's names and POSTed as they are.
* RecordCompleted → Record's FinishedUrl with RecordURL when the recording ends (the engine sends
  it, as in a dry run). With ``notification-answers = "before-hangup"`` (the default, the
  engine's `notification_answers`) its answer runs on the call when the script that recorded
  ends, before the end-of-script hangup; with ``"after-script"`` once the call was hung up.
* SMSDeliveryReport → SendSms's DeliveryReportURL; AlarmResult → SendAlarmNotification's
  ResultUrl when its call ends; Error → ErrorUrl when a call ends Busy, Cancelled or Error;
  Finished → FinishedUrl (Call's, or BlindTransfer's for the new call) when it completes.

With a URL map (``[urls]`` in the simulator's configuration), a notification to a URL the map
covers is not POSTed: the file the map gives is its answer (`MapAnswers`, as in a dry run), and
the state view says so (``answered_by``). A URL the map gives no file, or several files, for
fails as an unreachable application does.

Notifications about one call are sent in the order they happen (one queue per call).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, Final

from ozml.api.fetcher import Delivery, HttpFetcher
from ozml.callmodel.notifications import CONNECTED_UNFETCHED, KINDS, NotificationNames, build_form
from ozml.callmodel.states import CallState
from ozml.callmodel.switchboard import Route, SimCall, Switchboard
from ozml.callmodel.timeline import CallClock
from ozml.callmodel.timing import DEFAULT_TIMING, Timing
from ozml.catalog import Context
from ozml.interpreter.engine import (
    BEFORE_HANGUP,
    CALLER_HANGUP,
    ERROR,
    STEP_LIMIT,
    VALUE_LIMIT,
    Engine,
    EngineOptions,
)
from ozml.interpreter.fetch import MAP_ORIGIN, FetchError, MapAnswers, map_origin
from ozml.interpreter.inputs import ListInput
from ozml.interpreter.trace import ListSink, TraceEvent
from ozml.simulator.executor import Caller, RouteCollector, SimulatorExecutor, interpreter_call

__all__ = ["Notifier"]

_ERROR_STATES = frozenset({CallState.BUSY, CallState.CANCELLED, CallState.ERROR})
_FINISHED_STATES = frozenset({CallState.COMPLETED, CallState.TRANSFERRED})
_RUN_WENT_WRONG = frozenset({STEP_LIMIT, VALUE_LIMIT, ERROR})
#: Notifications kept for the state view.
KEPT: Final = 1000


def assumed_fields(key: str) -> list[str]:
    """The fields of a kind whose names are ozml's assumption (the state view shows them)."""
    return [f.name for f in KINDS[key].fields if not f.stated]


class _AppFetcher:
    """The engine's requests (GoTo, ForwardToURL, the notifications a step causes) POSTed as
    the engine built them (`build_form`, with the simulator's names): nothing is rebuilt."""

    def __init__(self, notifier: Notifier, call: SimCall) -> None:
        self.notifier = notifier
        self.call = call

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        name = form.get("NotificationName", "")
        key = self.notifier.names.key_of(name, _ENGINE_SENDS) or "GoTo"
        delivery = self.notifier.post(key, url, dict(form), self.call.id)
        if delivery.error is not None:
            raise FetchError(f"{url}: {delivery.error}")
        return delivery.body


#: What the engine sends itself or for a step, in the order a shared name is read as.
_ENGINE_SENDS: Final = ("GoTo", "DtmfEntered", "RecordCompleted", "CallConnected")


class Notifier:
    """Listens to the switchboard and talks to the application."""

    def __init__(
        self,
        board: Switchboard,
        fetcher: HttpFetcher,
        *,
        names: NotificationNames | None = None,
        timing: Timing = DEFAULT_TIMING,
        real_time: bool = True,
        max_value_bytes: int | None = None,
        route_url: str = "",
        call_changed_url: str = "",
        recordings_url: Callable[[], str] = lambda: "",
        log: Callable[[str], None] | None = None,
        keep: int = 500,
        notification_answers: str = BEFORE_HANGUP,
        urlmap: MapAnswers | None = None,
    ) -> None:
        self.board = board
        self.fetcher = fetcher
        self.names = names or NotificationNames()
        self.timing = timing
        self.real_time = real_time
        self.max_value_bytes = max_value_bytes
        self.route_url = route_url
        self.call_changed_url = call_changed_url
        self.recordings_url = recordings_url
        self.log = log or (lambda line: None)
        self.keep = keep
        #: Answers notifications to the URLs it covers instead of the application.
        self.urlmap = urlmap
        #: The engine's options for scripts run on calls (when RecordCompleted's answer runs).
        self.options = EngineOptions(notification_answers=notification_answers)
        #: Set when the simulator closes: real-time waits of scripts end at once.
        self.stop = threading.Event()
        #: Scripts run so far: call ID, where the OzML came from, how it ended, trace lines.
        self.scripts: list[dict[str, Any]] = []
        #: Notifications sent (the last KEPT), with what is assumed about each.
        self.sent: deque[dict[str, Any]] = deque(maxlen=KEPT)
        self._lock = threading.Lock()
        self._outbox: dict[str, deque[Callable[[], None]]] = {}
        self._recordings = 0
        #: Scripts still running, per call ID (a call's view says whether it is settled).
        self._running: dict[str, int] = {}
        #: The other party of each call with an extension script: its clock and keys, kept
        #: across the scripts run on the call (times count from the first one).
        self._callers: dict[str, Caller] = {}
        board.on_answer.append(self.call_connected)
        board.on_end.append(self.call_ended)
        if call_changed_url:
            board.on_change.append(self.call_changed)
        if route_url:
            board.router = self.intercept
        board.incoming = self.incoming

    # -- sending -------------------------------------------------------------------------------

    def send(self, key: str, url: str, values: Mapping[str, str], call_id: str = "") -> Delivery:
        """POST one notification of kind `key`; never raises."""
        return self.post(key, url, build_form(key, values, self.names), call_id)

    def post(self, key: str, url: str, form: dict[str, str], call_id: str = "") -> Delivery:
        """POST a form already built (`build_form`) for kind `key`, or answer it from the URL
        map when the map covers its URL; never raises."""
        mapped = self._mapped(url, form)
        if mapped is None:
            delivery, answered_by = self.fetcher.post(url, form), None
            outcome = delivery.error or f"HTTP {delivery.status}"
        else:
            delivery, answered_by = mapped
            outcome = delivery.error or answered_by
        self.log(f"notify {form['NotificationName']} {call_id or '-'} -> {url}: {outcome}")
        record: dict[str, Any] = {
            "kind": key,
            "url": url,
            "form": form,
            "status": delivery.status,
            "error": delivery.error,
            "assumed": self.names.assumed(key),
            "assumed_fields": assumed_fields(key),
        }
        if answered_by is not None:
            record["answered_by"] = answered_by
        self.sent.append(record)
        return delivery

    def _mapped(self, url: str, form: dict[str, str]) -> tuple[Delivery, str] | None:
        """The URL map's answer to a notification (None: the map does not cover its URL),
        with what answered it as a dry run's trace says it (`map_origin`: ``URL map: FILE``,
        and a guess, assumed, where the URL keeps a variable the run left as written)."""
        if self.urlmap is None:
            return None
        try:
            path = self.urlmap.file(url)
            if path is None:
                return None
            answered_by = map_origin(url, path)
            return Delivery(url, form, body=self.urlmap.body(path)), answered_by
        except FetchError as error:
            return Delivery(url, form, error=str(error)), MAP_ORIGIN + self.urlmap.label

    def _enqueue(self, call_id: str, task: Callable[[], None]) -> None:
        """Run `task` after every earlier task for the same call (one queue per call)."""
        with self._lock:
            queue = self._outbox.setdefault(call_id, deque())
            queue.append(task)
            if len(queue) > 1:
                return
        self.board.scheduler.submit(lambda: self._drain(call_id))

    def _drain(self, call_id: str) -> None:
        while True:
            with self._lock:
                task = self._outbox[call_id][0]
            try:
                task()
            except Exception as error:  # a bug must not take the simulator down: report it
                self.log(
                    f"internal error notifying about {call_id}: {type(error).__name__}: {error}"
                )
            with self._lock:
                queue = self._outbox[call_id]
                queue.popleft()
                if not queue:
                    del self._outbox[call_id]
                    return

    @staticmethod
    def _call_values(call: SimCall) -> dict[str, str]:
        return {
            "CallId": call.id,
            "Caller": call.source,
            "Callee": call.destination,
        }

    # -- the switchboard's listeners and hooks -----------------------------------------------------

    def call_connected(self, call: SimCall) -> None:
        if call.url:
            delivery = self.send("CallConnected", call.url, self._call_values(call), call.id)
            if delivery.error is not None:
                self.board.record(call, f"CallConnected not answered: {CONNECTED_UNFETCHED}")
                self.board.end(call, CallState.ERROR, "failed")
                return
            self.run(call, delivery.body, call.url)
        elif call.response_ozml:
            self.run(call, call.response_ozml.encode("utf-8"), "ResponseOzML")
        elif call.origin == "SendAlarmNotification":
            # The alarm message is sent once the call is answered; then the call ends.
            self.board.record(call, "Alarm message sent")
            self.board.hangup(call, "caller")

    def call_ended(self, call: SimCall) -> None:
        with self._lock:
            self._callers.pop(call.id, None)
        self._enqueue(call.id, lambda: self._ended(call))

    def _caller(self, call: SimCall, context: Context) -> Caller:
        """The call's other party for a script in `context`: the same one for every extension
        script on the call; a 3PCC script has nobody entering keys."""
        if context is not Context.EXTENSION:
            return Caller(CallClock(self.real_time, self.stop), None, ListInput([]))
        with self._lock:
            found = self._callers.get(call.id)
            if found is None:
                found = Caller.of(self.board, call, real=self.real_time, stop=self.stop)
                if call.active:
                    self._callers[call.id] = found
            return found

    def _ended(self, call: SimCall) -> None:
        values = {**self._call_values(call), "CallState": call.state.value}
        if call.state in _ERROR_STATES and call.error_url:
            self.send("Error", call.error_url, values, call.id)
        elif call.state in _FINISHED_STATES and call.finished_url:
            duration = f"{call.talk_seconds(self.board.now()):.3f}"
            self.send("Finished", call.finished_url, {**values, "Duration": duration}, call.id)
        if call.result_url:
            alarm = {"CallId": call.id, "Callee": call.destination, "CallState": call.state.value}
            self.send("AlarmResult", call.result_url, alarm, call.id)
        for url, fmt in list(call.record_urls):
            self._record_completed(call, url, fmt)

    def call_changed(self, call: SimCall, state: CallState) -> None:
        values = {**self._call_values(call), "CallState": state.value}
        self._enqueue(call.id, lambda: self._changed(call, values))

    def _changed(self, call: SimCall, values: dict[str, str]) -> None:
        delivery = self.send("CallChanged", self.call_changed_url, values, call.id)
        if delivery.error is None and delivery.body.strip() and call.active:
            self.run(call, delivery.body, self.call_changed_url, Context.THREE_PCC, "CallChanged")

    def intercept(self, call: SimCall) -> bool:
        """The router: RoutingInterception for a new call, decided on a worker."""
        self._enqueue(call.id, lambda: self._route(call))
        return True

    def _route(self, call: SimCall) -> None:
        source = self.board.extension(call.source)
        values = {
            "CallerID": call.caller_id or call.source,
            "OriginalDialedNumber": call.dialed or call.destination,
            "LastDialedNumber": call.dialed or call.destination,
            "LastCalledExtension": "",
            "LastCallState": "Calling",
            "CallerExtension": source.number if source is not None else "",
        }
        delivery = self.send("RoutingInterception", self.route_url, values, call.id)
        routes: list[Route] = []
        if delivery.error is None and delivery.body.strip():
            collector = RouteCollector()
            sink = ListSink()
            engine = Engine(collector, sink=sink, max_value_bytes=self.max_value_bytes)
            try:
                result = engine.run_source(
                    delivery.body,
                    self.route_url,
                    interpreter_call(call, "RoutingInterception", Context.ROUTING, values),
                )
                ending = result.ending
            except Exception as error:  # a bug must not take the simulator down
                ending = f"error: {type(error).__name__}: {error}"
            routes = collector.routes
            self._remember(call, self.route_url, ending, [e.golden() for e in sink.events])
        self.board.route(call, routes)

    def incoming(self, call: SimCall) -> bool:
        """Whether the rung API extension takes the call (it has an incoming-url)."""
        ext = self.board.extension(call.destination)
        url = str(getattr(ext, "incoming_url", "") or "")
        if not url:
            return False
        # Not through the call's queue: the script may run for a while, and the call's
        # CallChanged notifications must not wait for it.
        self.board.scheduler.submit(lambda: self._guarded(call.id, self._incoming, call, url))
        return True

    def _guarded(self, call_id: str, task: Callable[..., None], *args: Any) -> None:
        try:
            task(*args)
        except Exception as error:  # a bug must not take the simulator down: report it
            self.log(f"internal error on call {call_id}: {type(error).__name__}: {error}")

    def _incoming(self, call: SimCall, url: str) -> None:
        if call.state is not CallState.RINGING:
            return  # the caller gave up meanwhile
        values = self._call_values(call)
        delivery = self.send("IncomingCall", url, values, call.id)
        if delivery.error is not None:
            self.board.end(call, CallState.ERROR, "failed")
            return
        self.run(call, delivery.body, url, Context.EXTENSION, "IncomingCall", values)

    # -- notices from scripts --------------------------------------------------------------------

    def recording_url(self, call: SimCall, fmt: str) -> str:
        """Where a new recording of `call` is said to be (RecordCompleted's RecordURL)."""
        with self._lock:
            self._recordings += 1
            number = self._recordings
        return f"{self.recordings_url()}/_ozml/recordings/{call.id}-{number}.{fmt}"

    def _record_completed(self, call: SimCall, url: str, fmt: str) -> None:
        """A 3PCC recording ends with its call (an extension script's Record notifies
        through the engine, as in a dry run)."""
        values = {"CallId": call.id, "RecordURL": self.recording_url(call, fmt)}
        self.send("RecordCompleted", url, values, call.id)

    def sms_sent(self, url: str, recipient: str) -> None:
        values = {"Recipient": recipient, "DeliveryState": "Delivered"}
        self._enqueue(f"sms:{url}", lambda: self._report(url, values))

    def _report(self, url: str, values: dict[str, str]) -> None:
        self.send("SMSDeliveryReport", url, values)

    # -- running answers ---------------------------------------------------------------------------

    def run(
        self,
        call: SimCall,
        ozml: bytes,
        source: str,
        context: Context = Context.EXTENSION,
        notification: str = "CallConnected",
        form: dict[str, str] | None = None,
    ) -> None:
        """Run the application's OzML on `call` through the interpreter."""
        with self._lock:
            self._running[call.id] = self._running.get(call.id, 0) + 1
        try:
            self._run(call, ozml, source, context, notification, form)
        finally:
            with self._lock:
                left = self._running.pop(call.id) - 1
                if left:
                    self._running[call.id] = left

    def running(self, call_id: str) -> int:
        """How many scripts are running on a call now."""
        with self._lock:
            return self._running.get(call_id, 0)

    def _run(
        self,
        call: SimCall,
        ozml: bytes,
        source: str,
        context: Context,
        notification: str,
        form: dict[str, str] | None,
    ) -> None:
        controlled = self.board.controlled_side(call)
        if not ozml.strip():
            if context is Context.EXTENSION:
                # An empty answer is a script with no commands: its end hangs up (D9).
                self.board.hangup(call, controlled)
            self._remember(call, source, "end-of-script", [])
            return
        sink = ListSink()
        caller = self._caller(call, context)
        engine = Engine(
            SimulatorExecutor(
                self.board,
                call,
                _AppFetcher(self, call),
                notices=self,
                timing=self.timing,
                inputs=caller.inputs,
                names=self.names,
            ),
            clock=caller.clock,
            timeline=caller.timeline,
            sink=sink,
            names=self.names,
            options=self.options,
            # Bounds what a script can build: a few doubling Vars in one request would
            # otherwise take the simulator's memory.
            max_value_bytes=self.max_value_bytes,
        )
        try:
            result = engine.run_source(
                ozml, source, interpreter_call(call, notification, context, form)
            )
            ending = result.ending
            # The scripts run on this call: the answer, and the answers to notifications
            # about it (RecordCompleted) that ran while it was up.
            endings = [c.ending for c in result.calls if c.call_id == call.id]
        except Exception as error:  # a bug must not take the simulator down: report it
            ending = f"error: {type(error).__name__}: {error}"
            endings = []
            self.board.end(call, CallState.ERROR, "failed")
        for each in endings:
            if each == CALLER_HANGUP:
                # The party entering keys hung up: the other side from the application's.
                self.board.hangup(call, "caller" if controlled == "callee" else "callee")
            elif each in _RUN_WENT_WRONG:
                # A script stopped by a limit (a loop, a value growing without bound) leaves
                # the call with nothing to do: end it in Error, as a PBX ends a call its
                # script broke.
                self.board.end(call, CallState.ERROR, "failed")
        for event in sink.events:
            self.log(f"  {call.id} {_logged(event)}")
        self._remember(call, source, ending, [_line(event) for event in sink.events])

    def _remember(self, call: SimCall, source: str, ending: str, trace: list[str]) -> None:
        with self._lock:
            self.scripts.append(
                {"CallId": call.id, "Source": source, "Ending": ending, "Trace": trace}
            )
            del self.scripts[: max(0, len(self.scripts) - self.keep)]


def _line(event: TraceEvent) -> str:
    return event.golden()


def _logged(event: TraceEvent) -> str:
    """A script's line in the log: the golden line and what the trace says of it (what a
    step assumes, as `ozml run` shows it), which the state view's `Trace` leaves out."""
    line = event.golden()
    return f"{line} ({event.detail})" if event.detail else line
