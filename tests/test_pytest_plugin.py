"""The pytest plugin (`ozml.pytest_plugin`): scenario files as test items, only when asked."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

MENU = """<Response>
  <UserInput Timeout="5">
    <InitialCommands><Speak>Press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><BlindTransfer>102</BlindTransfer></Input></Inputs>
  </UserInput>
</Response>
"""
PASSING = """script = "../menu.xml"
description = "sales answers"
[input]
dtmf = ["1"]
[expect]
end = "transferred"
"""
FAILING = """script = "../menu.xml"
description = "sales is busy"
[input]
dtmf = ["1"]
[outcomes]
transfer = "busy"
[expect]
trace = [
    '0s UserInput Timeout="5" -> menu',
    '0s Speak Text="Press 2" -> ok',
]
"""
APP_ONLY = 'description = "for a running application"\n'
TEST_MODULE = "def test_ordinary():\n    assert True\n"
#: What every inner run's ini says besides its own settings (pytest-asyncio warns without it).
INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".xml", menu=MENU)
    scenarios = pytester.mkdir("scenarios")
    (scenarios / "sales.toml").write_text(PASSING)
    (scenarios / "busy.toml").write_text(FAILING)
    (scenarios / "app.toml").write_text(APP_ONLY)
    pytester.makepyfile(test_ordinary=TEST_MODULE)
    pytester.makeini(INI)
    return pytester


def test_without_the_option_nothing_changes(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q")
    result.assert_outcomes()
    assert result.outlines[0] == "test_ordinary.py::test_ordinary"
    assert not any("scenarios" in line for line in result.outlines)
    project.runpytest().assert_outcomes(passed=1)


def test_the_collector_is_registered_only_with_the_option(
    request: pytest.FixtureRequest,
) -> None:
    # This very run loads the plugin (the pytest11 entry point) without the option.
    assert request.config.pluginmanager.get_plugin("ozml") is not None
    assert request.config.pluginmanager.get_plugin("ozml-scenarios-collector") is None


def test_each_scenario_is_an_item_with_ozml_tests_verdict(project: pytest.Pytester) -> None:
    result = project.runpytest("--ozml-scenarios", "-v", "-rs")
    result.assert_outcomes(passed=2, failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "scenarios/app.toml::app SKIPPED (no script*",
        "scenarios/busy.toml::busy FAILED*",
        "scenarios/sales.toml::sales PASSED*",
        "test_ordinary.py::test_ordinary PASSED*",
    ])
    # The failure reads as `ozml test` shows it: the same messages, the same diff.
    result.stdout.fnmatch_lines([
        "*ozml scenario busy.toml*",
        "scenario scenarios/busy.toml (sales is busy) failed:",
        "the trace differs (- expected, + actual):",
        "--- expected",
        "+++ actual",
        "@@ -1,2 +1,5 @@",
        " 0s UserInput Timeout=\"5\" -> menu",
        "-0s Speak Text=\"Press 2\" -> ok",
        "+0s Speak Text=\"Press 1\" -> ok",
        "+0.8s input Digits=\"1\" -> matched",
        "+0.8s BlindTransfer Target=\"102\" -> busy",
    ])
    result.stdout.fnmatch_lines(["SKIPPED ?1? scenarios/app.toml:1: no script:*"])


def test_the_same_diff_as_ozml_test(project: pytest.Pytester) -> None:
    from ozml.cli import main

    result = project.runpytest("--ozml-scenarios", "-k", "busy")
    lines = result.outlines
    start = lines.index("scenario scenarios/busy.toml (sales is busy) failed:") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("====="))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["test", "-q", "--color", "never", "scenarios/busy.toml"]) == 1
    cli = out.getvalue().splitlines()
    assert cli[0] == "FAILED scenarios/busy.toml (sales is busy)"
    details = [line.removeprefix("    ") for line in cli[1 : cli.index("")]]
    assert lines[start:end] == details
    assert details[0] == "the trace differs (- expected, + actual):"


def test_keyword_matches_the_description(project: pytest.Pytester) -> None:
    result = project.runpytest("--ozml-scenarios", "-k", "answers")
    result.assert_outcomes(passed=1, deselected=3)


def test_a_broken_scenario_fails_with_its_one_line(project: pytest.Pytester) -> None:
    (project.path / "scenarios" / "broken.toml").write_text('script = "../menu.xml"\n[input]\n')
    (project.path / "scenarios" / "broken.toml").write_text("script = 1\n[nope]\n")
    result = project.runpytest("--ozml-scenarios", "-k", "broken")
    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines([
        "scenario scenarios/broken.toml could not run:",
        "scenarios/broken.toml:2:2: nope: unknown key in the top level*",
    ])
    assert "Traceback" not in result.stdout.str()


def test_the_ini_paths_are_collected_besides_testpaths(pytester: pytest.Pytester) -> None:
    pytester.makefile(".xml", menu=MENU)
    checks = pytester.mkdir("checks")
    # Not a folder named scenarios: the ini setting makes its TOML files scenarios.
    (checks / "sales.toml").write_text(PASSING)
    tests = pytester.mkdir("tests")
    (tests / "test_ordinary.py").write_text(TEST_MODULE)
    pytester.makeini(INI + "testpaths = tests\nozml_scenarios = checks\n")
    result = pytester.runpytest("--ozml-scenarios", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["checks/sales.toml::sales PASSED*"])
    # Paths on the command line are what is collected.
    pytester.runpytest("--ozml-scenarios", "tests").assert_outcomes(passed=1)
    # Without the option, the ini setting does nothing.
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_real_pytest_process(project: pytest.Pytester) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--ozml-scenarios", "-q", "-p", "no:cacheprovider",
         "scenarios/sales.toml"],
        cwd=project.path, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout.splitlines()[-1]


def test_the_repositorys_own_scenarios_pass_under_pytest() -> None:
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--ozml-scenarios", "-q", "-p", "no:cacheprovider",
         "examples/scenarios"],
        cwd=repo, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("31 passed, 4 skipped")
