"""The virtual PBX's call model, shared by the dry run and the simulator.

One definition of what a call does, below both users of it (it imports neither
`ozml.interpreter` nor `ozml.simulator`, an import-linter contract):

* `states`: the call states of ozml-spec.md §5.2 and the moves between them, RoutingInterception's
  states, and the result states of the call history;
* `outcomes`: the words for how ringing ends (answer, busy, no-answer, not-found, failed);
* `notifications`: every notification of §5.1, with which of its fields are stated and which
  assumed;
* `timing`: how long commands and ringing take on a virtual call, and how a time is written.

The names below are loaded on first use (PEP 562), so that importing one module of the call
model (`ozml.flow.control` reads the notification table) does not load the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozml.lazy import loader

if TYPE_CHECKING:
    from ozml.callmodel.notifications import KINDS, Field, Kind, NotificationNames, build_form
    from ozml.callmodel.outcomes import Ring, parse_outcome
    from ozml.callmodel.states import CallState, ResultState, RouteState
    from ozml.callmodel.timing import DEFAULT_TIMING, Timing, parse_duration

_HOMES = {
    **dict.fromkeys(
        ("KINDS", "Field", "Kind", "NotificationNames", "build_form"),
        "ozml.callmodel.notifications",
    ),
    **dict.fromkeys(("Ring", "parse_outcome"), "ozml.callmodel.outcomes"),
    **dict.fromkeys(("CallState", "ResultState", "RouteState"), "ozml.callmodel.states"),
    **dict.fromkeys(("DEFAULT_TIMING", "Timing", "parse_duration"), "ozml.callmodel.timing"),
}

__getattr__ = loader(__name__, _HOMES, globals())

__all__ = [
    "DEFAULT_TIMING",
    "KINDS",
    "CallState",
    "Field",
    "Kind",
    "NotificationNames",
    "ResultState",
    "Ring",
    "RouteState",
    "Timing",
    "build_form",
    "parse_duration",
    "parse_outcome",
]
