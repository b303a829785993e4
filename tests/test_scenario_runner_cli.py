"""`ozml test`: discovery, -k, the reports (text, JUnit XML, JSON), --update, configuration."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import application
from lxml import etree

from ozml.cli import main

MENU = """<Response>
  <UserInput Timeout="5">
    <InitialCommands><Speak>Press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><BlindTransfer>102</BlindTransfer></Input></Inputs>
  </UserInput>
</Response>
"""
TRACE = [
    '0s UserInput Timeout="5" -> menu',
    '0s Speak Text="Press 1" -> ok',
    '0.8s input Digits="1" -> matched',
    '0.8s BlindTransfer Target="102" -> transferred',
    "0.8s end -> transferred",
]
SUMMARY = re.compile(r"(.+) in \d+\.\d\ds")


def ozml(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def summary(out: str) -> str:
    match = SUMMARY.fullmatch(out.splitlines()[-1])
    assert match is not None, out
    return match.group(1)


def scenario(description: str = "", *, expect: str = "", script: str = "menu.xml") -> str:
    head = f'script = "{script}"\n' + (f'description = "{description}"\n' if description else "")
    return head + '[input]\ndtmf = ["1"]\n' + expect


def expect_lines(lines: list[str]) -> str:
    body = "".join(f"    '{line}',\n" for line in lines)
    return f"[expect]\nend = 'transferred'\ntrace = [\n{body}]\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: scenarios in scenarios/ (and a subfolder), a *.scenario.toml elsewhere, and
    TOML files that are not scenarios."""
    (tmp_path / "menu.xml").write_text(MENU, encoding="utf-8")
    scenarios = tmp_path / "scenarios"
    (scenarios / "more").mkdir(parents=True)
    (scenarios / "sales.toml").write_text(
        scenario("sales", script="../menu.xml", expect=expect_lines(TRACE))
    )
    (scenarios / "more" / "busy.toml").write_text(
        scenario("sales busy", script="../../menu.xml")
        + '[outcomes]\ntransfer = "busy"\n[expect]\nend = "end-of-script"\n'
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "menu.xml").replace(tmp_path / "app" / "menu.xml")
    for path in (scenarios / "sales.toml", scenarios / "more" / "busy.toml"):
        path.write_text(path.read_text().replace("menu.xml", "app/menu.xml"))
    (tmp_path / "app" / "menu.scenario.toml").write_text(scenario("top level"))
    # Not scenarios: configuration, other TOML, hidden and vendored folders.
    (tmp_path / "ozml.toml").write_text("# the project's settings: none\n")
    (scenarios / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "app" / "settings.toml").write_text("x = 1\n")
    for skipped in (".git", "node_modules", ".venv"):
        (tmp_path / skipped / "scenarios").mkdir(parents=True)
        (tmp_path / skipped / "scenarios" / "x.toml").write_text("broken = [\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_discovery_is_recursive_and_takes_only_scenarios(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ozml(capsys, "test")
    assert (code, err) == (0, "")
    assert out.splitlines()[:-2] == [
        "app/menu.scenario.toml .",
        "scenarios/more/busy.toml .",
        "scenarios/sales.toml .",
    ]
    assert summary(out) == "3 passed"


def test_a_named_file_is_always_taken_and_each_file_runs_once(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = tree / "app" / "odd-name.toml"
    named.write_text(scenario())
    code, out, _ = ozml(capsys, "test", "app/odd-name.toml", "scenarios", "scenarios/sales.toml")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[:-2]] == [
        "app/odd-name.toml", "scenarios/more/busy.toml", "scenarios/sales.toml",
    ]


def test_a_missing_path_is_an_error_and_no_scenario_is_an_error(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As in `ozml check`: the error is said, the other PATHs still run, and the exit is 2.
    code, out, err = ozml(capsys, "test", "missing", "scenarios/sales.toml")
    assert code == 2
    assert err == "ozml: error: missing: no such file or folder\n"
    assert summary(out) == "1 passed"
    code, out, err = ozml(capsys, "test", "missing")
    assert (code, out, err) == (2, "", "ozml: error: missing: no such file or folder\n")
    # A glob is not a missing path: it is expanded (`ozml check` expands it alike).
    code, out, err = ozml(capsys, "test", "scenarios/*.toml")
    assert (code, err, summary(out)) == (0, "", "1 passed")
    (tree / "empty").mkdir()
    code, out, err = ozml(capsys, "test", "empty")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "ozml: warning: empty: no scenario files (*.scenario.toml, or *.toml under scenarios/)",
        "ozml: error: no scenario files found in empty (*.scenario.toml, or *.toml under a"
        " scenarios/ folder; --allow-empty to accept none)",
    ]
    code, out, _ = ozml(capsys, "test", "empty", "--allow-empty")
    assert code == 0
    assert summary(out) == "no scenarios ran"


@pytest.mark.parametrize(
    ("expression", "chosen"),
    [
        ("sales", ["scenarios/more/busy.toml", "scenarios/sales.toml"]),
        ("sales and not busy", ["scenarios/sales.toml"]),
        ("SALES and not BUSY", ["scenarios/sales.toml"]),  # words in any letter case
        ("top or busy", ["app/menu.scenario.toml", "scenarios/more/busy.toml"]),
        ("not (sales or top)", []),
        ("more/", ["scenarios/more/busy.toml"]),  # the path
        ("menu.scenario", ["app/menu.scenario.toml"]),  # the file name
        ("", ["app/menu.scenario.toml", "scenarios/more/busy.toml", "scenarios/sales.toml"]),
    ],
)
def test_keyword_expressions_choose_by_path_and_description(
    tree: Path, capsys: pytest.CaptureFixture[str], expression: str, chosen: list[str]
) -> None:
    code, out, err = ozml(capsys, "test", "-k", expression, "--allow-empty")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[:-2]] == chosen
    deselected = 3 - len(chosen)
    if deselected:
        assert summary(out).endswith(f"{deselected} deselected")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("sales and", "expected a word or '(' at the end of 'sales and'"),
        ("(sales", "expected ')' at the end of '(sales'"),
        ("sales busy", "expected 'and', 'or' or the end at column 7 of 'sales busy', found 'busy'"),
        ("__import__('os') ; x", "unexpected character ';' at column 18"),
    ],
)
def test_a_bad_keyword_expression_is_a_usage_error(
    tree: Path, capsys: pytest.CaptureFixture[str], expression: str, message: str
) -> None:
    code, out, err = ozml(capsys, "test", "-k", expression)
    assert (code, out) == (2, "")
    assert err.startswith(f"ozml: error: -k: {message}")
    assert err.count("\n") == 1


