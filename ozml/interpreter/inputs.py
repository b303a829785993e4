"""Where the caller's DTMF keys come from when a UserInput menu waits.

Each time a menu waits (once per prompt, again after every repeat), the engine asks the input
source for one `Entry`: the keys pressed, no key before the timeout, or the caller hanging up.
Dry runs read the entries from the scenario in order; a live run plugs in its own source.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol, runtime_checkable

from ozml.interpreter.context import Position


class Entry(NamedTuple):
    """What the caller did at one prompt."""

    digits: str = ""
    hangup: bool = False

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


def parse_entry(text: str) -> Entry:
    """A scenario's spelling of an entry: keys such as "1" or "*9#", "timeout" (or ""), "hangup"."""
    word = text.strip()
    if word.lower() == "hangup":
        return HANGUP
    if word.lower() in ("timeout", ""):
        return TIMEOUT
    return Entry(word)


__all__ = ["HANGUP", "TIMEOUT", "Entry", "InputSource", "ListInput", "Prompt", "parse_entry"]
