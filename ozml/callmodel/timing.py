"""How long things take on a virtual call, and how scenarios write a time.

The vendor documents no durations, so every default here is assumed, and each one is a
setting (a scenario's ``[timing]`` table, the simulator's ``[behaviour]``): Speak lasts
`seconds_per_word` per word (0.4 s, a usual text-to-speech pace of 150 words a minute); Play
lasts the audio file's duration from the scenario's ``[media]`` table, else `play_seconds`;
ringing lasts until the callee answers (`answer_after`) or the ring time passes (a command's
RingTime, else `ring_time`, Route's documented default of 90 s [oz4594]).

A parameter's number of seconds (RingTime, Duration, Inactivity, Timeout, a Delay's Time) is
read here as the linter reads it (`ozml.catalog.values`: `check`, then `seconds`):
`read_seconds`, which the engine uses too, and `unread_seconds`, the words a run says a value it
refuses in. True/false values, values of a fixed set and a menu's counts of keys are read in
`ozml.callmodel.readings`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Final

import attrs

from ozml import xmlspace
from ozml.callmodel.readings import bare, catalog_param, read_flag
from ozml.catalog import Param, ValueType, messages, values
from ozml.catalog.messages import shown

__all__ = [
    "DEFAULT_TIMING",
    "Timing",
    "parse_duration",
    "read_seconds",
    "refused_seconds",
    "seconds",
    "unread_seconds",
    "waited_seconds",
    "words",
]

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
        name = xmlspace.strip(params.get("AudioFile", ""))
        media = media or {}
        length = media.get(name)
        if length is None:
            length = media.get(_basename(name), self.play_seconds)
        if read_flag("Play", "Repeat", params.get("Repeat"))[0]:
            length = math.inf
        stop = seconds("Play", "Timeout", params.get("Timeout"))
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
        duration = seconds("Record", "Duration", params.get("Duration"))
        return (math.inf, "ok") if duration is None else (duration, "max-duration")


def seconds(command: str, name: str, text: str | None) -> float | None:
    """The parameter `name` of `command` as a number of seconds a run waits (`read_seconds`):
    None when absent, refused by the linter, or not above 0."""
    value = read_seconds(command, name, text, 0.0)
    return value if value else None


def waited_seconds(command: str, name: str, text: str | None) -> float | None:
    """`seconds`, at most `MAX_SECONDS` (a day): what the simulator, which really waits, takes
    of a parameter such as a call's RingTime, from a script or an HTTP request alike."""
    value = seconds(command, name, text)
    return value if value is not None and value <= MAX_SECONDS else None


def refused_seconds(command: str, name: str, text: str | None, instead: str) -> str:
    """What a trace says of the parameter `name` given as `text` when `read_seconds` refuses
    it: why (`unread_seconds`), then how the run takes it (`instead`); "" when it is read (or
    not given, or a reference left as written)."""
    if text is None or read_seconds(command, name, text, 0.0) is not None:
        return ""
    return f"{unread_seconds(command, name, text)}; {instead}"


#: A wait no run can make (more than 308 digits of seconds).
_NEVER: Final = math.inf


def read_seconds(command: str, name: str, text: str | None, default: float) -> float | None:
    """The parameter `name`'s value `text` as a number of seconds, read as the linter reads
    it, without the XML white space around it (`readings.bare`), by `values.check`, then
    `values.seconds` (a whole number for an integer parameter): `default` when absent, None
    when the linter refuses it (a value such as "&#160;5" with a no-break space, "1e3",
    "inf" or "1.5" for a whole number, a negative one) or it is no wait a run can make (more
    seconds than a clock counts). A value a run left a reference in as written holds no
    number either."""
    if text is None:
        return default
    key = (command, name, text)
    known = _READ.get(key, _UNREAD)
    if known is not _UNREAD:
        return known
    param = catalog_param(command, name)
    number = None
    value = bare(text)
    if param is not None and values.check(param, value, ()) is None:
        number = values.seconds(_digits_of(param, value))
        if number and value.startswith("-"):
            number = -number  # a negative whole number the catalog sets no bound for
    found = None if number is None or number == _NEVER or number < 0 else number
    if len(text) <= 64:  # values such as Timeout="10" come back in every menu
        if len(_READ) >= 4096:
            _READ.clear()
        _READ[key] = found
    return found


#: (command, parameter, value) → what `read_seconds` read.
_READ: dict[tuple[str, str, str], float | None] = {}
_UNREAD: Final = -1.0  # no reading is negative


def _digits_of(param: Param, text: str) -> str:
    """A whole number's digits (its sign, which `values.check` has judged, aside)."""
    return text.lstrip("+-") if param.type is ValueType.INTEGER else text


def unread_seconds(command: str, name: str, text: str) -> str:
    """Why the parameter `name`'s value `text` (`read_seconds` refused it) is no wait a run
    can make, in the linter's words (`values.check`, `values.grounds`,
    `messages.invalid_value`): not a number of seconds, a number below a bound the vendor
    does not state (the linter only warns), or one past what a clock counts (more than 308
    digits: valid all the same)."""
    param = catalog_param(command, name)
    if param is None:
        return f"{command} {name} of {shown(text)} is no number of seconds"
    text = bare(text)
    expected = values.check(param, text, ())
    if expected is None:
        digits = _digits_of(param, text)
        number = values.seconds(digits)
        if number == _NEVER:
            return f"{command} {name} of {len(digits)} digits is more seconds than a run counts"
        if number is not None and text.startswith("-") and number:
            return f"{command} {name} of {shown(text)} is below 0: no wait"
        # Valid for the linter only as a value it cannot know: a reference left as written.
        return f"{command} {name} of {shown(text)} keeps a variable as written: no number"
    basis = values.grounds(param, text)
    if not basis.stated:  # a bound the vendor does not state: the linter only warns
        return f"{command} {name} of {shown(text)}: {basis.why}"
    return messages.invalid_value(command, name, expected, text)


def _basename(name: str) -> str:
    return PureWindowsPath(PurePosixPath(name).name).name


DEFAULT_TIMING: Final = Timing()
