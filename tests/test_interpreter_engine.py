"""Engine semantics, as tables of documents and the golden trace each one must produce.

Each case is a document, a scenario (TOML, as users write it) and the expected golden lines.
Scenarios and traces go through the same code as `ozml test`, so these tables also pin the
golden-line format.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dryrun_support import instant

from ozml.catalog import Context
from ozml.interpreter import BaseExecutor, Call, ExecutorError, Outcome, Step, handles
from ozml.interpreter.engine import Engine, EngineOptions
from ozml.interpreter.fetch import Answer, ScenarioFetcher
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.interpreter.substitute import substitute
from ozml.interpreter.trace import ListSink, first_named


def dry(document: str, scenario: str = "", tmp: Path | None = None) -> list[str]:
    """The golden lines of a dry run of `document` in `scenario`."""
    base = tmp or Path("scenario.toml")
    parsed = instant(parse_scenario(scenario, base))
    _, program = compile_source(document, "doc.xml")
    return [event.golden() for event in run_scenario(parsed, program).events]


CASES: list[tuple[str, str, str, list[str]]] = [
    (
        "sequence, text content and attributes, case variants and aliases",
        '<Response><speak>Hi</speak><Play AudioFile="a.wav"/>'
        '<Forward Destination="500"/></Response>',
        "",
        [
            '0s Speak Text="Hi" -> ok',
            '0s Play AudioFile="a.wav" -> ok',
            '0s ForwardCall Destination="500" -> transferred',
            "0s end -> end-of-script",
        ],
    ),
    (
        "Var defines, later text and attributes substitute; Var values substitute too",
        '<Response><var id="who">Ann</var><Var Id="greeting">Hello $who</Var>'
        '<Speak Language="en-$who">$greeting, bye $who.</Speak></Response>',
        "",
        [
            '0s Var Id="who" Value="Ann" -> ok',
            '0s Var Id="greeting" Value="Hello Ann" -> ok',
            '0s Speak Language="en-Ann" Text="Hello Ann, bye Ann." -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "an undefined variable stays as written; a property of plain text keeps the dot",
        '<Response><Var Id="n">Ann</Var><Speak>$nobody and $n.Welcome</Speak></Response>',
        "",
        [
            '0s Var Id="n" Value="Ann" -> ok',
            '0s Speak Text="$nobody and Ann.Welcome" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "Array and ForEach with $item; $item is gone after the loop",
        '<Response><array id="a"><item>one</item><item>two</item></array>'
        '<ForEach source="a"><Speak>$item</Speak></ForEach><Speak>$item</Speak></Response>',
        "",
        [
            '0s Array Id="a" -> 2 items',
            '0s ForEach Source="a" -> 2 items',
            '0s Speak Text="one" -> ok',
            '0s Speak Text="two" -> ok',
            '0s Speak Text="$item" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "ForEach over a scenario-supplied array of items with properties ($item.prop)",
        '<Response><ForEach Source="voicemails"><Speak>From $item.from on $item.date,'
        ' $item.missing</Speak><MoveFile SourceFile="$item.message" TargetDirectory="$old"/>'
        "</ForEach></Response>",
        '[variables]\nold = "C:/old"\nvoicemails = [\n'
        '  { from = "102", date = "Monday", message = "C:/new/1.wav" },\n'
        '  { from = "103", date = 2024-01-02, message = "C:/new/2.wav" },\n]\n',
        [
            '0s ForEach Source="voicemails" -> 2 items',
            '0s Speak Text="From 102 on Monday, $item.missing" -> ok',
            '0s MoveFile SourceFile="C:/new/1.wav" TargetDirectory="C:/old" -> ok',
            '0s Speak Text="From 103 on 2024-01-02, $item.missing" -> ok',
            '0s MoveFile SourceFile="C:/new/2.wav" TargetDirectory="C:/old" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "nested ForEach: the inner $item shadows the outer one, which comes back",
        '<Response><Array Id="o"><Item>A</Item></Array><Array Id="i"><Item>x</Item>'
        '<Item>y</Item></Array><ForEach Source="o"><ForEach Source="i"><Speak>$item</Speak>'
        "</ForEach><Speak>outer $item</Speak></ForEach></Response>",
        "",
        [
            '0s Array Id="o" -> 1 items',
            '0s Array Id="i" -> 2 items',
            '0s ForEach Source="o" -> 1 items',
            '0s ForEach Source="i" -> 2 items',
            '0s Speak Text="x" -> ok',
            '0s Speak Text="y" -> ok',
            '0s Speak Text="outer A" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "ForEach over something that is not an array is skipped",
        '<Response><Var Id="s">text</Var><ForEach Source="s"><Speak>no</Speak></ForEach>'
        '<ForEach Source="none"><Speak>no</Speak></ForEach></Response>',
        "",
        [
            '0s Var Id="s" Value="text" -> ok',
            '0s ForEach Source="s" -> skipped',
            '0s ForEach Source="none" -> skipped',
            "0s end -> end-of-script",
        ],
    ),
    (
        "Delay moves the virtual clock; scenario timing gives commands a duration",
        "<Response><Speak>a</Speak><Delay>2.5</Delay><Speak>b</Speak><Delay>x</Delay>"
        "</Response>",
        "[timing]\nSpeak = 1\n",
        [
            '0s Speak Text="a" -> ok',
            '1s Delay Time="2.5" -> ok',
            '3.5s Speak Text="b" -> ok',
            '4.5s Delay Time="x" -> skipped',
            "4.5s end -> end-of-script",
        ],
    ),
    (
        "Exit ends the script",
        "<Response><Speak>a</Speak><Exit/><Speak>never</Speak></Response>",
        "",
        ['0s Speak Text="a" -> ok', "0s Exit -> exit", "0s end -> exit"],
    ),
    (
        "Hangup ends the script; Hangup of another call does not",
        '<Response><Hangup CallId="other"/><Speak>still here</Speak><Hangup/>'
        "<Speak>never</Speak></Response>",
        "",
        [
            '0s Hangup CallId="other" -> ok',
            '0s Speak Text="still here" -> ok',
            "0s Hangup -> ok",
            "0s end -> hangup",
        ],
    ),
    (
        "Reject ends the script",
        "<Response><Reject/><Speak>never</Speak></Response>",
        "",
        ["0s Reject -> ok", "0s end -> reject"],
    ),
    (
        "BlindTransfer success ends the script",
        "<Response><BlindTransfer>102</BlindTransfer><Speak>Sorry</Speak></Response>",
        "",
        ['0s BlindTransfer Target="102" -> transferred', "0s end -> transferred"],
    ),
    (
        "BlindTransfer failure continues with the next command (D9)",
        "<Response><BlindTransfer>102</BlindTransfer><Speak>Sorry</Speak></Response>",
        '[outcomes]\ntransfer = "fail"\n',
        [
            '0s BlindTransfer Target="102" -> failed',
            '0s Speak Text="Sorry" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "transfer outcomes by target, then in order, then the default",
        "<Response><BlindTransfer>7</BlindTransfer><BlindTransfer>1</BlindTransfer>"
        "<BlindTransfer>2</BlindTransfer><BlindTransfer>3</BlindTransfer></Response>",
        '[outcomes.transfer]\n"1" = "fail"\n"2" = "fail"\n"*" = "fail"\n"3" = "succeed"\n',
        [
            '0s BlindTransfer Target="7" -> failed',
            '0s BlindTransfer Target="1" -> failed',
            '0s BlindTransfer Target="2" -> failed',
            '0s BlindTransfer Target="3" -> transferred',
            "0s end -> transferred",
        ],
    ),
    (
        "Request runs OnSetup when the call is answered, OnError when it is not",
        '<Response><Request DialedAddress="102@localhost"><OnSetup><Speak>up</Speak></OnSetup>'
        '<OnError><Speak>err</Speak></OnError></Request><Request DialedAddress="103">'
        "<OnSetup><Speak>up</Speak></OnSetup><OnError><Speak>err</Speak></OnError></Request>"
        "</Response>",
        '[outcomes]\ncall = ["answer", "busy"]\n',
        [
            '0s Request DialedAddress="102@localhost" -> answered',
            '0s Speak Text="up" -> ok',
            '0s Request DialedAddress="103" -> busy',
            '0s Speak Text="err" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "ReceiveAlarmNotification runs Received with the alarm fields as variables",
        '<Response><ReceiveAlarmNotification><Received><SendMsg ToConnection="c">'
        "$account $eventname</SendMsg></Received></ReceiveAlarmNotification></Response>",
        '[alarm]\naccount = 1234\neventname = "Burglary"\n',
        [
            "0s ReceiveAlarmNotification -> received",
            '0s SendMsg ToConnection="c" Text="1234 Burglary" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "a failed alarm reception skips Received",
        "<Response><ReceiveAlarmNotification><Received><Speak>x</Speak></Received>"
        "</ReceiveAlarmNotification></Response>",
        '[outcomes]\nalarm = "fail"\n',
        ["0s ReceiveAlarmNotification -> failed", "0s end -> end-of-script"],
    ),
    (
        "HTTP-only commands are refused, unknown and misplaced elements skipped",
        "<Response><ListActiveCalls/><Foo a='1'/><Input Key='1'/><Speak>on</Speak></Response>",
        "",
        [
            "0s ListActiveCalls -> refused",
            '0s Foo a="1" -> skipped',
            '0s Input Key="1" -> skipped',
            '0s Speak Text="on" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        # DeleteFile is the one whose contexts are stated: its attributes are not parameters.
        "undocumented commands pass their attributes as written",
        '<Response><Beep tone="high"/><WaitForMsg From="x"/><DeleteFile SourceFile="a.wav"/>'
        "</Response>",
        "",
        [
            '0s Beep tone="high" -> ok',
            '0s WaitForMsg From="x" -> ok',
            '0s DeleteFile SourceFile="a.wav" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "GoTo continues with the fetched document; the rest of this one never runs",
        "<Response><Var Id='v'>kept</Var><GoTo>http://app/next</GoTo><Speak>never</Speak>"
        "</Response>",
        '[urls]\n"http://app/next" = "<Response><Speak>next $v</Speak></Response>"\n',
        [
            '0s Var Id="v" Value="kept" -> ok',
            '0s GoTo Url="http://app/next" -> fetched',
            '0s Speak Text="next kept" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        # An HTML error page is well-formed XML: its root says it is no OzML.
        "an answer whose root is not Response is no usable OzML; the legacy root is",
        "<Response><GoTo>http://app/next</GoTo><GoTo>http://app/old</GoTo></Response>",
        '[engine]\nfetch_failure = "continue"\n[urls]\n'
        '"http://app/next" = "<html><body><h1>Internal error</h1></body></html>"\n'
        '"http://app/old" = "<OzML><Speak>legacy</Speak></OzML>"\n',
        [
            '0s GoTo Url="http://app/next" -> failed',
            '0s GoTo Url="http://app/old" -> fetched',
            '0s Speak Text="legacy" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "variables can be dropped at GoTo (keep_variables = false)",
        "<Response><Var Id='v'>kept</Var><GoTo>http://app/next</GoTo></Response>",
        '[engine]\nkeep_variables = false\n[variables]\nsys = "S"\n'
        '[urls]\n"http://app/next" = "<Response><Speak>$v $sys</Speak></Response>"\n',
        [
            '0s Var Id="v" Value="kept" -> ok',
            '0s GoTo Url="http://app/next" -> fetched',
            '0s Speak Text="$v S" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "a failed GoTo fetch ends the script by default",
        "<Response><GoTo>http://app/down</GoTo><Speak>never</Speak></Response>",
        '[urls]\n"http://app/down" = { error = "connection refused" }\n',
        ['0s GoTo Url="http://app/down" -> failed', "0s end -> fetch-failed"],
    ),
    (
        "a failed GoTo fetch continues when fetch_failure = continue",
        "<Response><GoTo>http://app/none</GoTo><Speak>next</Speak></Response>",
        '[engine]\nfetch_failure = "continue"\n',
        [
            '0s GoTo Url="http://app/none" -> failed',
            '0s Speak Text="next" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "an answer that is not OzML is a failed fetch; an empty answer is an empty script",
        "<Response><GoTo>http://app/bad</GoTo><GoTo>http://app/empty</GoTo>"
        "<Speak>never</Speak></Response>",
        '[engine]\nfetch_failure = "continue"\n'
        '[urls]\n"http://app/bad" = "<Response>"\n"http://app/empty" = ""\n',
        [
            '0s GoTo Url="http://app/bad" -> failed',
            '0s GoTo Url="http://app/empty" -> fetched',
            "0s end -> end-of-script",
        ],
    ),
    (
        "a GoTo loop stops at the step limit",
        "<Response><Speak>loop</Speak><GoTo>http://app/self</GoTo></Response>",
        '[engine]\nmax_steps = 5\n[urls]\n"http://app/self" = """<Response>'
        '<Speak>loop</Speak><GoTo>http://app/self</GoTo></Response>"""\n',
        [
            '0s Speak Text="loop" -> ok',
            '0s GoTo Url="http://app/self" -> fetched',
            '0s Speak Text="loop" -> ok',
            '0s GoTo Url="http://app/self" -> fetched',
            '0s Speak Text="loop" -> ok',
            "0s end -> step-limit",
        ],
    ),
    (
        "an answered Call sends CallConnected to Url; its answer runs as a new call",
        '<Response><Call Url="http://app/connected" CallerId="3000">102</Call>'
        "<Speak>after</Speak></Response>",
        'context = "extension"\n'
        '[urls]\n"http://app/connected" = "<Response><Speak>Hi callee</Speak></Response>"\n',
        [
            '0s Call Url="http://app/connected" CallerId="3000" Dialed="102" -> answered',
            '0s Speak Text="after" -> ok',
            "0s end -> end-of-script",
            '0s notify Url="http://app/connected" NotificationName="CallConnected" -> fetched',
            '0s Speak Text="Hi callee" -> ok',
            "0s end -> end-of-script",
        ],
    ),
    (
        "a busy callee sends nothing",
        '<Response><Call Url="http://app/connected">102</Call></Response>',
        '[outcomes]\ncall = "busy"\n',
        ['0s Call Url="http://app/connected" Dialed="102" -> busy', "0s end -> end-of-script"],
    ),
    (
        "Record with FinishedUrl sends RecordCompleted with a RecordURL when it ends",
        '<Response><Record FinishedUrl="http://app/rec" Format="wav" Duration="30"/>'
        "</Response>",
        '[urls]\n"http://app/rec" = "<Response><Speak>saved</Speak></Response>"\n',
        [
            '0s Record FinishedUrl="http://app/rec" Format="wav" Duration="30"'
            " -> max-duration at 30s",
            "30s end -> end-of-script",
            '30s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
            '30s Speak Text="saved" -> ok',
            "30s end -> end-of-script",
        ],
    ),
    (
        "a Record that nothing ends: the caller is taken to hang up",
        '<Response><Record FinishedUrl="http://app/rec"/><Speak>never</Speak></Response>',
        '[urls]\n"http://app/rec" = "<Response/>"\n',
        [
            '0s Record FinishedUrl="http://app/rec" -> caller-hangup at 0s',
            "0s end -> caller-hangup",
            '0s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
            "0s end -> end-of-script",
        ],
    ),
]


