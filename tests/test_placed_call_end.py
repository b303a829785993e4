"""A placed call (Call) ends at whichever comes first: its OzML's Hangup, the end of its OzML
(D9: the PBX hangs up an API-extension call whose OzML runs out [oz4689]), or the callee
hanging up when the talk time is over. What its end sends (CallChanged to Completed, Finished
with its Duration) comes at that moment, and no command of its OzML runs after it.

The dry run used to work out the whole of the call's life when it was placed: Finished came
`talk` seconds after the answer whatever the call's OzML did, and a Delay in that OzML ran on
past the callee's hang-up.
"""

from __future__ import annotations

from pathlib import Path

from ozml.interpreter.runner import DryRun, compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.interpreter.trace import NOTIFY

CALL = (
    "<Response><Var Id=\"who\">Ann</Var>"
    '<Call Url="http://app/connected.php" CallerId="3000" ErrorUrl="http://app/err.php"'
    ' FinishedUrl="http://app/fin.php">102</Call><Speak>Calling $who</Speak></Response>'
)


def dry(scenario: str) -> DryRun:
    _, program = compile_source(CALL, "cc.xml")
    parsed = parse_scenario('context = "extension"\n' + scenario, Path("s.toml"))
    return run_scenario(parsed, program)


def lines(done: DryRun, call: str = "call-1.1") -> list[str]:
    return [event.golden() for event in done.events if event.call == call]


def finished(done: DryRun) -> dict[str, str]:
    (form,) = [dict(r.form) for r in done.requests if r.url == "http://app/fin.php"]
    return form


def test_a_hangup_in_the_connected_calls_ozml_ends_it_then_finished_comes() -> None:
    done = dry(
        '[urls]\n"http://app/connected.php" = "<Response><Speak>Hello</Speak><Hangup/>'
        '</Response>"\n"http://app/fin.php" = "<Response><Speak>finished</Speak></Response>"\n'
    )
    assert lines(done) == [
        '0.8s notify Url="http://app/connected.php" NotificationName="CallConnected" -> fetched',
        '0.8s Speak Text="Hello" -> ok',
        "1.2s Hangup -> ok",
        "1.2s end -> hangup",
        '1.2s notify Url="http://app/fin.php" NotificationName="CallChanged" -> fetched',
    ]
    assert finished(done)["Duration"] == "1.2"
    # The answer to Finished is about a call that has ended: it is not run, and the line says
    # why, and that whether a PBX runs it is assumed.
    (notify,) = [e for e in done.events if e.command == NOTIFY and "fin.php" in e.params["Url"]]
    assert "its answer is not run: the call it is about has ended (assumed" in notify.detail
    assert "talk_seconds" not in notify.detail
    assert done.result.time == 1.2


def test_the_3pcc_subscriber_hears_of_the_end_when_the_hangup_ends_the_call() -> None:
    done = dry(
        '[urls]\n"http://app/connected.php" = "<Response><Speak>Hello</Speak><Hangup/>'
        '</Response>"\n[notifications]\n3pcc-url = "http://app/3pcc"\n'
    )
    states = [
        (e.time, dict(r.form)["CallState"])
        for e, r in zip(
            [e for e in done.events if e.command == NOTIFY],
            done.requests, strict=True,
        )
        if r.url == "http://app/3pcc"
    ]
    assert states[-1] == (1.2, "Completed")
    assert [state for _, state in states] == ["Ringing", "Answered", "InCall", "Completed"]
    assert lines(done)[-1] == (
        '1.2s notify Url="http://app/fin.php" NotificationName="CallChanged" -> sent'
    )


def test_the_callee_hanging_up_ends_the_connected_calls_ozml() -> None:
    done = dry(
        '[outcomes]\ncall = { "102" = { outcome = "answer", talk = "5s" } }\n'
        '[urls]\n"http://app/connected.php" = "<Response><Speak>Hello</Speak><Delay>20</Delay>'
        '<Speak>still there?</Speak></Response>"\n'
    )
    assert lines(done) == [
        '0.8s notify Url="http://app/connected.php" NotificationName="CallConnected" -> fetched',
        '0.8s Speak Text="Hello" -> ok',
        '1.2s Delay Time="20" -> caller-hangup at 5s',
        "5s end -> caller-hangup",
        '5s notify Url="http://app/fin.php" NotificationName="CallChanged" -> sent',
    ]
    end = next(e for e in done.events if e.call == "call-1.1" and e.command == "end")
    assert end.detail == "the called party hung up: the call is over"
    assert finished(done)["Duration"] == "5"


def test_the_assumed_talk_time_is_said_where_it_ends_the_call() -> None:
    done = dry(
        '[urls]\n"http://app/connected.php" = "<Response><Delay>60</Delay></Response>"\n'
    )
    assert lines(done)[-2:] == [
        "30s end -> caller-hangup",
        '30s notify Url="http://app/fin.php" NotificationName="CallChanged" -> sent',
    ]
    notify = [e for e in done.events if e.command == NOTIFY][-1]
    assert "the call lasts talk_seconds = 30 s (assumed)" in notify.detail
    assert finished(done)["Duration"] == "30"


def test_an_answer_that_starts_after_the_callee_hung_up_runs_nothing() -> None:
    """The trace plays the CallConnected answer after the script that placed the call; when
    that script outlasts the call, none of the answer's commands runs."""
    document = CALL.replace("<Speak>Calling $who</Speak>", "<Delay>10</Delay>")
    _, program = compile_source(document, "cc.xml")
    parsed = parse_scenario(
        'context = "extension"\n[outcomes]\ncall = { "102" = { outcome = "answer", talk = "4s" } }'
        '\n[urls]\n"http://app/connected.php" = "<Response><Speak>Hello</Speak></Response>"\n',
        Path("s.toml"),
    )
    done = run_scenario(parsed, program)
    assert lines(done) == [
        '10s notify Url="http://app/connected.php" NotificationName="CallConnected" -> fetched',
        "10s input -> hangup",
        "10s end -> caller-hangup",
        '10s notify Url="http://app/fin.php" NotificationName="CallChanged" -> sent',
    ]
    notify = [e for e in done.events if e.command == NOTIFY][-1]
    assert notify.detail.startswith("no answer in the scenario; due at 4s")
    assert finished(done)["Duration"] == "4"
