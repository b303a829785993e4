"""When the answer to a notification about a call runs: `notification_answers`.

RecordCompleted falls due when a voicemail Record ends; when the script then has no more
commands, the call is still up. "before-hangup" (the default, assumed) runs the answer on the
call before the end-of-script hangup (D9); "after-script" hangs up first. The vendor does not
say which (spec §5.1, §7.12): both are one definition in the engine, shared by the dry run,
`ozml test --app` and the simulator.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from ozml.catalog import Context
from ozml.interpreter import BaseExecutor, Call, Outcome, Step, handles
from ozml.interpreter.engine import (
    AFTER_SCRIPT,
    BEFORE_HANGUP,
    Engine,
    EngineOptions,
)
from ozml.interpreter.executor import Notification
from ozml.interpreter.fetch import Answer, ScenarioFetcher
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import ScenarioError, parse_scenario
from ozml.interpreter.trace import ListSink

VOICEMAIL = (
    '<Response><Speak>Leave a message</Speak>'
    '<Record FinishDigits="#" FinishedUrl="http://app/rec"/></Response>'
)
GOODBYE = b"<Response><Speak>Thank you. Goodbye.</Speak><Hangup/></Response>"


class Line(BaseExecutor):
    """One phone line: knows whether the call is up, and what each step found."""

    name = "line"

    def __init__(self) -> None:
        self.up = True
        self.steps: list[tuple[str, bool, bool]] = []

    @handles("Speak")
    def speak(self, step: Step) -> Outcome:
        self.steps.append((step.command, step.implicit, self.up))
        return Outcome(duration=1.0) if self.up else Outcome(ok=False, result="failed")

    @handles("Hangup")
    def hangup(self, step: Step) -> Outcome:
        self.steps.append((step.command, step.implicit, self.up))
        self.up = False
        return Outcome()

    @handles("Record")
    def record(self, step: Step) -> Outcome:
        self.steps.append((step.command, step.implicit, self.up))
        sent = Notification(
            step.params["FinishedUrl"], "RecordCompleted",
            attrs.evolve(step.call, notification="RecordCompleted", params={}),
        )
        return Outcome(result="max-duration", duration=5.0, notifications=(sent,), show_end=True)


def run(document: str, answers: str, answer: bytes | None = GOODBYE) -> tuple[Line, ListSink]:
    line = Line()
    sink = ListSink()
    table = {} if answer is None else {"http://app/rec": Answer(answer)}
    engine = Engine(
        line, fetcher=ScenarioFetcher(table), sink=sink,
        options=EngineOptions(notification_answers=answers),
    )
    engine.run_source(document, "vm.xml", Call(context=Context.EXTENSION))
    return line, sink


def test_before_hangup_runs_the_answer_on_the_call_that_is_still_up() -> None:
    line, sink = run(VOICEMAIL, BEFORE_HANGUP)
    # No implicit Hangup before the answer: its Speak finds the call up, its Hangup ends it.
    assert line.steps == [
        ("Speak", False, True),
        ("Record", False, True),
        ("Speak", False, True),
        ("Hangup", False, True),
    ]
    assert [e.golden() for e in sink.events] == [
        '0s Speak Text="Leave a message" -> ok',
        '1s Record FinishDigits="#" FinishedUrl="http://app/rec" -> max-duration at 6s',
        "6s end -> end-of-script",
        '6s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
        '6s Speak Text="Thank you. Goodbye." -> ok',
        "7s Hangup -> ok",
        "7s end -> hangup",
    ]
    end, notify = sink.events[2], sink.events[3]
    assert end.detail == (
        "no more commands; the call stays up for the answer to RecordCompleted (assumed)"
    )
    assert "its answer runs before the end-of-script hangup" in notify.detail
    assert "notification_answers = before-hangup, assumed" in notify.detail


def test_after_script_hangs_up_first_and_the_answer_finds_the_call_ended() -> None:
    line, sink = run(VOICEMAIL, AFTER_SCRIPT)
    assert line.steps == [
        ("Speak", False, True),
        ("Record", False, True),
        ("Hangup", True, True),  # the end of the script (D9)
        ("Speak", False, False),
        ("Hangup", False, False),
    ]
    assert [e.golden() for e in sink.events][2:] == [
        "6s end -> end-of-script",
        '6s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
        '6s Speak Text="Thank you. Goodbye." -> failed',
        "6s Hangup -> ok",
        "6s end -> hangup",
    ]
    assert sink.events[2].detail == "no more commands; the call is hung up (D9)"


def test_an_answer_that_does_not_come_leaves_the_end_of_script_hangup() -> None:
    line, sink = run(VOICEMAIL, BEFORE_HANGUP, answer=None)
    assert line.steps[-1] == ("Hangup", True, True)
    assert [(e.golden(), e.detail.split(";")[0]) for e in sink.events][2:] == [
        ("6s end -> end-of-script", "no more commands"),
        ('6s notify Url="http://app/rec" NotificationName="RecordCompleted" -> failed',
         "the scenario has no answer for http://app/rec"),
    ]
    assert "the call is hung up (D9)" in sink.events[2].detail


def test_an_explicit_hangup_after_the_recording_still_comes_first() -> None:
    """Only the implicit end-of-script hangup waits: a script that hangs up itself ends the
    call, and the answer runs afterwards, as before."""
    document = VOICEMAIL.replace("</Response>", "<Hangup/></Response>")
    line, sink = run(document, BEFORE_HANGUP)
    assert line.steps[2:] == [
        ("Hangup", False, True), ("Speak", False, False), ("Hangup", False, False),
    ]
    assert [e.golden() for e in sink.events][2:5] == [
        "6s Hangup -> ok",
        "6s end -> hangup",
        '6s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
    ]


def test_the_answer_runs_with_the_callers_timeline_and_the_first_answer_only() -> None:
    """Two recordings: the first answer that comes runs on the call (it hangs up); the other
    notification stays queued and runs after, on the ended call. The caller's keys after the
    script's end reach the answer's menu."""
    scenario = parse_scenario(
        '[input]\ndtmf = [{at = "2s", keys = "#"}, {at = "4s", keys = "#"}, '
        '{at = "5s", keys = "1"}]\n'
        '[urls]\n"http://app/rec" = """<Response><UserInput Timeout="5">'
        '<Inputs><Input Key="1"><Speak>one</Speak></Input></Inputs></UserInput></Response>"""\n'
        '"http://app/two" = "<Response/>"\n',
        Path("s.toml"),
    )
    _, program = compile_source(
        '<Response><Record FinishDigits="#" FinishedUrl="http://app/rec"/>'
        '<Record FinishDigits="#" FinishedUrl="http://app/two"/></Response>',
        "vm.xml",
    )
    done = run_scenario(scenario, program)
    assert [e.golden() for e in done.events] == [
        '0s Record FinishDigits="#" FinishedUrl="http://app/rec" -> finish-key at 2s',
        '2s Record FinishDigits="#" FinishedUrl="http://app/two" -> finish-key at 4s',
        "4s end -> end-of-script",
        '4s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
        '4s UserInput Timeout="5" -> menu',
        '5s input Digits="1" -> matched',
        '5s Speak Text="one" -> ok',
        "5.4s end -> end-of-script",
        '5.4s notify Url="http://app/two" NotificationName="RecordCompleted" -> fetched',
        "5.4s end -> end-of-script",
    ]
    assert [c.ending for c in done.result.calls] == ["end-of-script"] * 3


