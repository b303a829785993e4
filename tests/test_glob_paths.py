"""A glob given as PATH (`ozml.files._expand`): the paths `glob.glob(recursive=True)` gives on a
tree without links, and a folder's walk's care with links and left-out folders."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.files import GLOB_CHARS, _expand

NAMES = st.sampled_from(["a", "b.xml", "c.ozml", ".h", ".h.xml", "d"])
TREES = st.lists(st.lists(NAMES, min_size=1, max_size=4).map("/".join), min_size=1, max_size=8)
PATTERNS = st.lists(
    st.sampled_from(["*", "**", "*.xml", "?", "[ab]*", "[!a]*", "a", "d", ".h", ".*"]),
    min_size=1,
    max_size=4,
).map("/".join)


@settings(max_examples=300, deadline=None)
@given(TREES, PATTERNS)
def test_a_glob_matches_what_glob_matches_in_a_tree_without_links(
    tmp_path_factory: pytest.TempPathFactory, tree: list[str], pattern: str
) -> None:
    root = tmp_path_factory.mktemp("tree")
    for path in tree:
        target = root / path
        if any(p.is_file() for p in target.parents if p != root and p.is_relative_to(root)):
            continue  # a file where a folder would be
        if target.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("<Response/>")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        expected = sorted(glob.glob(pattern, recursive=True))
        found = _expand(pattern)
    finally:
        os.chdir(cwd)
    if os.path.lexists(root / pattern) or not GLOB_CHARS.intersection(pattern):
        assert found is None  # an existing path, or one without a wildcard, is no glob
    else:
        assert found is not None
        # glob writes a folder `**` matches as itself with a trailing separator ("a/").
        assert found[1] == sorted({path.rstrip(os.sep) for path in expected})


def test_a_glob_does_not_follow_links_to_folders_nor_lead_out_of_its_folder(
    tmp_path: Path,
) -> None:
    """A loop of folder links, which glob.glob follows for ever, and links leading out of the
    tree: the glob's files are those a walk of its folder finds, and a link to a file
    elsewhere is not followed (a warning says so), so that `ozml fmt` never rewrites it."""
    tree, out = tmp_path / "tree", tmp_path / "out"
    (tree / "d").mkdir(parents=True)
    out.mkdir()
    (tree / "d" / "a.xml").write_text("<Response><Hangup/></Response>\n")
    (out / "o.xml").write_text("<Response><Hangup></Hangup></Response>\n")
    (tree / "d" / "up").symlink_to("..")
    (tree / "loop").symlink_to("d")
    (tree / "d" / "outdir").symlink_to(out)
    (tree / "out.xml").symlink_to(out / "o.xml")
    (tree / "node_modules").mkdir()
    (tree / "node_modules" / "n.xml").write_text("<Response/>\n")
    run = [sys.executable, "-m", "ozml"]
    shown = subprocess.run(
        [*run, "check", "--no-cache", "--show-files", "**/*.xml", "*.xml"],
        cwd=tree, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert shown.stdout.splitlines() == ["d/a.xml"]
    assert "out.xml: not followed: a symbolic link to a file outside ." in shown.stderr
    done = subprocess.run(
        [*run, "fmt", "*.xml", "d/**/*.xml"], cwd=tree, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "o.xml").read_text() == "<Response><Hangup></Hangup></Response>\n"
    # Named as written, a folder (and a link to one) is followed: the user chose it.
    named = _expand(str(tree / "loop" / "*.xml"))
    assert named is not None
    assert named[1] == [str(tree / "loop" / "a.xml")]
    assert _expand(str(tree / "node_modules" / "*.xml")) == (
        str(tree / "node_modules"), [str(tree / "node_modules" / "n.xml")]
    )
