"""The simulated PBX's calls: the §5.2 call states and the moves between them.

A call starts `Ringing`; the called extension's configured behaviour decides what happens next
(answer after a while → `InCall`; busy → `Busy`; no answer within the ring time → `Busy`, as
spec §5.2 defines it; ring → it rings until something acts on it). `Hold` and `InCall` swap
through Hold/Unhold; Hangup ends a call `Completed`; a transfer ends the original call
`Transferred` and joins the parties in a new call. Ended calls move to the history.

Every change happens under one lock, so concurrent API requests see a consistent switchboard.
Timed moves (ringing, answering) run on a `Scheduler`; listeners hear about answered and ended
calls (the notifier posts CallConnected, ErrorUrl and FinishedUrl requests from them).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import heapq
import itertools
import random
import string
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import attrs

from ozml.simulator.config import ExtensionConfig, SimulatorConfig

__all__ = ["ACTIVE", "CallState", "Scheduler", "SimCall", "Switchboard", "TransferError"]


class CallState(enum.Enum):
    """The call states of ListActiveCalls and CallChanged (spec §5.2 [oz4587])."""

    RINGING = "Ringing"
    IN_CALL = "InCall"
    HOLD = "Hold"
    ERROR = "Error"
    CANCELLED = "Cancelled"
    TRANSFERRED = "Transferred"
    BUSY = "Busy"
    COMPLETED = "Completed"
    ANSWERED = "Answered"


#: States of a call still in progress (listed by ListActiveCalls).
ACTIVE = frozenset({CallState.RINGING, CallState.IN_CALL, CallState.HOLD})


class TransferError(Exception):
    """A transfer or forward that cannot be made; `state` is why (Busy, NotFound, ...)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@attrs.define(eq=False)
class SimCall:
    """One simulated call. `source` called `destination`; `events` records what was done to it
    (Speak, Play, ...) in order, for inspection."""

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
    response_ozml: str = ""
    ring_time: float = 90.0
    answered: dt.datetime | None = None
    ended: dt.datetime | None = None
    events: list[str] = attrs.field(factory=list)
    #: Bumped on every state change, so a stale timer can tell it is no longer wanted.
    generation: int = 0

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    def ring_seconds(self, now: dt.datetime) -> float:
        end = self.answered or self.ended or now
        return max(0.0, (end - self.started).total_seconds())

    def talk_seconds(self, now: dt.datetime) -> float:
        if self.answered is None:
            return 0.0
        return max(0.0, ((self.ended or now) - self.answered).total_seconds())

    def snapshot(self, now: dt.datetime) -> dict[str, object]:
        """Everything about the call as plain data (the simulator's JSON state view)."""
        return {
            "CallId": self.id,
            "CallState": self.state.value,
            "Source": self.source,
            "Destination": self.destination,
            "CallerId": self.caller_id or self.source,
            "Dialed": self.dialed or self.destination,
            "Origin": self.origin,
            "StartTime": format_time(self.started),
            "RingDuration": round(self.ring_seconds(now), 3),
            "TalkDuration": round(self.talk_seconds(now), 3),
            "Events": list(self.events),
        }


