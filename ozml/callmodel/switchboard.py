"""The switchboard: every call of the virtual PBX, and the moves between their states.

A call starts `Ringing` (spec §5.2). What the called extension does decides what happens next,
in the outcome words of `ozml.callmodel.outcomes`: ``answer`` (after ``answer_after`` seconds:
Answered, then InCall), ``busy``, ``no-answer`` (after the ring time), ``not-found``,
``failed``; or ``ring``, which rings until something acts on the call. Hold and Unhold swap
InCall and Hold; a hang-up ends a call Completed; a transfer ends it Transferred and joins the
parties in a new call. Every change of state goes through `check_transition` (the documented
moves of `ozml.callmodel.states`), and an ended call keeps why it ended, which its history
entry shows as a result state (`RESULT_STATES`: CallerHangUp, CalleeHungUp, TransferCompleted,
...).

The switchboard knows no clock of its own: time comes from a `Scheduler` (`now` for the
timestamps, `submit` for timed moves), so the same switchboard runs on wall-clock threads
(`ThreadScheduler`, the simulator) or on a virtual clock (`ManualScheduler`, which runs timed
moves only when told to). It knows extensions through a `Directory`; listeners hear about
changes (`on_change`, synchronously, under the lock: they must only queue work), answered
calls (`on_answer`) and ended calls (`on_end`), and hooks decide routing and inbound calls to
API extensions (`router`, `incoming`).

Every change happens under one re-entrant lock, so concurrent API requests see a consistent
switchboard.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import itertools
import random
import string
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final, Protocol

import attrs

from ozml import xmlspace
from ozml.callmodel.outcomes import Planned, Ring, parse_outcome
from ozml.callmodel.states import ACTIVE, RESULT_STATES, CallState, ResultState, check_transition

__all__ = [
    "RING_MODES",
    "Directory",
    "Extension",
    "ManualScheduler",
    "Route",
    "Scheduler",
    "SimCall",
    "Switchboard",
    "ThreadScheduler",
    "TransferError",
    "format_time",
    "ring_mode",
    "ringing",
]

#: What an extension may do when rung: the outcome words, plus ``ring`` (rings until acted on).
RING_MODES: Final = (*(ring.value for ring in Ring), "ring")
RING: Final = "ring"


def ring_mode(word: str) -> Ring | None:
    """The outcome an extension's ``answer`` word names (None for ``ring``); ValueError else."""
    return None if word == RING else parse_outcome(word)


def ringing(planned: Planned, ring_time: float, answer_after: float = 0.0) -> tuple[Ring, float]:
    """How ringing ends and after how many seconds (the one rule for every call).

    ``no-answer`` rings for the whole ring time; an answer that would come after the ring time
    is a ``no-answer`` at the ring time (the PBX gives up first); every other outcome comes
    after `planned.after` seconds (default: `answer_after` for an answer, 0 otherwise), cut to
    the ring time.
    """
    ring = planned.ring
    if ring is Ring.NO_ANSWER:
        return ring, ring_time
    after = planned.after
    if after is None:
        after = answer_after if ring is Ring.ANSWER else 0.0
    if after >= ring_time and ring is Ring.ANSWER:
        return Ring.NO_ANSWER, ring_time
    return ring, min(after, ring_time)


class TransferError(Exception):
    """A transfer or forward that cannot be made; `outcome` says why in the outcome words
    (``busy``, ``not-found``, ``failed``) or names the state problem (``not-ringing``, ...)."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


class Extension(Protocol):
    """What the switchboard needs to know about an extension."""

    @property
    def number(self) -> str: ...

    @property
    def answer(self) -> str: ...

    @property
    def answer_after(self) -> float: ...

    @property
    def is_api(self) -> bool: ...


class Directory(Protocol):
    """The PBX's extensions, by number (or ID)."""

    def extension(self, number: str) -> Extension | None: ...


class Scheduler(Protocol):
    """Where the switchboard's time comes from."""

    def now(self) -> dt.datetime:
        """The current time, for StartTime and durations."""
        ...

    def submit(self, task: Callable[[], None], delay: float = 0.0) -> None:
        """Run `task` once `delay` seconds have passed (never inside the caller)."""
        ...