@pytest.mark.parametrize(("written", "expected"), [
    ("", BEFORE_HANGUP),
    ('notification_answers = "before-hangup"', BEFORE_HANGUP),
    ('notification_answers = "after-script"', AFTER_SCRIPT),
])
def test_the_scenario_chooses(written: str, expected: str) -> None:
    scenario = parse_scenario(f"[engine]\n{written}\n", Path("s.toml"))
    assert scenario.options.notification_answers == expected


def test_the_scenario_refuses_another_word() -> None:
    with pytest.raises(ScenarioError, match=r"notification_answers.*before-hangup or after-script"):
        parse_scenario('[engine]\nnotification_answers = "never"\n', Path("s.toml"))


def test_a_dry_run_scenario_runs_the_answer_before_the_hangup_or_after() -> None:
    _, program = compile_source(VOICEMAIL, "vm.xml")
    base = (
        'context = "extension"\n[input]\ndtmf = [{at = "5s", keys = "#"}]\n'
        '[urls]\n"http://app/rec" = "<Response><Speak>bye</Speak></Response>"\n'
    )
    for answers, hung_up_at_end in ((BEFORE_HANGUP, False), (AFTER_SCRIPT, True)):
        scenario = parse_scenario(
            f'{base}[engine]\nnotification_answers = "{answers}"\n', Path("s.toml")
        )
        done = run_scenario(scenario, program)
        first_end = next(e for e in done.events if e.command == "end")
        assert ("(D9)" in first_end.detail) is hung_up_at_end
        assert [e.golden() for e in done.events][-3:] == [
            '5s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
            '5s Speak Text="bye" -> ok',
            "5.4s end -> end-of-script",
        ]
