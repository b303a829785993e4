"""A parameter the PBX honours only in some contexts is ignored by a run where the linter says
it is ignored (parameter-not-in-context, OZ602): the engine hands its executor the command
without it, and the trace says so and why. So does what follows a Hangup whose CallId is
ignored: the current call is hung up, and the linter's unreachable-command, the flow graph, the
dry run and the simulator all take the script to end there.

A live run is not a PBX running OzML: it sends every parameter, as the HTTP API takes them.
And a command the linter says is not valid in the context (command-not-in-context, OZ601) is
run all the same when forced, its line saying that what a PBX does with it there is assumed
(none of that on a live run, whose requests are the HTTP API's).

The facts come from one table (`ozml.catalog.contextual.CONTEXT_FACTS`); `contextual.ignored`
and `contextual.outside` are the answers all of these read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dryrun_support import instant
from simulator_support import calls_config, simulator
from test_api_executor import queries, run_live
from test_simulator_calls import App, wait_for
from test_simulator_inbound import _config, _ended, _ring

from ozml.catalog import COMMANDS, Command, Context, Param
from ozml.catalog.contextual import ignored, outside
from ozml.flow.model import Shape, build
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.interpreter.trace import TraceEvent
from ozml.lint import LintSettings, lint
from ozml.parser import parse
from ozml.simulator import Simulator, load_config


def _run(document: str, context: Context) -> list[TraceEvent]:
    scenario = instant(parse_scenario(f'context = "{context.value}"\n', Path("s.toml")))
    _, program = compile_source(document, "doc.xml")
    return list(run_scenario(scenario, program).events)


def _value(param: Param) -> str:
    return param.example or (param.values[0] if param.values else "7")


def _cases() -> list[tuple[Command, Param, Context]]:
    return [
        (cmd, param, context)
        for cmd in COMMANDS
        for param in cmd.params
        if param.only_in
        for context in Context.concrete()
        if not outside(cmd, context)
    ]


CASES = _cases()


def test_every_parameter_used_only_in_some_contexts_is_covered() -> None:
    named = {(cmd.name, param.name) for cmd, param, _ in CASES}
    assert {("Hangup", "CallId"), ("Record", "Duration"), ("Speak", "Party"),
            ("BlindTransfer", "TransferorParty")} <= named  # fmt: skip
    ignored_somewhere = {(c.name, p.name) for c, p, ctx in CASES if ignored(c, p, ctx)}
    assert ignored_somewhere == named


@pytest.mark.parametrize(
    ("cmd", "param", "context"), CASES,
    ids=[f"{c.name}-{p.name}-{ctx.value}" for c, p, ctx in CASES],
)  # fmt: skip
def test_the_run_ignores_what_the_linter_says_is_ignored(
    cmd: Command, param: Param, context: Context
) -> None:
    value = _value(param)
    document = f'<Response><{cmd.name} {param.name}="{value}"/></Response>'
    found = lint(document, settings=LintSettings(context=context))
    reported = any(d.code == "OZ602" and f" {param.name} is ignored" in d.message for d in found)
    [event] = [e for e in _run(document, context) if e.command == cmd.name]
    shown = repr(value if len(value) <= 30 else value[:27] + "...")
    said = f"its {param.name} {shown} is ignored: {cmd.name}'s {param.name} is used only in"
    assert reported is ignored(cmd, param, context)
    assert (param.name not in event.params) is reported
    assert (said in event.detail) is reported
    if reported:
        assert param.only.keys in event.detail  # a stated fact: its source, no "assumed"
        assert "assumed" not in event.detail.split(said, 1)[1].split(";")[0]


EXTENSION_HANGUP = '<Response><Hangup CallId="c9"/><Speak>After</Speak></Response>'


@pytest.mark.parametrize(
    ("context", "ends"),
    [(Context.EXTENSION, True), (Context.THREE_PCC, False), (Context.ANY, False)],
)
def test_a_hangup_whose_call_id_is_ignored_ends_the_script_everywhere(
    context: Context, ends: bool
) -> None:
    """In an extension script a Hangup's CallId is ignored [oz4689]: the current call is hung
    up. In a 3pcc script it names another call, and in ``any`` it may: the script goes on."""
    lines = [e.golden() for e in _run(EXTENSION_HANGUP, context)]
    if ends:
        assert lines == ["0s Hangup -> ok", "0s end -> hangup"]
    else:
        assert lines == ['0s Hangup CallId="c9" -> ok', '0s Speak Text="After" -> ok',
                         "0s end -> end-of-script"]  # fmt: skip
    found = lint(EXTENSION_HANGUP, settings=LintSettings(context=context))
    assert any(d.code == "OZ402" for d in found) is ends
    flow = build(parse(EXTENSION_HANGUP).document.root, "doc.xml", context)
    [hangup] = [n for n in flow.nodes if n.lines[0].startswith("Hangup")]
    assert (hangup.shape is Shape.STOP) is ends


def test_the_simulator_hangs_up_the_current_call_in_an_extension_script(
    tmp_path: Path, app: App
) -> None:
    """An incoming call's script (extension control) whose Hangup names another call in
    progress: the PBX ignores the CallId, so the incoming call is hung up and the other call
    goes on, as the dry run traces it."""
    app.answer("/incoming", '<Response><Hangup CallId="c9"/><Speak>After</Speak></Response>')
    extra = '[[calls]]\nid = "c9"\ncaller = "101"\ncallee = "102"\nstate = "InCall"\n'
    with Simulator(load_config(_config(tmp_path, app, extra)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000")
        call = _ended(sim, placed["CallId"])
        other = wait_for(lambda: sim.board.find("c9"))
        assert other.active
    assert not any("Speak" in line for line in call.events), call.events


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


LIVE = calls_config(("Live1", "100", "102", "InCall"), ("c9", "100", "102", "InCall"))


def test_a_live_run_sends_every_parameter_as_the_http_api_takes_them(tmp_path: Path) -> None:
    """`ozml run --live` sends each step as an HTTP API request, where the PBX takes CallId and
    Party whatever the script's context (`HttpExecutor.runs_ozml` is False): an extension
    script's Hangup CallId="c9" hangs c9 up, and the script goes on."""
    with simulator(LIVE, tmp_path) as sim:
        done = run_live(sim.url, tmp_path, EXTENSION_HANGUP)
        assert done.returncode == 0, done.stdout + done.stderr
        assert queries(sim) == [
            "command=Hangup&CallId=c9",
            "command=Speak&Text=After&CallId=Live1",
            "command=Hangup&CallId=Live1",  # the end of an extension script hangs up (D9)
        ]
        assert "is ignored" not in done.stdout


