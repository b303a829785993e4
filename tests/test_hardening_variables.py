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

import pytest

from ozml.cli import main
from ozml.interpreter.scenario import ScenarioError, load_scenario, parse_scenario

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
    assert done.stdout.splitlines() == [
        "ERROR /dev/zero: cannot read: not a regular file",
        "0 passed, 1 could not run",
    ]
    assert "Traceback" not in done.stderr


@needs_dev_zero
def test_ozml_run_refuses_a_device_as_scenario_or_script(tmp_path: Path) -> None:
    script = tmp_path / "hello.xml"
    script.write_text(SCRIPT, encoding="utf-8")
    done = limited("run", str(script), "--scenario", "/dev/zero")
    assert (done.returncode, done.stderr) == (
        2, "ozml run: /dev/zero: cannot read: not a regular file\n"
    )
    done = limited("run", "/dev/zero")
    assert (done.returncode, done.stderr) == (
        2, "ozml run: cannot read /dev/zero: not a regular file\n"
    )


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
    assert done.stdout.splitlines()[0] == (
        f"ERROR {scenario}: urls.'http://app/x'.file: cannot read '/dev/zero':"
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
    assert out.splitlines() == [
        f"ERROR {scenario}: script: cannot read {script}: is 10,485,781 bytes, larger than the"
        " 10,485,760-byte limit",
        "0 passed, 1 could not run",
    ]


def test_a_folder_as_scenario_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ScenarioError, match=r": cannot read: is a folder$"):
        load_scenario(tmp_path)


def test_deeply_nested_toml_is_a_scenario_error_not_a_crash() -> None:
    text = "[variables]\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, Path("s.toml"))
    assert str(caught.value) == "s.toml: not valid TOML: arrays or tables nested too deeply"


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]