def format_time(moment: dt.datetime) -> str:
    """Gen-B's StartTime form: ``2019-04-09 10:34:07`` [hu7637]."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class Scheduler:
    """Runs callbacks after a delay on a small worker pool; one timer thread for all of them."""

    def __init__(self, workers: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ozml-sim")
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._counter = itertools.count()
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="ozml-sim-timer", daemon=True)
        self._thread.start()

    def submit(self, task: Callable[[], None], delay: float = 0.0) -> None:
        with self._wake:
            if self._closed:
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
            self._pool.submit(task)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._heap.clear()
            self._wake.notify()
        self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)


Listener = Callable[[SimCall], None]


class Switchboard:
    """All calls of the simulated PBX, and the moves between their states."""

    def __init__(self, config: SimulatorConfig, scheduler: Scheduler) -> None:
        self.config = config
        self.scheduler = scheduler
        self._lock = threading.RLock()
        self._calls: dict[str, SimCall] = {}
        self._history: list[SimCall] = []
        self._random = random.Random(config.behaviour.seed)
        self.on_answer: list[Listener] = []
        self.on_end: list[Listener] = []
        for initial in config.calls:
            now = self.now()
            call = SimCall(
                initial.id, initial.caller, initial.callee, CallState(initial.state), now,
                origin="config",
            )
            if call.state is not CallState.RINGING:
                call.answered = now
            self._calls[call.id] = call

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    def now(self) -> dt.datetime:
        return dt.datetime.now()

    def _delay(self, seconds: float) -> float:
        return seconds if self.config.behaviour.real_time else 0.0

    def new_id(self) -> str:
        """A fresh call ID in the vendor's style (five letters and digits, e.g. ``Nt3uh``)."""
        alphabet = string.ascii_letters + string.digits
        with self._lock:
            while True:
                candidate = "".join(self._random.choice(alphabet) for _ in range(5))
                if candidate not in self._calls and all(c.id != candidate for c in self._history):
                    return candidate

    # -- queries ------------------------------------------------------------------------------

    def get(self, call_id: str) -> SimCall | None:
        with self._lock:
            return self._calls.get(call_id)

    def find(self, call_id: str) -> SimCall | None:
        """An active call or one in the history."""
        with self._lock:
            found = self._calls.get(call_id)
            if found is not None:
                return found
            return next((c for c in reversed(self._history) if c.id == call_id), None)

    def active(self) -> list[SimCall]:
        with self._lock:
            return [c for c in self._calls.values() if c.active]

    def history(self) -> list[SimCall]:
        with self._lock:
            return list(self._history)

    def extension(self, number: str) -> ExtensionConfig | None:
        return self.config.extension(number)

    # -- moves --------------------------------------------------------------------------------

    def place(
        self,
        source: str,
        destination: str,
        *,
        origin: str,
        ring_time: float | None = None,
        **details: str,
    ) -> SimCall:
        """A new call from `source` ringing `destination` (which must be an extension)."""
        with self._lock:
            call = SimCall(
                self.new_id(),
                source,
                destination,
                CallState.RINGING,
                self.now(),
                origin=origin,
                ring_time=self.config.behaviour.ring_time if ring_time is None else ring_time,
            )
            for key, value in details.items():
                setattr(call, key, value)
            self._calls[call.id] = call
            self._ring(call)
            return call

    def _ring(self, call: SimCall) -> None:
        """Schedule what the called extension does (the lock is held)."""
        call.generation += 1
        generation = call.generation
        ext = self.extension(call.destination)
        mode = ext.answer if ext is not None else "busy"
        if mode == "answer":
            delay = ext.answer_after if ext is not None else 0.0
            outcome = functools.partial(self._ring_outcome, call, generation, True)
            self.scheduler.submit(outcome, self._delay(delay))
        elif mode == "busy":
            self.scheduler.submit(functools.partial(self._ring_outcome, call, generation, False))
        elif mode == "no-answer":
            outcome = functools.partial(self._ring_outcome, call, generation, False)
            self.scheduler.submit(outcome, self._delay(call.ring_time))
        # "ring": rings until a command acts on the call.

    def _ring_outcome(self, call: SimCall, generation: int, answered: bool) -> None:
        with self._lock:
            if call.generation != generation or call.state is not CallState.RINGING:
                return  # forwarded, hung up or transferred meanwhile
            if answered:
                call.state = CallState.IN_CALL
                call.answered = self.now()
                call.generation += 1
                call.events.append("Answered")
            else:
                self._end(call, CallState.BUSY)
                return
        for listener in self.on_answer:
            listener(call)

    def _end(self, call: SimCall, state: CallState) -> None:
        """End `call` in `state` (lock held); listeners run on the scheduler's workers."""
        call.state = state
        call.ended = self.now()
        call.generation += 1
        call.events.append(state.value)
        self._calls.pop(call.id, None)
        self._history.append(call)
        for listener in self.on_end:
            self.scheduler.submit(functools.partial(listener, call))

    def hangup(self, call: SimCall, state: CallState = CallState.COMPLETED) -> None:
        with self._lock:
            if call.active:
                self._end(call, state)

    def hold(self, call: SimCall) -> bool:
        with self._lock:
            if call.state is not CallState.IN_CALL:
                return False
            call.state = CallState.HOLD
            call.events.append("Hold")
            return True

    def unhold(self, call: SimCall) -> bool:
        with self._lock:
            if call.state is not CallState.HOLD:
                return False
            call.state = CallState.IN_CALL
            call.events.append("Unhold")
            return True

    def forward(self, call: SimCall, destination: str) -> None:
        """Divert a ringing call to another extension; it rings there next."""
        with self._lock:
            if call.state is not CallState.RINGING:
                raise TransferError("NotRinging")
            if self.extension(destination) is None:
                raise TransferError("NotFound")
            call.events.append(f"Forwarded {call.destination} -> {destination}")
            call.destination = destination
            self._ring(call)

    def blind_transfer(
        self, call: SimCall, target: str, transferor: str | None, finished_url: str = ""
    ) -> SimCall:
        """The transferor leaves; the other party is connected to `target` in a new call.

        Without TransferorParty the side that is an API extension transfers (it placed the
        call, as in the vendor's IVR example), else the callee (the side that answered).
        """
        with self._lock:
            if call.state not in (CallState.IN_CALL, CallState.HOLD):
                raise TransferError("NotConnected")
            ext = self.extension(target)
            if ext is None:
                raise TransferError("NotFound")
            if ext.answer == "busy":
                raise TransferError("Busy")
            if transferor is None:
                source_ext = self.extension(call.source)
                transferor = "caller" if source_ext is not None and source_ext.is_api else "callee"
            remaining = call.destination if transferor == "caller" else call.source
            call.events.append(f"BlindTransfer {transferor} -> {target}")
            self._end(call, CallState.TRANSFERRED)
            return self.place(remaining, target, origin="BlindTransfer", finished_url=finished_url)

    def attended_transfer(self, held: SimCall, target: SimCall) -> SimCall:
        """Join the held call's other party with the target call's other party.

        The transferor is the party the two calls share; both calls end Transferred and the
        remaining parties talk in a new call.
        """
        with self._lock:
            if held.state is not CallState.HOLD or target.state is not CallState.IN_CALL:
                raise TransferError("NotHeld")
            shared = {held.source, held.destination} & {target.source, target.destination}
            transferor = next(iter(shared), target.source)
            first = held.destination if held.source == transferor else held.source
            second = target.destination if target.source == transferor else target.source
            for call in (held, target):
                call.events.append(f"AttendedTransfer {first} <-> {second}")
                self._end(call, CallState.TRANSFERRED)
            joined = SimCall(
                self.new_id(), first, second, CallState.IN_CALL, self.now(),
                origin="AttendedTransfer",
            )
            joined.answered = joined.started
            self._calls[joined.id] = joined
            return joined

    def record(self, call: SimCall, event: str) -> None:
        with self._lock:
            call.events.append(event)
