"""The call a script runs for, and the variables it sees.

A run answers one notification for one call (spec §5): the call's ID, who called whom, the
notification's name and form parameters, and the D4 context. Variables (D8) are values of the
`Value` type kept by the engine for the whole call: Var and Array define them, ForEach binds
`$item`, a scenario or the PBX supplies the rest (e.g. the voicemail array `voicemails`).
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


__all__ = ["Call", "Position", "Value"]
