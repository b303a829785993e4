"""The call model's tables against ozml-spec.md: notification fields, states, outcome words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ozml.callmodel import KINDS, CallState, NotificationNames, Ring, RouteState, build_form
from ozml.callmodel.outcomes import OUTCOME_WORDS, parse_outcome
from ozml.callmodel.states import ACTIVE, FINAL, RESULT_STATES, TRANSITIONS, check_transition
from ozml.callmodel.timing import Timing, parse_duration


def _catalogue(shared_dir: Path) -> dict[str, str]:
    """§5.1's table: notification name → the row's text."""
    spec = (shared_dir / "ozml-spec.md").read_text(encoding="utf-8")
    section = spec.split("### 5.1", 1)[1].split("### 5.2", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        match = re.match(r"\|[^|]*\| \*\*(\w+)\*\* \|", line)
        if match:
            rows.setdefault(match.group(1), "")
            rows[match.group(1)] += line
    return rows


def test_every_documented_notification_is_in_the_table(shared_dir: Path) -> None:
    rows = _catalogue(shared_dir)
    assert set(rows) <= {k.name for k in KINDS.values() if k.stated_name}
    # A name the vendor documents is never marked assumed, and an assumed one never claims to be.
    for spec in KINDS.values():
        assert spec.stated_name == (spec.key in rows), spec.key


def test_stated_fields_are_exactly_the_documented_ones(shared_dir: Path) -> None:
    rows = _catalogue(shared_dir)
    for spec in KINDS.values():
        assert spec.fields[0].name == "NotificationName"
        assert spec.fields[0].stated
        for field in spec.fields[1:]:
            if field.stated:
                # Every field claimed as stated is named in the notification's row (CallChanged's
                # state is stated as a value, its field name is ozml's).
                row = rows.get(spec.key, "")
                assert field.name in row or (spec.key, field.name) == (
                    "CallChanged",
                    "CallState",
                ), (
                    spec.key,
                    field.name,
                )
    # RoutingInterception's documented parameters, all of them and nothing else.
    documented = re.findall(r"(\w+) \(|; (\w+)", rows["RoutingInterception"].split("|")[4])
    names = {a or b for a, b in documented} - {"Calling"}
    routing = {f.name for f in KINDS["RoutingInterception"].fields}
    assert names <= routing
    assert all(f.stated for f in KINDS["RoutingInterception"].fields)
    assert KINDS["DtmfEntered"].field("DtmfDigits") is not None
    assert KINDS["RecordCompleted"].field("RecordURL") is not None


def test_invented_names_are_never_sent() -> None:
    sent = {NotificationNames().name(key) for key in KINDS}
    assert not sent & {"CallError", "CallFinished", "NewCall"}


def test_build_form_orders_fields_and_refuses_strays() -> None:
    form = build_form("RecordCompleted", {"RecordURL": "r.mp3", "CallId": "c1"}, extra=[("x", "1")])
    assert list(form) == ["NotificationName", "CallId", "RecordURL", "x"]
    with pytest.raises(ValueError, match="no field Dtmf"):
        build_form("RecordCompleted", {"Dtmf": "1"})


def test_assumed_names_can_be_renamed() -> None:
    names = NotificationNames({"Error": "ErrorOccurred"})
    assert names.name("Error") == "ErrorOccurred"
    assert not names.assumed("Error")
    assert NotificationNames().assumed("Error")
    assert not NotificationNames().assumed("RoutingInterception")
    with pytest.raises(ValueError, match="no notification called Nope"):
        NotificationNames({"Nope": "x"})


def test_states_are_the_documented_ones(shared_dir: Path) -> None:
    spec = (shared_dir / "ozml-spec.md").read_text(encoding="utf-8")
    states = spec.split("### 5.2", 1)[1].split("---", 1)[0]
    for state in CallState:
        assert f"`{state.value}`" in states
    for route in RouteState:
        assert f"`{route.value}`" in states
    assert ACTIVE.isdisjoint(FINAL)
    assert set(TRANSITIONS) == set(CallState)
    for state in FINAL:
        assert not TRANSITIONS[state]
    check_transition(CallState.RINGING, CallState.ANSWERED)
    with pytest.raises(ValueError, match="from Completed to InCall"):
        check_transition(CallState.COMPLETED, CallState.IN_CALL)


def test_documented_result_states_are_marked_so(shared_dir: Path) -> None:
    spec = (shared_dir / "ozml-spec.md").read_text(encoding="utf-8")
    for result in RESULT_STATES.values():
        if result.stated:
            assert result.name in spec
            assert result.source in spec


@pytest.mark.parametrize(
    ("word", "ring", "state", "route", "result"),
    [
        ("answer", Ring.ANSWER, CallState.ANSWERED, None, "answered"),
        ("busy", Ring.BUSY, CallState.BUSY, RouteState.BUSY, "busy"),
        ("no-answer", Ring.NO_ANSWER, CallState.BUSY, RouteState.NO_ANSWER, "no-answer"),
        ("not-found", Ring.NOT_FOUND, CallState.ERROR, RouteState.NOT_FOUND, "not-found"),
        ("failed", Ring.FAILED, CallState.ERROR, RouteState.ERROR, "failed"),
        ("succeed", Ring.ANSWER, CallState.ANSWERED, None, "answered"),
        ("fail", Ring.FAILED, CallState.ERROR, RouteState.ERROR, "failed"),
        ("error", Ring.FAILED, CallState.ERROR, RouteState.ERROR, "failed"),
    ],
)
def test_outcome_words(
    word: str, ring: Ring, state: CallState, route: RouteState | None, result: str
) -> None:
    assert parse_outcome(word) is ring
    assert ring.call_state is state
    assert ring.route_state is route
    assert ring.result() == result
    assert word in OUTCOME_WORDS


def test_unknown_outcome_word_suggests() -> None:
    with pytest.raises(ValueError, match="did you mean 'busy'"):
        parse_outcome("bussy")
    assert Ring.ANSWER.result(transfer=True) == "transferred"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (3, 3.0),
        (2.5, 2.5),
        ("3s", 3.0),
        ("1m30s", 90.0),
        ("250ms", 0.25),
        ("1.5 s", 1.5),
        ("12", 12.0),
        ("1h", 3600.0),
    ],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    # 10**400: an integer TOML reads and float() refuses (it was an OverflowError).
    ["", "s", "3x", "1s2", "-1", "nan", "inf", True, [], "2d", 10**400, -(10**400), 1e308],
)
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError, match="expected a time"):
        parse_duration(text)


def test_speak_takes_time_per_word() -> None:
    assert Timing().speak("For sales, press 1.") == pytest.approx(1.6)
    assert Timing(seconds_per_word=1).speak("  a  b ") == 2
