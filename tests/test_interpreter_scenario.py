"""Scenario files: every key is read and checked; mistakes name the file, the key and what was
expected. And the [expect] comparison with its readable diff."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from dryrun_support import instant

from ozml.callmodel.outcomes import Planned, Ring
from ozml.callmodel.timing import DEFAULT_TIMING
from ozml.catalog import Context
from ozml.interpreter.dryrun import Plan
from ozml.interpreter.engine import CallResult, RunResult
from ozml.interpreter.expect import Expectation, compare, expect_section, toml_string
from ozml.interpreter.fetch import Answer
from ozml.interpreter.inputs import HANGUP, TIMEOUT, Entry
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import ScenarioError, load_scenario, parse_scenario

FULL = """
script = "menu.xml"
description = "a caller picks sales, the transfer fails"
context = "extension"
force = true

[call]
id = "Nt3uh"
caller = "+3620555"
callee = 1000
notification = "IncomingCall"
params = { CallerID = "Ann", Extra = 5 }

[variables]
username = "Ann"
count = 3
flag = true
voicemails = [{ from = "102", date = 2024-05-01 }]

[input]
dtmf = ["1", "timeout", "", "*#", "hangup"]
when_done = "timeout"

[outcomes]
transfer = { "102" = "fail", "*" = "succeed" }
call = ["busy", "no-answer"]
alarm = "fail"

[alarm]
account = 1234

[timing]
speak = 1.5
Play = 3

[urls]
"http://app/a" = "<Response/>"
"http://app/b" = { file = "other.xml" }
"http://app/c" = { error = "connection refused" }

[engine]
max_steps = 50
fetch_failure = "continue"
keep_variables = false

[expect]
end = "transferred"
trace = ["0s end -> transferred"]
includes = ["0s end -> transferred"]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "menu.xml").write_text("<Response><Speak>hi</Speak></Response>")
    (tmp_path / "other.xml").write_text("<Response><Hangup/></Response>")
    return tmp_path


def test_a_full_scenario_is_read(folder: Path) -> None:
    path = folder / "full.toml"
    path.write_text(FULL, encoding="utf-8")
    s = load_scenario(path)
    assert s.script == folder / "menu.xml"
    assert (s.name, s.context, s.force) == (
        "a caller picks sales, the transfer fails", Context.EXTENSION, True
    )
    assert (s.call.call_id, s.call.caller, s.call.callee, s.call.notification) == (
        "Nt3uh", "+3620555", "1000", "IncomingCall"
    )
    assert dict(s.call.params) == {"CallerID": "Ann", "Extra": "5"}
    assert s.call.context is Context.EXTENSION
    assert s.variables == {
        "username": "Ann", "count": "3", "flag": "true",
        "voicemails": [{"from": "102", "date": "2024-05-01"}],
    }
    assert s.inputs == (Entry("1"), TIMEOUT, TIMEOUT, Entry("*#"), HANGUP)
    assert s.when_done == TIMEOUT
    # The words of earlier scenario files: succeed is answer, fail is failed.
    answer, failed = Planned(Ring.ANSWER), Planned(Ring.FAILED)
    assert s.dry_run.transfer == Plan(answer, by_target={"102": failed, "*": answer})
    # When the list runs out, the default answer is ozml's, not the scenario's: assumed.
    assert s.dry_run.call == Plan(
        answer, sequence=(Planned(Ring.BUSY), Planned(Ring.NO_ANSWER)), assumed=True
    )
    assert s.dry_run.alarm == Plan(False)
    assert s.dry_run.alarm_fields == {"account": "1234"}
    assert s.dry_run.timing == {"Speak": 1.5, "Play": 3.0}
    assert s.urls == {
        "http://app/a": Answer(body=b"<Response/>"),
        "http://app/b": Answer(body=b"<Response><Hangup/></Response>"),
        "http://app/c": Answer(error="connection refused"),
    }
    assert (s.options.max_steps, s.options.fetch_failure, s.options.keep_variables) == (
        50, "continue", False
    )
    assert s.expect == Expectation(
        "transferred", ("0s end -> transferred",), ("0s end -> transferred",)
    )


def test_an_empty_scenario_has_the_documented_defaults() -> None:
    s = parse_scenario("", Path("empty.toml"))
    assert (s.script, s.context, s.force, s.inputs, s.when_done) == (None, None, False, (), HANGUP)
    assert (s.call.call_id, s.call.notification, s.call.context) == (
        "call-1", "IncomingCall", Context.ANY
    )
    assert (s.dry_run.transfer.default, s.dry_run.call.default) == (
        Planned(Ring.ANSWER), Planned(Ring.ANSWER)
    )
    # Nothing planned: every outcome is ozml's default, assumed.
    plans = (s.dry_run.transfer, s.dry_run.call, s.dry_run.route, s.dry_run.alarm, s.dry_run.sms)
    assert all(plan.assumed for plan in plans)
    assert (s.keys, s.timed, s.hangup) == ((), False, None)
    assert s.dry_run.durations == DEFAULT_TIMING
    assert (s.options.max_steps, s.options.fetch_failure, s.options.keep_variables) == (
        10_000, "hangup", True
    )
    assert s.expect.empty