@pytest.mark.parametrize(
    ("document", "scenario", "expected"),
    [pytest.param(doc, sc, exp, id=name) for name, doc, sc, exp in CASES],
)
def test_semantics(document: str, scenario: str, expected: list[str]) -> None:
    assert dry(document, scenario) == expected


def test_fetches_carry_the_notification_form() -> None:
    _, program = compile_source(
        '<Response><GoTo>http://app/a?x=1</GoTo></Response>', "doc.xml"
    )
    scenario = parse_scenario(
        '[call]\nid = "Nt3uh"\n[urls]\n"http://app/a?x=1" = "<Response/>"\n',
        Path("s.toml"),
    )
    done = run_scenario(scenario, program)
    assert [(r.url, dict(r.form)) for r in done.requests] == [
        ("http://app/a?x=1", {"NotificationName": "GoTo", "CallId": "Nt3uh"})
    ]


class Recorder(BaseExecutor):
    """A real executor that remembers every step it was given."""

    name = "recorder"

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.calls: list[tuple[str, str]] = []

    @handles("Speak", "Hangup", "BlindTransfer")
    def record(self, step: Step) -> Outcome:
        self.steps.append(step)
        return Outcome()

    def end_call(self, call: Call, ending: str) -> None:
        self.calls.append((call.call_id, ending))