@attrs.frozen
class Route:
    """One destination a RoutingInterception's answer picked (Route [oz4594])."""

    destination: str
    ring_time: float | None = None
    caller_id: str = ""


@attrs.define(eq=False)
class SimCall:
    """One call. `source` called `destination`; `events` records what was done to it (Speak,
    Play, ...) in order, for inspection; `reason` is why it ended (a key of RESULT_STATES)."""

    id: str
    source: str
    destination: str
    state: CallState
    started: dt.datetime
    caller_id: str = ""
    caller_display_name: str = ""
    dialed: str = ""
    origin: str = "Call"
    api_extension: str = ""
    url: str = ""
    error_url: str = ""
    finished_url: str = ""
    result_url: str = ""
    response_ozml: str = ""
    ring_time: float = 90.0
    #: "Internal" between extensions, "Inbound" from outside (ListCallHistory's Direction).
    direction: str = "Internal"
    #: The inbound caller's keys, as the control request gave them (the simulator reads them).
    dtmf: str = ""
    answered: dt.datetime | None = None
    ended: dt.datetime | None = None
    reason: str = ""
    events: list[str] = attrs.field(factory=list)
    #: Destinations still to try when ringing the current one fails (Route answers, in order;
    #: each taken from the front, so a deque: a list's front costs its length).
    routes: deque[Route] = attrs.field(factory=deque)
    #: What a 3PCC Record on this call reports when the call ends: its FinishedUrl and the
    #: format it records in (`ozml.callmodel.readings.read_choice` of its Format).
    record_urls: list[tuple[str, str]] = attrs.field(factory=list)
    #: Bumped on every state change, so a stale timer can tell it is no longer wanted.
    generation: int = 0
    #: How ringing this call ends, when the caller planned it (a dry run's scenario) instead
    #: of the Directory's extension deciding.
    plan: Planned | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def result(self) -> ResultState | None:
        """The result state of an ended call (what ListCallHistory shows)."""
        return RESULT_STATES.get(self.reason)

    def ring_seconds(self, now: dt.datetime) -> float:
        end = self.answered or self.ended or now
        return max(0.0, (end - self.started).total_seconds())

    def talk_seconds(self, now: dt.datetime) -> float:
        if self.answered is None:
            return 0.0
        return max(0.0, ((self.ended or now) - self.answered).total_seconds())

    def snapshot(self, now: dt.datetime) -> dict[str, object]:
        """Everything about the call as plain data (the simulator's JSON state view)."""
        found: dict[str, object] = {
            "CallId": self.id,
            "CallState": self.state.value,
            "Source": self.source,
            "Destination": self.destination,
            "CallerId": self.caller_id or self.source,
            "Dialed": self.dialed or self.destination,
            "Origin": self.origin,
            "Direction": self.direction,
            "StartTime": format_time(self.started),
            "RingDuration": round(self.ring_seconds(now), 3),
            "TalkDuration": round(self.talk_seconds(now), 3),
            "Events": list(self.events),
        }
        result = self.result
        if result is not None:
            found["Result"] = result.name
            found["ResultAssumed"] = not result.stated
        return found


