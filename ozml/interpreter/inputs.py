"""Where the caller's DTMF keys come from when a UserInput menu waits.

Each time a menu waits (once per prompt, again after every repeat), the engine asks the input
source for one `Entry`: the keys pressed, no key before the timeout, or the caller hanging up.
Dry runs read the entries from the scenario: in order, one per wait (`ListInput`, the
``dtmf = ["1", "timeout"]`` form), or from the caller's keys at times (`TimedInput`, the
``dtmf = [{at = "3s", keys = "1"}]`` form). A live run plugs in its own source.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple, Protocol, runtime_checkable

from ozml.callmodel.timeline import Timeline
from ozml.interpreter.context import Position


class Entry(NamedTuple):
    """What the caller did at one prompt."""

    digits: str = ""
    hangup: bool = False
    #: When the wait ended on the call's clock (the last key, or the timeout); None: the
    #: source does not know (a per-prompt entry), the engine works it out.
    at: float | None = None

    @property
    def timeout(self) -> bool:
        return not self.digits and not self.hangup

    def describe(self) -> str:
        if self.hangup:
            return "caller hung up"
        if not self.digits:
            return "no key before the timeout"
        return f"keys {self.digits}"


TIMEOUT = Entry()
HANGUP = Entry(hangup=True)


class Prompt(NamedTuple):
    """What a waiting menu expects: where it is, how many keys, how long it waits."""

    position: Position
    max_digits: int = 1
    timeout: float = 0.0
    #: 1 for the first wait of a menu, 2 after its first repeat, ...
    attempt: int = 1
    #: When the wait starts on the call's clock.
    time: float = 0.0


@runtime_checkable
class InputSource(Protocol):
    def next_entry(self, prompt: Prompt) -> Entry: ...


class ListInput:
    """Entries in order from a list; when they run out, every prompt gets `exhausted`.

    The default for an exhausted list is that the caller hangs up, so a menu with Repeat="true"
    ends instead of repeating for ever, the way a real caller eventually would.
    """

    def __init__(self, entries: Iterable[Entry], exhausted: Entry = HANGUP) -> None:
        self.entries = list(entries)
        self.exhausted = exhausted
        self.used = 0

    def next_entry(self, prompt: Prompt) -> Entry:
        if self.used < len(self.entries):
            entry = self.entries[self.used]
            self.used += 1
            return entry
        return self.exhausted

    @property
    def remaining(self) -> int:
        return len(self.entries) - self.used


class TimedInput:
    """The caller's keys at times (`Timeline`): a menu gets the keys pressed before its wait
    started (typed ahead, or during its prompts) or within its Timeout.

    A menu that wants several digits keeps taking keys while each comes within Timeout of the
    one before. When no key is left and the caller never hangs up, every wait gets `exhausted`
    (the caller hangs up, as with `ListInput`). A Timeout of 0 does not wait (assumed; the
    vendor leaves it open): only keys already pressed count.
    """

    def __init__(self, timeline: Timeline, exhausted: Entry = HANGUP) -> None:
        self.timeline = timeline
        self.exhausted = exhausted

    def next_entry(self, prompt: Prompt) -> Entry:
        timeline = self.timeline
        now = prompt.time
        wait = max(prompt.timeout, 0.0)
        event = timeline.first_key(_after(now, wait))
        if event is None:
            if not timeline.keys_left and timeline.hangup is None:
                return self.exhausted._replace(at=now)
            return Entry(at=now + wait)
        timeline.take_key()
        digits, last = event.keys, max(event.at, now)
        while len(digits) < prompt.max_digits:
            more = timeline.first_key(_after(last, wait))
            if more is None:
                break
            timeline.take_key()
            digits, last = digits + more.keys, max(more.at, last)
        return Entry(digits, at=last)


def _after(time: float, wait: float) -> float:
    """The end of a wait of `wait` seconds from `time`, for "before" queries: a wait of 0
    still counts a key pressed at `time` itself."""
    return time + wait if wait > 0 else math.nextafter(time, math.inf)


def parse_entry(text: str) -> Entry:
    """A scenario's spelling of an entry: keys such as "1" or "*9#", "timeout" (or ""), "hangup"."""
    word = text.strip()
    if word.lower() == "hangup":
        return HANGUP
    if word.lower() in ("timeout", ""):
        return TIMEOUT
    return Entry(word)


__all__ = [
    "HANGUP",
    "TIMEOUT",
    "Entry",
    "InputSource",
    "ListInput",
    "Prompt",
    "TimedInput",
    "parse_entry",
]