@pytest.mark.parametrize(
    ("context", "hangs_up"),
    [(Context.EXTENSION, True), (Context.THREE_PCC, False), (Context.ROUTING, False),
     (Context.ANY, False)],
)
def test_end_of_script_hangs_up_only_an_extension_call(context: Context, hangs_up: bool) -> None:
    executor = Recorder()
    engine = Engine(executor)
    result = engine.run_source(
        "<Response><Speak>bye</Speak></Response>", "doc.xml", Call(context=context)
    )
    implicit = [s for s in executor.steps if s.implicit]
    assert result.ending == "end-of-script"
    assert [(s.command, dict(s.params)) for s in implicit] == (
        [("Hangup", {})] if hangs_up else []
    )
    assert executor.calls == [("call-1", "end-of-script")]


def test_executor_gets_canonical_names_and_final_values() -> None:
    executor = Recorder()
    Engine(executor).run_source(
        '<Response><Var id="t">102</Var><blindtransfer TranferorParty="caller">$t'
        "</blindtransfer></Response>",
        "doc.xml",
        Call("Nt3uh", context=Context.THREE_PCC),
    )
    step = executor.steps[0]
    assert (step.command, dict(step.params)) == (
        "BlindTransfer",
        {"TransferorParty": "caller", "Target": "102"},
    )
    assert (step.call.call_id, str(step.position)) == ("Nt3uh", "doc.xml:1:33")
    assert step.element is not None
    assert step.element.tag == "blindtransfer"