BAD = [
    ("script = ", "s.toml:1:10: not valid TOML: Invalid value (at the end of the file)"),
    ("[call]\nid = 'a'\nid = 'b'\n",
     "s.toml:3:9: not valid TOML: Cannot overwrite a value"),
    ("scrpit = 'a.xml'",
     "s.toml:1:1: scrpit: unknown key in the top level (expected one of: script, description,"
     " context, force, call, variables, input, outcomes, alarm, timing, media, record,"
     " notifications, urls, engine, expect);"
     " did you mean 'script'?"),
    ("script = 'missing.xml'",
     "s.toml:1:10: script: 'missing.xml' is not a file (looked for missing.xml)"),
    ("script = 5", "s.toml:1:10: script: '5' is not a file (looked for 5)"),
    ("script = true", "s.toml:1:10: script: expected a string, found a boolean (true)"),
    ("context = 'pbx'",
     "s.toml:1:11: context: unknown context 'pbx' (expected one of: extension, 3pcc, routing,"
     " any)"),
    ("force = 'yes'", "s.toml:1:9: force: expected true or false, found a string ('yes')"),
    ("call = 5", "s.toml:1:8: call: expected a table, found an integer (5)"),
    ("[call]\nnumber = 1",
     "s.toml:2:1: call.number: unknown key in [call] (expected one of: id, caller, callee,"
     " notification, params)"),
    ("[call]\nparams = { a = [1] }",
     "s.toml:2:16: call.params.a: expected a string, number or boolean, found a list"),
    ("[input]\ndtmf = '1'",
     "s.toml:2:8: input.dtmf: expected a list of strings or of {at, keys} tables, found a string"
     " ('1')"),
    ("[input]\ndtmf = ['1', 2]",
     "s.toml:2:14: input.dtmf[1]: expected a string, found an integer (2)"),
    ("[input]\ndtmf = ['12x']",
     "s.toml:2:9: input.dtmf[0]: expected DTMF keys (0-9, *, #, A-D), \"timeout\" or \"hangup\","
     " found '12x'"),
    ("[input]\ndtfm = []",
     "s.toml:2:1: input.dtfm: unknown key in [input] (expected one of: dtmf, hangup, when_done);"
     " did you mean 'dtmf'?"),
    ("[input]\nwhen_done = 'wait'",
     "s.toml:2:13: input.when_done: expected hangup or timeout, found 'wait'"),
    ("[outcomes]\ntransfer = 'success'",
     "s.toml:2:12: outcomes.transfer: expected one of answer, busy, no-answer, not-found, failed,"
     " succeed, fail, error, found a string ('success'); did you mean 'succeed'?"),
    ("[outcomes]\ncall = ['answer', 'engaged']",
     "s.toml:2:19: outcomes.call[1]: expected one of answer, busy, no-answer, not-found, failed,"
     " succeed, fail, error, found a string ('engaged')"),
    ("[outcomes]\ncall = { '102' = 1 }",
     "s.toml:2:18: outcomes.call.102: expected one of answer, busy, no-answer, not-found, failed,"
     " succeed, fail, error, found an integer (1)"),
    ("[outcomes]\ntransfer = 1",
     "s.toml:2:12: outcomes.transfer: expected one of answer, busy, no-answer, not-found, failed,"
     " succeed, fail, error, a list of them, or a table by target, found an integer (1)"),
    ("[outcomes]\nforward = 'fail'",
     "s.toml:2:1: outcomes.forward: unknown key in [outcomes] (expected one of: transfer, call,"
     " route, alarm, sms)"),
    ("[timing]\nSpeek = 1",
     "s.toml:2:1: timing.Speek: 'Speek' is not an OzML command nor one of seconds_per_word,"
     " play_seconds, answer_after, ring_time, beep_seconds, talk_seconds"),
    ("[timing]\nSpeak = -1",
     "s.toml:2:9: timing.Speak: expected a number of seconds (0 or more), found an integer (-1)"),
    ("[urls]\n'http://a' = 5",
     "s.toml:2:14: urls.'http://a': expected OzML text, or a table with file or error, found an"
     " integer (5)"),
    ("[urls]\n'http://a' = { body = 'x' }",
     "s.toml:2:14: urls.'http://a': expected a table with exactly one of file = \"PATH\" or"
     " error = \"REASON\", found keys: body"),
    ("[urls]\n'http://a' = { file = 'nope.xml' }",
     "s.toml:2:23: urls.'http://a'.file: cannot read 'nope.xml': no such file or folder"),
    ("[engine]\nmax_steps = 0",
     "s.toml:2:13: engine.max_steps: expected a whole number of at least 1, found an integer (0)"),
    ("[engine]\nfetch_failure = 'retry'",
     "s.toml:2:17: engine.fetch_failure: expected hangup or continue, found 'retry'"),
    ("[expect]\nend = 'hungup'",
     "s.toml:2:7: expect.end: expected one of end-of-script, hangup, exit, reject, transferred,"
     " routed, caller-hangup, fetch-failed, step-limit, value-limit, error, found a string"
     " ('hungup'); did you mean 'hangup'?"),
    ("[expect]\ntrace = 'x'", "s.toml:2:9: expect.trace: expected a list of strings, found a string"
     " ('x')"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(": ")[1] for _, m in BAD])