def test_keyword_that_matches_nothing_is_an_error_unless_allowed(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = ozml(capsys, "test", "-k", "nothing")
    assert (code, err) == (2, "ozml: error: no scenario matches -k 'nothing' (3 deselected)\n")


def failing_tree(tree: Path) -> Path:
    wrong = tree / "scenarios" / "sales.toml"
    wrong.write_text(wrong.read_text().replace("Target=\"102\"", "Target=\"103\""))
    broken = tree / "scenarios" / "broken.toml"
    broken.write_text('script = "../app/menu.xml"\n[input]\ndtmf = 1\n')
    return wrong


def test_text_report_details_failures_and_errors_at_the_end(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_tree(tree)
    code, out, _ = ozml(capsys, "test", "scenarios")
    assert code == 2  # a scenario file that cannot be used
    assert out.splitlines()[:-1] == [
        "scenarios/broken.toml E",
        "scenarios/more/busy.toml .",
        "scenarios/sales.toml F",
        "",
        "ERROR scenarios/broken.toml",
        "    scenarios/broken.toml:3:8: input.dtmf: expected a list of strings or of {at,"
        " keys} tables, found an integer (1)",
        "FAILED scenarios/sales.toml (sales)",
        "    the trace differs (- expected, + actual):",
        "    --- expected",
        "    +++ actual",
        "    @@ -1,5 +1,5 @@",
        "     0s UserInput Timeout=\"5\" -> menu",
        "     0s Speak Text=\"Press 1\" -> ok",
        "     0.8s input Digits=\"1\" -> matched",
        "    -0.8s BlindTransfer Target=\"103\" -> transferred",
        "    +0.8s BlindTransfer Target=\"102\" -> transferred",
        "     0.8s end -> transferred",
        "",
    ]
    assert summary(out) == "1 passed, 1 failed, 1 error"
    code, out, _ = ozml(capsys, "test", "scenarios", "-k", "not broken", "-v")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "scenarios/more/busy.toml (sales busy) PASSED"
    assert "       0.000 app/menu.xml:2:4 UserInput Timeout=\"5\" -> menu" in lines
    assert "scenarios/sales.toml (sales) FAILED" in lines
    code, out, _ = ozml(capsys, "test", "scenarios", "-k", "not broken", "-q")
    assert out.splitlines()[:2] == ["FAILED scenarios/sales.toml (sales)",
                                    "    the trace differs (- expected, + actual):"]
    assert summary(out) == "1 passed, 1 failed, 1 deselected"


def test_colour_is_asked_for_or_not(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = ozml(capsys, "test", "scenarios/sales.toml", "--color", "always")
    assert "\x1b[32m.\x1b[0m" in out
    _, out, _ = ozml(capsys, "test", "scenarios/sales.toml", "--color", "never")
    assert "\x1b[" not in out


def test_junit_report_parses_and_says_what_happened(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_tree(tree)
    (tree / "scenarios" / "app.toml").write_text('description = "for --app"\n')
    report = tree / "out" / "report.xml"
    report.parent.mkdir()
    code, out, _ = ozml(capsys, "test", "scenarios", "--format", "junit", "-o", str(report))
    assert code == 2
    # With -o, the terminal still gets the text report.
    assert out.splitlines()[0] == "scenarios/app.toml s"
    root = etree.fromstring(report.read_bytes())
    assert root.tag == "testsuites"
    assert dict(root.attrib, time="") == {
        "name": "ozml test", "tests": "4", "failures": "1", "errors": "1", "skipped": "1",
        "time": "",
    }
    [suite] = root
    cases = {case.get("file"): case for case in suite.iter("testcase")}
    assert sorted(cases) == [
        "scenarios/app.toml", "scenarios/broken.toml", "scenarios/more/busy.toml",
        "scenarios/sales.toml",
    ]
    failed = cases["scenarios/sales.toml"]
    assert (failed.get("classname"), failed.get("name")) == ("scenarios", "sales.toml (sales)")
    failure = failed.find("failure")
    assert failure is not None
    assert failure.get("message") == "the trace differs (- expected, + actual):"
    assert "+0.8s BlindTransfer Target=\"102\" -> transferred" in (failure.text or "")
    out_text = failed.findtext("system-out")
    assert out_text is not None
    assert out_text.splitlines() == TRACE
    assert cases["scenarios/broken.toml"].find("error") is not None
    skipped = cases["scenarios/app.toml"].find("skipped")
    assert skipped is not None
    assert "--app URL" in (skipped.get("message") or "")
    # On standard output without -o: the XML alone.
    code, out, _ = ozml(capsys, "test", "scenarios/more", "--format", "junit")
    assert code == 0
    assert etree.fromstring(out.encode()).get("tests") == "1"


def test_json_report_has_the_documented_shape(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_tree(tree)
    code, out, _ = ozml(capsys, "test", "scenarios", "--format", "json", "-k", "not broken")
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    assert {k: v for k, v in report["summary"].items() if k != "seconds"} == {
        "passed": 1, "failed": 1, "error": 0, "skipped": 0, "updated": 0, "deselected": 1,
        "total": 2,
    }
    first, second = report["scenarios"]
    assert set(first) == {
        "path", "description", "status", "seconds", "problems", "end", "trace",
    }
    assert (first["path"], first["status"], first["problems"]) == (
        "scenarios/more/busy.toml", "passed", [],
    )
    assert (second["path"], second["description"], second["status"], second["end"]) == (
        "scenarios/sales.toml", "sales", "failed", "transferred",
    )
    assert second["trace"] == TRACE
    assert second["problems"][0].startswith("the trace differs")


def test_output_file_is_written_atomically_and_never_through_a_link(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tree / "elsewhere.txt"
    target.write_text("keep me\n")
    link = tree / "report.json"
    link.symlink_to(target)
    code, out, err = ozml(capsys, "test", "scenarios/sales.toml", "--format", "json", "-o",
                          str(link))
    assert code == 2
    assert err.startswith(f"ozml: error: {link}: not written: ")
    assert target.read_text() == "keep me\n"
    report = tree / "report.txt"
    report.write_text("old")
    os.chmod(report, 0o640)
    code, out, _ = ozml(capsys, "test", "scenarios/sales.toml", "-o", str(report))
    assert (code, out) == (0, "")
    assert report.read_text().startswith("scenarios/sales.toml .\n")
    assert report.stat().st_mode & 0o777 == 0o640


UPDATABLE = """# Sales: the caller presses 1.
script = "../app/menu.xml"   # the IVR
description = "sales"

[input]
dtmf = ["1"]   # at once

[expect]  # pinned by hand
# how it ends
end = 'hangup'
trace = [
    '0s UserInput Timeout="5" -> menu',   # the menu
]
includes = ['0.8s input Digits="1" -> matched']

# The application's answers.
[urls]
"http://app/x" = "<Response/>"
"""


def test_update_rewrites_only_the_expectation(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tree / "scenarios" / "sales.toml"
    path.write_text(UPDATABLE)
    os.chmod(path, 0o600)
    untouched = tree / "scenarios" / "more" / "busy.toml"
    before = untouched.read_bytes()
    code, out, err = ozml(capsys, "test", "scenarios", "--update")
    assert (code, err) == (0, "")
    assert out.splitlines()[:-1] == [
        "scenarios/more/busy.toml .",
        "scenarios/sales.toml U",
        "updated scenarios/sales.toml: [expect] end = 'transferred', 5 trace lines,"
        " includes kept",
        "",
    ]
    assert summary(out) == "1 passed, 1 updated"
    head, _, tail = UPDATABLE.partition("end = 'hangup'")
    _, _, tail = tail.partition("includes =")
    assert path.read_text() == (
        head + expect_lines(TRACE).removeprefix("[expect]\n") + "includes =" + tail
    )
    assert path.stat().st_mode & 0o777 == 0o600
    assert untouched.read_bytes() == before
    # Now it passes as it is, and a second --update changes nothing.
    code, out, _ = ozml(capsys, "test", "scenarios", "--update")
    assert (code, summary(out)) == (0, "2 passed")


def test_update_adds_an_expectation_and_drops_includes_that_no_longer_hold(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tree / "new.scenario.toml"
    fresh.write_text('script = "app/menu.xml"\n[input]\ndtmf = ["1"]')  # no final newline
    code, out, _ = ozml(capsys, "test", "new.scenario.toml", "--update")
    assert code == 0
    assert fresh.read_text() == (
        'script = "app/menu.xml"\n[input]\ndtmf = ["1"]\n\n' + expect_lines(TRACE)
    )
    stale = tree / "stale.scenario.toml"
    stale.write_text('script = "app/menu.xml"\n[expect]\nincludes = ["0s Hangup -> ok"]\n')
    code, out, _ = ozml(capsys, "test", "stale.scenario.toml", "--update")
    assert code == 0
    assert "includes dropped" in out
    assert "includes" not in stale.read_text()


def test_update_refuses_an_inline_expectation_and_leaves_broken_files(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inline = tree / "inline.scenario.toml"
    text = 'script = "app/menu.xml"\nexpect = { end = "hangup" }\n'
    inline.write_text(text)
    code, out, _ = ozml(capsys, "test", "inline.scenario.toml", "--update")
    assert code == 2
    assert "inline.scenario.toml: cannot update [expect]: its expectation is not an [expect]" in out
    assert inline.read_text() == text
    lint = tree / "lint.scenario.toml"
    (tree / "bad.xml").write_text("<Response><ForwardCall/></Response>")
    lint.write_text('script = "bad.xml"\n')
    code, out, _ = ozml(capsys, "test", "lint.scenario.toml", "--update")
    assert code == 1  # a script the gate refuses is not "updated" into passing
    assert lint.read_text() == 'script = "bad.xml"\n'


def test_update_writes_through_a_link_it_was_given_as_fmt_does(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link named on the command line, or met in the walk and leading inside the walked
    folder, is updated at its target and stays a link (docs/security.md, as ozml fmt and
    --fix); one leading out of the walked folder is neither read nor written."""
    real = tree / "real.toml"
    real.write_text(scenario(script="app/menu.xml"))
    link = tree / "link.scenario.toml"
    link.symlink_to("real.toml")
    code, out, _ = ozml(capsys, "test", "link.scenario.toml", "--update")
    assert code == 0, out
    assert link.is_symlink()
    assert real.read_text().startswith(scenario(script="app/menu.xml"))
    assert "[expect]" in real.read_text()
    outside = tree.parent / f"{tree.name}-outside.scenario.toml"
    outside.write_text(scenario(script=str(tree / "app" / "menu.xml")))
    (tree / "scenarios" / "out.scenario.toml").symlink_to(outside)
    ozml(capsys, "test", "scenarios", "--update")
    assert "[expect]" not in outside.read_text()


def test_the_lint_gate_reads_the_scripts_configuration(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "bad.xml").write_text("<Response><ForwardCall/></Response>")
    (tree / "bad.scenario.toml").write_text('script = "bad.xml"\n')
    (tree / "ozml.toml").write_text("ignore = ['OZ201']\n")
    code, out, _ = ozml(capsys, "test", "bad.scenario.toml")
    assert code == 0, out
    code, out, _ = ozml(capsys, "test", "bad.scenario.toml", "--isolated")
    assert code == 1
    assert "OZ201 ForwardCall needs Destination" in out
    other = tree / "strict.toml"
    other.write_text("# no settings\n")
    code, _, _ = ozml(capsys, "test", "bad.scenario.toml", "--config", str(other))
    assert code == 1
    code, _, err = ozml(capsys, "test", "bad.scenario.toml", "--config", "missing.toml")
    assert code == 2
    assert err.startswith("ozml: error: ")
    assert err.count("\n") == 1


def test_the_real_command_in_a_subprocess(tree: Path) -> None:
    failing_tree(tree)
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "test", "-k", "sales and not busy"],
        cwd=tree, capture_output=True, text=True, timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == "scenarios/sales.toml F"
    assert "Traceback" not in done.stderr


def test_update_with_app_writes_the_applications_url_as_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def hello(port: int) -> bytes:
        return f"<Response><Speak>Hello from http://127.0.0.1:{port}</Speak></Response>".encode()

    path = tmp_path / "hello.scenario.toml"
    path.write_text('context = "extension"\n')
    with application(hello) as first, application(hello) as second:
        for url, args in ((first, ["--update"]), (second, [])):
            code, out, _ = ozml(capsys, "test", str(path), "--app", url, *args)
            assert code == 0, out
    assert path.read_text() == (
        'context = "extension"\n\n[expect]\nend = \'end-of-script\'\ntrace = [\n'
        "    '0s Speak Text=\"Hello from {app}\" -> ok',\n"
        "    '1.2s end -> end-of-script',\n]\n"
    )


@pytest.mark.parametrize(
    ("changed", "said"),
    [
        # No [expect] section: the update would add one.
        (b'context = "extension"\nx = [\n',
         ":3:1: not valid TOML: Invalid value (at the end of the file); [expect] not updated"),
        # An [expect] section: its keys would be replaced in a file that is not TOML.
        (b'context = "extension"\nx = = 1\n[expect]\nend = "hangup"\n',
         ":2:5: not valid TOML: Invalid value; [expect] not updated"),
        # Not text: said as ozml test says it of a scenario it reads.
        (b'context = "\xff"\n', ":1:12: not UTF-8 text (byte 0xFF); [expect] not updated"),
    ],
)
def test_update_of_a_scenario_changed_into_invalid_toml_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changed: bytes, said: str
) -> None:
    """The scenario is edited while it runs (its application rewrites it on the first request):
    --update reads a file that is no longer TOML, says FILE:LINE:COLUMN as every other message
    about a scenario does, and leaves the file as it is now."""
    path = tmp_path / "hello.scenario.toml"

    def rewritten(port: int) -> bytes:
        path.write_bytes(changed)
        return b"<Response><Speak>Hello</Speak></Response>"

    path.write_text('context = "extension"\n')
    with application(rewritten) as url:
        code, out, err = ozml(capsys, "test", str(path), "--app", url, "--update")
    assert code == 2, out
    assert f"    {path}{said}\n" in out, out
    assert "Traceback" not in out + err
    assert path.read_bytes() == changed


def test_folders_are_walked_as_ozml_check_walks_them(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What git ignores is not searched (unless --no-respect-gitignore); named, it is taken."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    (tree / ".gitignore").write_text("scenarios/more/\n", encoding="utf-8")
    code, out, err = ozml(capsys, "test")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[:-2]] == [
        "app/menu.scenario.toml", "scenarios/sales.toml",
    ]
    code, out, _ = ozml(capsys, "test", "--no-respect-gitignore")
    assert code == 0
    assert "scenarios/more/busy.toml ." in out.splitlines()
    code, out, _ = ozml(capsys, "test", "scenarios/more/busy.toml")
    assert (code, out.splitlines()[0]) == (0, "scenarios/more/busy.toml .")
