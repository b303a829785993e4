"""Hardening the interpreter (issue 9): bounded reads of scenario and answer files, and bounded
variable expansion in every value a run builds.

Tests that would exhaust the memory without the fix run `ozml` in a subprocess whose address
space is limited (`resource.RLIMIT_AS`): without the fix it dies with an internal error (exit 3)
instead of taking the machine down; with it, it stops with the documented error.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from ozml.cli import main
from ozml.interpreter import Engine, EngineOptions, RunResult, compile_source, run_scenario
from ozml.interpreter.dryrun import DryRunExecutor
from ozml.interpreter.scenario import ScenarioError, load_scenario, parse_scenario
from ozml.lint import LintSettings, lint, quick
from ozml.lint.context import LintContext
from ozml.lint.rules.growing_variable import CAP, GrowingVariable, _Walk
from ozml.lint.variables import analyse
from ozml.parser import parse

#: The address space a limited `ozml` process gets: ample for ozml itself (it needs well under
#: 200 MiB), far too little for the gigabytes an unbounded read or expansion takes.
MEMORY = 512 << 20

SCRIPT = '<Response><Speak>Hello</Speak></Response>\n'


def limited(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m ozml ARGS` with its address space limited to `MEMORY`."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        preexec_fn=limit, capture_output=True, text=True, timeout=300, cwd=cwd,
    )


def ozml(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- item 7: files the user names are read with a size limit and a type check ------------------

needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


@needs_dev_zero
def test_ozml_test_refuses_a_device_as_a_scenario() -> None:
    done = limited("test", "/dev/zero")
    assert done.returncode == 2, done.stderr
    assert done.stdout.splitlines()[:-1] == [
        "/dev/zero E",
        "",
        "ERROR /dev/zero",
        "    /dev/zero: not a regular file",
        "",
    ]
    assert done.stdout.splitlines()[-1].startswith("1 error in ")
    assert "Traceback" not in done.stderr


@needs_dev_zero
def test_ozml_run_refuses_a_device_as_scenario_or_script(tmp_path: Path) -> None:
    script = tmp_path / "hello.xml"
    script.write_text(SCRIPT, encoding="utf-8")
    done = limited("run", str(script), "--scenario", "/dev/zero")
    assert (done.returncode, done.stderr) == (
        2, "ozml: error: /dev/zero: not a regular file\n"
    )
    done = limited("run", "/dev/zero")
    assert (done.returncode, done.stderr) == (2, "ozml: error: /dev/zero: not a regular file\n")


@needs_dev_zero
def test_an_answer_file_that_is_a_device_is_a_scenario_error(tmp_path: Path) -> None:
    script = tmp_path / "hello.xml"
    script.write_text(SCRIPT, encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'script = "hello.xml"\n[urls]\n"http://app/x" = { file = "/dev/zero" }\n',
        encoding="utf-8",
    )
    done = limited("test", str(scenario))
    assert done.returncode == 2, done.stderr
    assert done.stdout.splitlines()[3] == (
        f"    {scenario}:3:27: urls.'http://app/x'.file: cannot read '/dev/zero':"
        " not a regular file"
    )


def test_a_script_over_the_size_limit_is_a_scenario_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "big.xml"
    script.write_bytes(b"<Response>" + b" " * (10 * 1024 * 1024) + b"</Response>")
    scenario = tmp_path / "s.toml"
    scenario.write_text('script = "big.xml"\n', encoding="utf-8")
    code, out, _ = ozml(capsys, "test", str(scenario))
    assert code == 2
    assert out.splitlines()[2:4] == [
        f"ERROR {scenario}",
        f"    {scenario}: script: {script}: is 10,485,781 bytes, larger than the"
        " 10,485,760-byte limit",
    ]
    assert out.splitlines()[-1].startswith("1 error in ")


def test_a_folder_as_scenario_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ScenarioError, match=r"[^:]: is a folder$"):
        load_scenario(tmp_path)


def test_deeply_nested_toml_is_a_scenario_error_not_a_crash() -> None:
    text = "[variables]\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, Path("s.toml"))
    assert str(caught.value) == "s.toml: not valid TOML: arrays or tables nested too deeply"


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


# --- item 5: every value a run builds is bounded ----------------------------------------------


def doubling(count: int, seed: str = "x" * 52) -> str:
    """`count` Vars each doubling the one before (the issue's document for 26)."""
    lines = ["<Response>", f'  <Var Id="a0" Value="{seed}"/>']
    lines += [f'  <Var Id="a{i}" Value="$a{i - 1}$a{i - 1}"/>' for i in range(1, count)]
    lines += [f"  <Speak>$a{count - 1}</Speak>", "</Response>"]
    return "\n".join(lines) + "\n"


def dry_run(document: str, scenario: str = "", **limits: int) -> tuple[list[str], RunResult]:
    """Golden lines and result of a dry run, with the engine's size limits overridden."""
    _, program = compile_source(document, "d.xml")
    loaded = parse_scenario(scenario, Path("s.toml"))
    loaded = attrs.evolve(loaded, options=attrs.evolve(loaded.options, **limits))
    done = run_scenario(loaded, program)
    return [event.golden() for event in done.events], done.result


def test_the_issue_document_is_stopped_by_ozml_run_at_1_mib(tmp_path: Path) -> None:
    script = tmp_path / "doubling.xml"
    script.write_text(doubling(26), encoding="utf-8")
    done = limited("run", str(script), "--format", "json")
    message = (
        "Var a15 expands to more than 1 MiB (max_value_bytes = 1,048,576, ozml's own limit);"
        " the run stops"
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"ozml: error: {message}\n"
    *_, stopped, end = _json_lines(done.stdout)
    assert (stopped["command"], stopped["line"], stopped["params"]) == (
        "Var", 17, {"Id": "a15", "Value": "$a14$a14"}
    )
    assert (stopped["result"], stopped["detail"]) == ("value-limit", message)
    assert (end["command"], end["result"], end["detail"]) == ("end", "value-limit", message)


def test_the_text_trace_names_the_variable_and_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "doubling.xml"
    script.write_text(doubling(8), encoding="utf-8")
    code, out, err = ozml(capsys, "run", str(script), "--max-value-bytes", "1000")
    message = (
        "Var a5 expands to more than 1,000 bytes (max_value_bytes = 1,000, ozml's own limit);"
        " the run stops"
    )
    assert code == 1
    assert err == f"ozml: error: {message}\n"
    assert out.splitlines()[-3:] == [
        f'   0.000 {script}:7:4 Var Id="a5" Value="$a4$a4" -> value-limit ({message})',
        f"   0.000 {script}:7:4 end -> value-limit ({message})",
        f"ended: value-limit ({message}) at 0s after 6 steps",
    ]


_PEAK = """
import sys, tracemalloc
from ozml.interpreter import Engine
from ozml.interpreter.dryrun import DryRunExecutor
tracemalloc.start()
result = Engine(DryRunExecutor()).run_source(sys.stdin.read(), "d.xml")
print(result.ending, tracemalloc.get_traced_memory()[1])
"""


def test_the_engine_never_builds_the_oversized_value() -> None:
    # What `ozml simulate` runs an application's answer with: an Engine with default options.
    done = subprocess.run(
        [sys.executable, "-c", _PEAK], input=doubling(26), capture_output=True, text=True,
        timeout=300, preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_AS, (MEMORY, MEMORY)
        ),
    )
    assert done.returncode == 0, done.stderr
    ending, peak = done.stdout.split()
    assert ending == "value-limit"
    # a0..a14 together hold 1.7 MB; a15 (1.7 MB) is never joined, nor is anything after it.
    assert int(peak) < 6 << 20


def test_foreach_doubling_on_every_pass_is_stopped() -> None:
    items = "".join(f"<Item>{n}</Item>" for n in range(40))
    document = (
        f'<Response><Array Id="n">{items}</Array><Var Id="s">ab</Var>'
        '<ForEach Source="n"><Var Id="s">$s$s</Var></ForEach></Response>'
    )
    lines, result = dry_run(document, max_value_bytes=1000)
    assert result.ending == "value-limit"
    assert lines[-2] == '0s Var Id="s" Value="$s$s" -> value-limit'
    assert result.detail.startswith("Var s expands to more than 1,000 bytes")


def test_a_goto_cycle_that_doubles_is_stopped_by_the_value_limit() -> None:
    loop = '<Response><Var Id="s">$s$s</Var><GoTo>http://app/loop</GoTo></Response>'
    scenario = f"[variables]\ns = \"ab\"\n[urls]\n'http://app/loop' = '{loop}'\n"
    _, result = dry_run(loop, scenario, max_value_bytes=1 << 20)
    assert (result.ending, result.steps) == ("value-limit", 39)
    assert result.detail.startswith("Var s expands to more than 1 MiB")


@pytest.mark.parametrize(
    ("body", "subject"),
    [
        ("<Speak>$b$b</Speak>", "Speak Text"),
        ('<SendSms Recipient="1" Message="x $b $b"/>', "SendSms Message"),
        ('<Array Id="x"><Item>ok</Item><Item>$b$b</Item></Array>', "Array x Item 2"),
        ('<Var Id="y" Value="$b.$b"/>', "Var y"),
        ('<Var Id="y" Value="$b.more$b.more"/>', "Var y"),
        (
            '<UserInput><Inputs><Input Key="$b$b"><Hangup/></Input></Inputs></UserInput>',
            "UserInput Input Key",
        ),
    ],
)
def test_text_attributes_items_and_keys_are_bounded(body: str, subject: str) -> None:
    document = f'<Response><Var Id="b">{"b" * 600}</Var>{body}</Response>'
    lines, result = dry_run(document, "[input]\ndtmf = ['1']\n", max_value_bytes=1000)
    assert result.ending == "value-limit", lines
    assert result.detail == (
        f"{subject} expands to more than 1,000 bytes (max_value_bytes = 1,000, ozml's own"
        " limit); the run stops"
    )


def test_a_literal_var_over_the_limit_is_stopped_too() -> None:
    document = f'<Response><Var Id="big">{"é" * 600}</Var><Speak>$big</Speak></Response>'
    lines, result = dry_run(document, max_value_bytes=1000)  # 1,200 bytes in UTF-8
    assert result.ending == "value-limit"
    assert lines[0] == f'0s Var Id="big" Value="{"é" * 80}..." -> value-limit'


def test_non_ascii_values_are_measured_in_utf8_bytes() -> None:
    document = f'<Response><Var Id="a">{"é" * 300}</Var><Var Id="b">$a$a</Var></Response>'
    _, result = dry_run(document, max_value_bytes=1199)
    assert result.ending == "value-limit"
    _, result = dry_run(document, max_value_bytes=1200)
    assert result.ending == "end-of-script"


def test_many_values_each_under_the_limit_meet_the_total_budget() -> None:
    sets = "".join(f'<Var Id="v{n}">$a$a</Var>' for n in range(10))
    document = f'<Response><Var Id="a">{"a" * 450}</Var>{sets}</Response>'
    lines, result = dry_run(document, max_value_bytes=1000, max_total_bytes=5000)
    assert result.ending == "value-limit"
    assert lines[-2] == '0s Var Id="v5" Value="$a$a" -> value-limit'
    assert result.detail == (
        "Var v5: the run would build more than 5,000 bytes of values in all (max_total_bytes ="
        " 5,000, ozml's own limit); the run stops"
    )


def test_referring_to_a_variable_builds_nothing_and_costs_nothing() -> None:
    speaks = "<Speak>$a</Speak>" * 50
    document = f'<Response><Var Id="a">$b$b</Var>{speaks}</Response>'
    _, result = dry_run(
        document, '[variables]\nb = "' + "b" * 400 + '"\n', max_value_bytes=1000,
        max_total_bytes=2000,
    )
    assert result.ending == "end-of-script"


def test_variables_given_to_the_run_are_bounded() -> None:
    document = "<Response><Speak>$x</Speak></Response>"
    scenario = '[variables]\nx = [{ a = "ok" }, { b = "' + "b" * 1001 + '" }]\n'
    lines, result = dry_run(document, scenario, max_value_bytes=1000)
    assert lines == [
        "0s end -> value-limit"
    ]
    assert result.detail == (
        "$x (given before the run) is more than 1,000 bytes (max_value_bytes = 1,000,"
        " ozml's own limit); the run stops"
    )


def test_variables_an_executor_supplies_are_bounded() -> None:
    document = (
        "<Response><ReceiveAlarmNotification><Received><Speak>$account</Speak></Received>"
        "</ReceiveAlarmNotification></Response>"
    )
    lines, result = dry_run(document, '[alarm]\naccount = "' + "1" * 1001 + '"\n',
                            max_value_bytes=1000)
    assert lines[0] == "0s ReceiveAlarmNotification -> value-limit"
    assert result.detail == (
        "$account from ReceiveAlarmNotification is more than 1,000 bytes (max_value_bytes ="
        " 1,000, ozml's own limit); the run stops"
    )


def test_the_limits_are_engine_keywords_scenario_settings_and_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = Engine(DryRunExecutor(), max_value_bytes=1000, max_total_bytes=9000)
    assert (engine.options.max_value_bytes, engine.options.max_total_bytes) == (1000, 9000)
    assert engine.run_source(doubling(8), "d.xml").ending == "value-limit"
    default = EngineOptions()
    assert (default.max_value_bytes, default.max_total_bytes) == (1 << 20, 16 << 20)

    script = tmp_path / "doubling.xml"
    script.write_text(doubling(8), encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'script = "doubling.xml"\n[engine]\nmax_value_bytes = 1000\n'
        '[expect]\nend = "value-limit"\n',
        encoding="utf-8",
    )
    code, out, _ = ozml(capsys, "test", str(scenario))
    assert (code, out.splitlines()[-1].split(" in ")[0]) == (0, "1 passed")
    # The command line overrides the scenario.
    code, out, _ = ozml(capsys, "test", str(scenario), "--max-value-bytes", "100000")
    assert code == 1
    assert out.splitlines()[3] == (
        "    the call ended with 'end-of-script', expected 'value-limit' (no more commands)"
    )
    code, _, err = ozml(capsys, "run", str(script), "--max-total-bytes", "0")
    assert (code, err) == (2, "ozml: error: --max-total-bytes must be at least 1, found 0\n")
    scenario.write_text('script = "doubling.xml"\n[engine]\nmax_value_bytes = 0\n')
    code, out, _ = ozml(capsys, "test", str(scenario))
    assert code == 2
    assert out.splitlines()[3] == (
        f"    {scenario}:3:19: engine.max_value_bytes: expected a whole number of at least 1,"
        " found an integer (0)"
    )


def test_a_scenario_without_expect_fails_on_value_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "doubling.xml").write_text(doubling(8), encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text('script = "doubling.xml"\n', encoding="utf-8")
    code, out, _ = ozml(capsys, "test", str(scenario), "--max-value-bytes", "1000")
    assert code == 1
    assert out.splitlines()[3].startswith("    the run ended with 'value-limit': Var a5 expands")


# --- the linter warns about a Var that grows past the limit (growing-variable, OZ705) ----------


def oz705(document: str | bytes) -> list[str]:
    return [
        f"{d.line}:{d.column} {d.message}" for d in lint(document, "d.xml") if d.code == "OZ705"
    ]


def test_the_issue_document_is_no_longer_lint_clean() -> None:
    assert [d.code for d in lint(doubling(26), "d.xml")] == ["OZ705"]
    assert oz705(doubling(26)) == [
        "17:12 Var a15 expands to about 1.6 MiB (each of a1..a15 doubles the previous one);"
        " ozml run stops a value over 1 MiB"
    ]
    # The linter and the engine agree on where the value passes 1 MiB.
    _, result = dry_run(doubling(26))
    assert result.detail.startswith("Var a15 expands to more than 1 MiB")


def test_estimates_are_capped_not_bignums() -> None:
    document = doubling(3000, seed="x")
    assert oz705(document) == [
        "23:12 Var a21 expands to about 2 MiB (each of a1..a21 doubles the previous one);"
        " ozml run stops a value over 1 MiB"
    ]
    ctx = LintContext(parse(document, "d.xml"), LintSettings())
    walk = _Walk(GrowingVariable(), ctx)
    analysis = analyse(ctx)
    list(walk.run(sorted((d for ds in analysis.variables.values() for d in ds),
                         key=lambda d: d.order)))
    assert max(estimate.size for estimate in walk.vars.values()) == CAP


def test_deep_loops_are_looked_up_once_per_element() -> None:
    depth = 150
    opened = "".join(f'<ForEach Source="n"><Var Id="v{i}">$item</Var>' for i in range(depth))
    uses = "".join(f"<Speak>$v{i}</Speak>" for i in range(depth))
    document = (
        f'<Response><Array Id="n"><Item>1</Item></Array>{opened}{uses}'
        f'{"</ForEach>" * depth}</Response>'
    )
    ctx = LintContext(parse(document, "d.xml"), LintSettings())
    walk = _Walk(GrowingVariable(), ctx)
    definitions = sorted(
        (d for group in (analyse(ctx).variables, analyse(ctx).arrays) for ds in group.values()
         for d in ds),
        key=lambda d: d.order,
    )
    assert list(walk.run(definitions)) == []
    # Every element on the way up is remembered once: nothing is walked twice.
    assert len(walk.loops) <= len(ctx.records)
    assert walk.vars["v149"].size == 1


def test_the_quick_check_never_calls_such_a_document_clean() -> None:
    literal = ('<Response><Var Id="big">' + "x" * (1 << 20) + "y</Var>"
               "<Speak>$big</Speak></Response>").encode()
    assert oz705(literal) == [
        "1:20 Var big expands to about 1.0 MiB; ozml run stops a value over 1 MiB"
    ]
    items = ('<Response><Array Id="a"><Item>' + "x" * (1 << 20) + "y</Item></Array>"
             '<ForEach Source="a"><Speak>$item</Speak></ForEach></Response>').encode()
    assert oz705(items) == [
        "1:26 Array a Item 1 expands to about 1.0 MiB; ozml run stops a value over 1 MiB"
    ]
    for document in (literal, items, doubling(26).encode()):
        assert not quick.prove_by_schema(document)
        assert not quick.prove_by_regex(document)
        assert not quick.is_clean(document)
    # A long document that defines nothing is still proven clean.
    speech = ("<Response><Speak>" + "x" * (1 << 20) + "y</Speak></Response>").encode()
    assert quick.prove_by_schema(speech)
    assert lint(speech, "d.xml") == []


_SIMULATE = """
import sys, time
from ozml.api import Client, Credentials
from ozml.simulator import Simulator
from ozml.simulator.config import default_config
with Simulator(default_config(), port=0) as sim:
    with Client(sim.url, Credentials.of("admin", "abc123"), timeout=30) as client:
        extensions = [e.number for e in default_config().extensions]
        client.call(dialed=extensions[1], api_extension=extensions[0],
                    response_ozml=sys.stdin.read())
    deadline = time.monotonic() + 60
    while not sim.notifier.scripts and time.monotonic() < deadline:
        time.sleep(0.05)
    print(sim.notifier.scripts[0]["Ending"])
"""


def test_one_small_request_to_the_simulator_is_bounded_too() -> None:
    # `ozml simulate` runs an application's answer (here the request's ResponseOzML) with the
    # same engine and its default limits.
    done = subprocess.run(
        [sys.executable, "-c", _SIMULATE], input=doubling(26), capture_output=True, text=True,
        timeout=300, preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_AS, (MEMORY, MEMORY)
        ),
    )
    assert (done.returncode, done.stdout) == (0, "value-limit\n"), done.stderr[-2000:]
