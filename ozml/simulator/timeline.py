"""A simulated call's time, and the keys its caller presses at given times.

An inbound call's DTMF comes from the request that placed it (``ozml simulate call --dtmf``, or
the control endpoint's ``dtmf``), as entries separated by commas or spaces:

* ``1`` — keys given at the next prompt (a UserInput waiting, or a Record with FinishDigits);
* ``1@3s`` — keys pressed 3 seconds into the call: a prompt reached before then waits for
  them (or times out first, when its Timeout ends sooner); one reached after gets them at once
  (pressed during the greeting);
* ``timeout`` — the prompt gets no key; ``hangup`` (or ``hangup@12s``) — the caller hangs up
  at that prompt.

When the entries run out the caller hangs up, as a real caller eventually would. Times count
from the IncomingCall; with ``real-time = false`` they are virtual (nothing waits), otherwise
the simulator really waits for them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from typing import Final

import attrs

from ozml.callmodel.timing import parse_duration
from ozml.interpreter.inputs import HANGUP, TIMEOUT, Entry, Prompt

__all__ = ["MAX_ENTRIES", "CallClock", "DtmfError", "Key", "TimedInput", "parse_dtmf"]

_KEYS = re.compile(r"[0-9*#A-Da-d]{1,64}")
_SEPARATOR = re.compile(r"[\s,]+")
#: The most entries one call's DTMF may have.
MAX_ENTRIES: Final = 1000


class DtmfError(ValueError):
    """DTMF entries that cannot be read; the message says which and why."""


@attrs.frozen
class Key:
    """One entry: the keys (or a hang-up, or nothing: a timeout) and when, if timed."""

    keys: str = ""
    at: float | None = None
    hangup: bool = False

    def entry(self) -> Entry:
        if self.hangup:
            return HANGUP
        return Entry(self.keys) if self.keys else TIMEOUT

    def __str__(self) -> str:
        word = "hangup" if self.hangup else self.keys or "timeout"
        return word if self.at is None else f"{word}@{self.at:g}s"


def parse_dtmf(text: str) -> tuple[Key, ...]:
    """The entries of a DTMF text (see the module's docstring); DtmfError otherwise."""
    found: list[Key] = []
    last = 0.0
    for part in _SEPARATOR.split(text.strip()):
        if not part:
            continue
        word, at_sign, when = part.partition("@")
        at: float | None = None
        if at_sign:
            try:
                at = parse_duration(when)
            except ValueError as error:
                raise DtmfError(f"{part!r}: {error}") from None
            if at < last:
                raise DtmfError(f"{part!r}: timed entries must come in time order")
            last = at
        lowered = word.lower()
        if lowered == "hangup":
            found.append(Key(at=at, hangup=True))
        elif lowered == "timeout":
            found.append(Key(at=at))
        elif _KEYS.fullmatch(word):
            found.append(Key(word, at))
        else:
            raise DtmfError(
                f"{part!r}: expected keys (0-9, *, #, A-D), timeout or hangup,"
                " optionally with @TIME (1@3s)"
            )
        if len(found) > MAX_ENTRIES:
            raise DtmfError(f"more than {MAX_ENTRIES} entries")
    return tuple(found)


class CallClock:
    """The interpreter's clock for one call's scripts: virtual (moves only when told, never
    waits) or real (seconds since it was made; Delay and timed keys really wait). A real
    clock's waits end early when `stop` is set (the simulator is closing)."""

    def __init__(self, real: bool, stop: threading.Event | None = None) -> None:
        self.real = real
        self.stop = stop or threading.Event()
        self._start = time.monotonic()
        self._time = 0.0

    def now(self) -> float:
        return time.monotonic() - self._start if self.real else self._time

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self.real:
            self.stop.wait(min(seconds, threading.TIMEOUT_MAX))
        else:
            self._time += seconds

    def advance(self, seconds: float) -> None:
        """Time a command took: virtual time moves; real time has passed (or, for a prompt's
        timeout, was waited by `pause`)."""
        if seconds > 0 and not self.real:
            self._time += seconds

    def pause(self, seconds: float) -> None:
        """Wait in real time only: the caller accounts for it with `advance` afterwards."""
        if self.real and seconds > 0:
            self.stop.wait(min(seconds, threading.TIMEOUT_MAX))

    def wait_until(self, moment: float) -> None:
        left = moment - self.now()
        if left <= 0:
            return
        if self.real:
            self.stop.wait(min(left, threading.TIMEOUT_MAX))
        else:
            self._time = moment


class TimedInput:
    """The inbound caller's entries, one per prompt, waiting for timed ones (InputSource)."""

    def __init__(self, keys: Sequence[Key], clock: CallClock) -> None:
        self.keys = list(keys)
        self.clock = clock
        self.used = 0

    @property
    def remaining(self) -> int:
        return len(self.keys) - self.used

    def next_entry(self, prompt: Prompt) -> Entry:
        if self.used >= len(self.keys):
            return HANGUP
        key = self.keys[self.used]
        if key.at is not None:
            now = self.clock.now()
            if key.at > now and 0 < prompt.timeout < key.at - now:
                self.clock.pause(prompt.timeout)  # the engine advances virtual time by it
                return TIMEOUT
            self.clock.wait_until(key.at)
        self.used += 1
        return key.entry()
