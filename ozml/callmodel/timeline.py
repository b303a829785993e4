"""What the caller does, and when: a scenario's timed events on one call.

A scenario writes the caller's keys at times (``dtmf = [{at = "3s", keys = "1"}]``) and when the
caller hangs up (``hangup = "12s"``). The model asks the timeline questions as the call's clock
moves forward: "is there a key before 4.2 s?", "does the caller hang up before 9 s?". Keys are
handed out once each, in the order they were pressed; nobody asks about the past again, so a
call with n events costs O(n) queries in all (a cursor, never a search).

Keys nobody takes right away are **kept** (the caller typed ahead): the next menu gets them.
A recording sets aside the keys pressed before it started (`hold_back`) so that only keys
pressed while it runs can finish it; the set-aside keys still go to the next menu.

One caller, two places: a scenario (``dtmf``, ``hangup``, ``ozml run --dtmf``) and the
simulator's inbound calls (``ozml simulate call --dtmf``, the control endpoint) write the caller
the same way (`parse_caller`), and both run on a `CallClock`: virtual seconds since the call
started, which the simulator (``real-time = true``) also paces with the wall clock, so the same
timeline decides barge-in and hang-up in both.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from collections.abc import Iterable
from typing import Final, NamedTuple

import attrs

from ozml.callmodel.timing import parse_duration

__all__ = [
    "MAX_ENTRIES",
    "CallClock",
    "CallerError",
    "CallerInput",
    "KeyEvent",
    "Timeline",
    "parse_caller",
]

#: DTMF keys as a caller writes them.
KEYS: Final = re.compile(r"[0-9*#A-Da-d]{1,64}")
_SEPARATOR = re.compile(r"[\s,]+")
#: The most entries one caller's text may have.
MAX_ENTRIES: Final = 1000


class KeyEvent(NamedTuple):
    """Keys the caller presses at a time (seconds since the call started)."""

    at: float
    keys: str


class Timeline:
    """The caller's timed keys and hang-up on one call, handed out in time order."""

    __slots__ = ("_events", "_held", "_next", "hangup")

    def __init__(self, keys: Iterable[KeyEvent] = (), hangup: float | None = None) -> None:
        # sorted() is stable: keys written for the same moment keep the scenario's order.
        self._events = sorted(keys, key=lambda event: event.at)
        self._next = 0
        #: Keys pressed before a recording started, kept for the next menu (in order).
        self._held: deque[KeyEvent] = deque()
        self.hangup = hangup

    @property
    def timed(self) -> bool:
        """Whether anything on this call happens at a time (keys or a hang-up)."""
        return bool(self._events) or self.hangup is not None

    @property
    def keys_left(self) -> int:
        """How many key events nobody has taken yet."""
        return len(self._held) + len(self._events) - self._next

    def first_key(self, before: float = math.inf) -> KeyEvent | None:
        """The first key event not yet taken that happened before `before` (not taken)."""
        if self._held:
            return self._held[0]
        if self._next < len(self._events):
            event = self._events[self._next]
            if event.at < before:
                return event
        return None

    def take_key(self) -> KeyEvent:
        """Take the first key event not yet taken (`first_key` says whether there is one)."""
        if self._held:
            return self._held.popleft()
        event = self._events[self._next]
        self._next += 1
        return event

    def hold_back(self, before: float) -> None:
        """Set aside the keys pressed before `before` for the next menu (a recording starts)."""
        while self._next < len(self._events) and self._events[self._next].at < before:
            self._held.append(self._events[self._next])
            self._next += 1

    def key_in(self, start: float, end: float) -> KeyEvent | None:
        """The first key event not yet taken in [start, end), ignoring the held-back ones."""
        if self._next < len(self._events):
            event = self._events[self._next]
            if start <= event.at < end:
                return event
        return None

    def take_new_key(self) -> KeyEvent:
        """Take the first key event that was not held back."""
        event = self._events[self._next]
        self._next += 1
        return event

    def hangup_before(self, end: float) -> float | None:
        """The time the caller hangs up, when it is before `end`."""
        if self.hangup is not None and self.hangup < end:
            return self.hangup
        return None


class CallerError(ValueError):
    """A caller's text that cannot be read; the message says which entry and why."""


@attrs.frozen
class CallerInput:
    """What a caller does, read from one text: either per-prompt entries (`prompts`: keys,
    ``timeout`` or ``hangup``, one per prompt) or keys at times (`keys`, `timed`), and the
    time the caller hangs up (`hangup`)."""

    prompts: tuple[str, ...] = ()
    keys: tuple[KeyEvent, ...] = ()
    hangup: float | None = None
    timed: bool = False

    def timeline(self) -> Timeline:
        """A fresh timeline of these keys and this hang-up (one per call)."""
        return Timeline(self.keys, self.hangup)


def parse_caller(text: str) -> CallerInput:
    """A caller's entries, separated by commas or spaces: per prompt (``1,timeout,*,hangup``)
    or all at times (``1@3s,2@5.5s,hangup@12s``); CallerError with the reason otherwise."""
    entries = [part for part in _SEPARATOR.split(text.strip()) if part]
    if len(entries) > MAX_ENTRIES:
        raise CallerError(f"more than {MAX_ENTRIES} entries")
    if not any("@" in entry for entry in entries):
        prompts = []
        for entry in entries:
            word = entry.lower()
            if word in ("timeout", "hangup"):
                prompts.append(word)
            elif KEYS.fullmatch(entry):
                prompts.append(entry.upper())
            else:
                raise CallerError(
                    f'expected DTMF keys (0-9, *, #, A-D), "timeout" or "hangup", found {entry!r}'
                )
        return CallerInput(prompts=tuple(prompts))
    keys: list[KeyEvent] = []
    hangup: float | None = None
    for entry in entries:
        what, at, when = entry.partition("@")
        if not at:
            raise CallerError(
                f"{entry!r} has no time; write every entry as KEYS@TIME (1@3s) or none"
            )
        try:
            seconds = parse_duration(when)
        except ValueError as error:
            raise CallerError(f"{entry!r}: {error}") from None
        if what.lower() == "hangup":
            hangup = seconds
        elif KEYS.fullmatch(what):
            keys.append(KeyEvent(seconds, what.upper()))
        else:
            raise CallerError(
                f"{entry!r}: expected DTMF keys (0-9, *, #, A-D) or hangup before @"
            )
    return CallerInput(keys=tuple(keys), hangup=hangup, timed=True)


class CallClock:
    """A call's clock: seconds since the call started, moved by what happens on the call.

    The time is always virtual (a trace's times are the same however fast the machine is);
    with `real` it is also paced: every move waits until the wall clock has caught up with the
    new time (a prompt of 2 s takes 2 s), and a wait ends early when `stop` is set. Time spent
    elsewhere (an application answering a notification) is not call time: the wall clock may
    run ahead of the call's, and then nothing waits. Satisfies the interpreter's Clock.
    """

    __slots__ = ("_start", "real", "stop", "time")

    def __init__(self, real: bool = False, stop: threading.Event | None = None) -> None:
        self.real = real
        self.stop = stop or threading.Event()
        self.time = 0.0
        self._start = time.monotonic()

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if not seconds > 0:
            return
        # Rounded to nanoseconds: sums of tenths (0.4 s a word) stay exact enough that a key
        # at 3 s is not "after" a prompt that ends at 2.9999999999999996 s.
        self.time = round(self.time + seconds, 9)
        if self.real:
            left = self._start + self.time - time.monotonic()
            if left > 0:
                self.stop.wait(min(left, threading.TIMEOUT_MAX))
