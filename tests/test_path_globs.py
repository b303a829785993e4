"""The include and exclude globs (`ozml.files.Matcher`) against their definition.

A glob matches a path when it matches a run of the path's consecutive components: any run
for an exclude of a path named explicitly, a run ending at the last component for an include
and for an exclude of a walked path. The matcher answers with one search over the whole path;
the definition, written out below as a loop over every run, is what it is held to, on drawn
paths and globs (one ``**`` or several, ``*``, ``?``, character classes, a class that
matches ``/``).
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.files import Matcher, _compile, _parts, _translate

COMPONENTS = st.sampled_from(["a", "b", "ab", "ba", "x.xml", ".git", "..", "a.b", "c d"])
PATHS = st.lists(COMPONENTS, min_size=1, max_size=10).map("/".join)
GLOB_PIECES = st.sampled_from(
    ["a", "b", "*", "?", "**", "/", "[ab]", "[!a]", ".xml", "x", "*.xml", "a/b", "**/", "/**"]
)
GLOBS = st.lists(GLOB_PIECES, min_size=1, max_size=6).map("".join)


def _runs(path: str, *, to_end: bool) -> list[str]:
    parts = _parts(path)
    ends = (len(parts),) if to_end else range(1, len(parts) + 1)
    return ["/".join(parts[start:end]) for end in ends for start in range(end)]


def defined_excluded(globs: list[str], path: str, *, walked: bool) -> bool:
    """The definition of an exclude: some glob matches some run (ending at the last
    component, for a walked path)."""
    pattern = _compile([Matcher(exclude=[g]).exclude[0] for g in globs])
    assert pattern is not None
    return any(pattern.fullmatch(run) for run in _runs(path, to_end=walked))


def defined_included(globs: list[str], path: str) -> bool:
    """The definition of an include: some glob matches a run ending at the file's name."""
    pattern = _compile([Matcher(include=[g]).include[0] for g in globs])
    assert pattern is not None
    return any(pattern.fullmatch(run) for run in _runs(path, to_end=True))


@settings(max_examples=600, deadline=None)
@given(st.lists(GLOBS, min_size=1, max_size=3), PATHS)
def test_the_matcher_answers_as_the_definition(globs: list[str], path: str) -> None:
    try:
        matcher = Matcher(include=globs, exclude=globs, default_exclude=())
    except ValueError:  # a class such as [!] or [b-a]: refused, as the definition would
        return
    assert matcher.excluded(path, walked=False) == defined_excluded(globs, path, walked=False)
    assert matcher.excluded(path, walked=True) == defined_excluded(globs, path, walked=True)
    assert matcher.included(path) == defined_included(globs, path)


@pytest.mark.parametrize(
    ("glob", "path", "named", "walked", "included"),
    [
        ("build", "src/build/a.xml", True, False, False),
        ("build", "src/build", True, True, True),
        ("src/build", "x/src/build/a.xml", True, False, False),
        ("*.xml", "src/a.xml", True, True, True),
        ("**/gen", "gen/a.xml", False, False, False),
        ("**/gen", "src/gen/a.xml", True, False, False),
        ("gen/**", "gen/a/b.xml", True, True, True),
        ("a?c", "x/abc/d", True, False, False),
        ("[!a]", "a/b", True, True, True),
    ],
)
def test_examples_of_runs(glob: str, path: str, named: bool, walked: bool, included: bool) -> None:
    matcher = Matcher(include=[glob], exclude=[glob], default_exclude=())
    assert matcher.excluded(path, walked=False) is named
    assert matcher.excluded(path, walked=True) is walked
    assert matcher.included(path) is included


def test_a_path_as_deep_as_the_system_allows_is_matched_as_a_short_one() -> None:
    """A path of 2,000 folders (a named file's, or one below a nested configuration) is one
    match, not a loop over its two million runs (which took 8 s); the answers are the
    definition's, read at the ends where the runs differ. benchmarks/bench_linear.py times
    the match as the depth doubles."""
    deep = "/".join(["a"] * 2_000)
    matcher = Matcher(include=["*.xml"], exclude=["a/b", "z", "**/q/**/r"], default_exclude=())
    assert not matcher.excluded(deep + "/f.xml", walked=False)
    assert matcher.excluded(deep + "/b/f.xml", walked=False)
    assert matcher.excluded("z/" + deep + "/f.xml", walked=False)
    assert not matcher.excluded("z/" + deep + "/f.xml", walked=True)
    assert matcher.included(deep + "/f.xml")
    assert not matcher.included(deep + "/f.xml/a")
    assert matcher.excluded(f"{deep}/q/{deep}/r/f.xml", walked=False)
    assert not matcher.excluded(f"{deep}/q/{deep}/f.xml", walked=False)


def test_separators_and_dots_are_read_as_before() -> None:
    matcher = Matcher(exclude=["a/b"], default_exclude=())
    assert matcher.excluded("./a//b/./c", walked=False)
    assert matcher.excluded(os.sep.join(["x", "a", "b"]), walked=True)
    assert not matcher.excluded("ab", walked=False)
    assert not matcher.excluded("a/bc", walked=False)


# --- the translation against the plain one ------------------------------------------------------


def _backtracking(glob: str) -> str:
    """A glob as the plain regular expression: ``[^/]*`` for ``*``, ``.*`` for ``**``, which
    tries every place for every ``*`` (ozml's translation tries few, `ozml.files._piece`)."""
    out, i = [], 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (close := _class_end(glob, i)) >= 0:
            body = glob[i + 1 : close]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _class_end(glob: str, i: int) -> int:
    return glob.find("]", i + 2 if glob.startswith(("[!", "[]"), i) else i + 1)


STAR_PIECES = st.sampled_from(
    ["a", "b", "*", "*", "?", "**", "/", "[ab]", "[!a]", "[/]", "[!b]/", "a/", "*a", "b*"]
)
TEXTS = st.text(alphabet="ab/x", max_size=14)


@settings(max_examples=1500, deadline=None)
@given(st.lists(STAR_PIECES, min_size=1, max_size=8).map("".join), TEXTS)
def test_the_translation_matches_what_the_plain_one_does(glob: str, text: str) -> None:
    """The same strings, with a ``*`` tried at one place where the plain expression tries
    them all: before a run, at the run's first place; last, up to the component's end; where
    a class in the run may match ``/``, there too."""
    try:
        plain = re.compile(_backtracking(glob), re.S)
    except re.error:
        return
    assert (re.fullmatch(_translate(glob), text, re.S) is not None) == (
        plain.fullmatch(text) is not None
    ), (glob, text, _translate(glob))
