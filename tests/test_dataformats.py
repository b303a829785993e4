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
from ozml.dataformats import DataError, load_json, load_toml
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
