"""`ozml check`'s options as ruff users expect them: accumulating rule lists, --exit-zero,
--output-format, -o, --config/--isolated, --color, -q/-v, the closing lines on a terminal, and
one error style. Real `ozml` subprocesses; a real pseudo-terminal where a terminal matters."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BAD = "<Response>\n  <ForwardCall/>\n  <Speek>hi</Speek>\n</Response>\n"
CLEAN = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"
WARN = "<Response>\n  <speak>Hello</speak>\n  <Hangup/>\n  <Hangup/>\n</Response>\n"


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "bad.xml").write_text(BAD)
    (tmp_path / "clean.xml").write_text(CLEAN)
    (tmp_path / "warn.xml").write_text(WARN)
    return tmp_path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(extra)
    return env


def ozml(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def on_terminal(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run with standard error on a pseudo-terminal: (exit status, stdout, what the terminal
    showed)."""
    pty = pytest.importorskip("pty")  # a pseudo-terminal: POSIX only
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
            cwd=cwd,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=slave,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        os.close(slave)
        slave = -1
        stdout, _ = process.communicate(timeout=60)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    return process.returncode, stdout, b"".join(chunks).decode().replace("\r\n", "\n")


def codes(done: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted({f["code"] for f in json.loads(done.stdout)})


def test_repeated_rule_options_add_up(here: Path) -> None:
    both = ozml(here, "--format", "json", "--select", "OZ2", "--select", "OZ3", "bad.xml",
                "warn.xml")
    assert codes(both) == ["OZ201", "OZ303"]
    assert codes(both) == codes(
        ozml(here, "--format", "json", "--select", "OZ2,OZ3", "bad.xml", "warn.xml")
    )
    ignored = ozml(here, "--format", "json", "--ignore", "OZ102", "--ignore", "OZ303",
                   "bad.xml", "warn.xml")
    assert codes(ignored) == ["OZ201", "OZ402"]
    extended = ozml(here, "--format", "json", "--select", "OZ201", "--extend-select", "OZ102",
                    "--extend-select", "OZ402", "bad.xml", "warn.xml")
    assert codes(extended) == ["OZ102", "OZ201", "OZ402"]


def test_exit_zero_and_output_format(here: Path) -> None:
    done = ozml(here, "--exit-zero", "bad.xml")
    assert done.returncode == 0
    assert "Found 2 findings" in done.stdout
    assert ozml(here, "--exit-zero", "missing.xml").returncode == 2  # errors still fail
    aliased = ozml(here, "--output-format", "concise", "bad.xml")
    assert aliased.stdout == ozml(here, "--format", "concise", "bad.xml").stdout
    assert aliased.returncode == 1


def test_output_file_holds_the_report_and_stdout_stays_empty(here: Path) -> None:
    (here / "out").mkdir()
    (here / "out" / "report.json").write_text("old")
    done = ozml(here, "--format", "json", "-o", "out/report.json", "bad.xml", "clean.xml")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    assert json.loads((here / "out" / "report.json").read_text()) == json.loads(
        ozml(here, "--format", "json", "bad.xml", "clean.xml").stdout
    )
    assert [p.name for p in (here / "out").iterdir()] == ["report.json"]  # no temporary left
    text = ozml(here, "--output-file", "out/report.txt", "--color", "auto", "bad.xml")
    assert text.stdout == ""
    assert (here / "out" / "report.txt").read_text() == ozml(here, "bad.xml").stdout
    missing = ozml(here, "-o", "nowhere/report.txt", "bad.xml")
    assert missing.returncode == 2
    assert missing.stderr == (
        "ozml: error: nowhere/report.txt: not written: no such file or folder\n"
    )


def test_config_file_and_isolated(here: Path) -> None:
    (here / "ozml.toml").write_text('ignore = ["OZ102"]\n')
    (here / "strict.toml").write_text('ignore = ["OZ201"]\n')
    assert codes(ozml(here, "--format", "json", "bad.xml")) == ["OZ201"]
    assert codes(ozml(here, "--format", "json", "--config", "strict.toml", "bad.xml")) == [
        "OZ102"
    ]
    assert codes(ozml(here, "--format", "json", "--isolated", "bad.xml")) == ["OZ102", "OZ201"]
    both = ozml(here, "--config", "strict.toml", "--isolated", "bad.xml")
    assert both.returncode == 2
    assert both.stderr.splitlines()[-1].startswith(
        "ozml: error: argument --isolated: not allowed with argument --config"
    )
    gone = ozml(here, "--config", "gone.toml", "bad.xml")
    assert (gone.returncode, gone.stdout) == (2, "")
    assert gone.stderr.startswith("ozml: error: ")
    assert gone.stderr.count("\n") == 1


def test_color_choices(here: Path) -> None:
    assert "\x1b[" in ozml(here, "--color", "always", "bad.xml").stdout
    assert "\x1b[" not in ozml(here, "--color", "never", "bad.xml").stdout
    assert "\x1b[" not in ozml(here, "--color", "auto", "bad.xml").stdout  # a pipe
    assert "\x1b[" in ozml(here, "bad.xml", env=_env(FORCE_COLOR="1")).stdout
    assert "\x1b[" not in ozml(here, "bad.xml", env=_env(FORCE_COLOR="1", NO_COLOR="1")).stdout
    assert "\x1b[" not in ozml(here, "--no-color", "bad.xml", env=_env(FORCE_COLOR="1")).stdout
    assert "\x1b[" not in ozml(here, "--color", "always", "--format", "json", "bad.xml").stdout


def test_quiet_and_verbose(here: Path) -> None:
    (here / "sub").mkdir()
    (here / "sub" / "ozml.toml").write_text('ignore = ["OZ303"]\n')
    (here / "sub" / "a.xml").write_text(WARN)
    quiet = ozml(here, "-q", "bad.xml", "sub")
    assert "Found" not in quiet.stdout
    assert quiet.stderr == ""
    verbose = ozml(here, "-v", "--format", "json", "bad.xml", "clean.xml", "sub")
    assert verbose.returncode == 1
    json.loads(verbose.stdout)  # the document stays clean
    lines = [re.sub(r" in \d+\.\d ms;", " in T ms;", line) for line in verbose.stderr.splitlines()]
    defaults = "settings from defaults (no configuration)"
    assert lines[0] == f"ozml: bad.xml: 2 findings in T ms; {defaults}"
    assert lines[1] == f"ozml: clean.xml: 0 findings in T ms; {defaults}"
    assert lines[2] == "ozml: sub/a.xml: 1 finding in T ms; settings from sub/ozml.toml"
    assert lines[3] == "Found 3 findings (2 errors, 1 warning) in 2 files; 3 files checked."
    assert lines[4] == (
        "No fixes available (1 hidden fix can be enabled with the --unsafe-fixes option)."
    )
    assert lines[5].startswith("ozml: checked in ")
    assert lines[5].endswith(" s (1 process)")


def test_closing_lines_on_a_terminal(here: Path) -> None:
    code, out, terminal = on_terminal(here, "clean.xml")
    assert (code, out, terminal) == (0, "", "All checks passed! 1 file checked.\n")
    code, out, terminal = on_terminal(here, "--format", "concise", "warn.xml", "clean.xml")
    assert code == 1
    assert out.endswith("Found 2 findings (2 warnings) in 1 file; 2 files checked.\n")
    assert terminal == (
        "Found 2 findings (2 warnings) in 1 file; 2 files checked.\n"
        "[*] 1 fixable with the --fix option.\n"
    )
    code, out, terminal = on_terminal(here, "--format", "sarif", "bad.xml", "warn.xml")
    assert json.loads(out)["version"] == "2.1.0"
    assert terminal == (
        "Found 4 findings (2 errors, 2 warnings) in 2 files; 2 files checked.\n"
        "[*] 1 fixable with the --fix option (1 hidden fix can be enabled with the"
        " --unsafe-fixes option).\n"
    )
    assert on_terminal(here, "-q", "clean.xml") == (0, "", "")
    # With --diff the fixes are shown, not hinted at.
    code, out, terminal = on_terminal(here, "--diff", "warn.xml")
    assert out.startswith("--- warn.xml\n+++ warn.xml\n")
    assert terminal == "ozml: Would fix 1 finding in 1 file.\n"
    # Not a terminal: standard error stays empty.
    assert ozml(here, "clean.xml").stderr == ""
    assert ozml(here, "warn.xml").stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--watch", "-"], "--watch cannot watch - (standard input)"),
        (["--watch", "--fix", "."], "--watch only reports"),
        (["--exit-non-zero-on-fix", "."], "--exit-non-zero-on-fix needs --fix"),
        (["--select", "OZ99", "."], "--select: 'OZ99' is not a rule code"),
        (["--exclude", "[z-a]", "."], "'[z-a]' is not a valid glob"),
        (["--sel", "OZ2", "."], "unrecognized arguments: --sel"),
        (["--fix", "--diff", "."], "--fix and --diff cannot be used together"),
        (["missing.xml"], "missing.xml: no such file or folder"),
    ],
)
def test_every_error_is_one_line_in_one_style(here: Path, args: list[str], message: str) -> None:
    done = ozml(here, *args)
    assert done.returncode == 2
    last = done.stderr.splitlines()[-1]
    assert last.startswith("ozml: error: "), done.stderr
    assert message in last
    assert all(
        line.startswith(("ozml: ", "usage: ", " ")) for line in done.stderr.splitlines()
    ), done.stderr
    assert "Traceback" not in done.stderr
