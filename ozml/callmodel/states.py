"""Call states: the live states of ozml-spec.md §5.2, the routing states of RoutingInterception,
and the result states a call history shows.

Live states are what ListActiveCalls and CallChanged report [oz4587]. The transitions between
them are not drawn by the vendor; `TRANSITIONS` follows the meaning given to each state (a call
rings, is answered once, talks, may be held, and ends in one of the final states) and says so.
Result states are what ListCallHistory shows for an ended call: the vendor shows
``CallerHangUp`` [hu7634], ``TransferCompleted`` and ``CalleeHungUp`` [oz4804]; the others in
`RESULT_STATES` are assumed (marked so) and used only where no documented one fits.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

import attrs

__all__ = [
    "ACTIVE",
    "FINAL",
    "RESULT_STATES",
    "TRANSITIONS",
    "CallState",
    "IllegalTransition",
    "ResultState",
    "RouteState",
    "check_transition",
]


class CallState(enum.Enum):
    """The call states of ListActiveCalls and CallChanged (spec §5.2 [oz4587])."""

    RINGING = "Ringing"
    IN_CALL = "InCall"
    HOLD = "Hold"
    ERROR = "Error"
    CANCELLED = "Cancelled"
    TRANSFERRED = "Transferred"
    BUSY = "Busy"
    COMPLETED = "Completed"
    ANSWERED = "Answered"


class RouteState(enum.Enum):
    """RoutingInterception's ``LastCallState`` (spec §5.2 [oz4695])."""

    CALLING = "Calling"
    NO_ANSWER = "NoAnswer"
    BUSY = "Busy"
    NOT_FOUND = "NotFound"
    ERROR = "Error"


#: States of a call still in progress (listed by ListActiveCalls).
ACTIVE: Final = frozenset(
    {CallState.RINGING, CallState.ANSWERED, CallState.IN_CALL, CallState.HOLD}
)
#: States a call ends in.
FINAL: Final = frozenset(
    {
        CallState.ERROR,
        CallState.CANCELLED,
        CallState.TRANSFERRED,
        CallState.BUSY,
        CallState.COMPLETED,
    }
)

#: The moves between live states. Ringing ends Busy (busy key, or ringing longer than the preset
#: time), Cancelled (the caller gave up) or Error, or is answered; "Answered occurs once per
#: call" and is followed by talking (InCall); a talking call may be held and resumed; any
#: call in progress may be transferred, completed (someone hung up) or end in error.
TRANSITIONS: Final[Mapping[CallState, frozenset[CallState]]] = {
    CallState.RINGING: frozenset(
        {
            CallState.ANSWERED,
            CallState.IN_CALL,
            CallState.BUSY,
            CallState.CANCELLED,
            CallState.ERROR,
            CallState.TRANSFERRED,
            CallState.COMPLETED,
        }
    ),
    CallState.ANSWERED: frozenset(
        {CallState.IN_CALL, CallState.COMPLETED, CallState.TRANSFERRED, CallState.ERROR}
    ),
    CallState.IN_CALL: frozenset(
        {CallState.HOLD, CallState.COMPLETED, CallState.TRANSFERRED, CallState.ERROR}
    ),
    CallState.HOLD: frozenset(
        {CallState.IN_CALL, CallState.COMPLETED, CallState.TRANSFERRED, CallState.ERROR}
    ),
    **{state: frozenset[CallState]() for state in FINAL},
}


class IllegalTransition(ValueError):
    """A move the model does not allow (a bug in whoever asked for it, never user input)."""


def check_transition(old: CallState, new: CallState) -> None:
    if new not in TRANSITIONS[old]:
        raise IllegalTransition(f"a call cannot go from {old.value} to {new.value}")


@attrs.frozen
class ResultState:
    """A state ListCallHistory shows for an ended call, and whether the vendor shows it."""

    name: str
    stated: bool
    source: str
    meaning: str


#: Why a call ended → the result state its history entry shows.
RESULT_STATES: Final[Mapping[str, ResultState]] = {
    "caller-hangup": ResultState("CallerHangUp", True, "hu7634", "the caller hung up"),
    "callee-hangup": ResultState("CalleeHungUp", True, "oz4804", "the callee hung up"),
    "transferred": ResultState("TransferCompleted", True, "oz4804", "the call was transferred"),
    "busy": ResultState("Busy", False, "oz4587", "the callee was busy (the live state's name)"),
    "no-answer": ResultState(
        "NoAnswer", False, "oz4695", "nobody answered (RoutingInterception's name)"
    ),
    "not-found": ResultState(
        "NotFound", False, "oz4695", "the number is unknown (RoutingInterception's name)"
    ),
    "cancelled": ResultState(
        "Cancelled", False, "oz4587", "the caller gave up while ringing (the live state's name)"
    ),
    "failed": ResultState("Error", False, "oz4587", "ended by an error (the live state's name)"),
    # No vendor page names the result of a refused call; the live state is Busy ("callee
    # rejected", oz4695), the result state's name is ozml's.
    "rejected": ResultState(
        "Rejected", False, "oz4691", "refused by Reject, or by a Route with an empty Destination"
    ),
}
