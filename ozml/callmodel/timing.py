"""How long things take on a virtual call, and how scenarios write a time.

The vendor documents no durations, so every default here is assumed, and each one is a
setting (a scenario's ``[timing]`` table, the simulator's ``[behaviour]``): Speak lasts
`seconds_per_word` per word (0.4 s, a usual text-to-speech pace of 150 words a minute); Play
lasts the audio file's duration from the scenario's ``[media]`` table, else `play_seconds`;
ringing lasts until the callee answers (`answer_after`) or the ring time passes (a command's
RingTime, else `ring_time`, Route's documented default of 90 s [oz4594]).

A parameter's number of seconds (RingTime, Duration, Inactivity, Timeout, a Delay's Time) and a
true/false one (Repeat) are read here as the linter reads them (`ozml.catalog.values`: `check`,
then `seconds` or `whole_number`): `read_seconds` and `read_flag`, which the engine uses too,
and `unread_seconds`, the words a run says a value it refuses in. A menu's counts of keys
(Digits, MinDigits, MaxDigits) are read here too, for the linter's invalid-input-key and the
engine alike: `menu_keys`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Final

import attrs

from ozml.catalog import Param, ValueType, messages, values
from ozml.catalog import command as catalog_command
from ozml.catalog.messages import shown

__all__ = [
    "DEFAULT_TIMING",
    "MenuKeys",
    "Timing",
    "catalog_param",
    "menu_keys",
    "parse_duration",
    "read_choice",
    "read_count",
    "read_flag",
    "read_seconds",
    "record_format",
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
        name = params.get("AudioFile", "").strip()
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


def catalog_param(command: str, name: str) -> Param | None:
    """The catalog's parameter `name` of `command`, None when the catalog has none."""
    try:
        return catalog_command(command).param(name)
    except KeyError:
        return None


#: A wait no run can make (more than 308 digits of seconds).
_NEVER: Final = math.inf


