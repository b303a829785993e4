"""The call a script runs for, and the variables it sees.

A run answers one notification for one call (spec §5): the call's ID, who called whom, the
notification's name and form parameters, and the D4 context. Variables (D8) live for the whole
call: Var and Array define them, ForEach binds `$item`, a scenario or the PBX supplies the rest
(e.g. the voicemail array `voicemails`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import attrs

from ozml.catalog import Context

#: A variable's value: text, a list (an Array, a system array such as `voicemails`), or an item
#: with properties (`$item.date`).
Value: TypeAlias = str | Sequence["Value"] | Mapping[str, "Value"]


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
    context: Context = Context.EXTENSION

    def form(self) -> dict[str, str]:
        """The form fields a notification for this call carries (sent along with every fetch).

        The notification's own parameters come first; NotificationName and CallId are always
        present. Caller and Callee are added only when known, and never override a parameter the
        notification itself supplied.
        """
        fields = dict(self.params)
        fields.setdefault("NotificationName", self.notification)
        fields.setdefault("CallId", self.call_id)
        if self.caller:
            fields.setdefault("Caller", self.caller)
        if self.callee:
            fields.setdefault("Callee", self.callee)
        return fields


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


class Variables:
    """The variables of one call: a flat namespace, case-sensitive names (`$exampleID`).

    ForEach binds `$item` with `bind`/`restore` so a nested loop shadows the outer item and the
    outer one comes back afterwards; every other definition lasts for the rest of the call.
    """

    __slots__ = ("values",)

    def __init__(self, initial: Mapping[str, Value] | None = None) -> None:
        self.values: dict[str, Value] = dict(initial or {})

    def get(self, name: str) -> Value | None:
        return self.values.get(name)

    def set(self, name: str, value: Value) -> None:
        self.values[name] = value

    def bind(self, name: str, value: Value) -> tuple[bool, Value | None]:
        """Set `name` for a loop body; returns what `restore` needs to undo it."""
        previous = (name in self.values, self.values.get(name))
        self.values[name] = value
        return previous

    def restore(self, name: str, previous: tuple[bool, Value | None]) -> None:
        existed, value = previous
        if existed and value is not None:
            self.values[name] = value
        else:
            self.values.pop(name, None)

    def copy(self) -> Variables:
        return Variables(self.values)

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def __repr__(self) -> str:
        return f"Variables({self.values!r})"


__all__ = ["Call", "Position", "Value", "Variables"]
