"""What every subcommand shares: no abbreviations, one error style, aliases, version, completion,
colour and accumulating options (ozml.cli.common, ozml.cli.__init__)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from ozml.cli import ALIASES, SUBCOMMANDS, build_parser, main
from ozml.cli.common import ListAction, color_wanted

ROOT = Path(__file__).resolve().parent.parent
OZML = [sys.executable, "-m", "ozml"]


def ozml(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OZML, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


# -- abbreviations and the error style ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "unknown"),
    [
        (["check", "--sel", "OZ2", "examples/alarm.xml"], "--sel"),
        (["fmt", "--che", "examples/alarm.xml"], "--che"),
        (["run", "--dry", "examples/alarm.xml"], "--dry"),
    ],
)
def test_abbreviated_options_are_refused(args: list[str], unknown: str) -> None:
    done = ozml(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"usage: ozml {args[0]} "), done.stderr
    assert lines[-1] == (
        f"ozml: error: unrecognized arguments: {unknown} (see `ozml {args[0]} --help`)"
    )
    assert "Traceback" not in done.stderr


def test_every_parser_refuses_abbreviations() -> None:
    parser = build_parser()
    assert parser.allow_abbrev is False
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        assert sub.allow_abbrev is False, name


def test_a_bad_choice_is_one_error_line_after_the_usage() -> None:
    done = ozml("check", "--format", "yaml", "examples/alarm.xml")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("usage: ozml check")
    assert lines[-1].startswith("ozml: error: argument --format")
    assert "`ozml check --help`" in lines[-1]


# -- aliases ---------------------------------------------------------------------------------


def test_format_is_fmt(tmp_path: Path) -> None:
    assert ALIASES == {"format": "fmt"}
    assert all(target in SUBCOMMANDS for target in ALIASES.values())
    messy = '<?xml version="1.0"?>\n<Response><Speak>Hi</Speak>\n</Response>\n'
    by_fmt = subprocess.run([*OZML, "fmt", "-"], input=messy, capture_output=True, text=True)
    by_format = subprocess.run(
        [*OZML, "format", "-"], input=messy, capture_output=True, text=True
    )
    assert by_fmt.returncode == by_format.returncode == 0
    assert by_format.stdout == by_fmt.stdout
    assert "<Speak>Hi</Speak>" in by_format.stdout
    assert "also: ozml format" in ozml("--help").stdout


# -- version ---------------------------------------------------------------------------------


def test_version_names_the_xml_libraries() -> None:
    from ozml import __version__

    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    one = ozml("--version")
    assert one.returncode == 0
    assert one.stdout.startswith(f"ozml {__version__} (Python ")
    assert f"lxml {etree.__version__}" in one.stdout
    assert f"libxml2 {libxml2}" in one.stdout
    table = ozml("version")
    assert table.returncode == 0
    assert f"lxml:             {etree.__version__}" in table.stdout
    facts = json.loads(ozml("version", "--format", "json").stdout)
    assert facts["ozml"] == __version__
    assert facts["libxml2"] == libxml2
    assert facts["libxml2-compiled"] == ".".join(map(str, etree.LIBXML_COMPILED_VERSION))
    assert set(facts) == {"ozml", "python", "lxml", "libxml2", "libxml2-compiled", "platform"}


# -- completion, in the real shells --------------------------------------------------------


def _bin_env() -> dict[str, str]:
    """An environment whose PATH finds this interpreter's `ozml` first."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _needs(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    if shutil.which("ozml", path=_bin_env()["PATH"]) is None:
        pytest.skip("the ozml script is not installed next to this interpreter")
    return found


