"""Every configuration error says ``FILE:LINE:COLUMN:`` of the key or value it is about: the
lint settings and each table of ``ozml.toml`` (or ``[tool.ozml]`` in ``pyproject.toml``),
scenario files and the simulator's configuration, through one lookup of a key path's place in
the TOML text (`ozml.tomlpositions`). Each case runs the real ``ozml`` and pins its one line
and exit status 2 (docs/cli.md). Most of these said only ``ozml.toml: select: ...``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.tomlpositions import TomlPositions, invalid_toml

DOCUMENT = "<Response><Speak>Hello</Speak></Response>\n"


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def refused(cwd: Path, *args: str) -> str:
    """The one error line of a run that must stop with exit status 2."""
    done = ozml(cwd, *args)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    return done.stderr.removeprefix("ozml: error: ").rstrip("\n")


@pytest.fixture
def here(tmp_path: Path) -> Path:
    (tmp_path / "a.xml").write_text(DOCUMENT)
    return tmp_path


# --- ozml.toml and [tool.ozml] ------------------------------------------------------------------

CONFIGURATIONS = [
    # A value of the wrong type: where the value is.
    ("select", 'select = "OZ2"\n',
     "ozml.toml:1:10: select: expected a list of strings, found a string ('OZ2')"),
    # One element of a list: where that element is.
    ("ignore element", 'ignore = [\n  "OZ201",\n  "missing-paramter",\n]\n',
     "ozml.toml:3:3: ignore: 'missing-paramter' is not a rule code, code prefix or rule name;"
     " did you mean 'missing-parameter'?"),
    ("exclude glob", 'exclude = ["ok", "[z-a]"]\n',
     "ozml.toml:1:18: exclude: '[z-a]' is not a valid glob"),
    ("templates", 'templates = ["php", "jinja3"]\n',
     "ozml.toml:1:21: templates: 'jinja3' is not a template syntax; did you mean 'jinja'?"),
    ("context", '# the default\ncontext   =   "3PC"\n',
     "ozml.toml:2:15: context: unknown context '3PC'"),
    ("max-bytes", "max-bytes = 0\n",
     "ozml.toml:1:13: max-bytes: expected a positive whole number, found a number (0)"),
    ("respect-gitignore", 'respect-gitignore = "yes"\n',
     "ozml.toml:1:21: respect-gitignore: expected true or false, found a string ('yes')"),
    # An unknown key: where the key is.
    ("unknown key", 'select = ["ALL"]\n  selct = ["OZ2"]\n',
     "ozml.toml:2:3: selct: unknown key; did you mean 'select'?"),
    ("formatter key at the top", "indent-width = 4\n",
     "ozml.toml:1:1: indent-width: unknown key here; indent-width is a formatter setting"),
    # Severities: a bad level is its value, a bad rule is its key.
    ("severity level", '[severity]\nOZ402 = "fatal"\n',
     "ozml.toml:2:9: severity 'OZ402': unknown severity 'fatal'"),
    ("severity rule", '[severity]\nOZ402 = "error"\nunreachable-comand = "info"\n',
     "ozml.toml:3:1: severity 'unreachable-comand': 'unreachable-comand' is not a rule code"),
    ("severity inline", 'severity = { OZ402 = "error", OZ7 = 3 }\n',
     "ozml.toml:1:37: severity 'OZ7': expected a string, found a number (3)"),
    ("severity not a table", "severity = 3\n",
     "ozml.toml:1:12: severity: expected a table, found a number (3)"),
    # Per-file settings.
    ("per-file-ignores", '[per-file-ignores]\n"legacy/*" = "OZ301"\n',
     "ozml.toml:2:14: per-file-ignores 'legacy/*': expected a list of strings, found a string"),
    ("per-file-ignores code", '[per-file-ignores]\n"legacy/*" = ["OZ301", "OZ99"]\n',
     "ozml.toml:2:24: per-file-ignores 'legacy/*': 'OZ99' is not a rule code"),
    ("per-file-contexts", "[per-file-contexts]\n'calls/*' = 'transfer'\n",
     "ozml.toml:2:13: per-file-contexts 'calls/*': unknown context 'transfer'"),
    ("per-file glob", '[per-file-contexts]\n"[z-a]" = "3pcc"\n',
     "ozml.toml:2:1: per-file-contexts: '[z-a]' is not a valid glob"),
    # [format], as a table, as dotted keys, and under [tool.ozml] in ozml.toml.
    ("format value", '[format]\nline-length = 100\nindent-style = "tabs"\n',
     "ozml.toml:3:16: format.indent-style: expected one of space, tab, found a string"
     " ('tabs'); did you mean 'tab'?"),
    ("format key", "[format]\nindent-widht = 4\n",
     "ozml.toml:2:1: format.indent-widht: unknown key; did you mean 'indent-width'?"),
    ("format dotted", 'select = ["ALL"]\nformat.indent-style = "tabs"\n',
     "ozml.toml:2:23: format.indent-style: expected one of space, tab"),
    ("tool.ozml in ozml.toml", '[tool.ozml]\nselect = ["ALL"]\n[tool.ozml.format]\n'
     "line-length = 0\n",
     "ozml.toml:4:15: [tool.ozml] format.line-length: expected a whole number from 1 to"),
    ("both places", 'select = ["ALL"]\n[tool.ozml]\nignore = []\n',
     "ozml.toml:1:1: settings go either at the top level or under [tool.ozml], not both"
     " (found select outside [tool.ozml])"),
    # [urls] and [entry-points] (which had positions already), through the same lookup.
    ("urls", "[urls]\n  'ftp://a/x' = 'x.xml'\n",
     'ozml.toml:2:3: urls "ftp://a/x": expected an absolute http:// or https:// URL'),
    ("entry-points", "[entry-points]\nIncomingCall = [1]\n",
     'ozml.toml:2:1: entry-points "IncomingCall": expected a glob or a list of globs'),
    ("urls inline", 'urls = { "http://a.example.com/x" = "" }\n',
     'ozml.toml:1:10: urls "http://a.example.com/x": the file or folder path is empty'),
    # [api]: a value is never shown; the URL's file and place are.
    ("api key", '[api]\nurll = "http://pbx:9509"\n',
     "ozml.toml:2:1: api.urll: unknown key; did you mean 'url'?"),
    ("api timeout", "[api]\ntimeout = 0\n",
     "ozml.toml:2:11: [api] timeout must be more than 0 and at most 86400 seconds, found 0"),
    ("api url type", "[api]\nurl = 9509\n", "ozml.toml:2:7: [api] url must be a string"),
    ("api url empty", "[api]\nurl = ''\n",
     "ozml.toml:2:7: [api] url is empty: leave the key out for the default,"
     " http://127.0.0.1:9509"),
    ("api url", "[api]\nusername = 'u'\nurl = 'ftp://x y'\n",
     "ozml.toml:3:7: [api] url is invalid: expected http://HOST:PORT"),
    ("api wire-names", '[api.wire-names]\n"A.B" = "C"\n"D.E" = 5\n',
     'ozml.toml:3:9: [api.wire-names] must map "Command.Param" to a string'),
    ("api not a table", 'api = "s3cret-password"\n', "ozml.toml:1:1: api: expected a table"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in CONFIGURATIONS],
                         ids=[c[0] for c in CONFIGURATIONS])
def test_every_configuration_error_says_where(here: Path, text: str, message: str) -> None:
    (here / "ozml.toml").write_text(text)
    assert refused(here, "check", "a.xml").startswith(message)


PYPROJECT = '''[project]
name = "app"
description = """
[tool.ozml]
fail-on = "sometimes"
"""

[[tool.mypy.overrides]]
module = "a"

[[tool.mypy.overrides]]
module = "b"

[tool.ozml]
"fail-on" = "never"
'''


def test_pyproject_positions_skip_what_only_looks_like_the_table(here: Path) -> None:
    # A multi-line string holding "[tool.ozml]", arrays of tables, and a quoted key.
    (here / "pyproject.toml").write_text(PYPROJECT)
    assert refused(here, "check", "a.xml") == (
        "pyproject.toml:15:13: [tool.ozml] fail-on: unknown severity 'never' (expected one of:"
        " info, warning, error)"
    )


def test_pyproject_api_table(here: Path) -> None:
    (here / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.ozml.api]\npassword = "pw"\ntimeout = "soon"\n'
    )
    assert refused(here, "check", "a.xml") == (
        "pyproject.toml:6:11: [tool.ozml.api] timeout must be a number of seconds"
    )


def test_a_warning_says_where_too(here: Path) -> None:
    (here / "ozml.toml").write_text('select = ["ALL"]\nignore = ["OZ001"]\n')
    done = ozml(here, "check", "a.xml")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(
        "ozml: warning: ozml.toml:2:1: ignore: OZ001 cannot be ignored or weakened"
    ), done.stderr


@pytest.mark.parametrize(
    "command",
    [["check", "a.xml"], ["api", "ListExtensions"], ["fmt", "--check", "a.xml"]],
    ids=lambda command: command[0],
)
def test_a_bad_api_url_names_its_file_for_every_command(here: Path, command: list[str]) -> None:
    (here / "ozml.toml").write_text("[api]\nurl = 'ftp://x y'\n")
    assert refused(here, *command) == (
        "ozml.toml:2:7: [api] url is invalid: expected http://HOST:PORT"
    )


def test_an_api_url_with_credentials_is_refused_without_them(here: Path) -> None:
    (here / "ozml.toml").write_text("[api]\nurl = 'ftp://admin:s3cret@pbx:9509'\n")
    for command in (["check", "a.xml"], ["api", "ListExtensions"]):
        message = refused(here, *command)
        assert message == (
            "ozml.toml:2:7: [api] url must not hold credentials: set OZML_USERNAME and"
            " OZML_PASSWORD instead"
        )
        assert "s3cret" not in message


def test_an_empty_api_url_is_not_the_default_address(here: Path) -> None:
    (here / "ozml.toml").write_text('[api]\nurl = ""\n')
    assert refused(here, "api", "ListExtensions", "--url-only") == (
        "ozml.toml:2:7: [api] url is empty: leave the key out for the default,"
        " http://127.0.0.1:9509"
    )


def test_an_api_url_only_httpx_refuses_names_its_file(here: Path) -> None:
    # Its parts are fine; httpx, which only the client loads, refuses the host name.
    (here / "ozml.toml").write_text("[api]\nurl = 'http://☃.example/'\n")
    message = refused(here, "api", "ListExtensions", "--url-only")
    assert message.startswith("ozml.toml:2:7: [api] url is invalid: "), message


def test_an_explicit_config_file_says_where(here: Path) -> None:
    (here / "team.toml").write_text('[tool.ozml]\nknown-variables = [1]\n')
    assert refused(here, "check", "--config", "team.toml", "a.xml") == (
        "team.toml:2:19: [tool.ozml] known-variables: expected a list of strings, found a list"
        " ([1])"
    )


# --- scenario files -----------------------------------------------------------------------------

SCENARIOS = [
    ("dtmf element", "[input]\ndtmf = ['1', 2]\n",
     "s.toml:2:14: input.dtmf[1]: expected a string, found an integer (2)"),
    ("unknown key", "script = 'a.xml'\n\n[call]\nnumber = 1\n",
     "s.toml:4:1: call.number: unknown key in [call]"),
    ("quoted url", "[urls]\n'http://a' = 5\n",
     "s.toml:2:14: urls.'http://a': expected OzML text, or a table with file or error, found"
     " an integer (5)"),
    ("inline table", "[outcomes]\ncall = {'1' = {outcome = 'maybe'}}\n",
     "s.toml:2:26: outcomes.call.1.outcome: expected one of answer, busy"),
    ("timed keys", '[input]\ndtmf = [\n  {at = "1s", keys = "1"},\n  {at = "soon", keys = "2"},'
     "\n]\n",
     's.toml:4:9: input.dtmf[1].at: expected a time such as "3s", "1m30s" or "250ms", found'
     " 'soon'"),
    ("engine", '[engine]\nmax_steps = 0\n',
     "s.toml:2:13: engine.max_steps: expected a whole number of at least 1, found an integer"
     " (0)"),
    ("multi-line string before", 'description = """\n[engine]\nmax_steps = 0\n"""\n'
     "[engine]\nfetch_failure = 'retry'\n",
     "s.toml:6:17: engine.fetch_failure: expected hangup or continue, found 'retry'"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in SCENARIOS],
                         ids=[c[0] for c in SCENARIOS])
def test_every_scenario_error_says_where(here: Path, text: str, message: str) -> None:
    (here / "s.toml").write_text(text)
    assert refused(here, "run", "--scenario", "s.toml", "a.xml").startswith(message)


def test_ozml_test_says_where_in_a_scenario(here: Path) -> None:
    (here / "a.scenario.toml").write_text("script = 'a.xml'\n[expect]\nend = 'hungup'\n")
    done = ozml(here, "test", "a.scenario.toml")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "a.scenario.toml:3:7: expect.end: expected one of" in done.stdout + done.stderr


# --- the simulator's configuration --------------------------------------------------------------

SIMULATOR = [
    ("array of tables", '[[extensions]]\nnumber = "102"\n\n[[extensions]]\nnumber = "103"\n'
     'answer = "maybe"\n',
     "sim.toml:6:10: extensions[1]: answer must be one of answer, busy, no-answer, not-found,"
     " failed, ring, found 'maybe'"),
    ("unknown key", '[[users]]\nusername = "u"\npasword = "p"\n',
     "sim.toml:3:1: users[0]: unknown key 'pasword' (expected one of: password, username)"),
    ("behaviour", "[behaviour]\nring-time = 30\nmax-calls = 0\n",
     "sim.toml:3:13: [behaviour]: max-calls must be a whole number from 1 to 100000"),
    ("http-api", "[http-api]\n3pcc-url = 'ftp://x'\n",
     "sim.toml:2:12: [http-api]: 3pcc-url must be an http:// or https:// URL, found 'ftp://x'"),
    ("urls", "[urls]\n'ftp://ivr.example.com/menu' = 'menu.xml'\n",
     "sim.toml:2:1: urls 'ftp://ivr.example.com/menu': expected an absolute http:// or"
     " https:// URL"),
    ("missing key", '[[extensions]]\nnumber = "102"\n[[extensions]]\ntype = "Phone"\n',
     "sim.toml:3:1: extensions[1]: number is required"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in SIMULATOR],
                         ids=[c[0] for c in SIMULATOR])
def test_every_simulator_configuration_error_says_where(
    here: Path, text: str, message: str
) -> None:
    (here / "sim.toml").write_text(text)
    assert refused(here, "simulate", "--config", "sim.toml").startswith(message)


# --- text that is not TOML ---------------------------------------------------------------------

INVALID = [
    # (file, command, text, the one line): tomllib's place, as every other error gives one.
    ("ozml.toml", ["check", "a.xml"], 'select = ["ALL"]\nignore = [] x = 1\n',
     "ozml.toml:2:13: not valid TOML: Expected newline or end of document after a statement"),
    ("ozml.toml", ["api", "--url-only", "ListExtensions"], "[api]\nurl http://pbx\n",
     "ozml.toml:2:5: not valid TOML: Expected '=' after a key in a key/value pair"),
    # Line ends of Windows: the same line and column.
    ("ozml.toml", ["check", "a.xml"], 'select = ["ALL"]\r\nignore = ["OZ2",, ]\r\n',
     "ozml.toml:2:17: not valid TOML: Invalid value"),
    # Nothing more to read: the place just past the last character.
    ("ozml.toml", ["check", "a.xml"], 'select = ["ALL"\n',
     "ozml.toml:2:1: not valid TOML: Unclosed array (at the end of the file)"),
    ("pyproject.toml", ["check", "a.xml"], '[project]\nname = "app"\n[tool.ozml]\nselect = [ALL]\n',
     "pyproject.toml:4:11: not valid TOML: Invalid value"),
    ("s.toml", ["run", "--scenario", "s.toml", "a.xml"], "script = 'a.xml'\n[call\n",
     "s.toml:2:6: not valid TOML: Expected ']' at the end of a table declaration"),
    ("s.toml", ["run", "--scenario", "s.toml", "a.xml"], "description = 'é' 'é'\n",
     "s.toml:1:19: not valid TOML: Expected newline or end of document after a statement"),
    ("sim.toml", ["simulate", "--config", "sim.toml"], "[[users]]\nusername = \n",
     "sim.toml:2:12: not valid TOML: Invalid value"),
    # A number longer than Python reads: the place ozml finds for it, said the same way.
    ("sim.toml", ["simulate", "--config", "sim.toml"], f"[behaviour]\nring-time = {'9' * 5000}\n",
     "sim.toml:2:13: not valid TOML: a number of more than 4,300 digits"),
]


@pytest.mark.parametrize(("name", "command", "text", "message"), INVALID,
                         ids=[f"{c[0]}-{c[1][0]}-{n}" for n, c in enumerate(INVALID)])
def test_text_that_is_not_toml_says_where(
    here: Path, name: str, command: list[str], text: str, message: str
) -> None:
    (here / name).write_bytes(text.encode("utf-8"))
    assert refused(here, *command) == message


def test_a_refusal_without_a_place_names_the_file() -> None:
    assert invalid_toml("s.toml", "[[[[", "arrays or tables nested too deeply") == (
        "s.toml: not valid TOML: arrays or tables nested too deeply"
    )


@given(st.text(st.sampled_from("ab =[]{}\"',.#\n\r1é"), max_size=30))
@settings(max_examples=300, deadline=None)
def test_the_place_is_tomllibs(text: str) -> None:
    # Whatever the version: 3.13 and later also set lineno and colno, and say the same place.
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as caught:
        error = caught
    else:
        return
    reason = str(error)
    said = invalid_toml("f.toml", text, reason)
    head, _, rest = said.partition(": not valid TOML: ")
    assert rest
    assert "(at line" not in rest
    _, line, column = head.split(":")
    if reason.endswith("(at end of document)"):
        lines = text.replace("\r\n", "\n").split("\n")
        assert (int(line), int(column)) == (len(lines), len(lines[-1]) + 1)
        assert rest.endswith("(at the end of the file)")
    else:
        assert reason.endswith(f"(at line {line}, column {column})")
    if hasattr(error, "lineno"):
        assert (int(line), int(column)) == (error.lineno, getattr(error, "colno", None))


# --- the lookup itself --------------------------------------------------------------------------

TRICKY = '''# comment [not.a.table]
[project]
name = "x"
description = """
[tool.ozml]
fail-on = "never" \\
"""""
a.b = 'lit'   # c
"q\\u0041" = 1
inline = { x = 1, y.z = [1, [2, 3], {w = "]}"}] }
arr = [
  "a", # c, ]
  'b',
  """m