def format_time(moment: dt.datetime) -> str:
    """Gen-B's StartTime form: ``2019-04-09 10:34:07`` [hu7637]."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class _Workers:
    """The threads that run a `ThreadScheduler`'s tasks.

    A task gets an idle thread, else a new one, up to `limit` threads; beyond that it waits its
    turn. A thread idle for `idle` seconds ends. So a task that waits (a call's script pacing
    the wall clock) holds a thread of its own, which costs little while it sleeps, and never
    keeps another call from starting.
    """

    def __init__(self, limit: int, idle: float, name: str) -> None:
        self.limit = limit
        self.idle = idle
        self.name = name
        self._tasks: deque[Callable[[], None]] = deque()
        self._ready = threading.Condition()
        self._threads = 0
        self._waiting = 0
        self._closed = False
        self._names = itertools.count(1)
        #: The most threads alive at once so far.
        self.peak = 0

    @property
    def threads(self) -> int:
        with self._ready:
            return self._threads

    def submit(self, task: Callable[[], None]) -> None:
        with self._ready:
            if self._closed:
                return
            self._tasks.append(task)
            if len(self._tasks) > self._waiting and self._threads < self.limit:
                self._threads += 1
                self.peak = max(self.peak, self._threads)
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{next(self._names)}", daemon=True
                )
                thread.start()
            else:
                self._ready.notify()

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._tasks and not self._closed:
                    self._waiting += 1
                    woken = self._ready.wait(self.idle)
                    self._waiting -= 1
                    if not woken and not self._tasks:
                        self._threads -= 1
                        return
                if self._closed:
                    self._threads -= 1
                    return
                task = self._tasks.popleft()
            # A task's failure is its own, as in a pool's future: the thread goes on.
            with contextlib.suppress(Exception):
                task()

    def close(self) -> None:
        """Drop the tasks not started; running ones finish on their own (daemon threads)."""
        with self._ready:
            self._closed = True
            self._tasks.clear()
            self._ready.notify_all()


class ThreadScheduler:
    """Wall-clock time: callbacks run after their delay on threads of their own (one timer
    thread for all the delays). A callback that waits (a call's script pacing the wall clock)
    keeps its thread, never another callback's: threads are started as callbacks need them, up
    to `max_threads` (beyond, a callback waits for one to be free), and end after `idle`
    seconds without work. With `real_time` False every delay is 0 (tests that should not wait).
    """

    def __init__(
        self, max_threads: int = 2 * 1000 + 64, *, real_time: bool = True, idle: float = 5.0
    ) -> None:
        self.real_time = real_time
        self._workers = _Workers(max_threads, idle, "ozml-sim")
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._counter = itertools.count()
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="ozml-sim-timer", daemon=True)
        self._thread.start()

    @property
    def max_threads(self) -> int:
        return self._workers.limit

    @property
    def threads(self) -> int:
        """How many worker threads are alive now."""
        return self._workers.threads

    @property
    def peak_threads(self) -> int:
        """The most worker threads alive at once so far."""
        return self._workers.peak

    def now(self) -> dt.datetime:
        return dt.datetime.now()

    def submit(self, task: Callable[[], None], delay: float = 0.0) -> None:
        delay = delay if self.real_time else 0.0
        with self._wake:
            if self._closed:
                return
            if delay <= 0:
                self._workers.submit(task)
                return
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._counter), task))
            self._wake.notify()

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (
                    not self._heap or self._heap[0][0] > time.monotonic()
                ):
                    timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._wake.wait(timeout)
                if self._closed:
                    return
                _, _, task = heapq.heappop(self._heap)
                self._workers.submit(task)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._heap.clear()
            self._wake.notify()
        self._thread.join(timeout=5)
        self._workers.close()


class ManualScheduler:
    """Virtual time: nothing runs until `run` is called, which runs every task in time order,
    moving `now` to each one's time (no thread, no waiting; deterministic)."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.time = start or dt.datetime(2000, 1, 1)
        self._heap: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self._counter = itertools.count()

    def now(self) -> dt.datetime:
        return self.time

    def submit(self, task: Callable[[], None], delay: float = 0.0) -> None:
        when = self.time + dt.timedelta(seconds=max(0.0, delay))
        heapq.heappush(self._heap, (when, next(self._counter), task))

    def run(self, until: dt.datetime | None = None) -> int:
        """Run due tasks (all of them, or those due by `until`); how many ran."""
        ran = 0
        while self._heap and (until is None or self._heap[0][0] <= until):
            when, _, task = heapq.heappop(self._heap)
            self.time = max(self.time, when)
            task()
            ran += 1
        if until is not None and until > self.time:
            self.time = until
        return ran


Listener = Callable[[SimCall], None]
ChangeListener = Callable[[SimCall, CallState], None]

#: The origins of new calls a router is asked about (transfers move calls already routed).
ROUTED_ORIGINS: Final = frozenset({"Inbound", "Call", "CallSetup", "Request"})


class Switchboard:
    """All calls of the virtual PBX, and the moves between their states."""

    def __init__(
        self,
        directory: Directory,
        scheduler: Scheduler,
        *,
        ring_time: float = 90.0,
        seed: int | None = None,
        answer_after: float = 0.0,
    ) -> None:
        self.directory = directory
        self.scheduler = scheduler
        self.ring_time = ring_time
        #: How long a planned answer rings when its plan gives no time.
        self.answer_after = answer_after
        self._lock = threading.RLock()
        self._calls: dict[str, SimCall] = {}
        self._history: list[SimCall] = []
        #: The ended calls by ID (the last one of an ID used twice), for `find`: the state
        #: view asks for a call by ID, and a load test asks for every call it placed.
        self._ended: dict[str, SimCall] = {}
        self._ids: set[str] = set()
        self._random = random.Random(seed)
        self.on_answer: list[Listener] = []
        self.on_end: list[Listener] = []
        self.on_change: list[ChangeListener] = []
        #: Asked (under the lock; it must only schedule work) whether a new call is routed by
        #: someone else, who then calls `route` or `dial_plan`; True: it took the call.
        self.router: Callable[[SimCall], bool] | None = None
        #: Asked (under the lock) when an API extension is rung: True when it took the call
        #: (it then answers it with `answer` or refuses it with `end`).
        self.incoming: Callable[[SimCall], bool] | None = None

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    def now(self) -> dt.datetime:
        return self.scheduler.now()

    def new_id(self) -> str:
        """A fresh call ID in the vendor's style (five letters and digits, e.g. ``Nt3uh``)."""
        alphabet = string.ascii_letters + string.digits
        with self._lock:
            while True:
                candidate = "".join(self._random.choice(alphabet) for _ in range(5))
                if candidate not in self._ids:
                    self._ids.add(candidate)
                    return candidate

    def extension(self, number: str) -> Extension | None:
        return self.directory.extension(number)

    def reachable(self, number: str, plan: Planned | None = None) -> Ring | None:
        """How ringing `number` would end at once: not-found for an unknown number or one
        configured (or planned) so, busy or failed likewise; None when it rings (answer,
        no-answer, ring)."""
        if plan is not None:
            return plan.ring if plan.ring in (Ring.BUSY, Ring.NOT_FOUND, Ring.FAILED) else None
        ext = self.extension(number)
        if ext is None:
            return Ring.NOT_FOUND
        mode = ring_mode(ext.answer)
        if mode in (Ring.BUSY, Ring.NOT_FOUND, Ring.FAILED):
            return mode
        return None

    # -- queries ------------------------------------------------------------------------------

    def get(self, call_id: str) -> SimCall | None:
        with self._lock:
            return self._calls.get(call_id)

    def find(self, call_id: str) -> SimCall | None:
        """An active call or one in the history."""
        with self._lock:
            found = self._calls.get(call_id)
            return found if found is not None else self._ended.get(call_id)

    def active(self) -> list[SimCall]:
        with self._lock:
            return [c for c in self._calls.values() if c.active]

    def in_progress(self) -> int:
        """How many calls are in progress (ringing, answered, in a call or on hold)."""
        with self._lock:
            return len(self._calls)

    def history(self) -> list[SimCall]:
        with self._lock:
            return list(self._history)

    # -- moves --------------------------------------------------------------------------------

    def add(self, call: SimCall) -> None:
        """A call already in progress (a configured initial call): no transition, no notice."""
        with self._lock:
            self._ids.add(call.id)
            if call.state is not CallState.RINGING and call.answered is None:
                call.answered = call.started
            self._calls[call.id] = call

    def _set(self, call: SimCall, new: CallState) -> None:
        """The one place a state changes (lock held): documented moves only."""
        check_transition(call.state, new)
        call.state = new
        call.generation += 1
        for listener in self.on_change:
            listener(call, new)

    def place(
        self,
        source: str,
        destination: str,
        *,
        origin: str,
        ring_time: float | None = None,
        call_id: str | None = None,
        plan: Planned | None = None,
        **details: str,
    ) -> SimCall:
        """A new call from `source` ringing `destination`: as the Directory's extension
        answers, or as `plan` says (then no extension is looked up); `call_id` names it (a dry
        run's ``call-1.1``), else a fresh ID is drawn."""
        with self._lock:
            if call_id is not None:
                self._ids.add(call_id)
            call = SimCall(
                self.new_id() if call_id is None else call_id,
                source,
                destination,
                CallState.RINGING,
                self.now(),
                origin=origin,
                ring_time=self.ring_time if ring_time is None else ring_time,
                plan=plan,
            )
            for key, value in details.items():
                setattr(call, key, value)
            self._calls[call.id] = call
            for listener in self.on_change:
                listener(call, call.state)
            routed = origin in ROUTED_ORIGINS and self.router is not None and self.router(call)
            if not routed:
                self._ring(call)
            return call

    def route(self, call: SimCall, routes: Sequence[Route]) -> None:
        """Ring the destinations a routing answer picked, in order; an empty first destination
        rejects the caller (Route [oz4594]); none at all: the dial plan."""
        with self._lock:
            if call.state is not CallState.RINGING:
                return
            if not routes:
                self._ring(call)
                return
            first, *rest = routes
            call.routes = deque(rest)
            self._to_route(call, first)

    def dial_plan(self, call: SimCall) -> None:
        """No routing decision: ring the dialled number."""
        self.route(call, ())

    def _to_route(self, call: SimCall, route: Route) -> None:
        if xmlspace.is_blank(route.destination):
            call.events.append("Route rejected the caller")
            self._end(call, CallState.BUSY, "rejected")
            return
        call.events.append(f"Route -> {route.destination}")
        call.destination = route.destination
        if route.ring_time is not None:
            call.ring_time = route.ring_time
        if route.caller_id:
            call.caller_id = route.caller_id
        self._ring(call)

    def _ring(self, call: SimCall) -> None:
        """Schedule what the called extension does (lock held)."""
        call.generation += 1
        generation = call.generation
        if call.plan is not None:
            mode, delay = ringing(call.plan, call.ring_time, self.answer_after)
        else:
            ext = self.extension(call.destination)
            if ext is not None and ext.is_api and self.incoming is not None and self.incoming(
                call
            ):
                return
            found = Ring.NOT_FOUND if ext is None else ring_mode(ext.answer)
            if found is None:
                return  # "ring": rings until a command acts on the call
            after = ext.answer_after if ext is not None else 0.0
            mode, delay = ringing(Planned(found, after), call.ring_time)
        outcome = functools.partial(self._ring_outcome, call, generation, mode)
        self.scheduler.submit(outcome, delay)

    def _ring_outcome(self, call: SimCall, generation: int, outcome: Ring) -> None:
        with self._lock:
            if call.generation != generation or call.state is not CallState.RINGING:
                return  # forwarded, hung up or transferred meanwhile
            if not outcome.answered:
                if call.routes:
                    self._to_route(call, call.routes.popleft())
                else:
                    self._end(call, outcome.call_state, outcome.value)
                return
            self._answer(call)
            talk = call.plan.talk if call.plan is not None else None
            if talk is not None:
                # The planned call lasts `talk` seconds, then the callee hangs up (assumed).
                hang = functools.partial(self._talked, call, call.generation)
                self.scheduler.submit(hang, talk)
        for listener in self.on_answer:
            listener(call)

    def _talked(self, call: SimCall, generation: int) -> None:
        with self._lock:
            if call.generation == generation and call.state is CallState.IN_CALL:
                self._end(call, CallState.COMPLETED, "callee-hangup")

    def _answer(self, call: SimCall) -> None:
        self._set(call, CallState.ANSWERED)
        call.answered = self.now()
        call.events.append("Answered")
        self._set(call, CallState.IN_CALL)

    def answer(self, call: SimCall) -> bool:
        """Answer a ringing call now (an API extension's script); False if it is not ringing."""
        with self._lock:
            if call.state is not CallState.RINGING:
                return False
            self._answer(call)
            return True

    def _end(self, call: SimCall, state: CallState, reason: str) -> None:
        """End `call` in `state` for `reason` (lock held); listeners run on the scheduler."""
        self._set(call, state)
        call.ended = self.now()
        call.reason = reason
        call.events.append(state.value)
        self._calls.pop(call.id, None)
        self._history.append(call)
        self._ended[call.id] = call
        for listener in self.on_end:
            self.scheduler.submit(functools.partial(listener, call))

    def end(self, call: SimCall, state: CallState, reason: str) -> bool:
        """End a call in progress; False when it had already ended."""
        with self._lock:
            if not call.active:
                return False
            self._end(call, state, reason)
            return True

    def hangup(self, call: SimCall, by: str = "caller") -> bool:
        """`by` (``caller`` or ``callee``) hangs up: a ringing call the caller leaves is
        Cancelled, any other ends Completed."""
        with self._lock:
            if not call.active:
                return False
            if call.state is CallState.RINGING and by == "caller":
                self._end(call, CallState.CANCELLED, "cancelled")
            else:
                self._end(call, CallState.COMPLETED, f"{by}-hangup")
            return True

    def controlled_side(self, call: SimCall) -> str:
        """The side of the call an application controls: the API extension's if one is in
        the call (the caller when it placed it), else the caller (ozml's assumption)."""
        callee = self.extension(call.destination)
        source = self.extension(call.source)
        if callee is not None and callee.is_api and not (source is not None and source.is_api):
            return "callee"
        return "caller"

    def hold(self, call: SimCall) -> bool:
        with self._lock:
            if call.state is not CallState.IN_CALL:
                return False
            self._set(call, CallState.HOLD)
            call.events.append("Hold")
            return True

    def unhold(self, call: SimCall) -> bool:
        with self._lock:
            if call.state is not CallState.HOLD:
                return False
            self._set(call, CallState.IN_CALL)
            call.events.append("Unhold")
            return True

    def forward(self, call: SimCall, destination: str) -> None:
        """Divert a ringing call to another extension; it rings there next."""
        with self._lock:
            if call.state is not CallState.RINGING:
                raise TransferError("not-ringing")
            if self.extension(destination) is None:
                raise TransferError(Ring.NOT_FOUND.value)
            call.events.append(f"Forwarded {call.destination} -> {destination}")
            call.destination = destination
            call.routes.clear()
            self._ring(call)

    def blind_transfer(
        self, call: SimCall, target: str, transferor: str | None, finished_url: str = "",
        plan: Planned | None = None,
    ) -> SimCall:
        """The transferor leaves; the other party is connected to `target` in a new call.

        A target that is unknown, busy or failing is known before the call moves
        (`TransferError` with the outcome word). Without TransferorParty the side that is an
        API extension transfers (it placed the call, as in the vendor's IVR example), else the
        callee (the side that answered).
        """
        with self._lock:
            if call.state not in (CallState.IN_CALL, CallState.HOLD):
                raise TransferError("not-connected")
            refused = self.reachable(target, plan)
            if refused is not None:
                raise TransferError(refused.value)
            if transferor is None:
                source_ext = self.extension(call.source)
                transferor = "caller" if source_ext is not None and source_ext.is_api else "callee"
            remaining = call.destination if transferor == "caller" else call.source
            call.events.append(f"BlindTransfer {transferor} -> {target}")
            self._end(call, CallState.TRANSFERRED, "transferred")
            return self.place(
                remaining, target, origin="BlindTransfer", dialed=target,
                finished_url=finished_url, plan=plan,
            )

    def attended_transfer(self, held: SimCall, target: SimCall) -> SimCall:
        """Join the held call's other party with the target call's other party.

        The transferor is the party the two calls share; both calls end Transferred and the
        remaining parties talk in a new call.
        """
        with self._lock:
            if held.state is not CallState.HOLD or target.state is not CallState.IN_CALL:
                raise TransferError("not-held")
            shared = {held.source, held.destination} & {target.source, target.destination}
            transferor = next(iter(shared), target.source)
            first = held.destination if held.source == transferor else held.source
            second = target.destination if target.source == transferor else target.source
            for call in (held, target):
                call.events.append(f"AttendedTransfer {first} <-> {second}")
                self._end(call, CallState.TRANSFERRED, "transferred")
            joined = SimCall(
                self.new_id(), first, second, CallState.RINGING, self.now(),
                origin="AttendedTransfer",
            )
            self._calls[joined.id] = joined
            for listener in self.on_change:
                listener(joined, joined.state)
            self._set(joined, CallState.ANSWERED)
            joined.answered = joined.started
            self._set(joined, CallState.IN_CALL)
            return joined

    def record(self, call: SimCall, event: str) -> None:
        with self._lock:
            call.events.append(event)