def _bash_complete(line: str) -> list[str]:
    bash = _needs("bash")
    words = line.split(" ")
    script = (
        "source <(ozml completion bash)\n"
        f"COMP_LINE={line!r}; COMP_POINT={len(line)}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_python_argcomplete ozml\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [bash, "--norc", "-c", script], capture_output=True, text=True, env=_bin_env(), timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [w.strip() for w in done.stdout.splitlines() if w.strip()]


def test_bash_completes_subcommands_options_and_rule_codes() -> None:
    assert _bash_complete("ozml ch") == ["check"]
    assert "format" in _bash_complete("ozml fo")
    assert _bash_complete("ozml check --sel") == ["--select"]
    assert _bash_complete("ozml rule OZ20") == ["OZ201", "OZ202"]
    assert _bash_complete("ozml check --output-f") == ["--output-format", "--output-file"]
    assert _bash_complete("ozml check --select OZ60") == ["OZ601", "OZ602"]
    assert _bash_complete("ozml rule OZ81") == ["OZ811", "OZ812", "OZ813", "OZ814", "OZ815"]
    assert _bash_complete("ozml check --ignore dead-") == ["dead-link"]
    assert _bash_complete("ozml check --format s") == ["sarif"]
    assert "fish" in _bash_complete("ozml completion ")


def test_fish_completes_from_the_printed_script() -> None:
    fish = _needs("fish")
    script = (
        "ozml completion fish | source\n"
        'complete -C "ozml ch"\n'
        'complete -C "ozml rule OZ20"\n'
    )
    done = subprocess.run(
        [fish, "--no-config", "-c", script], capture_output=True, text=True, env=_bin_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    first = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert first == ["check", "OZ201", "OZ202"]


def test_zsh_loads_the_script_and_gets_answers_through_its_protocol() -> None:
    zsh = _needs("zsh")
    script = (
        "autoload -U compinit && compinit -u\n"
        "source <(ozml completion zsh)\n"
        "whence -w _python_argcomplete\n"
        "IFS=$'\\013' COMP_LINE='ozml rule OZ20' COMP_POINT=14 _ARGCOMPLETE=1"
        " _ARGCOMPLETE_SHELL=zsh _ARGCOMPLETE_SUPPRESS_SPACE=1 ozml 8>&1 9>&2 1>/dev/null"
        " 2>&1 </dev/null\n"
    )
    done = subprocess.run(
        [zsh, "-f", "-c", script], capture_output=True, text=True, env=_bin_env(), timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "_python_argcomplete: function" in done.stdout
    answers = done.stdout.split("\n", 1)[1].split("\x0b")
    assert [a.split(":")[0] for a in answers] == ["OZ201", "OZ202"]


def test_completion_takes_one_of_three_shells() -> None:
    done = ozml("completion", "tcsh")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("ozml: error: argument SHELL")


# -- colour ------------------------------------------------------------------------------------


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("choice", "env", "tty", "wanted"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # an empty NO_COLOR does not count
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
        (None, {}, True, True),
    ],
)
def test_color_wanted(
    monkeypatch: pytest.MonkeyPatch, choice: str | None, env: dict[str, str], tty: bool,
    wanted: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert color_wanted(choice, _Stream(tty)) is wanted  # type: ignore[arg-type]


# -- accumulating lists --------------------------------------------------------------------


def test_list_options_accumulate() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--select", action=ListAction)
    assert parser.parse_args([]).select is None
    assert parser.parse_args(["--select", ""]).select == []
    assert parser.parse_args(["--select", "OZ2", "--select", "OZ3, OZ4"]).select == [
        "OZ2",
        "OZ3",
        "OZ4",
    ]


def test_main_returns_two_for_usage_errors_in_process() -> None:
    assert main(["check", "--no-such-option"]) == 2
    assert main(["no-such-command"]) == 2


def test_every_format_option_is_also_output_format() -> None:
    """ruff's name works wherever ozml has --format (as in `ozml rules --output-format json`)."""
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    with_format = []
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if "--format" in action.option_strings:
                with_format.append(name)
                assert "--output-format" in action.option_strings, name
    assert {"check", "run", "test", "rules", "commands", "command", "api", "version"} <= set(
        with_format
    )
    rules = json.loads(ozml("rules", "--output-format", "json").stdout)
    assert rules[0]["code"] == "OZ001"