def _placed() -> list[tuple[Command, Context]]:
    return [
        (cmd, context)
        for cmd in COMMANDS
        if cmd.in_ozml and cmd.context_known and cmd.contexts
        for context in Context.concrete()
    ]


PLACED = _placed()


@pytest.mark.parametrize(
    ("cmd", "context"), PLACED, ids=[f"{c.name}-{ctx.value}" for c, ctx in PLACED]
)
def test_a_command_the_linter_says_is_not_valid_in_the_context_is_run_as_assumed(
    cmd: Command, context: Context
) -> None:
    """command-not-in-context (OZ601) and the run answer "may this context use it?" once
    (`contextual.outside`): where the linter reports the command, the run carries it out and
    says that what a PBX does with it there is not stated."""
    document = f"<Response><{cmd.name}/></Response>"
    found = lint(document, settings=LintSettings(context=context))
    reported = any(d.code == "OZ601" for d in found)
    events = [e for e in _run(document, context) if e.command == cmd.name]
    said = "script is not stated: it is run as written (assumed)"
    assert reported is outside(cmd, context)
    assert events
    assert (said in events[0].detail) is reported, events[0].detail
    if reported:
        assert f"{cmd.name} is used in {Context.listed(cmd.contexts, ' or ')} scripts" in (
            events[0].detail
        )


def test_a_live_run_does_not_say_it_for_the_http_api(tmp_path: Path) -> None:
    """The HTTP API has no contexts: a live run sends Unhold in an extension script as it
    sends it anywhere, and says nothing of the script's context."""
    with simulator(LIVE, tmp_path) as sim:
        done = run_live(sim.url, tmp_path, '<Response><Unhold/></Response>', "--force")
        assert "not stated" not in done.stdout, done.stdout
        assert queries(sim)[0] == "command=Unhold&CallId=Live1"