def read_seconds(command: str, name: str, text: str | None, default: float) -> float | None:
    """The parameter `name`'s value `text` as a number of seconds, read as the linter reads
    it (`values.check`, then `values.seconds`: a whole number for an integer parameter):
    `default` when absent, None when the linter refuses it (a value such as " 5", "1e3",
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
    if param is not None and values.check(param, text, ()) is None:
        number = values.seconds(_digits_of(param, text))
        if number and text.startswith("-"):
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


def read_choice(command: str, name: str, text: str | None) -> tuple[str | None, str]:
    """The value `text` of `command`'s parameter `name`, one of a fixed set (Record's Format,
    true or false), as the linter reads it (`values.check`; `values.case_fix` for a value in
    another letter case), and what a trace says of a value it does not take as written (""
    when it does): the catalog's default (`Param.default`, None when it has none) when absent,
    refused or a reference left as written, ``WAV`` as ``wav``. Whether the PBX reads such a
    value so is not stated: taking the default, or ignoring letter case, is assumed."""
    param = catalog_param(command, name)
    default = None if param is None else param.default
    if text is None or param is None:
        return default, ""
    expected = values.check(param, text, ())
    if expected is None and not values.is_dynamic(text, ()):
        return text, ""
    fixed = values.case_fix(param, text)
    if fixed is not None:
        return fixed, (
            f"{command} {name} of {shown(text)} taken as {fixed} (letter case ignored, assumed)"
        )
    instead = "not given (assumed)" if default is None else f"{default}, the default (assumed)"
    if expected is None:  # a reference left as written
        return default, (
            f"{command} {name} of {shown(text)} keeps a variable as written: taken as {instead}"
        )
    return default, f"{messages.invalid_value(command, name, expected, text)}: taken as {instead}"


def record_format(params: Mapping[str, str]) -> str:
    """The format a Record whose parameters are `params` records in (`read_choice` of its
    Format: the catalog's default, mp3, when absent or refused): the file extension of the
    RecordURL the dry run and the simulator send."""
    fmt = read_choice("Record", "Format", params.get("Format"))[0]
    assert fmt is not None  # the catalog gives Format a default
    return fmt


def read_flag(command: str, name: str, text: str | None) -> tuple[bool, str]:
    """The true/false parameter `name`'s value `text` as the linter reads it (`read_choice`),
    and what a trace says of a value it does not take as written ("" when it does): the
    catalog's default when absent, refused or a reference left as written, ``TRUE`` as
    true."""
    value, said = read_choice(command, name, text)
    return value == "true", said


def read_count(command: str, name: str, text: str | None) -> tuple[int | None, str]:
    """A count of keys (Digits, MinDigits, MaxDigits) read as the linter reads it
    (`values.check`, then `values.whole_number`): the number, or None when absent, refused or
    not above 0, and why it was refused ("" when it was not, or was absent)."""
    if text is None:
        return None, ""
    param = catalog_param(command, name)
    if param is None:
        return None, ""
    expected = values.check(param, text, ())
    number = values.whole_number(text) if expected is None else None
    if number is not None and number > 0:
        return number, ""
    if expected is None:  # a reference left as written (the linter takes it as dynamic)
        return None, f"{command} {name} of {shown(text)} keeps a variable as written: no number"
    basis = values.grounds(param, text)
    if not basis.stated:
        return None, f"{command} {name} of {shown(text)}: {basis.why}"
    return None, messages.invalid_value(command, name, expected, text)


@attrs.frozen
class MenuKeys:
    """How many keys a menu reads (`menu_keys`): from `low` to `high`."""

    low: int
    high: int
    #: How that was set, for messages: ``Digits defaults to 1``, ``MinDigits="1",
    #: MaxDigits="3"``.
    how: str
    #: Why a count given was not read, in the linter's words ("" when every one was).
    refused: str = ""
    #: Whether `low` and `high` rest on how the counts combine, which the vendor does not say:
    #: Digits with a MinDigits or MaxDigits of another value, MinDigits past MaxDigits, or
    #: MinDigits alone past MaxDigits' default of 1.
    combined: bool = False


#: The menu's counts of keys, in the order `MenuKeys.how` names them.
_COUNTS: Final = ("Digits", "MinDigits", "MaxDigits")


def menu_keys(command: str, params: Mapping[str, str]) -> MenuKeys:
    """How many keys the menu `command` (UserInput) whose parameters are `params` reads: the
    one answer of the linter (invalid-input-key: which keys the caller cannot enter) and the
    engine (how many keys a menu keeps).

    Each count is read by `read_count`; one it refuses counts as not given. From `low`, the
    smaller of Digits and MinDigits, to `high`, the larger of Digits and MaxDigits; 1 to 1
    when none is given (Digits' default [oz4693][hu7663]), at least `low` when only MinDigits
    is. The vendor states each count (spec §7.32) but not how they combine: that is assumed
    (docs/interpreter.md, Menus)."""
    given: dict[str, int] = {}
    written: list[str] = []
    refused = ""
    for name in _COUNTS:
        text = params.get(name)
        number, why = read_count(command, name, text)
        if why:
            refused = f"{refused}; {why}" if refused else why
        if number is not None:
            given[name] = number
            written.append(f'{name}="{text}"')
    if not given:
        return MenuKeys(1, 1, "Digits defaults to 1", refused)
    lows = [given[name] for name in ("Digits", "MinDigits") if name in given]
    low = min(lows) if lows else 1
    high = max((given[name] for name in ("Digits", "MaxDigits") if name in given), default=0)
    least, most, digits = given.get("MinDigits"), given.get("MaxDigits"), given.get("Digits")
    combined = (
        (digits is not None and any(n not in (None, digits) for n in (least, most)))
        or (least is not None and most is not None and least > most)
        or (least is not None and most is None and digits is None and least > 1)
    )
    return MenuKeys(low, high or max(low, 1), ", ".join(written), refused, combined)


def _basename(name: str) -> str:
    return PureWindowsPath(PurePosixPath(name).name).name


DEFAULT_TIMING: Final = Timing()
