"""`ozml run` and `ozml test` on the command line: outputs, the lint gate, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ozml.cli import main
from ozml.cli import run as run_module

MENU = """<?xml version="1.0"?>
<Response>
  <UserInput Timeout="5">
    <InitialCommands><Speak>Press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><BlindTransfer>102</BlindTransfer><Speak>Sorry</Speak></Input></Inputs>
  </UserInput>
</Response>
"""


@pytest.fixture
def menu(tmp_path: Path) -> Path:
    path = tmp_path / "menu.xml"
    path.write_text(MENU, encoding="utf-8")
    return path


def ozml(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


#: How the end of a successful BlindTransfer is traced: the ending is an assumption.
TRANSFERRED = "the call was transferred; the script ends (blind_transfer = end, assumed)"
#: What the trace says of an assumed length and of an outcome the scenario does not plan.
SPOKEN = "0.8 s long (seconds_per_word = 0.4, assumed)"
UNPLANNED = "the scenario plans no outcome for '102' (outcomes.transfer = answer, assumed)"
GOES_ON = (
    "when its commands run out, the script goes on after the menu (after_input = continue,"
    " assumed)"
)


def test_dry_run_text_trace(menu: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = ozml(capsys, "run", str(menu), "--dry-run", "--dtmf", "1",
                          "--context", "extension")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "-- call call-1 --",
        f'   0.000 {menu}:3:4 UserInput Timeout="5" -> menu',
        f'   0.000 {menu}:4:23   Speak Text="Press 1" -> ok ({SPOKEN})',
        f'   0.800 {menu}:3:4   input Digits="1" -> matched ({GOES_ON})',
        f'   0.800 {menu}:5:29   BlindTransfer Target="102" -> transferred ({UNPLANNED})',
        f"   0.800 {menu}:5:29 end -> transferred ({TRANSFERRED})",
        f"ended: transferred ({TRANSFERRED}) at 0.8s after 3 steps",
    ]


def test_dry_run_is_the_default_and_json_lines_are_json(
    menu: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = ozml(capsys, "run", str(menu), "--format", "json", "--dtmf", "timeout",
                        "--call-id", "Nt3uh")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert events[2] == {
        "time": 5.8, "call": "Nt3uh", "source": str(menu), "line": 3, "column": 4,
        "command": "input", "params": {}, "result": "timeout",
        "detail": "continuing after the menu (assumed: the vendor does not say what a timeout"
        " does without Repeat)", "depth": 1,
    }
    assert [e["command"] for e in events] == ["UserInput", "Speak", "input", "end"]


def test_format_expect_prints_a_section_that_passes_ozml_test(
    menu: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "menu.toml"
    scenario.write_text(
        'script = "menu.xml"\n[input]\ndtmf = ["1"]\n[outcomes]\ntransfer = "fail"\n',
        encoding="utf-8",
    )
    code, out, _ = ozml(capsys, "run", "--scenario", str(scenario), "--format", "expect")
    assert code == 0
    assert tomllib.loads(out)["expect"] == {
        "end": "end-of-script",
        "trace": [
            '0s UserInput Timeout="5" -> menu',
            '0s Speak Text="Press 1" -> ok',
            '0.8s input Digits="1" -> matched',
            '0.8s BlindTransfer Target="102" -> failed',
            '0.8s Speak Text="Sorry" -> ok',
            "1.2s end -> end-of-script",
        ],
    }
    scenario.write_text(scenario.read_text() + out, encoding="utf-8")
    code, out, _ = ozml(capsys, "test", str(scenario))
    assert code == 0
    assert out.splitlines()[0] == f"{scenario} ."
    assert re.fullmatch(r"1 passed in \d+\.\d\ds", out.splitlines()[-1])


def test_lint_errors_refuse_the_run_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "bad.xml"
    script.write_text("<Response>\n  <ForwardCall/>\n  <Speak>after</Speak>\n</Response>\n")
    code, out, err = ozml(capsys, "run", str(script))
    assert (code, out) == (1, "")
    findings = [
        f"{script}:2:4: OZ201 ForwardCall needs Destination",
        "  2 |   <ForwardCall/>",
        "    |    ^~~~~~~~~~~",
        "",
        "Found 1 finding (1 error) in 1 file; 1 file checked.",
    ]
    assert err.splitlines() == [
        *findings,
        f"ozml: error: refusing to run {script}: 1 lint error (fix them, or pass --force to run"
        " anyway)",
    ]
    # Exactly what `ozml check` prints for it.
    code, checked, _ = ozml(capsys, "check", "--isolated", "--no-cache", str(script))
    assert (code, checked.splitlines()) == (1, findings)
    code, out, err = ozml(capsys, "run", str(script), "--force")
    assert code == 0
    assert err.splitlines() == [
        *findings, f"ozml: warning: running {script} despite 1 lint error(s) (--force)"
    ]
    # Nothing to transfer to: the dry run takes it that the transfer fails, and says so.
    assert "ForwardCall -> failed (no Destination to transfer to: assumed to fail" in out
    assert 'Speak Text="after" -> ok' in out


def test_a_child_element_the_vendor_does_not_show_does_not_refuse_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Whether Speak takes child elements is UNKNOWN (spec §2): a warning, which does not stop
    # the run (it was an error claiming "Speak takes no child elements"). The trace says the
    # child is not run, and that this is assumed.
    script = tmp_path / "child.xml"
    script.write_text("<Response><Speak>x<Play>a.wav</Play></Speak></Response>\n")
    code, out, err = ozml(capsys, "run", str(script))
    assert (code, err) == (0, "")
    assert (
        "its child element Play is not run (assumed: the vendor does not say what Speak does"
        " with child elements)"
    ) in out
    assert "Play AudioFile" not in out
    code, checked, _ = ozml(capsys, "check", "--isolated", "--no-cache", str(script))
    assert code == 1
    found = f"{script}:1:20: OZ104 Play directly inside Speak is undocumented (spec §2 [hu7644])"
    assert found in checked
    assert "Found 1 finding (1 warning) in 1 file; 1 file checked." in checked


def test_a_document_that_is_not_xml_cannot_run_even_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "broken.xml"
    script.write_text("<Response><Speak>x</Response>")
    code, _, err = ozml(capsys, "run", str(script), "--force")
    assert code == 1
    assert err.splitlines()[-1] == f"ozml: error: cannot run {script}: it is not well-formed XML"


def test_the_inline_context_comment_is_the_run_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "3pcc.xml"
    script.write_text("<!-- ozml: context=3pcc -->\n<Response><Hold/></Response>\n")
    code, out, _ = ozml(capsys, "run", str(script))
    assert code == 0
    assert out.splitlines()[-1] == "ended: end-of-script (no more commands) at 0s after 1 steps"
    code, _, err = ozml(capsys, "run", str(script), "--context", "extension")
    assert code == 1
    assert "OZ601 Hold is not valid in an extension script" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "missing.xml"], "ozml: error: missing.xml: no such file or folder"),
        (["run"], 'ozml: error: no SCRIPT given (name one, or a scenario with script = "FILE")'),
        (["run", "{menu}", "--param", "oops"],
         "ozml: error: --param expects NAME=VALUE, found 'oops'"),
        (["run", "{menu}", "--scenario", "nope.toml"],
         "ozml: error: nope.toml: no such file or folder"),
        (["run", "{menu}", "--max-steps", "0"],
         "ozml: error: --max-steps must be at least 1, found 0"),
        (["run", "{menu}", "--executor", "no-such-executor"],
         "ozml: error: cannot use the 'no-such-executor' executor: no executor named"
         " 'no-such-executor' (known: "),
    ],
)
def test_usage_and_io_errors_exit_2_with_one_line(
    args: list[str], message: str, menu: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(menu.parent)
    code, _, err = ozml(capsys, *[a.replace("{menu}", str(menu)) for a in args])
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(message)


def test_live_goes_through_the_executor_hook(
    menu: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--live` asks the registry for LIVE_EXECUTOR; when it is not there, exit 2, no crash."""
    monkeypatch.setattr(run_module, "LIVE_EXECUTOR", "pbx-not-installed")
    code, out, err = ozml(capsys, "run", str(menu), "--live", "--api-url",
                          "http://127.0.0.1:9/api", "--call-id", "Nt3uh")
    assert (code, out) == (2, "")
    assert err.startswith(
        "ozml: error: cannot use the 'pbx-not-installed' executor: no executor named"
        " 'pbx-not-installed'"
    )


