"""TOML and JSON that Python refuses outside its own decode errors (`ozml.dataformats`): a
number of more than 4,300 digits, arrays nested past the recursion limit. Each reader of such a
file says which file and where, as for any text that is not TOML or JSON; before, they were
internal errors, or messages naming neither the file nor the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml import config
from ozml.api import credentials
from ozml.baseline import Baseline, BaselineError
from ozml.dataformats import MAX_KEY_PARTS, DataError, load_json, load_toml
from ozml.interpreter.scenario import ScenarioError, parse_scenario
from ozml.simulator import config as simulator_config

MANY = "9" * 5000
TOO_LONG = "a number of more than 4,300 digits"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f'a = "{MANY}"\nb = {MANY}\n', f"{TOO_LONG} (at line 2, column 5)"),
        (f"a = [1, -{MANY[:10]}_{MANY}]\n", f"{TOO_LONG} (at line 1, column 10)"),
        ("a = " + "[" * 5000 + "]" * 5000, "arrays or tables nested too deeply"),
        ("a = ", "Invalid value (at end of document)"),
    ],
)
def test_toml_refused_in_any_way_is_one_error(text: str, message: str) -> None:
    with pytest.raises(DataError) as caught:
        load_toml(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f'{{"a": [1, {MANY}]}}', f"{TOO_LONG} (at line 1, column 11)"),
        ("[" * 100_000 + "]" * 100_000, "arrays or objects nested too deeply"),
        ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ],
)
def test_json_refused_in_any_way_is_one_error(text: str, message: str) -> None:
    with pytest.raises(DataError) as caught:
        load_json(text)
    assert str(caught.value) == message


def test_what_python_reads_is_read() -> None:
    assert load_toml(f"a = {MANY[:4000]}\n")["a"] == int(MANY[:4000])
    assert load_json('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}


def test_every_reader_names_its_file(tmp_path: Path) -> None:
    long = f"max-bytes = {MANY}\n"
    path = tmp_path / "ozml.toml"
    path.write_text(f"[lint]\n{long}", encoding="utf-8")
    refused = rf":2:13: not valid TOML: {TOO_LONG}$"
    with pytest.raises(config.ConfigError, match=rf"ozml.toml{refused}"):
        config.load(path)

    path = tmp_path / "sim.toml"
    path.write_text(f"[behaviour]\n{long}", encoding="utf-8")
    with pytest.raises(simulator_config.ConfigError, match=rf"sim.toml{refused}"):
        simulator_config.load_config(path)

    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.ozml.api]\ntimeout = {MANY}\n", encoding="utf-8")
    in_pyproject = rf"pyproject.toml:2:11: not valid TOML: {TOO_LONG}$"
    with pytest.raises(credentials.ConfigError, match=in_pyproject):
        credentials.load_settings(config=path, environ={})

    path = tmp_path / "baseline.json"
    path.write_text(f'{{"version": {MANY}, "findings": []}}', encoding="utf-8")
    with pytest.raises(BaselineError, match=rf"baseline.json: not a baseline file: {TOO_LONG}"):
        Baseline.load(path)

    with pytest.raises(ScenarioError, match=rf"s.toml{refused}"):
        parse_scenario(f"[run]\nmax-steps = {MANY}\n", tmp_path / "s.toml")


# tomllib builds, for each dotted part of a key, the path to it from the root, and looks it up:
# its time grows with the square of a key's parts (a key of 12,800 parts took seconds, one of a
# million would never end). ozml reads keys of at most MAX_KEY_PARTS parts and refuses a longer
# one where it is written, before tomllib reads it.
DEEP = ".".join(f"k{i}" for i in range(MAX_KEY_PARTS + 1))
DEEP_REFUSED = f"a key of more than {MAX_KEY_PARTS} dotted parts, which ozml does not read"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (f"x = 1\n{DEEP} = 1\n", "line 2, column 1"),
        (f"[{DEEP}]\nx = 1\n", "line 1, column 2"),
        (f"[[ {DEEP} ]]\nx = 1\n", "line 1, column 4"),
        (f"[t]\na = {{ b = 1, {DEEP} = 2 }}\n", "line 2, column 14"),
        (f'a = ["{DEEP}"]\n"q" . {DEEP} = 1\n', "line 2, column 1"),
    ],
)
def test_a_key_of_too_many_parts_is_refused_where_it_is(text: str, place: str) -> None:
    with pytest.raises(DataError) as caught:
        load_toml(text)
    assert str(caught.value) == f"{DEEP_REFUSED} (at {place})"


def test_keys_up_to_the_limit_and_dots_elsewhere_are_read() -> None:
    key = ".".join(["k"] * MAX_KEY_PARTS)
    dots = "." * (2 * MAX_KEY_PARTS)
    read = load_toml(f'{key} = 1\ns = "{DEEP}"\nt = [1.5, {", ".join(["2.5"] * 80)}]\n# {dots}\n')
    assert read["s"] == DEEP
    assert len(read["t"]) == 81
    node = read
    for _ in range(MAX_KEY_PARTS - 1):
        node = node["k"]
    assert node == {"k": 1}


def test_a_configuration_with_a_key_of_too_many_parts_says_where(tmp_path: Path) -> None:
    path = tmp_path / "ozml.toml"
    path.write_text(f'context = "extension"\n[format]\n{DEEP} = 1\n', encoding="utf-8")
    refused = rf"ozml.toml:3:1: not valid TOML: {DEEP_REFUSED}$"
    with pytest.raises(config.ConfigError, match=refused):
        config.load(path)
