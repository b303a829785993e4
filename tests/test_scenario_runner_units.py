"""The pieces of `ozml test`: -k expressions and the [expect] rewriting, as tables."""

from __future__ import annotations

import tomllib

import pytest

from ozml.testing.keyword import MAX_DEPTH, KeywordError, compile_keyword
from ozml.testing.update import UpdateError, rewrite_expect

NAMES = ["examples/scenarios/ivr-menu-sales-busy.toml", "ivr-menu-sales-busy.toml", "busy sales"]


@pytest.mark.parametrize(
    ("expression", "matches"),
    [
        ("", True),
        ("sales", True),
        ("Sales", True),
        ("voicemail", False),
        ("not voicemail", True),
        ("not not sales", True),
        ("sales and busy", True),
        ("sales and not busy", False),
        ("voicemail or busy", True),
        ("voicemail or sales and not busy", False),  # and binds tighter than or
        ("(voicemail or sales) and busy", True),
        ("examples/scenarios/", True),
        ("menu-sales-busy.toml", True),
        ("ivr-menu", True),
    ],
)
def test_keyword_semantics_follow_pytest(expression: str, matches: bool) -> None:
    assert compile_keyword(expression)(NAMES) is matches


@pytest.mark.parametrize(
    "expression",
    ["and", "sales or", "not", "(", "()", "sales )", "a b", "a; b", "__import__('os').system('x')"],
)
def test_bad_expressions_are_refused_never_evaluated(expression: str) -> None:
    with pytest.raises(KeywordError):
        compile_keyword(expression)


def test_long_and_deep_expressions() -> None:
    words = " or ".join(f"w{i}" for i in range(50_000))
    assert compile_keyword(words)(["w49999"])
    deep = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert compile_keyword(deep)(["x"])
    with pytest.raises(KeywordError, match="nested deeper"):
        compile_keyword("(" + deep + ")")


TRACE = ["0s Speak Text=\"it's\" -> ok", "1s end -> end-of-script"]
NEW_KEYS = (
    "end = 'end-of-script'\ntrace = [\n    \"0s Speak Text=\\\"it's\\\" -> ok\",\n"
    "    '1s end -> end-of-script',\n]\n"
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # No section: one is added at the end, after a blank line.
        ("script = 'a.xml'\n", "script = 'a.xml'\n\n[expect]\n" + NEW_KEYS),
        ("script = 'a.xml'", "script = 'a.xml'\n\n[expect]\n" + NEW_KEYS),
        ("", "[expect]\n" + NEW_KEYS),
        # The section's keys are replaced; what surrounds them is kept.
        (
            "a = 1\n[expect]  # c\n# lead\nend = 'x'\ntrace = [\n  '[not a header]',\n]\n"
            "\n# next\n[urls]\n'u' = '''\n[expect]\n'''\n",
            "a = 1\n[expect]  # c\n# lead\n" + NEW_KEYS + "\n# next\n[urls]\n'u' = '''\n"
            "[expect]\n'''\n",
        ),
        # A "[expect]" inside a multi-line string or an array is not the header.
        (
            "s = \"\"\"\n[expect]\n\"\"\"\nx = [\n[1],\n]\n[expect]\nend = 'y'\n",
            "s = \"\"\"\n[expect]\n\"\"\"\nx = [\n[1],\n]\n[expect]\n" + NEW_KEYS,
        ),
        # Windows line ends stay Windows line ends.
        ("a = 1\r\n[expect]\r\nend = 'x'\r\n", "a = 1\r\n[expect]\r\n"
         + NEW_KEYS.replace("\n", "\r\n")),
        # An empty section at the end of the file.
        ("[expect]\n", "[expect]\n" + NEW_KEYS),
    ],
)
def test_rewrite_expect_changes_only_the_keys(before: str, after: str) -> None:
    rewritten = rewrite_expect(before, "end-of-script", TRACE, keep_includes=False)
    assert rewritten == after
    data = tomllib.loads(rewritten)
    assert data["expect"] == {"end": "end-of-script", "trace": TRACE}


def test_rewrite_expect_keeps_includes_when_asked() -> None:
    text = "[expect]\nend = 'x'\nincludes = [\n  'a',\n]\n\n[urls]\n"
    kept = rewrite_expect(text, "end-of-script", TRACE, keep_includes=True)
    assert kept == "[expect]\n" + NEW_KEYS + "includes = [\n  'a',\n]\n\n[urls]\n"
    dropped = rewrite_expect(text, "end-of-script", TRACE, keep_includes=False)
    assert dropped == "[expect]\n" + NEW_KEYS + "\n[urls]\n"


@pytest.mark.parametrize(
    "text", ["expect = { end = 'x' }\n", "expect.end = 'x'\n", "[call]\nid = 'x'\nexpect = 1\n"]
)
def test_an_expectation_that_is_not_a_section_is_refused(text: str) -> None:
    if "[call]" in text:
        # Inside another table, "expect" is that table's key: a section is added.
        assert "[expect]" in rewrite_expect(text, "hangup", [], keep_includes=False)
        return
    with pytest.raises(UpdateError, match="not an \\[expect\\] section"):
        rewrite_expect(text, "hangup", [], keep_includes=False)


def test_a_large_file_is_rewritten_in_one_pass() -> None:
    # Not timed: the scanner is one pass over the text, so this is quick at any size.
    body = "".join(f"k{i} = '[{i}]'\n" for i in range(50_000))
    text = "[call]\n" + body + "[expect]\nend = 'x'\n"
    rewritten = rewrite_expect(text, "end-of-script", TRACE, keep_includes=False)
    assert rewritten.startswith("[call]\n" + body + "[expect]\n")