def test_commands_an_executor_does_not_handle_are_refused_in_the_trace() -> None:
    sink = ListSink()
    Engine(Recorder(), sink=sink).run_source(
        "<Response><Play>a.wav</Play><Speak>b</Speak></Response>", "doc.xml"
    )
    play = sink.events[0]
    assert (play.command, play.result, play.detail) == (
        "Play", "refused", "the recorder executor does not carry out Play"
    )
    assert sink.events[1].result == "ok"


def test_an_engine_is_reusable_and_its_step_count_is_per_run() -> None:
    engine = Engine(Recorder(), fetcher=ScenarioFetcher({"u": Answer(b"<Response/>")}),
                    options=EngineOptions(max_steps=3))
    _, program = compile_source("<Response><Speak>a</Speak><Speak>b</Speak></Response>", "d")
    assert engine.run(program).steps == 2
    assert engine.run(program).steps == 2


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("plain", {}, "plain"),
        ("$a$b", {"a": "1", "b": "2"}, "12"),
        ("$username .", {"username": "Ann"}, "Ann ."),
        ("$item.date", {"item": {"date": "Monday"}}, "Monday"),
        ("$item.a.b", {"item": {"a": {"b": "deep"}}}, "deep"),
        ("$item", {"item": {"date": "Monday"}}, "$item"),
        ("$list", {"list": ["a"]}, "$list"),
        ("cost: $5", {}, "cost: $5"),
        ("$Name", {"name": "lower"}, "$Name"),
    ],
)
def test_substitution(text: str, variables: dict[str, object], expected: str) -> None:
    assert substitute(text, variables) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("opening", "closing", "levels"),
    [
        ('<ForEach Source="a">', "</ForEach>", 250),
        ('<UserInput><Inputs><Input Key="1">', "</Input></Inputs></UserInput>", 84),
        ('<Request DialedAddress="1"><OnSetup>', "</OnSetup></Request>", 126),
    ],
    ids=["ForEach", "UserInput", "Request"],
)
def test_the_deepest_documents_the_parser_accepts_run(
    opening: str, closing: str, levels: int
) -> None:
    document = (
        '<Response><Array Id="a"><Item>x</Item></Array>'
        + opening * levels + "<Speak>deep</Speak>" + closing * levels + "</Response>"
    )
    trace = dry(document, '[input]\ndtmf = [' + ', '.join(['"1"'] * levels) + ']\n')
    assert trace[-2:] == ['0s Speak Text="deep" -> ok', "0s end -> end-of-script"]


