"""How long things take on a virtual call, and how scenarios write a time.

The vendor documents no durations, so every default here is assumed, and each one is a
setting (a scenario's ``[timing]`` table, the simulator's ``[behaviour]``): Speak lasts
`seconds_per_word` per word (0.4 s, a usual text-to-speech pace of 150 words a minute); Play
lasts the audio file's duration from the scenario's ``[media]`` table, else `play_seconds`;
ringing lasts until the callee answers (`answer_after`) or the ring time passes (a command's
RingTime, else `ring_time`, Route's documented default of 90 s [oz4594]).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Final

import attrs

__all__ = ["DEFAULT_TIMING", "Timing", "parse_duration", "seconds", "words"]

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|m|s)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
#: The longest time a scenario may write: a day.
MAX_SECONDS: Final = 86400.0


def parse_duration(value: object) -> float:
    """Seconds from a scenario's time: a number of seconds (``3``, ``2.5``) or text with units
    (``"3s"``, ``"1m30s"``, ``"250ms"``, ``"1.5s"``). ValueError with the reason otherwise."""
    if isinstance(value, bool):
        raise ValueError(f'expected a time such as 3 or "3s", found {value!r}')
    if isinstance(value, int | float):
        # An integer past float's range (TOML holds any up to 4,300 digits) is too long too.
        seconds = float(value) if abs(value) < 1e300 else math.inf
    elif isinstance(value, str):
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            seconds = _with_units(text, value)
    else:
        raise ValueError(f'expected a time such as 3 or "3s", found {value!r}')
    if not math.isfinite(seconds) or seconds < 0 or seconds > MAX_SECONDS:
        raise ValueError(f"expected a time from 0 to {MAX_SECONDS:g} seconds, found {value!r}")
    return seconds


def _with_units(text: str, original: str) -> float:
    position = 0
    total = 0.0
    for match in _PART.finditer(text):
        if text[position : match.start()].strip():
            break
        total += float(match.group(1)) * _UNIT[match.group(2)]
        position = match.end()
    else:
        if position and not text[position:].strip():
            return total
    raise ValueError(f'expected a time such as "3s", "1m30s" or "250ms", found {original!r}')


def words(text: str) -> int:
    """How many words a text has (what a Speak's duration is counted in)."""
    return len(text.split())


@attrs.frozen
class Timing:
    """Durations of a virtual call (all assumed; see the module's docstring)."""

    seconds_per_word: float = 0.4
    play_seconds: float = 5.0
    answer_after: float = 0.0
    ring_time: float = 90.0
    beep_seconds: float = 0.5
    #: How long an answered call that is placed or transferred lasts before the callee hangs
    #: up (FinishedUrl's Duration), unless the scenario plans its own ``talk``.
    talk_seconds: float = 30.0

    def speak(self, text: str) -> float:
        return round(words(text) * self.seconds_per_word, 6)

    def play(self, params: Mapping[str, str], media: Mapping[str, float] | None = None) -> float:
        """Play's length: the file's (from `media`, by path or by file name, else
        `play_seconds`); ``Repeat="true"`` repeats until something ends it (infinity) or its
        Timeout (Gen-B: stop after so many seconds)."""
        name = params.get("AudioFile", "").strip()
        media = media or {}
        length = media.get(name)
        if length is None:
            length = media.get(_basename(name), self.play_seconds)
        if params.get("Repeat", "").strip().lower() == "true":
            length = math.inf
        stop = seconds(params.get("Timeout"))
        return length if stop is None else min(length, stop)

    def lasts(
        self, command: str, params: Mapping[str, str], media: Mapping[str, float] | None = None
    ) -> float:
        """How long a prompt command lasts on the call (Speak, Play, Beep; others take none)."""
        if command == "Speak":
            return self.speak(params.get("Text", ""))
        if command == "Play":
            return self.play(params, media)
        if command == "Beep":
            return self.beep_seconds
        return 0.0

    def record(self, params: Mapping[str, str]) -> tuple[float, str]:
        """How long a Record lasts unless a key, silence or a hang-up ends it first, and why:
        its Duration (``max-duration``), else until something ends it (infinity)."""
        duration = seconds(params.get("Duration"))
        return (math.inf, "ok") if duration is None else (duration, "max-duration")


def seconds(text: str | None) -> float | None:
    """A parameter's number of seconds (None when absent, not a number, or not above 0)."""
    if not text or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value < math.inf else None


def _basename(name: str) -> str:
    return PureWindowsPath(PurePosixPath(name).name).name


DEFAULT_TIMING: Final = Timing()