def test_scenario_mistakes_name_the_file_the_key_and_what_was_expected(
    text: str, message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, Path("s.toml"))
    assert str(caught.value) == message


def test_unreadable_scenario_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"missing\.toml: no such file or folder$"):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match=r"[^:]: is a folder$"):
        load_scenario(tmp_path)
    binary = tmp_path / "bin.toml"
    binary.write_bytes("context = 'é'\n".encode() + b"script = '\xff'")
    with pytest.raises(ScenarioError, match=r"bin\.toml:2:11: not UTF-8 text \(byte 0xFF\)$"):
        load_scenario(binary)


RESULT = RunResult("end-of-script", "no more commands", 0.0, 2, (
    CallResult("call-1", "end-of-script", "no more commands"),
))


def events_of(document: str) -> tuple[list[object], RunResult]:
    _, program = compile_source(document, "d.xml")
    done = run_scenario(instant(parse_scenario("", Path("s.toml"))), program)
    return list(done.events), done.result


def test_a_differing_trace_is_shown_as_a_unified_diff() -> None:
    events, result = events_of("<Response><Speak>Hello</Speak><Speak>Bye</Speak></Response>")
    expected = Expectation(trace=('0s Speak Text="Hello" -> ok', '0s Speak Text="Goodbye" -> ok',
                                  "0s end -> end-of-script"))
    assert compare(expected, events, result) == [  # type: ignore[arg-type]
        "the trace differs (- expected, + actual):\n"
        "--- expected\n"
        "+++ actual\n"
        "@@ -1,3 +1,3 @@\n"
        ' 0s Speak Text="Hello" -> ok\n'
        '-0s Speak Text="Goodbye" -> ok\n'
        '+0s Speak Text="Bye" -> ok\n'
        " 0s end -> end-of-script"
    ]


def test_end_and_includes_mismatches() -> None:
    events, result = events_of("<Response><Speak>Hello</Speak></Response>")
    expected = Expectation(end="hangup", includes=("0s end -> end-of-script",
                                                   '0s Speak Text="Hello" -> ok'))
    assert compare(expected, events, result) == [  # type: ignore[arg-type]
        "the call ended with 'end-of-script', expected 'hangup' (no more commands)",
        "the trace does not include '0s Speak Text=\"Hello\" -> ok' after"
        " '0s end -> end-of-script'; the actual trace is:\n"
        '  0s Speak Text="Hello" -> ok\n'
        "  0s end -> end-of-script",
    ]


def test_a_matching_expectation_has_no_problems() -> None:
    events, result = events_of("<Response><Speak>Hello</Speak></Response>")
    expected = Expectation(
        end="end-of-script",
        trace=('0s Speak Text="Hello" -> ok  ', "0s end -> end-of-script"),
        includes=("0s end -> end-of-script",),
    )
    assert compare(expected, events, result) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["plain", 'with "double" quotes', "it's", "tab\there", "new\nline", "back\\slash",
             "\x01ctl", "ünï"]
)
def test_toml_strings_read_back_exactly(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


def test_an_expect_section_reads_back_as_a_passing_expectation(tmp_path: Path) -> None:
    events, result = events_of("<Response><Speak>It's \"quoted\"</Speak><Delay>1.5</Delay>"
                               "</Response>")
    section = expect_section(events, result)  # type: ignore[arg-type]
    assert section == (
        "[expect]\n"
        "end = 'end-of-script'\n"
        "trace = [\n"
        '    "0s Speak Text=\\"It\'s \\\\\\"quoted\\\\\\"\\" -> ok",\n'
        "    '0s Delay Time=\"1.5\" -> ok',\n"
        "    '1.5s end -> end-of-script',\n"
        "]\n"
    )
    scenario = parse_scenario(section, tmp_path / "s.toml")
    assert compare(scenario.expect, events, result) == []  # type: ignore[arg-type]