def test_real_clock_delays_wait_and_command_durations_do_not() -> None:
    from ozml.interpreter.clock import RealClock

    clock = RealClock()
    clock.advance(3600)
    clock.sleep(0.01)
    assert 0.01 <= clock.now() < 5


class Unreachable(Recorder):
    """An executor whose PBX goes away at the second step."""

    @handles("Speak")
    def record(self, step: Step) -> Outcome:
        self.steps.append(step)
        if len(self.steps) == 2:
            raise ExecutorError("connection refused by 127.0.0.1:9509")
        return Outcome()


def test_an_executor_that_cannot_go_on_stops_the_run_with_error() -> None:
    sink = ListSink()
    result = Engine(Unreachable(), sink=sink).run_source(
        "<Response><Speak>a</Speak><Speak>b</Speak><Speak>c</Speak></Response>", "doc.xml",
        Call(context=Context.EXTENSION),
    )
    assert (result.ending, result.detail, result.ok) == (
        "error", "Speak: connection refused by 127.0.0.1:9509", False
    )
    assert [e.golden() for e in sink.events] == [
        '0s Speak Text="a" -> ok', '0s Speak Text="b" -> error', "0s end -> error"
    ]


def test_errors_when_a_call_starts_or_ends_are_errors_of_the_run() -> None:
    class Failing(Recorder):
        def start_call(self, call: Call) -> None:
            raise ExecutorError("no such call")

    result = Engine(Failing()).run_source("<Response><Speak>a</Speak></Response>", "d.xml")
    assert (result.ending, result.detail) == ("error", "no such call")

    class FailingAtEnd(Recorder):
        def end_call(self, call: Call, ending: str) -> None:
            raise ExecutorError("lost the PBX")

    result = Engine(FailingAtEnd()).run_source("<Response><Speak>a</Speak></Response>", "d.xml")
    assert (result.ending, result.detail) == ("error", "lost the PBX")


