"""The call a script runs for, and the variables it sees.

A run answers one notification for one call (spec §5): the call's ID, who called whom, the
notification's name and form parameters, and the D4 context. Variables (D8) are values of the
`Value` type kept by the engine for the whole call: Var and Array define them, ForEach binds
`$item`, a scenario or the PBX supplies the rest (e.g. the voicemail array `voicemails`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

import attrs

from ozml.catalog import Context
from ozml.catalog.values import variable_key

#: A variable's value: text, a list (an Array, a system array such as `voicemails`), or an item
#: with properties (`$item.date`).
Value: TypeAlias = str | Sequence["Value"] | Mapping[str, "Value"]


class Variables(dict[str, "Value"]):
    """The variables of a call, their names compared as `ozml.catalog.values.variable_key`
    compares them (ignoring letter case: assumed, as the linter assumes it, since the vendor
    does not say): ``$Name`` reads the Var ``name``, and a Var ``Name`` sets the variable a
    Var ``name`` set before (it keeps the spelling last written)."""

    __slots__ = ("_names", "carried", "folded")

    def __init__(self, values: Mapping[str, Value] | Iterable[tuple[str, Value]] = ()) -> None:
        super().__init__()
        #: Each name's key, to the name as it is kept.
        self._names: dict[str, str] = {}
        #: The names read so far in another letter case than the one kept (as read, as kept):
        #: where ignoring letter case decided a value (the reader clears it once it has said so).
        self.folded: list[tuple[str, str]] = []
        #: The keys of the variables a GoTo kept from the document before (keep_variables),
        #: until the new document defines them again; a read of one is noted in `folded` as
        #: (name as read, "") (the reader clears it once it has said so).
        self.carried: set[str] = set()
        self.update(values)

    def _kept(self, name: str) -> str | None:
        if dict.__contains__(self, name):
            if self.carried and variable_key(name) in self.carried:
                self.folded.append((name, ""))
            return name
        key = variable_key(name)
        kept = self._names.get(key)
        if kept is not None:
            self.folded.append((name, kept))
            if key in self.carried:
                self.folded.append((name, ""))
        return kept

    def __setitem__(self, name: str, value: Value) -> None:
        key = variable_key(name)
        self.carried.discard(key)
        kept = self._names.get(key)
        if kept is not None and kept != name:
            dict.__delitem__(self, kept)
        self._names[key] = name
        dict.__setitem__(self, name, value)

    def __getitem__(self, name: str) -> Value:
        kept = self._kept(name)
        if kept is None:
            raise KeyError(name)
        return dict.__getitem__(self, kept)

    def __delitem__(self, name: str) -> None:
        kept = self._kept(name)
        if kept is None:
            raise KeyError(name)
        del self._names[variable_key(kept)]
        dict.__delitem__(self, kept)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._kept(name) is not None

    def get(self, name: str, default: Value | None = None) -> Value | None:  # type: ignore[override]
        kept = self._kept(name)
        return default if kept is None else dict.__getitem__(self, kept)

    def pop(self, name: str, *default: Value | None) -> Value | None:  # type: ignore[override]
        kept = self._kept(name)
        if kept is None:
            if default:
                return default[0]
            raise KeyError(name)
        value = dict.__getitem__(self, kept)
        del self[kept]
        return value

    def update(  # type: ignore[override]
        self, values: Mapping[str, Value] | Iterable[tuple[str, Value]] = ()
    ) -> None:
        for name, value in values.items() if isinstance(values, Mapping) else values:
            self[name] = value

    def setdefault(self, name: str, default: Value) -> Value:
        kept = self._kept(name)
        if kept is not None:
            return dict.__getitem__(self, kept)
        self[name] = default
        return default

    def clear(self) -> None:
        self._names.clear()
        dict.clear(self)

    def copy(self) -> Variables:
        return Variables(self)


def _frozen_params(params: Mapping[str, str]) -> Mapping[str, str]:
    return dict(params)


@attrs.frozen
class Call:
    """One call and the notification whose answer is being run.

    `context` decides what the end of the script means (D9: an extension script hangs up).
    """

    call_id: str = "call-1"
    caller: str = ""
    callee: str = ""
    notification: str = "IncomingCall"
    params: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_params)
    context: Context = Context.ANY


@attrs.frozen
class Position:
    """Where a step comes from: the document (its path, or the URL it came from), line, column."""

    source: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.source
        return f"{self.source}:{self.line}:{self.column}"


__all__ = ["Call", "Position", "Value", "Variables"]