def test_a_registered_executor_runs_the_script(
    menu: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ozml.interpreter import BaseExecutor, Outcome, Step, handles, register_executor
    from ozml.interpreter.executor import unregister_executor

    class Shouter(BaseExecutor):
        name = "shouter"

        @handles("Speak", "BlindTransfer")
        def shout(self, step: Step) -> Outcome:
            return Outcome(result="shouted", detail=step.params.get("Text", "").upper())

    register_executor("shouter", lambda settings: Shouter())
    try:
        code, out, _ = ozml(capsys, "run", str(menu), "--executor", "shouter", "--dtmf", "1")
    finally:
        unregister_executor("shouter")
    assert code == 0
    assert 'Speak Text="Press 1" -> shouted (PRESS 1)' in out
    assert 'BlindTransfer Target="102" -> shouted' in out


def test_a_step_limit_run_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "loop.xml"
    script.write_text('<Response><UserInput Repeat="true"><InitialCommands><Speak>again</Speak>'
                      "</InitialCommands></UserInput></Response>")
    scenario = tmp_path / "loop.toml"
    scenario.write_text('script = "loop.xml"\n[input]\nwhen_done = "timeout"\n')
    code, out, _ = ozml(capsys, "run", "--scenario", str(scenario), "--max-steps", "20")
    assert code == 1
    assert out.splitlines()[-1].startswith("ended: step-limit (stopped after 20 steps")


def test_ozml_test_reports_failures_with_a_diff_and_bad_files(
    menu: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.scenario.toml"
    good.write_text('script = "menu.xml"\ndescription = "sales"\n[input]\ndtmf = ["1"]\n'
                    '[expect]\nend = "transferred"\n')
    wrong = tmp_path / "wrong.scenario.toml"
    wrong.write_text(
        'script = "menu.xml"\n[input]\ndtmf = ["1"]\n[expect]\ntrace = [\n'
        "  '0s UserInput Timeout=\"5\" -> menu',\n  '0s Speak Text=\"Press 2\" -> ok',\n]\n"
    )
    broken = tmp_path / "broken.scenario.toml"
    broken.write_text('script = "menu.xml"\n[input]\ndtmf = 1\n')
    code, out, _ = ozml(capsys, "test", str(tmp_path))
    assert code == 2
    *lines, summary = out.splitlines()
    assert lines == [
        f"{broken} E",
        f"{good} .",
        f"{wrong} F",
        "",
        f"ERROR {broken}",
        f"    {broken}:3:8: input.dtmf: expected a list of strings or of {{at, keys}} tables,"
        " found an integer (1)",
        f"FAILED {wrong}",
        "    the trace differs (- expected, + actual):",
        "    --- expected",
        "    +++ actual",
        "    @@ -1,2 +1,5 @@",
        '     0s UserInput Timeout="5" -> menu',
        '    -0s Speak Text="Press 2" -> ok',
        '    +0s Speak Text="Press 1" -> ok',
        '    +0.8s input Digits="1" -> matched',
        '    +0.8s BlindTransfer Target="102" -> transferred',
        "    +0.8s end -> transferred",
        "",
    ]
    assert re.fullmatch(r"1 passed, 1 failed, 1 error in \d+\.\d\ds", summary)
    broken.unlink()
    code, out, _ = ozml(capsys, "test", str(good), str(wrong))
    assert code == 1
    assert out.splitlines()[-1].startswith("1 passed, 1 failed in ")


def test_ozml_test_fails_a_scenario_whose_script_has_lint_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.xml").write_text("<Response><ForwardCall/></Response>")
    scenario = tmp_path / "bad.toml"
    scenario.write_text('script = "bad.xml"\n')
    code, out, _ = ozml(capsys, "test", str(scenario))
    assert code == 1
    assert out.splitlines()[2:7] == [
        f"FAILED {scenario}",
        f"    {tmp_path / 'bad.xml'}:1:12: OZ201 ForwardCall needs Destination",
        "      1 | <Response><ForwardCall/></Response>",
        "        |            ^~~~~~~~~~~",
        f"    refusing to run {tmp_path / 'bad.xml'}: 1 lint error (fix them, or pass --force"
        " to run anyway) (or set force = true in the scenario)",
    ]
    scenario.write_text('script = "bad.xml"\nforce = true\n')
    assert ozml(capsys, "test", str(scenario))[0] == 0


def test_the_real_command_line(menu: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "run", str(menu), "--dtmf", "1", "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["result"] == "transferred"


def test_the_lint_gate_reads_the_configuration_unless_isolated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "forward.xml").write_text("<Response><ForwardCall/></Response>\n")
    (tmp_path / "ozml.toml").write_text("ignore = ['OZ201']\n")
    code, out, err = ozml(capsys, "run", "forward.xml")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith("ended: ")
    code, _, err = ozml(capsys, "run", "forward.xml", "--isolated")
    assert code == 1
    assert err.splitlines()[0] == "forward.xml:1:12: OZ201 ForwardCall needs Destination"
    strict = tmp_path / "strict.toml"
    strict.write_text("select = ['OZ2']\n")
    code, _, err = ozml(capsys, "run", "forward.xml", "--config", str(strict))
    assert code == 1
    code, out, err = ozml(capsys, "run", "forward.xml", "--config", "missing.toml")
    assert (code, out) == (2, "")
    assert err.startswith("ozml: error: ")
    assert err.count("\n") == 1


def test_run_and_test_read_the_script_with_the_configurations_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`max-bytes` in the configuration: ozml check refuses the script (OZ003), so ozml run
    and ozml test must not run it (they read it with the built-in 10 MiB limit before)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.xml").write_text("<Response><Speak>Hello there.</Speak><Hangup/></Response>\n")
    (tmp_path / "a.scenario.toml").write_text('script = "a.xml"\n')
    (tmp_path / "ozml.toml").write_text("max-bytes = 20\n")
    assert ozml(capsys, "check", "--no-cache", "a.xml")[0] == 1
    code, out, err = ozml(capsys, "run", "a.xml")
    assert (code, out) == (2, "")
    assert err == "ozml: error: a.xml: is 58 bytes, larger than the 20-byte limit\n"
    code, out, _ = ozml(capsys, "test", "a.scenario.toml")
    assert code == 2
    assert "script: a.xml: is 58 bytes, larger than the 20-byte limit" in out
    (tmp_path / "ozml.toml").write_text("max-bytes = 100\n")
    assert ozml(capsys, "run", "a.xml")[0] == 0
    assert ozml(capsys, "test", "a.scenario.toml")[0] == 0


@pytest.mark.parametrize(
    "config", ["selct = 1\n", "select = [\n", "max-bytes = -1\n", "[format]\nindent = 'x'\n"]
)
def test_ozml_test_reports_a_bad_configuration_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    config: str,
) -> None:
    """A bad configuration of a scenario's script was an internal error (exit 3)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.xml").write_text("<Response><Hangup/></Response>\n")
    (tmp_path / "a.scenario.toml").write_text('script = "a.xml"\n')
    (tmp_path / "ozml.toml").write_text(config)
    code, _, check_err = ozml(capsys, "check", "--no-cache", "a.xml")
    assert code == 2
    code, _, err = ozml(capsys, "test", "a.scenario.toml")
    assert code == 2
    assert err == check_err
    assert err.startswith("ozml: error: ozml.toml")


def test_the_lint_findings_are_coloured_as_ozml_check_colours_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "forward.xml"
    script.write_text("<Response><ForwardCall/></Response>\n")
    _, _, err = ozml(capsys, "run", str(script), "--isolated", "--color", "always")
    assert "\x1b[" in err
    _, _, plain = ozml(capsys, "run", str(script), "--isolated", "--color", "never")
    assert "\x1b[" not in plain
    assert re.sub("\x1b\\[[0-9;]*m", "", err) == plain


def test_an_application_answer_refused_by_the_gate_is_shown_as_ozml_check_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Answer(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = b"<Response><BlindTransfer/></Response>"
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        scenario = tmp_path / "app.toml"
        scenario.write_text('context = "extension"\n')
        code, out, err = ozml(capsys, "run", "--scenario", str(scenario), "--app", url)
    finally:
        server.shutdown()
        server.server_close()
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{url}:1:12: OZ201 BlindTransfer needs Target (as an attribute or as the element"
        " text)",
        "  1 | <Response><BlindTransfer/></Response>",
        "    |            ^~~~~~~~~~~~~",
        "",
        "Found 1 finding (1 error) in 1 file; 1 file checked.",
        f"ozml: error: refusing to run {url}: 1 lint error (fix them, or pass --force to run"
        " anyway) (or set force = true in the scenario)",
    ]
