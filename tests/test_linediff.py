"""`ozml.linediff`: line diffs that are correct, difflib's own for small inputs, and linear.

The opcodes of any two lists of lines turn one into the other (hypothesis, over few distinct
lines so that lines repeat, with the thresholds lowered so that small lists take the cuts of
large ones); for inputs of at most `WHOLE` lines they and the unified diff are difflib's; and a
16,000-line document whose every line changes, with lines that repeat, is diffed in a fresh
interpreter within a deadline difflib could not meet (10 s, and over ten minutes without its
heuristic for popular lines).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from deadline import within
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml import linediff
from ozml.linediff import Opcode, opcodes, unified_diff

#: Few distinct lines, so that most repeat; one without its line end, as a last line may be.
LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "<Hangup/>\n", "  <Hangup/>\n", "d"]))


def _applied(a: list[str], b: list[str], codes: list[Opcode]) -> list[str]:
    """`a` turned by `codes`, checking that they cover both sides in order."""
    out: list[str] = []
    i = j = 0
    for tag, i1, i2, j1, j2 in codes:
        assert (i1, j1) == (i, j)
        assert i1 <= i2
        assert j1 <= j2
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
            out.extend(a[i1:i2])
        else:
            assert (i1 < i2) or (j1 < j2)
            assert tag == ("replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert")
            out.extend(b[j1:j2])
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    return out


@contextmanager
def _cutting() -> Iterator[None]:
    """Small inputs take the way of large ones: cuts at unique lines, pieces of 6 lines."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linediff, "WHOLE", 0)
        patch.setattr(linediff, "SMALL", 6)
        patch.setattr(linediff, "DEPTH", 2)
        yield


@settings(max_examples=300, deadline=None)
@given(LINES, LINES, st.lists(st.text("xyz", min_size=1, max_size=3), max_size=40))
def test_the_opcodes_turn_one_side_into_the_other(
    a: list[str], b: list[str], unique: list[str]
) -> None:
    # Unique lines scattered on both sides give the cuts something to cut at.
    a = [*a, *(f"{u}\n" for u in unique)]
    b = [*(f"{u}\n" for u in reversed(unique)), *b, *(f"{u}\n" for u in unique[::2])]
    with _cutting():
        for autojunk in (True, False):
            codes = opcodes(a, b, autojunk=autojunk)
            assert _applied(a, b, codes) == b
            assert all(
                x[0] != "equal" or y[0] != "equal" for x, y in itertools.pairwise(codes)
            )


@settings(max_examples=200, deadline=None)
@given(LINES, LINES)
def test_small_inputs_are_difflibs(a: list[str], b: list[str]) -> None:
    for autojunk in (True, False):
        expected = difflib.SequenceMatcher(None, a, b, autojunk=autojunk).get_opcodes()
        assert opcodes(a, b, autojunk=autojunk) == expected
    for n in (0, 1, 3):
        assert list(unified_diff(a, b, "x.xml", "y.xml", n)) == list(
            difflib.unified_diff(a, b, "x.xml", "y.xml", n=n)
        )
        assert list(unified_diff(a, b, "e", "a", n, "")) == list(
            difflib.unified_diff(a, b, "e", "a", n=n, lineterm="")
        )


@settings(max_examples=100, deadline=None)
@given(LINES, LINES)
def test_the_unified_diff_of_cut_inputs_applies(a: list[str], b: list[str]) -> None:
    """The hunks of a diff made by cuts, applied to `a`, give `b`."""
    with _cutting():
        lines = list(unified_diff(a, b, "a", "b", 2))
    if a == b:
        assert lines == []
        return
    assert lines[:2] == ["--- a\n", "+++ b\n"]
    out: list[str] = []
    at = 0
    for line in lines[2:]:
        if line.startswith("@@"):
            old = line.split()[1][1:]
            start = int(old.split(",")[0])
            length = int(old.split(",")[1]) if "," in old else 1
            begin = start - 1 if length else start
            out.extend(a[at:begin])
            at = begin
        elif line[0] == " ":
            assert a[at] == line[1:]
            out.append(line[1:])
            at += 1
        elif line[0] == "-":
            assert a[at] == line[1:]
            at += 1
        else:
            out.append(line[1:])
    out.extend(a[at:])
    assert out == b


def test_a_large_input_keeps_the_lines_it_shares() -> None:
    """A change in the middle of a large input with repeated lines is one small hunk."""
    a = [f"<Speak>line {i}</Speak>\n" if i % 3 else "<Hangup/>\n" for i in range(3000)]
    b = list(a)
    b[1500] = "<Speak>changed</Speak>\n"
    codes = opcodes(a, b)
    assert [c for c in codes if c[0] != "equal"] == [("replace", 1500, 1501, 1500, 1501)]


def test_reported_case_a_document_whose_lines_repeat_and_all_change() -> None:
    # difflib took 10 s to diff 16,000 lines against their formatted text, and more than ten
    # minutes without its heuristic for popular lines (the language server's formatting).
    within(
        """
        from ozml.linediff import opcodes, unified_diff

        kinds = ["<ForwardCall/>", "<Delay>soon</Delay>", "<Speak>Hi {i}</Speak>"]
        a = [kinds[i % 3].format(i=i) + "\\n" for i in range(16_000)]
        b = ["  " + line for line in a]
        codes = opcodes(a, b, autojunk=False)
        assert codes == [("replace", 0, 16_000, 0, 16_000)], codes[:3]
        assert sum(1 for _ in unified_diff(a, b, "a", "b")) == 2 + 1 + 32_000
        """,
        seconds=20.0,
    )
