"""The pieces of `ozml test`: -k expressions and the [expect] rewriting, as tables."""

from __future__ import annotations

import tomllib

import pytest

from ozml.testing.keyword import MAX_DEPTH, KeywordError, compile_keyword
from ozml.testing.update import NotToml, UpdateError, rewrite_expect

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


@pytest.mark.parametrize(
    "text", ["x = [\n", "x = = 1\n[expect]\nend = 'x'\n", "[expect]\nend = 'x'\nend = 'y'\n"]
)
def test_text_that_is_not_toml_is_refused_with_tomllibs_place(text: str) -> None:
    """With or without an [expect] section: the keys are never written into a file that is
    not TOML; the reason keeps tomllib's place, for ozml.tomlpositions.invalid_toml."""
    with pytest.raises(NotToml, match=r"\(at (line \d+, column \d+|end of document)\)$"):
        rewrite_expect(text, "hangup", [], keep_includes=False)


def test_a_large_file_is_rewritten_in_one_pass() -> None:
    # Not timed: the scanner is one pass over the text, so this is quick at any size.
    body = "".join(f"k{i} = '[{i}]'\n" for i in range(50_000))
    text = "[call]\n" + body + "[expect]\nend = 'x'\n"
    rewritten = rewrite_expect(text, "end-of-script", TRACE, keep_includes=False)
    assert rewritten.startswith("[call]\n" + body + "[expect]\n")


# -- the rest of the file is kept byte for byte, whatever it holds -------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Pieces of TOML, each ending its line, several of which look like headers to a naive reader.
FRAGMENTS = [
    "a = 1\n",
    "# [expect] in a comment\n",
    "\n",
    "s = '[expect]'\n",
    'm = """\n[expect]\n[urls]\n"""\n',
    "l = '''\n[expect]\n'''\n",
    "arr = [\n  [1, 2],\n  [3],\n]\n",
    "t = { x = '[', y = \"]\" }\n",
    'e = "\\"[expect]\\""\n',
]
SECTIONS = ["[call]\n", "[urls]\n", "[[x]]\n", "[ engine ]  # spaced\n"]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(before the section, the header line, the section's body, after the section)."""
    def body() -> str:
        return "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=4)))

    before = body() + "".join(
        draw(st.sampled_from(SECTIONS[:2])) + body() for _ in range(draw(st.integers(0, 2)))
    )
    header = draw(st.sampled_from(["[expect]\n", "[expect]  # note\n", " [ expect ]\n"]))
    inside = draw(st.sampled_from([
        "", "end = 'x'\n", "end = 'x'\ntrace = [\n  '[a]',\n  \"]\",\n]\n",
        "trace = '''\n[urls]\n'''\n",
    ]))
    after = "".join(
        draw(st.sampled_from(SECTIONS[1:])) + body() for _ in range(draw(st.integers(0, 2)))
    )
    return before, header, inside, after


@given(documents())
def test_only_the_expect_keys_change(document: tuple[str, str, str, str]) -> None:
    before, header, inside, after = document
    text = before + header + inside + after
    try:
        original = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a combination TOML itself refuses (a table defined twice)
    rewritten = rewrite_expect(text, "end-of-script", TRACE, keep_includes=False)
    assert rewritten == before + header + NEW_KEYS + after
    data = tomllib.loads(rewritten)
    assert data["expect"] == {"end": "end-of-script", "trace": TRACE}
    assert {k: v for k, v in data.items() if k != "expect"} == {
        k: v for k, v in original.items() if k != "expect"
    }
