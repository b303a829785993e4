"""What the caller does, and when: a scenario's timed events on one call.

A scenario writes the caller's keys at times (``dtmf = [{at = "3s", keys = "1"}]``) and when the
caller hangs up (``hangup = "12s"``). The model asks the timeline questions as the call's clock
moves forward: "is there a key before 4.2 s?", "does the caller hang up before 9 s?". Keys are
handed out once each, in the order they were pressed; nobody asks about the past again, so a
call with n events costs O(n) queries in all (a cursor, never a search).

Keys nobody takes right away are **kept** (the caller typed ahead): the next menu gets them.
A recording sets aside the keys pressed before it started (`hold_back`) so that only keys
pressed while it runs can finish it; the set-aside keys still go to the next menu.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["KeyEvent", "Timeline"]


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