def test_a_delay_too_long_for_a_clock_says_so_not_that_it_is_no_number() -> None:
    # 400 digits are a number of seconds to the linter; float() makes it inf, which the dry
    # run skipped as "must be a number of seconds". What the linter refuses, the run refuses
    # in the linter's words.
    parsed = instant(parse_scenario("", Path("scenario.toml")))
    document = (
        f"<Response><Delay>{'9' * 400}</Delay><Delay>x</Delay><Delay>-2</Delay></Response>"
    )
    _, program = compile_source(document, "doc.xml")
    skipped = [e.detail for e in run_scenario(parsed, program).events if e.result == "skipped"]
    no_wait = "; the run does not wait (assumed)"
    assert skipped == [
        f"Delay Time of 400 digits is more seconds than a run counts{no_wait}",
        f"Delay Time must be a number of seconds such as 5 or 1.5, found 'x'{no_wait}",
        # No bound is stated: the run does not say -2 is no number, only that it assumes so.
        "Delay Time of '-2': the vendor gives Time as a number and states no bound; that it is"
        f" at least 0 is assumed{no_wait}",
    ]


def test_a_menu_timeout_no_run_can_wait_is_said_in_the_trace() -> None:
    """A Timeout that is not a number (the linter reports it), or one past what a clock counts
    (valid all the same), is run as no wait, and the menu's first event says so: a dry run does
    not wait 0 s in silence where the PBX would wait otherwise."""
    parsed = instant(parse_scenario('[input]\ndtmf = ["timeout", "timeout"]\n', Path("s.toml")))
    menus: list[list[tuple[str, str]]] = []
    for timeout in ("soon", "9" * 400, "3", "-1"):
        document = (
            f'<Response><UserInput Timeout="{timeout}" Repeat="true"><Inputs>'
            '<Input Key="1"><Hangup/></Input></Inputs></UserInput></Response>'
        )
        _, program = compile_source(document, "doc.xml")
        events = run_scenario(parsed, program).events
        menus.append([(e.result, e.detail) for e in events if e.command == "UserInput"])
    waits_0 = "; the menu waits 0 s instead (assumed)"
    assert menus[0][:2] == [
        # In the linter's words (`values.check`): Timeout is a whole number of seconds.
        ("menu", f"UserInput Timeout must be a whole number, found 'soon'{waits_0}"),
        ("repeat", ""),
    ]
    assert menus[1][0] == (
        "menu",
        f"UserInput Timeout of 400 digits is more seconds than a run counts{waits_0}",
    )
    assert menus[2][:2] == [("menu", ""), ("repeat", "")]  # a Timeout a run waits: nothing said
    assert menus[3][0] == (
        "menu",
        "UserInput Timeout of '-1': the vendor gives Timeout as a number and states no bound;"
        f" that it is at least 0 is assumed{waits_0}",
    )


