"""The call model's switchboard on a virtual clock (ManualScheduler): no thread, no waiting, the
documented moves only, outcome words and result states."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from ozml.callmodel.states import CallState
from ozml.callmodel.switchboard import ManualScheduler, Route, SimCall, Switchboard, TransferError


@attrs.frozen
class Ext:
    number: str
    answer: str = "answer"
    answer_after: float = 0.0
    is_api: bool = False


class Book:
    def __init__(self, *extensions: Ext) -> None:
        self.extensions = {e.number: e for e in extensions}

    def extension(self, number: str) -> Ext | None:
        return self.extensions.get(number)


BOOK = Book(
    Ext("100"), Ext("101", is_api=True), Ext("102", answer_after=3), Ext("103", answer="busy"),
    Ext("104", answer="no-answer"), Ext("105", answer="not-found"), Ext("106", answer="failed"),
    Ext("107", answer="ring"), Ext("108", answer_after=100),
)


def board() -> tuple[Switchboard, ManualScheduler, list[tuple[str, str]]]:
    clock = ManualScheduler(dt.datetime(2026, 1, 1, 9, 0, 0))
    found = Switchboard(BOOK, clock, ring_time=30, seed=1)
    changes: list[tuple[str, str]] = []
    found.on_change.append(lambda call, state: changes.append((call.id, state.value)))
    return found, clock, changes


@pytest.mark.parametrize(
    ("callee", "state", "result", "seconds"),
    [
        ("102", CallState.IN_CALL, None, 3),
        ("103", CallState.BUSY, "Busy", 0),
        ("104", CallState.BUSY, "NoAnswer", 30),
        ("105", CallState.ERROR, "NotFound", 0),
        ("106", CallState.ERROR, "Error", 0),
        ("999", CallState.ERROR, "NotFound", 0),
        ("108", CallState.BUSY, "NoAnswer", 30),  # answers after the ring time: too late
        ("107", CallState.RINGING, None, 0),
    ],
)
def test_ringing_ends_by_the_outcome_words(
    callee: str, state: CallState, result: str | None, seconds: float
) -> None:
    sb, clock, _ = board()
    call = sb.place("101", callee, origin="Call")
    clock.run()
    assert call.state is state
    assert (call.result.name if call.result else None) == result
    end = call.answered or call.ended or clock.now()
    assert (end - call.started).total_seconds() == seconds


def test_moves_are_reported_in_order_and_history_shows_results() -> None:
    sb, clock, changes = board()
    call = sb.place("101", "102", origin="Call")
    clock.run()
    assert sb.hold(call)
    assert sb.unhold(call)
    new = sb.blind_transfer(call, "100", None)
    clock.run()
    assert [s for i, s in changes if i == call.id] == [
        "Ringing", "Answered", "InCall", "Hold", "InCall", "Transferred",
    ]
    assert call.result is not None
    assert call.result.name == "TransferCompleted"
    assert (new.source, new.destination, new.state) == ("102", "100", CallState.IN_CALL)
    assert sb.hangup(new, "callee")
    assert new.result is not None
    assert new.result.name == "CalleeHungUp"
    assert [c.id for c in sb.history()] == [call.id, new.id]


def test_transfers_use_the_outcome_words() -> None:
    sb, clock, _ = board()
    call = sb.place("101", "100", origin="Call")
    clock.run()
    for target, word in (("103", "busy"), ("105", "not-found"), ("999", "not-found"),
                         ("106", "failed")):
        with pytest.raises(TransferError) as caught:
            sb.blind_transfer(call, target, None)
        assert caught.value.outcome == word
    assert call.state is CallState.IN_CALL


def test_a_ringing_call_the_caller_leaves_is_cancelled() -> None:
    sb, _clock, _ = board()
    call = sb.place("101", "107", origin="Call")
    assert sb.hangup(call, "caller")
    assert (call.state, call.reason) == (CallState.CANCELLED, "cancelled")
    assert not sb.hangup(call)  # already ended


def test_routes_are_tried_in_order_and_an_empty_one_rejects() -> None:
    sb, clock, _ = board()
    sb.router = lambda call: True  # someone else decides
    call = sb.place("555", "100", origin="Inbound", direction="Inbound")
    sb.route(call, [Route("103"), Route("104", ring_time=5), Route("100")])
    clock.run()
    assert call.events == ["Route -> 103", "Route -> 104", "Route -> 100", "Answered"]
    assert call.state is CallState.IN_CALL
    assert call.ring_seconds(clock.now()) == 5
    rejected = sb.place("555", "100", origin="Inbound")
    sb.route(rejected, [Route("")])
    assert (rejected.state, rejected.reason) == (CallState.BUSY, "rejected")
    assert rejected.result is not None
    assert rejected.result.name == "Rejected"


def test_a_call_is_found_by_its_id_in_progress_or_ended() -> None:
    # The state view (GET /_ozml/calls/ID) asks for every call a load test placed: an ended
    # call is looked up by its ID, not searched for among all those that ended before it.
    sb, clock, _ = board()
    ended = [sb.place("555", "999", origin="Inbound") for _ in range(3)]
    ringing = sb.place("555", "107", origin="Inbound")
    clock.run()
    assert [sb.find(call.id) for call in ended] == ended
    assert sb.find(ringing.id) is ringing
    assert sb.get(ended[0].id) is None  # no longer in progress
    assert sb.find("nope") is None
    # A dry run names its calls (call-1.1): the last call of a name is the one found.
    first = sb.place("555", "999", origin="Call", call_id="call-1.1")
    clock.run()
    again = sb.place("555", "107", origin="Call", call_id="call-1.1")
    assert sb.find("call-1.1") is again
    assert sb.hangup(again)
    assert sb.find("call-1.1") is again is not first
    assert sb.history()[-2:] == [first, again]


def test_initial_calls_and_attended_transfer() -> None:
    sb, clock, changes = board()
    now = clock.now()
    sb.add(SimCall("H1", "100", "102", CallState.HOLD, now))
    sb.add(SimCall("T1", "102", "104", CallState.IN_CALL, now))
    held, target = sb.get("H1"), sb.get("T1")
    assert held is not None
    assert target is not None
    joined = sb.attended_transfer(held, target)
    assert (joined.source, joined.destination, joined.state) == ("100", "104", CallState.IN_CALL)
    assert [s for i, s in changes if i == joined.id] == ["Ringing", "Answered", "InCall"]
    assert sb.new_id() not in {"H1", "T1", joined.id}