l""",
  \'\'\'it's\'\'\'\'\',
]
date = 1979-05-27 07:32:00Z

[[tool.mypy.overrides]]
module = "a"
[[tool.mypy.overrides]]
module = "b"
[tool.mypy.overrides.sub]
k = 1
[ tool . "ozml" ]
select = ["OZ2",
  "BAD"]
'''


def _paths(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _at(text: str, position: tuple[int, int] | None) -> str:
    assert position is not None
    line, column = position
    return text.split("\n")[line - 1][column - 1 :]


def test_every_key_and_value_is_found() -> None:
    data = tomllib.loads(TRICKY)
    positions = TomlPositions(TRICKY)
    for path in _paths(data):
        assert positions.key(path) is not None, path
        assert positions.value(path) is not None, path
    assert _at(TRICKY, positions.key(("project", "qA"))).startswith('"q\\u0041" = 1')
    assert _at(TRICKY, positions.value(("project", "inline", "y", "z", 2, "w"))) == '"]}"}] }'
    assert _at(TRICKY, positions.value(("project", "arr", 3))).startswith("'''it's'''''")
    assert _at(TRICKY, positions.key(("project", "date"))).startswith("date")
    assert _at(TRICKY, positions.key(("tool", "mypy", "overrides", 1))) == "[[tool.mypy.overrides]]"
    assert _at(TRICKY, positions.value(("tool", "mypy", "overrides", 1, "sub", "k"))) == "1"
    assert _at(TRICKY, positions.value(("tool", "ozml", "select", 1))) == '"BAD"]'
    # A path the text does not have: its nearest ancestor's place; none at all: None.
    assert positions.key(("tool", "ozml", "nope")) == positions.key(("tool", "ozml"))
    assert TomlPositions(TRICKY).key(("nothing",)) is None


_KEY = st.one_of(
    st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
)
_SCALAR = st.one_of(
    st.integers(-10, 10), st.booleans(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
)


def _basic(text: str) -> str:
    """`text` as a TOML basic string."""
    escaped = (
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else "\\" + c if c in '"\\' else c
        for c in text
    )
    return '"' + "".join(escaped) + '"'


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else _basic(key)


def _value(value: Any, style: int) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if style == 1 and "'''" not in value and "\r" not in value and all(
            c in "\n\t" or c.isprintable() for c in value
        ) and not value.endswith("'"):
            return f"'''\n{value}'''"
        return _basic(value)
    if isinstance(value, list):
        return "[\n  " + ",\n  ".join(_value(v, style) for v in value) + ",\n]" if value else "[]"
    return "{ " + ", ".join(f"{_key(k)} = {_value(v, style)}" for k, v in value.items()) + " }"


_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEY, inner, max_size=3),
    max_leaves=8,
)
_TABLES = st.dictionaries(_KEY, st.dictionaries(_KEY, _VALUE, max_size=4), max_size=4)


@given(_TABLES, st.integers(0, 1), st.booleans())
@settings(max_examples=150, deadline=None)
def test_generated_documents(tables: dict[str, dict[str, Any]], style: int, arrays: bool) -> None:
    """Every key and value of a document written with headers, arrays of tables, inline
    tables, quoted keys and multi-line strings is found where its text is."""
    lines = []
    for name, table in tables.items():
        header = f"[[{_key(name)}]]" if arrays else f"[{_key(name)}]"
        for _ in range(2 if arrays else 1):
            lines.append(f"# {name!r}\n{header}")
            lines += [f"{_key(k)} = {_value(v, style)}" for k, v in table.items()]
    text = "\n".join(lines) + "\n"
    data = tomllib.loads(text)
    positions = TomlPositions(text)
    for path in _paths(data):
        key, value = positions.key(path), positions.value(path)
        assert key is not None, path
        assert value is not None, path
        if isinstance(path[-1], str):
            assert _at(text, key).startswith(_key(path[-1])), (path, text)
