"""The google-re2 options `ozml.gitignore` and `ozml.api.redact` compile with, made in one place
(`ozml.re2options.matcher_options`): each caller's expressions match as they did when each made
its own."""

from __future__ import annotations

import pytest
import re2

from ozml.api import redact
from ozml.gitignore import IgnoreList
from ozml.re2options import matcher_options


def test_the_options_match_only_and_log_nothing() -> None:
    for latin1 in (False, True):
        options = matcher_options(latin1=latin1)
        assert options.never_capture
        assert not options.log_errors
        assert options.max_mem == re2.Options().max_mem  # google-re2's own budget


def test_latin1_reads_one_byte_as_one_character() -> None:
    latin1 = re2.compile(b"^.$", matcher_options(latin1=True))
    utf8 = re2.compile(b"^.$", matcher_options(latin1=False))
    assert latin1.search(b"\xe9") is not None
    assert utf8.search(b"\xe9") is None  # not UTF-8: no character
    assert utf8.search("é".encode()) is not None
    assert latin1.search("é".encode()) is None  # two bytes, two characters


def test_a_budget_is_the_one_given() -> None:
    assert matcher_options(latin1=False, max_mem=64 << 20).max_mem == 64 << 20


def test_nothing_is_captured() -> None:
    regex = re2.compile(b"(a)(b)", matcher_options(latin1=False))
    match = regex.search(b"xab")
    assert match is not None
    assert match.span() == (1, 3)
    assert regex.groups == 0


def test_an_ignore_line_matches_a_byte_of_the_path_as_one_character() -> None:
    """``?`` is one byte of the path as git sees it, not one UTF-8 character."""
    assert IgnoreList(["caf?"]).match("caf\udce9", False) is True  # the byte 0xE9
    assert IgnoreList(["caf?"]).match("café", False) is None  # two bytes
    assert IgnoreList(["caf??"]).match("café", False) is True


def test_redaction_compiles_within_its_budget() -> None:
    """`_compiled` gives google-re2 the budget `_budget` names: an expression google-re2's
    own budget refuses compiles within redaction's."""
    pattern = "|".join(f"secret{i:05d}x" * 40 for i in range(1600))
    with pytest.raises(re2.error):
        re2.compile(pattern.encode(), matcher_options(latin1=False))
    regex = redact._compiled(pattern, latin1=False)
    assert regex.search(("secret00007x" * 40).encode()) is not None
