"""The new scenario keys (timed input, hang-up, outcomes with timing, [timing] durations,
[media], [record], [notifications]) and their mistakes: each names the file, the key and what
was expected, never a traceback; and ``ozml run --dtmf 1@3s --hangup-at 12s``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml.callmodel.outcomes import Planned, Ring
from ozml.callmodel.timeline import KeyEvent
from ozml.cli import main
from ozml.interpreter.dryrun import Plan, _why
from ozml.interpreter.scenario import ScenarioError, command_line_input, parse_scenario


def test_the_new_keys_are_read() -> None:
    s = parse_scenario(
        '[input]\ndtmf = [{at = "3s", keys = "1"}, {at = 1.5, keys = "*#"}]\nhangup = "1m"\n'
        '[outcomes]\ntransfer = {"2000" = {outcome = "busy", after = "5s"}, "*" = "no-answer"}\n'
        'route = [{after = 2}, "not-found"]\nsms = "failed"\n'
        '[timing]\nseconds_per_word = 0.5\nring_time = "30s"\nSpeak = "2s"\n'
        '[media]\n"hello.wav" = "12s"\n[record]\nsilence_at = "20s"\n'
        '[notifications]\nFinished = "CallFinished"\n',
        Path("s.toml"),
    )
    assert (s.keys, s.timed, s.hangup) == ((KeyEvent(3, "1"), KeyEvent(1.5, "*#")), True, 60)
    config = s.dry_run
    assert config.transfer == Plan(
        Planned(Ring.ANSWER),
        by_target={"2000": Planned(Ring.BUSY, 5.0), "*": Planned(Ring.NO_ANSWER)},
    )
    assert config.route.sequence == (Planned(Ring.ANSWER, 2.0), Planned(Ring.NOT_FOUND))
    assert config.sms == Plan(False)
    assert (config.durations.seconds_per_word, config.durations.ring_time) == (0.5, 30.0)
    assert config.timing == {"Speak": 2.0}
    assert (config.media, config.silence_at) == ({"hello.wav": 12.0}, 20.0)
    assert config.names.name("Finished") == "CallFinished"


BAD = [
    ("[input]\ndtmf = [{at = '3s'}]",
     's.toml:2:9: input.dtmf[0]: expected a table with at and keys, e.g. {at = "3s", keys = "1"}'),
    ("[input]\ndtmf = [{at = '3s', keys = '1', key = '2'}]",
     "s.toml:2:33: input.dtmf[0].key: unknown key in [input.dtmf[0]] (expected one of: at, keys);"
     " did you mean 'keys'?"),
    ("[input]\ndtmf = [{at = 'soon', keys = '1'}]",
     "s.toml:2:15: input.dtmf[0].at: expected a time such as \"3s\", \"1m30s\" or \"250ms\","
     " found 'soon'"),
    ("[input]\ndtmf = [{at = -1, keys = '1'}]",
     "s.toml:2:15: input.dtmf[0].at: expected a time from 0 to 86400 seconds, found -1"),
    ("[input]\ndtmf = [{at = 1, keys = 'x'}]",
     "s.toml:2:25: input.dtmf[0].keys: expected DTMF keys (0-9, *, #, A-D), found 'x'"),
    ("[input]\ndtmf = ['1', {at = 1, keys = '2'}]",
     "s.toml:2:14: input.dtmf[1]: expected a string like the other entries (write every entry as"
     " {at, keys}, or every one as a string)"),
    ("[input]\nhangup = true",
     's.toml:2:10: input.hangup: expected a time such as 3 or "3s", found True'),
    ("[outcomes]\ncall = {'1' = {outcome = 'answer', delay = '3s'}}",
     "s.toml:2:36: outcomes.call.1.delay: unknown key in [outcomes.call.1] (expected one of:"
     " outcome, after, talk)"),
    ("[outcomes]\ncall = {'1' = {outcome = 'maybe'}}",
     "s.toml:2:26: outcomes.call.1.outcome: expected one of answer, busy, no-answer, not-found,"
     " failed, succeed, fail, error, found a string ('maybe')"),
    ("[outcomes]\nsms = 'lost'",
     "s.toml:2:7: outcomes.sms: expected one of delivered, failed, found a string ('lost')"),
    ("[timing]\nring_time = 'long'",
     "s.toml:2:13: timing.ring_time: expected a time such as \"3s\", \"1m30s\" or \"250ms\","
     " found 'long'"),
    ("[media]\n'a.wav' = []",
     "s.toml:2:11: media.'a.wav': expected a time such as 3 or \"3s\", found []"),
    ("[record]\nsilence = 3",
     "s.toml:2:1: record.silence: unknown key in [record] (expected one of: silence_at);"
     " did you mean 'silence_at'?"),
    ("[notifications]\nFinish = 'X'",
     "s.toml:2:1: notifications.Finish: no notification called 'Finish' (expected one of:"
     " RoutingInterception, CallChanged, IncomingCall, CallConnected, DtmfEntered,"
     " RecordCompleted, SMSDeliveryReport, IncomingSMS, GoTo, Error, Finished, AlarmResult);"
     " did you mean 'Finished'?"),
    ("[notifications]\nError = ''",
     "s.toml:2:9: notifications.Error: expected a NotificationName, found an empty string"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(": ")[1] for _, m in BAD])
def test_mistakes_name_the_file_the_key_and_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, Path("s.toml"))
    assert str(caught.value) == message


def test_the_command_line_input_forms() -> None:
    assert command_line_input("1@3s,hangup@12s,#9@4.5") == {
        "inputs": (), "timed": True, "hangup": 12.0,
        "keys": (KeyEvent(3.0, "1"), KeyEvent(4.5, "#9")),
    }
    assert command_line_input("1,timeout")["timed"] is False
    with pytest.raises(ValueError, match="'2' has no time"):
        command_line_input("1@3s,2")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dtmf", "1@soon"], "ozml: error: --dtmf: '1@soon': expected a time such as"),
        (["--hangup-at", "x"], "ozml: error: --hangup-at: expected a time such as"),
        (["--dtmf", "q"], "ozml: error: --dtmf: expected DTMF keys"),
    ],
)
def test_bad_command_line_input_exits_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "s.xml"
    script.write_text("<Response><Speak>hi</Speak></Response>")
    assert main(["run", str(script), *args]) == 2
    assert capsys.readouterr().err.startswith(message)


def test_timed_input_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "m.xml"
    script.write_text(
        '<Response><UserInput Timeout="5"><InitialCommands><Speak>a b c d e f</Speak>'
        '</InitialCommands><Inputs><Input Key="1"><Speak>one</Speak></Input></Inputs>'
        "</UserInput><Delay>60</Delay></Response>"
    )
    assert main(["run", str(script), "--dtmf", "1@1s", "--hangup-at", "20s",
                 "--format", "expect"]) == 0
    assert capsys.readouterr().out.splitlines()[3:-1] == [
        "    '0s UserInput Timeout=\"5\" -> menu',",
        "    '0s Speak Text=\"a b c d e f\" -> interrupted at 1s',",
        "    '1s input Digits=\"1\" -> matched',",
        "    '1s Speak Text=\"one\" -> ok',",
        "    '1.4s Delay Time=\"60\" -> caller-hangup at 20s',",
        "    '20s end -> caller-hangup',",
    ]


def test_the_pages_full_scenario_runs_as_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/dry-run.md's scenario with every key is a real one: where the page puts it, next
    to the examples, it passes (its expectation has no pretend wildcards)."""
    import re
    import shutil

    repo = Path(__file__).resolve().parent.parent
    page = (repo / "docs" / "dry-run.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- file: (examples/everything\.scenario\.toml) -->\n```toml\n(.*?)^```$",
        page, re.S | re.M,
    )
    assert found is not None
    name, text = found.groups()
    assert "..." not in text.partition("[expect]")[2].replace("# or trace", "")
    shutil.copytree(repo / "examples", tmp_path / "examples")
    (tmp_path / name).write_text(text, encoding="utf-8")
    code = main(["test", str(tmp_path / name)])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert out.splitlines()[0] == f"{tmp_path / name} ."


