"""The outcome vocabulary: what can happen when the PBX rings someone, in one set of words.

Scenarios (``[outcomes]``, the per-target answers of a dry run), the simulator's extension
behaviour (``answer = "busy"``) and traces all use these words, so a scenario written for one
means the same in the other:

========== ================================= =============== ============== ==============
word       meaning                           call state      LastCallState  trace result
========== ================================= =============== ============== ==============
answer     the callee answers                Answered→InCall —              answered /
                                                                            transferred
busy       the callee is busy or rejects     Busy            Busy           busy
no-answer  nobody answers within the ring    Busy            NoAnswer       no-answer
           time
not-found  the number is unknown             Error           NotFound       not-found
failed     anything else goes wrong          Error           Error          failed
========== ================================= =============== ============== ==============

Busy for an unanswered call is the vendor's own definition ("ringing lasted longer than the
preset time", §5.2 [oz4587]); NotFound and NoAnswer are RoutingInterception's states [oz4695].
The older scenario words keep working: ``succeed`` means answer, ``fail`` and ``error`` mean
failed. A caller hanging up is not an outcome of ringing but an event at a time (``hangup =
"12s"``, `ozml.callmodel.timeline`).
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Mapping
from typing import Final

import attrs

from ozml.callmodel.states import CallState, RouteState

__all__ = [
    "ALIASES",
    "DELIVERY_WORDS",
    "OUTCOME_WORDS",
    "RECEPTION_WORDS",
    "Planned",
    "Ring",
    "parse_outcome",
    "parse_word",
]


class Ring(enum.Enum):
    """How ringing a number ends."""

    ANSWER = "answer"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    NOT_FOUND = "not-found"
    FAILED = "failed"

    @property
    def answered(self) -> bool:
        return self is Ring.ANSWER

    @property
    def call_state(self) -> CallState:
        """The §5.2 state the ringing call is left in."""
        return _STATES[self]

    @property
    def route_state(self) -> RouteState | None:
        """RoutingInterception's LastCallState after this outcome (None when answered)."""
        return _ROUTE[self]

    def result(self, *, transfer: bool = False) -> str:
        """The one word a trace shows for a placed call (or, with `transfer`, a transfer)."""
        if self is Ring.ANSWER:
            return "transferred" if transfer else "answered"
        return str(self.value)


_STATES: Final = {
    Ring.ANSWER: CallState.ANSWERED,
    Ring.BUSY: CallState.BUSY,
    Ring.NO_ANSWER: CallState.BUSY,
    Ring.NOT_FOUND: CallState.ERROR,
    Ring.FAILED: CallState.ERROR,
}
_ROUTE: Final = {
    Ring.ANSWER: None,
    Ring.BUSY: RouteState.BUSY,
    Ring.NO_ANSWER: RouteState.NO_ANSWER,
    Ring.NOT_FOUND: RouteState.NOT_FOUND,
    Ring.FAILED: RouteState.ERROR,
}

#: Words of earlier scenario files, still accepted.
ALIASES: Final[Mapping[str, Ring]] = {
    "succeed": Ring.ANSWER,
    "fail": Ring.FAILED,
    "error": Ring.FAILED,
}

#: Every word a scenario or a simulator config may write, the aliases last.
OUTCOME_WORDS: Final = (*(ring.value for ring in Ring), *ALIASES)


def parse_outcome(word: str) -> Ring:
    """The outcome a word names; ValueError (with a did-you-mean) for any other word."""
    try:
        return Ring(word)
    except ValueError:
        pass
    alias = ALIASES.get(word)
    if alias is not None:
        return alias
    close = difflib.get_close_matches(word, OUTCOME_WORDS, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"expected one of {', '.join(OUTCOME_WORDS)}, found {word!r}{hint}")


@attrs.frozen
class Planned:
    """What a scenario says ringing one number does: the outcome, after how many seconds
    (None: the default, `Timing.answer_after` for an answer, at once otherwise), and for an
    answer how long the answered call then lasts before the callee hangs up (`talk`, None:
    until something else ends it)."""

    ring: Ring
    after: float | None = None
    talk: float | None = None


#: ReceiveAlarmNotification: the alarm is received or not (word → received?). ``receive`` and
#: ``fail`` are the words of earlier scenario files.
RECEPTION_WORDS: Final[Mapping[str, bool]] = {
    "receive": True,
    "received": True,
    "fail": False,
    "failed": False,
}
#: SendSms's delivery report: delivered or not (word → delivered?).
DELIVERY_WORDS: Final[Mapping[str, bool]] = {"delivered": True, "failed": False}


def parse_word(word: str, words: Mapping[str, bool]) -> bool:
    """The meaning of `word` in a small vocabulary; ValueError (with a did-you-mean) otherwise."""
    if word in words:
        return words[word]
    close = difflib.get_close_matches(word, list(words), n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"expected one of {', '.join(words)}, found {word!r}{hint}")