def test_text_in_a_command_that_takes_none_is_ignored_and_the_trace_says_it_is_assumed() -> None:
    """`<Hangup>now</Hangup>`: no parameter of Hangup is written as text (OZ105), and what a PBX
    does with the text is not documented. The engine runs the command without it (never as a
    parameter) and says on the command's line that this is assumed; golden lines, which carry
    no detail, do not change."""
    parsed = instant(parse_scenario("", Path("scenario.toml")))
    document = (
        "<Response><Speak>Hi</Speak><Array Id='a'>junk<Item>x</Item></Array>"
        "<ForwardCall>102</ForwardCall><Hangup>now</Hangup></Response>"
    )
    _, program = compile_source(document, "doc.xml")
    events = run_scenario(parsed, program).events
    shown = {e.command: (dict(e.params), e.detail) for e in events}
    assert shown["Speak"] == ({"Text": "Hi"}, "")  # Speak's text is its Text
    assert shown["Array"] == ({"Id": "a"}, ignored_note("Array", "junk"))
    assert shown["ForwardCall"] == (
        {},
        "no Destination to transfer to: assumed to fail (the vendor does not say); the script"
        " goes on (assumed: the vendor does not say); " + ignored_note("ForwardCall", "102"),
    )
    assert shown["Hangup"] == ({}, ignored_note("Hangup", "now"))
    assert [e.golden() for e in events][-2:] == ["0s Hangup -> ok", "0s end -> hangup"]
    executor = Recorder()
    Engine(executor).run_source("<Response><Hangup>x</Hangup></Response>", "doc.xml")
    assert [(s.command, dict(s.params)) for s in executor.steps] == [("Hangup", {})]


def test_child_elements_of_a_command_shown_without_any_are_not_run_and_the_trace_says_so() -> None:
    """`<Speak>x<Play>a.wav</Play></Speak>`: the vendor shows no child elements in Speak, and
    whether it takes any is UNKNOWN (spec §2; child-not-allowed only warns, so `ozml run` runs
    the script). The engine does not run them, and says on the command's line that this is
    assumed; they were dropped without a word."""
    parsed = instant(parse_scenario("", Path("scenario.toml")))
    document = (
        "<Response><Speak>x<Play>a.wav</Play></Speak><Call>100<Speak>y</Speak><Hangup/></Call>"
        "<Hangup>now<Speak>z</Speak></Hangup></Response>"
    )
    _, program = compile_source(document, "doc.xml")
    events = run_scenario(parsed, program).events
    shown = [(e.command, e.detail) for e in events]
    assert shown[0] == ("Speak", unrun_note("Speak", "Play"))
    assert shown[1][0] == "Call"
    assert shown[1][1].endswith("; " + unrun_note("Call", "Speak, Hangup"))
    assert shown[2] == (
        "Hangup", ignored_note("Hangup", "now") + "; " + unrun_note("Hangup", "Speak")
    )
    assert [e.command for e in events] == ["Speak", "Call", "Hangup", "end"]
    executor = Recorder()
    Engine(executor).run_source("<Response><Speak>x<Play>a.wav</Play></Speak></Response>", "d")
    assert [s.command for s in executor.steps] == ["Speak"]


def test_the_trace_names_the_first_of_a_list_then_how_many_more() -> None:
    assert first_named([], 3) == ""
    assert first_named(["A"], 3) == "A"
    assert first_named(["A", "B", "C"], 3) == "A, B, C"
    assert first_named(["A", "B", "C", "D", "E"], 3) == "A, B, C and 2 more"