@pytest.mark.parametrize(
    ("word", "detail"),
    [
        ("busy", "the scenario makes this busy"),
        ("no-answer", "the scenario makes this go unanswered"),
        ("not-found", "the scenario makes this an unknown number"),
        ("failed", "the scenario makes this fail"),
        ("fail", "the scenario makes this fail"),
    ],
)
def test_a_planned_outcome_says_why_in_a_sentence(
    word: str, detail: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The detail of a ringing the scenario makes end otherwise than answered reads as English
    for every outcome (not "makes this no-answer"), for a transfer, a call and a route."""
    import json

    script = tmp_path / "r.xml"
    script.write_text(
        '<Response><BlindTransfer Target="102"/><Call Dialed="103"/>'
        '<Route Destination="104"/></Response>'
    )
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        f'script = "r.xml"\n[outcomes]\ntransfer = "{word}"\ncall = "{word}"\n'
        f'route = "{word}"\n'
    )
    assert main(["run", "--scenario", str(scenario), "--format", "json", "--force"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rang = [e for e in events if e["command"] in ("BlindTransfer", "Call", "Route")]
    # Call's detail goes on to say that the script does not wait for the call (assumed).
    at_once = "; the script goes on at once (assumed: the placed call rings on its own)"
    # An unanswered ringing lasts the ring time: Route's 90 s is the vendor's, the others'
    # ozml's (tests/test_certainty_audit.py).
    rings = "; it rings for ring_time = 90 s (assumed)" if word == "no-answer" else ""
    assert [e["detail"] for e in rang] == [detail + rings, detail + rings + at_once, detail]
    # Every outcome but answer has its sentence.
    assert all(ring.answered or _why(ring) for ring in Ring)
