"""Time as the engine sees it: virtual for dry runs (they never sleep), real for live runs.

Two things move time. Delay waits (`sleep`). A command such as Speak takes time on the call
(`advance`, with the duration the executor reported): a virtual clock adds it, a real clock
ignores it because that time has already passed while the executor worked.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the run started."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait (Delay, a menu's timeout)."""
        ...

    def advance(self, seconds: float) -> None:
        """Account for time a command took."""
        ...


class VirtualClock:
    """Starts at 0 and moves only when told: deterministic traces, no waiting."""

    __slots__ = ("time",)

    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            # Rounded to nanoseconds: sums of tenths (0.4 s a word) stay exact enough that a
            # key at 3 s is not "after" a prompt that ends at 2.9999999999999996 s.
            self.time = round(self.time + seconds, 9)

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            self.time = round(self.time + seconds, 9)


class RealClock:
    """Wall-clock time from the run's start; Delay really waits."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.start

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            # A Delay of 1e300 seconds is valid OzML; time.sleep would overflow on it.
            time.sleep(min(seconds, threading.TIMEOUT_MAX))

    def advance(self, seconds: float) -> None:
        return None


__all__ = ["Clock", "RealClock", "VirtualClock"]
