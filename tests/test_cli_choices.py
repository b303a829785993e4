"""A choice option takes its value in any letter case, as the configuration does (``context =
"3PCC"``), by one mechanism (`ozml.cli.common.one_of`) that every choice option of every
subcommand uses; --help and the errors show the canonical spellings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.cli import build_parser
from ozml.cli.common import ChoiceType

SCRIPT = "<Response><Speak>Hello</Speak><ForwardCall/></Response>\n"


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def parsers(
    parser: argparse.ArgumentParser, name: str = "ozml"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from parsers(sub, f"{name} {sub_name}")


def choice_actions() -> list[tuple[str, argparse.Action]]:
    found = []
    for name, parser in parsers(build_parser()):
        for action in parser._actions:
            if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
                found.append((f"{name} {'/'.join(action.option_strings) or action.dest}", action))
    return found


def test_every_choice_option_takes_any_letter_case_by_the_one_mechanism() -> None:
    actions = choice_actions()
    assert len(actions) >= 15  # --format of every command, --color, --context, --fail-on, ...
    for where, action in actions:
        assert isinstance(action.type, ChoiceType), where
        choices = list(action.choices or ())
        for value in choices:
            assert action.type(value.upper()) == value, where
            assert action.type(value.title()) == value, where


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--format", "JSON", "a.xml"], '"code": "OZ201"'),
        (["check", "--output-format", "Concise", "a.xml"], "a.xml:1:32: OZ201"),
        (["check", "--fail-on", "ERROR", "--context", "3PCC", "--format", "concise", "a.xml"],
         "OZ201"),
        (["check", "--color", "NEVER", "a.xml"], "ForwardCall needs Destination"),
        (["graph", "--format", "DOT", "a.xml"], "digraph ozml {"),
        (["run", "--format", "Json", "--force", "a.xml"], '"command": "Speak"'),
        (["rules", "--format", "JSON"], '"code": "OZ001"'),
        (["version", "--format", "Json"], '"ozml": '),
        (["fmt", "--indent-style", "TAB", "--diff", "a.xml"], "\t<Speak>Hello</Speak>"),
        (["completion", "BASH"], "complete"),
    ],
    ids=lambda value: " ".join(value[:3]) if isinstance(value, list) else "",
)
def test_choices_in_any_letter_case(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "a.xml").write_text(SCRIPT)
    done = ozml(tmp_path, *args)
    assert done.returncode in (0, 1), done.stderr
    assert expected in done.stdout, done.stdout + done.stderr


def test_help_and_errors_show_the_canonical_spellings(tmp_path: Path) -> None:
    shown = ozml(tmp_path, "check", "--help")
    assert "{text,concise,json,sarif,github,junit}" in shown.stdout
    refused = ozml(tmp_path, "check", "--format", "XML", ".")
    assert refused.returncode == 2
    assert (
        "argument --format/--output-format: invalid choice: 'XML' (choose from 'text',"
        " 'concise', 'json', 'sarif', 'github', 'junit')"
    ) in refused.stderr
