"""Configuration validation is one definition (ozml.config): every command that loads a
configuration reports an unknown key, in any table, as the same error (exit 2). An ``[api]``
typo was reported by ``ozml api`` only; ``ozml api`` did not report the linter's typos.
Every case runs the real `ozml`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

API_TYPO = (
    "api.urll: unknown key; did you mean 'url'? (allowed: url, username, password, timeout,"
    " wire-names)"
)
COMMANDS = [
    ["check", "a.xml"],
    ["fmt", "--check", "a.xml"],
    ["graph", "a.xml"],
    ["run", "a.xml"],
    ["test", "a.scenario.toml"],
    ["api", "ListExtensions", "--api-url", "http://127.0.0.1:9"],
    ["lsp", "--config", "{config}"],
]


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "a.xml").write_text("<Response><Speak>Hello</Speak></Response>\n")
    (tmp_path / "a.scenario.toml").write_text('script = "a.xml"\n')
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("ozml.toml", '[api]\nurll = "http://pbx:9509"\n', f"ozml.toml:2:1: {API_TYPO}"),
        ("pyproject.toml", '[tool.ozml.api]\nurll = "http://pbx:9509"\n',
         f"pyproject.toml:2:1: [tool.ozml] {API_TYPO}"),
        ("ozml.toml", 'selec = ["OZ2"]\n', "ozml.toml:1:1: selec: unknown key; did you mean"
         " 'select'?"),
        ("ozml.toml", "[format]\nindent-widht = 4\n", "ozml.toml:2:1: format.indent-widht:"
         " unknown key; did you mean 'indent-width'?"),
    ],
    ids=["api", "tool.ozml.api", "top-level", "format"],
)
def test_every_command_reports_an_unknown_key_in_any_table_alike(
    here: Path, command: list[str], name: str, text: str, message: str
) -> None:
    (here / name).write_text(text)
    done = ozml(here, *(arg.replace("{config}", name) for arg in command))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"ozml: error: {message}"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_an_api_value_is_never_shown(here: Path) -> None:
    (here / "ozml.toml").write_text('api = "s3cret-password"\n')
    for command in (["check", "a.xml"], ["api", "ListExtensions"]):
        done = ozml(here, *command)
        assert (done.returncode, done.stderr) == (
            2, "ozml: error: ozml.toml:1:1: api: expected a table\n"
        )


def test_a_known_api_table_is_no_lint_error(here: Path) -> None:
    (here / "ozml.toml").write_text(
        '[api]\nurl = "http://pbx:9509"\ntimeout = 5\n[api.wire-names]\n"A.B" = "C"\n'
    )
    done = ozml(here, "check", "a.xml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
