"""Variables the PBX supplies to a document, per context and per place (D8).

A document defines its own variables with Var (``$name``) and Array (a ForEach Source); these are
the names it may use without defining them. Anything else a deployment provides (a value carried
over from an earlier document, a name the PBX sets that the vendor does not document) is listed in
the configuration's ``known-variables``.
"""

from __future__ import annotations

from ozml.catalog.commands import RECEIVED_VARIABLES
from ozml.catalog.model import Context

#: ForEach binds the current item to ``$item`` (with properties: ``$item.date``) [oz5404][hu7654].
ITEM = "item"

#: Set inside ``<Received>`` of ReceiveAlarmNotification, in any context [oz5556][hu7670].
RECEIVED: frozenset[str] = frozenset(RECEIVED_VARIABLES)

#: Used without a definition by the vendor's voicemail examples, which are extension-control
#: scripts [oz5403][oz5401]. Who sets them is UNKNOWN (presumably the voicemail feature), so they
#: are known in extension scripts and in the default context only.
VOICEMAIL_VARIABLES: frozenset[str] = frozenset({"username", "oldmessagepath"})
#: The array of a mailbox's messages, iterated by the same examples [oz5403][oz5401].
VOICEMAIL_ARRAYS: frozenset[str] = frozenset({"voicemails"})

_VARIABLES: dict[Context, frozenset[str]] = {
    Context.EXTENSION: VOICEMAIL_VARIABLES,
    Context.THREE_PCC: frozenset(),
    Context.ROUTING: frozenset(),
}
_ARRAYS: dict[Context, frozenset[str]] = {
    Context.EXTENSION: VOICEMAIL_ARRAYS,
    Context.THREE_PCC: frozenset(),
    Context.ROUTING: frozenset(),
}
# ``any``: what some context supplies, worked out once (rules ask it of every document).
_VARIABLES[Context.ANY] = frozenset().union(*_VARIABLES.values())
_ARRAYS[Context.ANY] = frozenset().union(*_ARRAYS.values())


def supplied_variables(context: Context) -> frozenset[str]:
    """Variables the PBX sets everywhere in a document of `context` (``any``: in some context)."""
    return _VARIABLES[context]


def supplied_arrays(context: Context) -> frozenset[str]:
    """Arrays the PBX provides to a document of `context` (``any``: in some context)."""
    return _ARRAYS[context]


__all__ = [
    "ITEM",
    "RECEIVED",
    "VOICEMAIL_ARRAYS",
    "VOICEMAIL_VARIABLES",
    "supplied_arrays",
    "supplied_variables",
]
