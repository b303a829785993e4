"""A command's parameter read as the linter reads it, for every part that acts on the value.

The dry run and its engine, the simulator, the graph and the linter's own analyses (a menu's
keys, whether a menu repeats) read a true/false value, a value of a fixed set and a menu's
counts of keys here, through `ozml.catalog.values` (`check`, `case_fix`, `whole_number`), so a
script the linter passes is not run, drawn or simulated otherwise. What a run says of a value
it does not take as written comes with the reading: the default it takes instead, or the
letter case it ignores, is assumed.

Light on purpose: the linter imports it on the path of a file with findings, which loads
neither attrs nor the call model's timing (tests/test_clean_path.py); `ozml.callmodel.timing`
reads numbers of seconds on top of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from ozml import xmlspace
from ozml.catalog import Param, messages, values
from ozml.catalog import command as catalog_command
from ozml.catalog.messages import shown

__all__ = [
    "MenuKeys",
    "bare",
    "catalog_param",
    "menu_keys",
    "read_choice",
    "read_count",
    "read_flag",
    "read_given",
    "record_format",
]


def catalog_param(command: str, name: str) -> Param | None:
    """The catalog's parameter `name` of `command`, None when the catalog has none."""
    try:
        return catalog_command(command).param(name)
    except KeyError:
        return None


def read_given(command: str, name: str, text: str | None) -> tuple[str, str]:
    """The value `text` of `command`'s parameter `name` (None: absent) as the linter reads it
    (`values.check`): without the XML white space around it (`ozml.xmlspace.strip`), "" when
    absent or of XML white space alone (not given); and what a trace says when that reading
    rests on an assumed fact ("" when it does not). A value of other white space alone
    (``'\u00a0'``) is given, as content, where a reader that trims every Unicode space would
    find none: whether the PBX reads it so is not stated (`values.OTHER_SPACE`), so the note
    says it is assumed. The one answer to "is this value given?" of the dry run, its engine
    and the simulator."""
    if text is None:
        return "", ""
    value = xmlspace.strip(text)
    if not value or xmlspace.trimmed(value):
        return value, ""
    return value, (
        f"{command} {name} of {shown(value)}, white space other than XML's alone, is taken as"
        f" a value, not as none (assumed, {values.OTHER_SPACE.citation()})"
    )


def bare(text: str) -> str:
    """The value `text` as a run reads a typed value: without the XML white space around it,
    as ozml reads every value (`ozml.xmlspace`; ``Timeout=" 5 "`` is 5), unless it is of XML
    white space alone, which stays as written for the message that refuses it. Whether the PBX
    reads that white space so is not stated: the linter warns of a value that suits only
    without it (`values.SPACE_AROUND`)."""
    return xmlspace.strip(text) or text


def given(command: str, params: Mapping[str, str], name: str) -> str:
    """`command`'s parameter `name` in `params` as `read_given` reads it, without its note:
    for a reader that acts on the value and says nothing (the simulator's switchboard)."""
    return read_given(command, name, params.get(name))[0]


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
    text = bare(text)
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
    text = bare(text)
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


class MenuKeys(NamedTuple):
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
