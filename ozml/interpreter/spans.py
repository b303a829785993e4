"""How long a step lasts on a call whose caller does things at times (`Timeline`).

A step would last `duration` seconds from `start`. The caller can end it sooner:

* hanging up ends whatever step is running at that moment (`HANGUP`);
* a key ends a menu's prompt (barge-in, `BARGE_IN`: UserInput "plays prompts while collecting
  DTMF digits", spec §7.32); the key is not taken, the menu takes it;
* a key among a recording's FinishDigits ends the recording (`FINISH_KEY`); the other keys
  pressed while it records are part of the recording (taken, and gone); keys pressed before it
  started are kept for the next menu.

A step that would last for ever (a repeating Play, a Record with no limit) and that nothing
ends is `ENDLESS`: the scenario has nothing more to say about this call, so, as when its input
runs out, the caller is taken to hang up at once.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ozml.callmodel.timeline import Timeline

#: What ended a step early.
HANGUP = "caller-hangup"
BARGE_IN = "interrupted"
FINISH_KEY = "finish-key"
ENDLESS = "endless"


class Span(NamedTuple):
    """When a step ends, and what ended it ("" when it ran its whole duration)."""

    end: float
    cause: str = ""
    keys: str = ""


def span(
    timeline: Timeline | None,
    start: float,
    duration: float,
    *,
    finish_keys: str = "",
    prompt: bool = False,
) -> Span:
    """The span of a step from `start` that would last `duration` (may be ``math.inf``)."""
    end = start + duration
    if timeline is None:
        return Span(start, ENDLESS) if end == math.inf else Span(end)
    hangup = timeline.hangup_before(end)
    limit = end if hangup is None else max(hangup, start)
    if finish_keys:
        timeline.hold_back(start)
        while (event := timeline.key_in(start, limit)) is not None:
            timeline.take_new_key()
            if any(key in finish_keys for key in event.keys):
                return Span(event.at, FINISH_KEY, event.keys)
    elif prompt:
        event = timeline.first_key(limit)
        if event is not None:
            return Span(max(event.at, start), BARGE_IN, event.keys)
    if hangup is not None:
        return Span(limit, HANGUP)
    if end == math.inf:
        return Span(start, ENDLESS)
    return Span(end)


__all__ = ["BARGE_IN", "ENDLESS", "FINISH_KEY", "HANGUP", "Span", "span"]
