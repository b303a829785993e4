"""Time in a dry run: how long commands last, timed keys, barge-in, hang-up at a time, Record's
ends and ringing; and properties of timed runs (times never go back, no key is ever lost)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.callmodel.timeline import KeyEvent, Timeline
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.interpreter.trace import INPUT


def dry(document: str, scenario: str = "") -> list[str]:
    _, program = compile_source(document, "d.xml")
    done = run_scenario(parse_scenario(scenario, Path("s.toml")), program)
    return [event.golden() for event in done.events]


MENU = (
    '<Response><UserInput Timeout="5" Digits="2"><InitialCommands>'
    "<Speak>one two three four five</Speak><Play Repeat=\"true\">music.wav</Play>"
    '</InitialCommands><Inputs><Input Key="12"><Speak>twelve</Speak></Input></Inputs>'
    "</UserInput><Speak>after</Speak></Response>"
)

CASES: list[tuple[str, str, str, list[str]]] = [
    (
        "Speak lasts 0.4 s a word, Play 5 s, Beep 0.5 s, Delay its seconds (all assumed)",
        "<Response><Speak>a b c</Speak><Play>x.wav</Play><Beep/><Delay>2</Delay></Response>",
        "",
        [
            '0s Speak Text="a b c" -> ok',
            '1.2s Play AudioFile="x.wav" -> ok',
            "6.2s Beep -> ok",
            '6.7s Delay Time="2" -> ok',
            "8.7s end -> end-of-script",
        ],
    ),
    (
        "[timing] sets the durations; [media] gives files their length (by name or file name)",
        '<Response><Speak>a b c</Speak><Play>hello.wav</Play><Play>x/other.wav</Play>'
        '<Play Timeout="2">long.wav</Play></Response>',
        '[timing]\nseconds_per_word = 1\nplay_seconds = "3s"\n'
        '[media]\n"hello.wav" = "12s"\n"other.wav" = 7',
        [
            '0s Speak Text="a b c" -> ok',
            '3s Play AudioFile="hello.wav" -> ok',
            '15s Play AudioFile="x/other.wav" -> ok',
            '22s Play Timeout="2" AudioFile="long.wav" -> ok',
            "24s end -> end-of-script",
        ],
    ),
    (
        "a per-command [timing] entry wins over the computed duration (old scenarios)",
        "<Response><Speak>a b c d e</Speak><Play>x.wav</Play></Response>",
        "[timing]\nSpeak = 2\nPlay = \"1s\"",
        ['0s Speak Text="a b c d e" -> ok', '2s Play AudioFile="x.wav" -> ok',
         "3s end -> end-of-script"],
    ),
    (
        "barge-in: a key during a prompt cuts it, the menu takes the key and waits for more",
        MENU,
        '[input]\ndtmf = [{at = "1s", keys = "1"}, {at = "4s", keys = "2"}]',
        [
            '0s UserInput Timeout="5" Digits="2" -> menu',
            '0s Speak Text="one two three four five" -> interrupted at 1s',
            '4s input Digits="12" -> matched',
            '4s Speak Text="twelve" -> ok',
            '4.4s Speak Text="after" -> ok',
            "4.8s end -> end-of-script",
        ],
    ),
    (
        "Play Repeat plays until a key; a second key after the Timeout comes too late",
        MENU,
        '[input]\ndtmf = [{at = "3s", keys = "1"}, {at = "9s", keys = "2"}]\nhangup = "30s"',
        [
            '0s UserInput Timeout="5" Digits="2" -> menu',
            '0s Speak Text="one two three four five" -> ok',
            '2s Play Repeat="true" AudioFile="music.wav" -> interrupted at 3s',
            '3s input Digits="1" -> no-match',
            '3s Speak Text="after" -> ok',
            "3.4s end -> end-of-script",
        ],
    ),
    (
        "Play Repeat that nothing ends: the caller is taken to hang up",
        '<Response><Play Repeat="true">music.wav</Play><Speak>never</Speak></Response>',
        "",
        ['0s Play Repeat="true" AudioFile="music.wav" -> caller-hangup at 0s',
         "0s end -> caller-hangup"],
    ),
    (
        "a hang-up at a time ends the command running then (here a Delay)",
        "<Response><Speak>a b</Speak><Delay>10</Delay><Speak>c</Speak></Response>",
        '[input]\nhangup = "4s"',
        ['0s Speak Text="a b" -> ok', '0.8s Delay Time="10" -> caller-hangup at 4s',
         "4s end -> caller-hangup"],
    ),
    (
        "a hang-up between commands ends the call before the next one",
        "<Response><Speak>a b</Speak><Speak>c</Speak></Response>",
        '[input]\nhangup = "0.8s"',
        ['0s Speak Text="a b" -> ok', "0.8s input -> hangup", "0.8s end -> caller-hangup"],
    ),
    (
        "a hang-up while a menu waits",
        '<Response><UserInput Timeout="10"><InitialCommands><Speak>a</Speak></InitialCommands>'
        '<Inputs><Input Key="1"><Speak>one</Speak></Input></Inputs></UserInput></Response>',
        '[input]\ndtmf = [{at = "20s", keys = "1"}]\nhangup = "6s"',
        ['0s UserInput Timeout="10" -> menu', '0s Speak Text="a" -> ok', "6s input -> hangup",
         "6s end -> caller-hangup"],
    ),
    (
        "keys pressed outside a menu are kept for the next menu (typed ahead)",
        '<Response><Speak>a b c d e</Speak><UserInput Timeout="3"><InitialCommands>'
        "<Speak>menu</Speak></InitialCommands>"
        '<Inputs><Input Key="7"><Speak>seven</Speak></Input></Inputs></UserInput></Response>',
        '[input]\ndtmf = [{at = "1s", keys = "7"}]',
        [
            '0s Speak Text="a b c d e" -> ok',
            '2s UserInput Timeout="3" -> menu',
            '2s Speak Text="menu" -> interrupted at 2s',
            '2s input Digits="7" -> matched',
            '2s Speak Text="seven" -> ok',
            "2.4s end -> end-of-script",
        ],
    ),
    (
        "a menu waits its Timeout for a key; without keys left the caller hangs up",
        '<Response><UserInput Timeout="10" Repeat="true"><InitialCommands><Speak>a</Speak>'
        '</InitialCommands><Inputs><Input Key="1"><Speak>one</Speak></Input></Inputs>'
        "</UserInput></Response>",
        '[input]\ndtmf = [{at = "25s", keys = "1"}]',
        [
            '0s UserInput Timeout="10" Repeat="true" -> menu',
            '0s Speak Text="a" -> ok',
            "10.4s input -> timeout",
            '10.4s UserInput Timeout="10" Repeat="true" -> repeat',
            '10.4s Speak Text="a" -> ok',
            "20.8s input -> timeout",
            '20.8s UserInput Timeout="10" Repeat="true" -> repeat',
            '20.8s Speak Text="a" -> ok',
            '25s input Digits="1" -> matched',
            '25s Speak Text="one" -> ok',
            "25.4s end -> end-of-script",
        ],
    ),
    (
        "Record ends on a FinishDigits key; other keys while it records are part of it",
        '<Response><Record FinishDigits="#*" Duration="60"/><Speak>done</Speak></Response>',
        '[input]\ndtmf = [{at = "5s", keys = "1"}, {at = "9s", keys = "*"}]',
        ['0s Record FinishDigits="#*" Duration="60" -> finish-key at 9s',
         '9s Speak Text="done" -> ok', "9.4s end -> end-of-script"],
    ),
    (
        "Record: Duration is its longest, a later key does not count",
        '<Response><Record FinishDigits="#" Duration="60"/></Response>',
        '[input]\ndtmf = [{at = "75s", keys = "#"}]',
        ['0s Record FinishDigits="#" Duration="60" -> max-duration at 60s',
         "60s end -> end-of-script"],
    ),
    (
        "Record: Inactivity seconds after the caller falls silent ([record] silence_at)",
        '<Response><Speak>a b c d e</Speak><Record Inactivity="3"/></Response>',
        '[record]\nsilence_at = "12s"',
        ['0s Speak Text="a b c d e" -> ok', '2s Record Inactivity="3" -> silence at 15s',
         "15s end -> end-of-script"],
    ),
    (
        "Record: silence is honoured only with Inactivity; a hang-up ends it",
        '<Response><Record FinishDigits="#"/><Speak>never</Speak></Response>',
        '[record]\nsilence_at = "12s"\n[input]\nhangup = "30s"',
        ['0s Record FinishDigits="#" -> caller-hangup at 30s', "30s end -> caller-hangup"],
    ),
    (
        "keys pressed before a Record are kept for the next menu, not used to finish it",
        '<Response><Speak>a b c d e</Speak><Record FinishDigits="#" Duration="5"/>'
        '<UserInput><Inputs><Input Key="#"><Speak>hash</Speak></Input></Inputs></UserInput>'
        "</Response>",
        '[input]\ndtmf = [{at = "1s", keys = "#"}]',
        [
            '0s Speak Text="a b c d e" -> ok',
            '2s Record FinishDigits="#" Duration="5" -> max-duration at 7s',
            "7s UserInput -> menu",
            '7s input Digits="#" -> matched',
            '7s Speak Text="hash" -> ok',
            "7.4s end -> end-of-script",
        ],
    ),
    (
        "ringing: after a time, no-answer for the ring time, an answer later than it is none",
        '<Response><BlindTransfer>1</BlindTransfer><BlindTransfer>2</BlindTransfer>'
        '<Call RingTime="30">3</Call><Request DialedAddress="4"><OnSetup><Speak>up</Speak>'
        "</OnSetup><OnError><Speak>err</Speak></OnError></Request></Response>",
        '[outcomes]\ntransfer = [{outcome = "busy", after = "3s"}, "no-answer"]\n'
        'call = {"3" = {outcome = "answer", after = "40s"}, "4" = {after = "7s"}}\n'
        "[timing]\nring_time = 60",
        [
            '0s BlindTransfer Target="1" -> busy',
            '3s BlindTransfer Target="2" -> no-answer',
            '63s Call RingTime="30" Dialed="3" -> no-answer',
            '63s Request DialedAddress="4" -> answered',
            '70s Speak Text="up" -> ok',
            "70.4s end -> end-of-script",
        ],
    ),
    (
        "the old per-prompt entries keep working next to a hang-up time",
        '<Response><UserInput Timeout="10"><InitialCommands><Speak>a</Speak></InitialCommands>'
        '<Inputs><Input Key="1"><Delay>60</Delay></Input></Inputs></UserInput></Response>',
        '[input]\ndtmf = ["1"]\nhangup = "30s"',
        ['0s UserInput Timeout="10" -> menu', '0s Speak Text="a" -> ok',
         '0.4s input Digits="1" -> matched', '0.4s Delay Time="60" -> caller-hangup at 30s',
         "30s end -> caller-hangup"],
    ),
]


@pytest.mark.parametrize(
    ("document", "scenario", "expected"),
    [pytest.param(doc, sc, exp, id=name) for name, doc, sc, exp in CASES],
)
def test_time(document: str, scenario: str, expected: list[str]) -> None:
    assert dry(document, scenario) == expected


def test_the_timeline_hands_keys_out_once_in_time_order() -> None:
    timeline = Timeline([KeyEvent(5, "2"), KeyEvent(1, "1"), KeyEvent(5, "3")], hangup=9)
    assert timeline.first_key(1) is None
    assert timeline.first_key(2) == KeyEvent(1, "1")
    assert timeline.take_key() == KeyEvent(1, "1")
    timeline.hold_back(6)  # a recording starts at 6: the keys before it are kept
    assert timeline.key_in(6, 100) is None
    assert [timeline.take_key(), timeline.take_key()] == [KeyEvent(5, "2"), KeyEvent(5, "3")]
    assert timeline.keys_left == 0
    assert (timeline.hangup_before(9), timeline.hangup_before(9.5)) == (None, 9)


# -- properties -------------------------------------------------------------------------------

PROMPTS = st.lists(
    st.sampled_from(["<Speak>a b c</Speak>", "<Play>x.wav</Play>", "<Delay>1</Delay>",
                     '<Play Repeat="true">m.wav</Play>']),
    min_size=1, max_size=3,
)
KEYS = st.lists(
    st.tuples(st.integers(0, 120), st.sampled_from(["1", "2", "9", "#", "12"])), max_size=8
)


def _menu_document(prompts: list[str], timeout: int, record: bool) -> str:
    inner = "".join(prompts)
    recording = '<Record FinishDigits="#" Duration="4"/>' if record else ""
    return (
        f'<Response><UserInput Repeat="true" Timeout="{timeout}">'
        f"<InitialCommands>{inner}</InitialCommands>"
        '<Inputs><Input Key="1"><Speak>one</Speak></Input>'
        f'<Input Key="2">{recording}<Speak>two</Speak></Input></Inputs></UserInput>'
        "<Speak>after</Speak></Response>"
    )


@settings(max_examples=150, deadline=None)
@given(
    prompts=PROMPTS,
    timeout=st.integers(0, 6),
    keys=KEYS,
    hangup=st.none() | st.integers(0, 150),
    record=st.booleans(),
)
def test_times_never_go_back_and_no_key_is_lost(
    prompts: list[str], timeout: int, keys: list[tuple[int, str]], hangup: int | None,
    record: bool,
) -> None:
    events = ", ".join(f'{{at = {at}, keys = "{k}"}}' for at, k in keys)
    scenario = f"[input]\ndtmf = [{events}]\n" + (f"hangup = {hangup}\n" if hangup is not None
                                                   else "")
    scenario += "[engine]\nmax_steps = 400\n"
    _, program = compile_source(_menu_document(prompts, timeout, record), "p.xml")
    parsed = parse_scenario(scenario, Path("p.toml"))
    done = run_scenario(parsed, program)
    times = [event.time for event in done.events]
    assert times == sorted(times)
    for event in done.events:
        if event.end is not None:
            assert event.end >= event.time
    if hangup is not None:
        assert times[-1] <= max(hangup, 0) or done.result.ending != "caller-hangup"
    # Keys the menus took are the scenario's keys in time order, none skipped: barge-in never
    # loses a key (a recording swallows only keys pressed while it records).
    taken = "".join(e.params.get("Digits", "") for e in done.events if e.command == INPUT)
    ordered = "".join(k for _, k in sorted(keys, key=lambda pair: pair[0]))
    if not record:
        assert ordered.startswith(taken)


def test_many_timed_events_run_in_one_pass() -> None:
    # 2,000 menus in a row, each taking its key during its prompt: every key is handed out
    # once, by a cursor (no search from the start), so this is linear in the number of events.
    rounds = 2_000
    keys = ", ".join(f'{{at = {i + 0.5}, keys = "1"}}' for i in range(rounds))
    menu = (
        '<UserInput Timeout="1"><InitialCommands><Speak>a b c</Speak></InitialCommands>'
        '<Inputs><Input Key="1"><Delay>0.5</Delay></Input></Inputs></UserInput>'
    )
    _, program = compile_source(f"<Response>{menu * rounds}</Response>", "many.xml")
    scenario = parse_scenario(
        f"[input]\ndtmf = [{keys}]\n[engine]\nmax_steps = 1000000\n", Path("m.toml")
    )
    done = run_scenario(scenario, program)
    matched = [e for e in done.events if e.command == INPUT and e.result == "matched"]
    assert len(matched) == rounds
    assert matched[-1].time == rounds - 0.5