def test_the_child_elements_not_run_are_named_as_the_attributes_left_out_are() -> None:
    """The first three, then how many more: the words of `left_out`'s list of attributes
    (tests/test_run_left_out.py), one helper for both (`first_named`, which also words the
    URL map's files and the references a URL keeps)."""
    parsed = instant(parse_scenario("", Path("scenario.toml")))
    document = (
        "<Response><Speak>x<Play>a.wav</Play><Beep/><Hangup/><Delay Time='1'/>"
        "<Play>b.wav</Play></Speak></Response>"
    )
    _, program = compile_source(document, "doc.xml")
    events = run_scenario(parsed, program).events
    assert (events[0].command, events[0].detail) == (
        "Speak", unrun_note("Speak", "Play, Beep, Hangup and 2 more")
    )
def unrun_note(command: str, children: str) -> str:
    noun = "elements" if "," in children else "element"
    verb = "are" if "," in children else "is"
    return (
        f"its child {noun} {children} {verb} not run (assumed: the vendor does not say what"
        f" {command} does with child elements)"
    )


def ignored_note(command: str, text: str) -> str:
    return (
        f"its text {text!r} is ignored (assumed: the vendor does not say what {command} does"
        " with element text)"
    )


def test_a_name_read_in_another_letter_case_says_that_is_assumed() -> None:
    """Variable names are compared ignoring letter case (spec §1: UNKNOWN): where that decides
    a value the step's line says it is assumed, and only there."""
    from ozml.interpreter.dryrun import DryRunExecutor
    from ozml.interpreter.trace import ListSink

    sink = ListSink()
    Engine(DryRunExecutor(), sink=sink).run_source(
        '<Response><Var Id="name">Ann</Var><Speak>Hi $Name</Speak><Speak>Hi $name</Speak>'
        "</Response>",
        "case.xml",
    )
    first, second = [e for e in sink.events if e.command == "Speak"]
    assert first.params["Text"] == "Hi Ann"
    assert (
        "$Name reads the variable name (variable names are compared ignoring letter case;"
        " assumed: the vendor does not say, spec §1)"
    ) in first.detail
    assert "letter case" not in second.detail


def test_a_key_pressed_before_the_menu_says_keeping_it_is_assumed() -> None:
    """A key pressed outside a menu is kept for the next one (assumed: a PBX may drop it);
    the line it decides says so: the prompt it interrupts."""
    scenario = parse_scenario('[input]\ndtmf = [{at = "1s", keys = "1"}]\n', Path("s.toml"))
    _, program = compile_source(
        '<Response><Speak>Hello and welcome to the company</Speak><UserInput Timeout="5">'
        "<InitialCommands><Speak>Press one</Speak></InitialCommands><Inputs>"
        '<Input Key="1"><Speak>one</Speak></Input></Inputs></UserInput></Response>',
        "ta.xml",
    )
    events = run_scenario(scenario, program).events
    noted = [e for e in events if "before the menu: kept for it (assumed" in e.detail]
    assert [(e.command, e.result) for e in noted] == [("Speak", "interrupted")]
    assert noted[0].params["Text"] == "Press one"


def test_a_variable_kept_across_goto_says_keeping_it_is_assumed() -> None:
    scenario = parse_scenario(
        '[urls]\n"http://app/next.php" = """<Response><Speak>Bye $who</Speak>'
        '<Var Id="who">Bob</Var><Speak>Bye $who</Speak></Response>"""\n',
        Path("s.toml"),
    )
    _, program = compile_source(
        '<Response><Var Id="who">Ann</Var><GoTo>http://app/next.php</GoTo></Response>', "g.xml"
    )
    speaks = [e for e in run_scenario(scenario, program).events if e.command == "Speak"]
    assert [e.params["Text"] for e in speaks] == ["Bye Ann", "Bye Bob"]
    assert "$who kept from the document before the GoTo (keep_variables = true, assumed" in (
        speaks[0].detail
    )
    assert "keep_variables" not in speaks[1].detail
