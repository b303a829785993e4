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

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.files import Matcher, _compile, _parts

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
