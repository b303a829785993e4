"""Files read as UTF-8 text that are not: one message, placed at the first bad byte.

`ozml.files.not_utf8` says it for every file ozml reads as text (a configuration, the
simulator's configuration, a scenario, a baseline): ``FILE:LINE:COLUMN: not UTF-8 text (byte
0xFF)``, as every other error in a file is placed; a value the system gave (an argument, an
environment variable) is placed by `bad_byte`, in bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ozml.files import bad_byte, not_utf8
from ozml.simulator.config import ConfigError, load_config


def _said(data: bytes, what: str = "") -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return not_utf8("f.toml", error, what)
    raise AssertionError("valid UTF-8")


def test_the_place_is_the_first_bad_byte_in_lines_and_characters() -> None:
    data = "a = 1\nb = 'déjà vu'\nc = '".encode() + b"\xe9'\n"
    assert _said(data) == "f.toml:3:6: not UTF-8 text (byte 0xE9)"
    # Characters, not bytes, before it on its line: é and à are two bytes each.
    assert _said("x = 'éà".encode() + b"\xff") == "f.toml:1:8: not UTF-8 text (byte 0xFF)"
    assert _said(b"\xff") == "f.toml:1:1: not UTF-8 text (byte 0xFF)"
    # A sequence cut short at the end: the byte that starts it.
    assert _said(b"ok\n\xe2\x82") == "f.toml:2:1: not UTF-8 text (byte 0xE2)"
    assert _said(b"\xff", "not a baseline file:") == (
        "f.toml:1:1: not a baseline file: not UTF-8 text (byte 0xFF)"
    )


@given(st.text(max_size=30), st.binary(min_size=1, max_size=4))
def test_the_line_and_column_are_those_of_the_text_before(good: str, bad: bytes) -> None:
    data = good.encode("utf-8", "surrogatepass") + b"\xff" + bad
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8", "surrogatepass")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        said = not_utf8("f", error)
        assert said.startswith(f"f:{line}:{column}: not UTF-8 text (byte 0x")


def test_a_value_of_the_system_is_placed_in_its_bytes() -> None:
    assert bad_byte("plain") is None
    assert bad_byte("café") is None
    assert bad_byte(os.fsdecode(b"caf\xc3\xa9 \xff")) == 6
    assert bad_byte(os.fsdecode(b"\xff")) == 0


def test_the_simulators_configuration_says_it_so(tmp_path: Path) -> None:
    config = tmp_path / "simulate.toml"
    config.write_bytes(b"[pbx]\nname = '\xff'\n")
    with pytest.raises(ConfigError, match=r"simulate\.toml:2:9: not UTF-8 text \(byte 0xFF\)$"):
        load_config(config)
