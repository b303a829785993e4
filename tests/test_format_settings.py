"""The formatter's settings: the ``[format]`` table, its validation, and what each setting does.

Layouts are pinned exactly; the property tests (test_formatter_properties.py) check that every
combination of settings stays idempotent and keeps the tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.config import ConfigError, Resolver, describe, load
from ozml.formatter import (
    DEFAULT_OPTIONS,
    FORMAT_KEYS,
    FormatOptions,
    SettingError,
    format_result,
    format_text,
)
from ozml.parser import parse
from ozml.writer import DEFAULT_STYLE, Style, write

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
SOURCE = (
    '<Response><Call Url="http://app.example.com/connected" CallerId="3000" x-note="n">102'
    '</Call><UserInput Digits="1"><Inputs><Input Key="1"><speak party="All">Hi</speak>'
    "</Input></Inputs></UserInput></Response>"
)


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


# --- the defaults are the classic layout -----------------------------------------------------


def test_defaults_are_the_layout_without_settings() -> None:
    assert FormatOptions() == DEFAULT_OPTIONS
    assert DEFAULT_OPTIONS.style() == DEFAULT_STYLE
    assert format_text(SOURCE, options=FormatOptions()) == format_text(SOURCE)
    assert format_text(SOURCE) == HEAD + (
        "<Response>\n"
        '  <Call CallerId="3000" Url="http://app.example.com/connected" x-note="n">102</Call>\n'
        '  <UserInput Digits="1">\n'
        "    <Inputs>\n"
        '      <Input Key="1">\n'
        '        <Speak Party="all">Hi</Speak>\n'
        "      </Input>\n"
        "    </Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    )


def test_the_old_signatures_still_work() -> None:
    result = parse(SOURCE)
    assert format_result(result).text == format_text(SOURCE)
    kept = format_result(result, keep_names=True).text
    assert '<speak party="All">' in kept
    # keep_names=True wins over options that do not ask for it
    assert format_result(result, keep_names=True, options=FormatOptions()).text == kept
    assert write(parse(SOURCE).document) == write(parse(SOURCE).document, style=Style())


# --- each setting ---------------------------------------------------------------------------


def test_indent_width_and_tabs() -> None:
    four = format_text(SOURCE, options=FormatOptions(indent_width=4))
    assert "\n    <UserInput" in four
    assert "\n            <Input Key" in four
    tabs = format_text(SOURCE, options=FormatOptions(indent_style="tab"))
    assert "\n\t<UserInput" in tabs
    assert "\n\t\t\t\t<Speak" in tabs
    assert not any(line.startswith(" ") for line in tabs.splitlines())


def test_line_length_wraps_start_tags_with_two_or_more_attributes() -> None:
    narrow = format_text(SOURCE, options=FormatOptions(line_length=40))
    assert narrow == HEAD + (
        "<Response>\n"
        '  <Call CallerId="3000"\n'
        '        Url="http://app.example.com/connected"\n'
        '        x-note="n">102</Call>\n'
        '  <UserInput Digits="1">\n'
        "    <Inputs>\n"
        '      <Input Key="1">\n'
        '        <Speak Party="all">Hi</Speak>\n'
        "      </Input>\n"
        "    </Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    )
    # One attribute is never wrapped, however long the line; nor is text.
    tiny = format_text(SOURCE, options=FormatOptions(line_length=1))
    assert '      <Input Key="1">\n' in tiny
    assert format_text(narrow, options=FormatOptions(line_length=40)) == narrow
    # A wider line length joins the lines again.
    assert format_text(narrow) == format_text(SOURCE)


def test_line_length_counts_the_indentation_a_tab_stands_for() -> None:
    source = '<Response><Play AudioFile="a.wav" Repeat="true"/></Response>'
    # "<Play AudioFile=\"a.wav\" Repeat=\"true\"/>" is 39 characters, after one level.
    for width, wrapped in ((41, False), (40, True)):
        spaces = format_text(source, options=FormatOptions(line_length=width))
        tabs = format_text(
            source, options=FormatOptions(line_length=width, indent_style="tab")
        )
        assert ("\n        Repeat" in spaces) is wrapped, width
        assert ("\n\t      Repeat" in tabs) is wrapped, width
        again = format_text(tabs, options=FormatOptions(line_length=width, indent_style="tab"))
        assert again == tabs


def test_attribute_order() -> None:
    source = '<Response><Call Url="u" x-note="n" CallerId="3" Dialed="1"/></Response>'
    line = {
        order: format_text(source, options=FormatOptions(attribute_order=order)).splitlines()[2]
        for order in ("catalog", "keep", "sort")
    }
    assert line["catalog"] == '  <Call Dialed="1" CallerId="3" Url="u" x-note="n"/>'
    assert line["keep"] == '  <Call Url="u" x-note="n" CallerId="3" Dialed="1"/>'
    assert line["sort"] == '  <Call CallerId="3" Dialed="1" Url="u" x-note="n"/>'


def test_sorting_puts_namespace_declarations_first_and_ignores_case() -> None:
    source = '<Response><Foo b="1" xmlns:z="urn:z" A="2" xmlns="urn:x"/></Response>'
    out = format_text(source, options=FormatOptions(attribute_order="sort"))
    assert '<Foo xmlns="urn:x" xmlns:z="urn:z" A="2" b="1"/>' in out


def test_keep_names_setting() -> None:
    out = format_text(SOURCE, options=FormatOptions(keep_names=True))
    assert '<speak party="All">Hi</speak>' in out


@pytest.mark.parametrize(
    ("setting", "crlf_input", "crlf_output"),
    [
        ("auto", False, False),
        ("auto", True, True),
        ("lf", True, False),
        ("cr-lf", False, True),
        ("native", False, os.linesep == "\r\n"),
    ],
)
def test_line_ending(setting: str, crlf_input: bool, crlf_output: bool) -> None:
    source = "<Response>\n<Hangup/>\n</Response>\n"
    if crlf_input:
        source = source.replace("\n", "\r\n")
    out = format_text(source, options=FormatOptions(line_ending=setting))
    assert out.count("\r\n") == (out.count("\n") if crlf_output else 0)


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"line-lenght": 80}, "line-lenght: unknown key; did you mean 'line-length'? (allowed: "
         + ", ".join(FORMAT_KEYS) + ")"),
        ({"line-length": 0}, "line-length: expected a whole number from 1 to 320, found a number"
         " (0)"),
        ({"line-length": "80"}, "line-length: expected a whole number from 1 to 320, found a"
         " string ('80')"),
        ({"indent-width": True}, "indent-width: expected a whole number from 1 to 16, found a"
         " boolean (True)"),
        ({"indent-style": "tabs"}, "indent-style: expected one of space, tab, found a string"
         " ('tabs'); did you mean 'tab'?"),
        ({"attribute-order": 1}, "attribute-order: expected one of catalog, keep, sort, found a"
         " number (1)"),
        ({"keep-names": "yes"}, "keep-names: expected true or false, found a string ('yes')"),
        ({"line-ending": "crlf"}, "line-ending: expected one of auto, lf, cr-lf, native, found a"
         " string ('crlf'); did you mean 'cr-lf'?"),
    ],
)
def test_bad_settings_name_the_key_and_what_is_allowed(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(SettingError) as caught:
        FormatOptions.from_table(table)
    assert str(caught.value) == message


def test_choices_are_read_in_any_letter_case() -> None:
    options = FormatOptions.from_table({"indent-style": "Tab", "attribute-order": "SORT"})
    assert (options.indent_style, options.attribute_order) == ("tab", "sort")
    with pytest.raises(ValueError, match="from 1 to 16"):
        FormatOptions(indent_width=17)


def test_from_table_starts_from_a_base() -> None:
    base = FormatOptions(line_length=80, indent_style="tab")
    assert FormatOptions.from_table({"indent-width": 4}, base) == FormatOptions(
        line_length=80, indent_width=4, indent_style="tab"
    )


# --- in configuration files ------------------------------------------------------------------


def test_format_table_in_ozml_toml_and_pyproject(tree: Path) -> None:
    (tree / "ozml.toml").write_text(
        '[format]\nline-length = 80\nindent-style = "tab"\nattribute-order = "keep"\n',
        encoding="utf-8",
    )
    config = load(tree / "ozml.toml")
    assert config is not None
    assert config.format == FormatOptions(
        line_length=80, indent_style="tab", attribute_order="keep"
    )
    (tree / "ozml.toml").unlink()
    (tree / "pyproject.toml").write_text(
        '[tool.ozml]\nselect = ["ALL"]\n\n[tool.ozml.format]\nindent-width = 4\n',
        encoding="utf-8",
    )
    found = Resolver().config_for("a.xml")
    assert found is not None
    assert found.format == FormatOptions(indent_width=4)


def test_no_format_table_means_none(tree: Path) -> None:
    (tree / "ozml.toml").write_text('context = "3pcc"\n', encoding="utf-8")
    config = load(tree / "ozml.toml")
    assert config is not None
    assert config.format is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "ozml.toml",
            "[format]\nline_length = 80\n",
            "ozml.toml:2:1: format.line_length: unknown key; did you mean 'line-length'? (allowed: "
            + ", ".join(FORMAT_KEYS) + ")",
        ),
        (
            "ozml.toml",
            "[format]\nbogus = 1\n",
            "ozml.toml:2:1: format.bogus: unknown key (allowed: " + ", ".join(FORMAT_KEYS) + ")",
        ),
        (
            "ozml.toml",
            '[format]\nindent-style = "tabs"\n',
            "ozml.toml:2:16: format.indent-style: expected one of space, tab, found a string"
            " ('tabs'); did you mean 'tab'?",
        ),
        (
            "ozml.toml",
            'format = "ruff"\n',
            "ozml.toml:1:10: format: expected a table, found a string ('ruff')",
        ),
        (
            "ozml.toml",
            "line-length = 80\n",
            "ozml.toml:1:1: line-length: unknown key here; line-length is a formatter setting: put"
            " it in the [format] table (docs/formatter.md)",
        ),
        (
            "pyproject.toml",
            "[tool.ozml]\nindent-width = 4\n",
            "pyproject.toml:2:1: [tool.ozml] indent-width: unknown key here; indent-width is a"
            " formatter setting: put it in the [tool.ozml.format] table (docs/formatter.md)",
        ),
        (
            "pyproject.toml",
            "[tool.ozml.format]\nline-length = 1000\n",
            "pyproject.toml:2:15: [tool.ozml] format.line-length: expected a whole number from 1 to"
            " 320, found a number (1000)",
        ),
    ],
)
def test_bad_format_tables(tree: Path, name: str, content: str, message: str) -> None:
    (tree / name).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(tree / name)
    assert str(caught.value) == message


def test_show_settings_lists_the_format_settings(tree: Path) -> None:
    (tree / "ozml.toml").write_text("[format]\nline-length = 80\n", encoding="utf-8")
    lines = describe(Resolver(), "a.xml")
    assert lines[-1] == (
        "  format: line-length=80, indent-width=2, indent-style=space, attribute-order=catalog,"
        " keep-names=false, line-ending=auto"
    )
